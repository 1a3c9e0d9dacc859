// Builds elements from data without ever parsing it as HTML: names and answers from kiosks are
// text, whatever characters they hold.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Replaces the page's content; parts a page leaves out (null, undefined, false) are skipped,
// never shown as words.
export function show(main, ...children) {
  main.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
  main.focus();
}

export const when = (iso) => (iso ? iso.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1 UTC') : '');

// A code as words: "not_interested" reads "Not interested"; nothing reads as a dash.
export const label = (value) =>
  value ? value.replace(/[-_]/g, ' ').replace(/^\w/, (c) => c.toUpperCase()) : '—';

// The API's messages are lower-case clauses; on a page they read as sentences.
export const sentence = (text) =>
  text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.');

// A button that asks twice: the first press turns it into the confirmation.
export function confirmButton(text, confirmText, action) {
  const button = h('button', { type: 'button', class: 'secondary' }, text);
  let armed = false;
  button.addEventListener('click', async () => {
    if (!armed) {
      armed = true;
      button.textContent = confirmText;
      button.classList.add('danger');
      return;
    }
    await action();
  });
  return button;
}
