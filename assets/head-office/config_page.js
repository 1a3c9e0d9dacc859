// The Config page: what every kiosk pulls on its next sync (languages, idle timeouts, how long a
// kiosk keeps its copy, prices, consent texts), with a preview of each consent text as the kiosk
// shows it. Everyone reads it; an admin publishes. The server validates every field and answers
// with a message, which is shown as it is: the page does not guess the rules.
import * as api from './api.js';
import { h, show, when, label, sentence } from './dom.js';

// The languages a kiosk speaks (assets/i18n), in its own order.
const LANGUAGES = [['en', 'English'], ['es', 'Spanish'], ['fr', 'French']];
const languageName = (code) => (LANGUAGES.find(([c]) => c === code) || [code, code])[1];

// What a kiosk does with no config from head office (app/core/kiosk_settings.cpp).
const DEFAULTS = { languages: ['en', 'es', 'fr'], idle_timeouts: { warning_seconds: 60, reset_seconds: 20 } };

// The kiosk joins the lines of a paragraph and keeps blank lines as breaks
// (core::reflowParagraphs); the preview does the same, so what is seen here is what a client sees.
export function reflowParagraphs(text) {
  return text.split(/\n{2,}/).map((p) => p.replace(/\n/g, ' '));
}

// Each language's text: the one published, else the newest one head office holds (the texts the
// kiosks ship are kept at start-up), else empty.
async function startingTexts(config, kept) {
  const texts = {};
  for (const [code] of LANGUAGES) {
    const published = (config.consent_texts || {})[code];
    if (published) {
      texts[code] = { version: published.version, text: published.text };
      continue;
    }
    const newest = kept.filter((t) => t.language === code).pop();
    texts[code] = newest
      ? { version: newest.version, text: (await api.consentText(newest.sha256)).text }
      : { version: '', text: '' };
  }
  return texts;
}

function consentPreview(textArea) {
  const box = h('div', { class: 'kiosk-consent', 'aria-live': 'off' });
  const draw = () => {
    box.replaceChildren(...reflowParagraphs(textArea.value).map((p) => h('p', {}, p)));
  };
  textArea.addEventListener('input', draw);
  draw();
  return h('figure', { class: 'consent-preview' }, box, h('figcaption', {}, 'As the kiosk shows it'));
}

function historyTable(kept) {
  if (!kept.length) return h('p', {}, 'No consent text has been published yet.');
  const rows = kept.map((t) => {
    const shown = h('pre', { class: 'consent-text', hidden: true });
    const view = h('button', {
      type: 'button', class: 'secondary',
      onclick: async () => {
        if (!shown.textContent) shown.textContent = (await api.consentText(t.sha256)).text;
        shown.hidden = !shown.hidden;
        view.textContent = shown.hidden ? 'Show text' : 'Hide text';
      },
    }, 'Show text');
    return [h('tr', {},
      h('td', {}, languageName(t.language)),
      h('td', {}, t.version),
      h('td', {}, when(t.first_published_at)),
      h('td', {}, t.in_use ? 'In use' : ''),
      h('td', {}, view)),
    h('tr', { class: 'text-row' }, h('td', { colspan: 5 }, shown))];
  });
  return h('table', { class: 'records' },
    h('thead', {}, h('tr', {}, ['Language', 'Version', 'First published', 'Now', 'Text']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.flat()));
}

function priceRow(p = { item: '', min: '', max: '', currency: 'GBP' }, index, readOnly = false) {
  const input = (name, value, attrs) => h('input', {
    name, value, 'aria-label': `${label(name)} ${index + 1}`, ...attrs,
  });
  return h('tr', { class: 'price' },
    h('td', {}, input('item', p.item, { required: true, maxlength: 100 })),
    h('td', {}, input('min', p.min, { type: 'number', min: 0, step: 'any', required: true })),
    h('td', {}, input('max', p.max, { type: 'number', min: 0, step: 'any', required: true })),
    h('td', {}, input('currency', p.currency, { required: true, maxlength: 3, size: 4 })),
    h('td', {}, readOnly ? '' : h('button', {
      type: 'button', class: 'secondary', onclick: (ev) => ev.target.closest('tr').remove(),
    }, 'Remove')));
}

export async function configPage(main, notice) {
  const data = await api.config();
  const config = Object.keys(data.config).length ? data.config : DEFAULTS;
  const texts = await startingTexts(config, data.consent_texts);
  const readOnly = !data.can_change;
  const problem = h('p', { class: 'error', role: 'alert' });

  const languageBoxes = LANGUAGES.map(([code, name]) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'language', value: code, checked: (config.languages || []).includes(code) }),
    ` ${name}`));
  const timeouts = config.idle_timeouts || DEFAULTS.idle_timeouts;
  const warn = h('input', { id: 'c-warn', type: 'number', min: 15, max: 3600, required: true, value: timeouts.warning_seconds });
  const reset = h('input', { id: 'c-reset', type: 'number', min: 20, max: 600, required: true, value: timeouts.reset_seconds });
  const retention = h('input', { id: 'c-retention', type: 'number', min: 1, max: 3650, value: config.retention_days ?? '' });
  const prices = h('tbody', {}, (config.price_list || []).map((p, i) => priceRow(p, i, readOnly)));
  const noPrices = h('p', { class: 'meta' }, 'No prices yet: the plan a client sees shows none.');
  noPrices.hidden = prices.children.length > 0;
  const consentFields = LANGUAGES.map(([code, name]) => {
    const version = h('input', {
      id: `c-version-${code}`, value: texts[code].version, maxlength: 64, size: 28,
    });
    const text = h('textarea', { id: `c-text-${code}`, rows: 14, 'aria-label': `${name} consent text` }, texts[code].text);
    return { code, version, text,
      section: h('section', { class: 'consent-edit', 'aria-labelledby': `h-consent-${code}` },
        h('h3', { id: `h-consent-${code}` }, name),
        h('div', { class: 'field inline' }, h('label', { for: `c-version-${code}` }, `${name} consent version`), version),
        h('div', { class: 'consent-columns' }, text, consentPreview(text))) };
  });

  const collect = () => {
    const next = {
      languages: languageBoxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      idle_timeouts: { warning_seconds: Number(warn.value), reset_seconds: Number(reset.value) },
      price_list: [...prices.querySelectorAll('tr.price')].map((row) => {
        const get = (n) => row.querySelector(`[name="${n}"]`).value;
        return { item: get('item'), min: Number(get('min')), max: Number(get('max')), currency: get('currency') };
      }),
      consent_texts: {},
    };
    if (retention.value !== '') next.retention_days = Number(retention.value);
    for (const c of consentFields) {
      if (c.text.value.trim()) next.consent_texts[c.code] = { version: c.version.value, text: c.text.value };
    }
    return next;
  };

  const publish = h('button', { type: 'submit' }, 'Publish to every kiosk');
  const form = h('form', {
    class: 'config',
    onsubmit: async (ev) => {
      ev.preventDefault();
      problem.textContent = '';
      try {
        await api.publishConfig(collect());
        await configPage(main, 'Published. Each kiosk picks it up on its next sync.');
      } catch (e) {
        if (e.status === 401) throw e;
        problem.textContent = sentence(e.message);
        problem.scrollIntoView({ block: 'center' });
      }
    },
  },
  h('fieldset', { disabled: readOnly },
    h('legend', {}, 'Kiosks'),
    h('fieldset', { class: 'field clinics' }, h('legend', {}, 'Languages a client can choose'), languageBoxes),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'c-warn' }, 'Ask "Are you still there?" after (seconds idle)'), warn),
      h('div', { class: 'field' }, h('label', { for: 'c-reset' }, 'Then start over after (seconds)'), reset),
      h('div', { class: 'field' }, h('label', { for: 'c-retention' }, 'A kiosk keeps its copy of a sent record for (days; empty: no limit)'), retention))),
  h('fieldset', { disabled: readOnly },
    h('legend', {}, 'Prices shown in the plan'),
    h('table', { class: 'records prices' },
      h('thead', {}, h('tr', {}, ['Item', 'From', 'To', 'Currency', ''].map((c) => h('th', { scope: 'col' }, c)))),
      prices),
    noPrices,
    readOnly ? null : h('button', {
      type: 'button', class: 'secondary',
      onclick: () => {
        prices.append(priceRow(undefined, prices.children.length));
        noPrices.hidden = true;
      },
    }, 'Add a price')),
  h('fieldset', { disabled: readOnly },
    h('legend', {}, 'Consent texts'),
    h('p', { class: 'meta' }, 'A changed text needs a new version. Every version stays readable on ' +
      'the consultations signed under it. A language left empty shows the text the kiosk ships.'),
    consentFields.map((c) => c.section)),
  readOnly ? h('p', { class: 'meta' }, 'Only an admin can publish a new config.') : publish,
  problem);

  show(main,
    h('h1', {}, 'Config'),
    notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
    Object.keys(data.config).length ? null
      : h('p', { class: 'meta' }, 'Nothing published yet: kiosks use what they ship. The form starts from that.'),
    form,
    h('h2', {}, 'Every consent text version'),
    historyTable(data.consent_texts));
}
