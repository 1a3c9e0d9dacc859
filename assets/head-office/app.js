// The head-office application: a hash router over a few pages. Every page asks the API, which
// decides what this person may see; the page never hides data it was sent.
import * as api from './api.js';
import { h, show, when, label, sentence, confirmButton } from './dom.js';
import { configPage } from './config_page.js';
import { photoExportControl, recentPhotoExports } from './photo_export.js';
import qrcode from './vendor/qrcode.mjs';

const main = document.getElementById('main');
const header = document.querySelector('header.top');
let me = null;
let flash = '';  // said once on the next page shown (after an erasure)

// The follow-up funnel, in order: every consultation starts as new.
const FOLLOW_UP = ['new', 'contacted', 'booked', 'treated', 'not_interested'];


function route() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  return { parts: path.split('/').filter(Boolean), params: new URLSearchParams(query) };
}

async function render() {
  if (!me) {
    try {
      me = await api.currentUser();
    } catch (e) {
      return signInPage(e.status === 401 ? '' : e.message);
    }
  }
  showHeader();
  const { parts, params } = route();
  try {
    if (parts[0] === 'consultations' && parts[1]) return await consultationPage(parts[1]);
    if (parts[0] === 'audit' && me.role === 'admin') return await auditPage(params);
    if (parts[0] === 'users' && me.role === 'admin') return await usersPage();
    if (parts[0] === 'account') return accountPage();
    if (parts[0] === 'kiosks') return await kiosksPage();
    if (parts[0] === 'config') return await configPage(main);
    if (parts[0] === 'consultations') return await consultationsPage(params);
    return await overviewPage(params);
  } catch (e) {
    if (e.status === 401) {
      me = null;
      return signInPage('Your session ended. Please sign in again.');
    }
    if (e.status === 404) {
      return show(main, h('h1', {}, 'Not found'),
        h('p', { role: 'alert' },
          'This page or consultation does not exist, or it belongs to a clinic you do not manage.'),
        h('p', {}, h('a', { href: '#/consultations' }, '← All consultations')));
    }
    show(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, e.message));
  }
}

function showHeader() {
  header.hidden = !me;
  if (!me) return;
  header.querySelector('.who').textContent =
    `${me.name} · ${label(me.role)}${me.clinics.length ? ' · ' + me.clinics.join(', ') : ''}`;
  for (const a of header.querySelectorAll('[data-role]')) a.hidden = me.role !== a.dataset.role;
  const section = route().parts[0] || 'overview';
  for (const a of header.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function signInPage(message) {
  me = null;
  showHeader();
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' }, message || '');
  const name = h('input', { id: 'name', name: 'name', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
  });
  const form = h('form', {
    class: 'sign-in',
    onsubmit: async (ev) => {
      ev.preventDefault();
      error.textContent = '';
      try {
        me = await api.signIn(name.value, password.value);
        render();
      } catch (e) {
        error.textContent = sentence(e.message);
        password.value = '';
        password.focus();
      }
    },
  },
  h('h1', {}, 'Sign in to head office'),
  h('label', { for: 'name' }, 'Name'), name,
  h('label', { for: 'password' }, 'Password'), password,
  h('button', { type: 'submit' }, 'Sign in'),
  error);
  show(main, form);
  name.focus();
}

async function consultationsPage(params) {
  const [list, clinicList, recent, kioskList, config] = await Promise.all([
    api.consultations(params), api.clinics(), recentPhotoExports(), api.kiosks(), api.config()]);
  const photoExport = photoExportControl(params);
  const field = (name, labelText, input) =>
    h('div', { class: 'field' }, h('label', { for: `f-${name}` }, labelText), input);
  const text = (name, attrs = {}) =>
    h('input', { id: `f-${name}`, name, value: params.get(name) || '', ...attrs });
  const clinicSelect = h('select', { id: 'f-clinic', name: 'clinic' },
    h('option', { value: '' }, 'All clinics'),
    clinicList.clinics.map((c) => h('option', { value: c, selected: params.get('clinic') === c }, c)));
  const concernSelect = h('select', { id: 'f-concern', name: 'concern' },
    h('option', { value: '' }, 'Any concern'),
    ['pattern-baldness', 'diffuse-thinning', 'alopecia', 'scar', 'after-chemotherapy', 'other'].map((c) =>
      h('option', { value: c, selected: params.get('concern') === c }, label(c))));
  const stageSelect = h('select', { id: 'f-stage', name: 'stage' },
    h('option', { value: '' }, 'Any stage'),
    [...[1, 2, 3, 4, 5, 6, 7].map((n) => `norwood-${n}`), ...[1, 2, 3].map((n) => `ludwig-${n}`)]
      .map((s) => h('option', { value: s, selected: params.get('stage') === s }, label(s))));
  const kioskSelect = h('select', { id: 'f-kiosk', name: 'kiosk' },
    h('option', { value: '' }, 'Any kiosk'),
    kioskList.kiosks.map((k) => h('option', { value: k.kiosk_id, selected: params.get('kiosk') === k.kiosk_id },
      `${k.clinic} · ${k.kiosk_id}`)));
  const versions = [...new Set(config.consent_texts.map((t) => t.version))];
  const consentSelect = h('select', { id: 'f-consent', name: 'consent' },
    h('option', { value: '' }, 'Any consent version'),
    versions.map((v) => h('option', { value: v, selected: params.get('consent') === v }, v)));
  const followUpSelect = h('select', { id: 'f-follow_up', name: 'follow_up' },
    h('option', { value: '' }, 'Any follow-up'),
    FOLLOW_UP.map((s) => h('option', { value: s, selected: params.get('follow_up') === s }, label(s))));
  const flagged = h('input', { id: 'f-flagged', name: 'flagged', type: 'checkbox', value: '1',
    checked: params.get('flagged') === '1' });
  const filters = h('form', {
    class: 'filters', role: 'search',
    onsubmit: (ev) => {
      ev.preventDefault();
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(ev.target)) if (v) next.set(k, v);
      location.hash = `#/consultations?${next}`;
    },
  },
  field('q', 'Name, phone or email', text('q', { type: 'search' })),
  field('clinic', 'Clinic', clinicSelect),
  field('concern', 'Concern', concernSelect),
  field('stage', 'Stage', stageSelect),
  field('kiosk', 'Kiosk', kioskSelect),
  field('follow_up', 'Follow-up', followUpSelect),
  field('consent', 'Consent version', consentSelect),
  field('sort', 'Order', h('select', { id: 'f-sort', name: 'sort' },
    h('option', { value: '' }, 'Newest first'),
    h('option', { value: 'oldest', selected: params.get('sort') === 'oldest' }, 'Oldest first'))),
  field('from', 'From', text('from', { type: 'date' })),
  field('to', 'To', text('to', { type: 'date' })),
  h('div', { class: 'field check' }, flagged, h('label', { for: 'f-flagged' }, 'Health flags only')),
  h('button', { type: 'submit' }, 'Filter'));

  const rows = list.rows.map((r) =>
    h('tr', {},
      h('td', {}, h('a', { href: `#/consultations/${r.id}` }, r.client_name || '(no name)')),
      h('td', {}, r.clinic),
      h('td', {}, when(r.created_at)),
      h('td', {}, label(r.concern)),
      h('td', {}, label(r.loss_stage)),
      h('td', {}, r.phone),
      h('td', {}, h('span', { class: `status status-${r.follow_up}` }, label(r.follow_up))),
      h('td', {}, r.health_flags ? h('span', { class: 'flag' }, `${r.health_flags} flagged`) : '')));
  const pages = Math.max(1, Math.ceil(list.total / list.per_page));
  const pageLink = (n, text) => {
    const p = new URLSearchParams(params);
    p.set('page', n);
    return h('a', { href: `#/consultations?${p}`, class: 'page' }, text);
  };
  const said = flash;
  flash = '';
  show(main,
    h('h1', {}, 'Consultations'),
    said ? h('p', { class: 'notice', role: 'status' }, said) : null,
    filters,
    h('div', { class: 'count-row' },
      h('p', { class: 'count', 'aria-live': 'polite' },
        `${list.total} consultation${list.total === 1 ? '' : 's'} · page ${list.page} of ${pages}`),
      h('p', { class: 'downloads' }, 'Download these: ',
        h('a', { href: api.exportUrl(params, 'csv'), download: 'consultations.csv' }, 'CSV'), ' · ',
        h('a', { href: api.exportUrl(params, 'jsonl'), download: 'consultations.jsonl' }, 'JSON Lines'),
        ' · ', photoExport.start)),
    photoExport.panel,
    recent,
    h('table', { class: 'records' },
      h('thead', {}, h('tr', {}, ['Client', 'Clinic', 'Date', 'Concern', 'Stage', 'Phone', 'Follow-up', 'Health']
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      list.page > 1 ? pageLink(list.page - 1, '← Newer') : '',
      list.page < pages ? pageLink(list.page + 1, 'Older →') : ''));
}

const LANGUAGES = { en: 'English', es: 'Spanish', fr: 'French' };

// An answer as a person would say it: yes/no, words instead of codes; contact details as typed.
function answerText(key, value) {
  if (value === true) return 'Yes';
  if (value === false) return 'No';
  if (value === '' || value === null) return '—';
  if (key === 'language') return LANGUAGES[value] || value;
  if (key === 'phone' || key === 'email' || typeof value !== 'string') return String(value);
  return label(value);
}

function image(id, ref, alt) {
  return h('img', { src: api.blobUrl(id, ref.sha256), alt, loading: 'lazy' });
}

// The client's photo with the preview laid over it; the slider uncovers the preview.
// The names differ for the crown (from above) so that each photo has its own accessible name.
const VIEW_WORDS = {
  front: { photo: 'Photo as taken', preview: 'Preview with SMP', slider: 'Before and after' },
  top: { photo: 'The crown as photographed', preview: 'The crown with SMP',
    slider: 'Crown: as photographed or with SMP' },
};

function beforeAfter(id, front, preview, view = 'front') {
  const words = VIEW_WORDS[view];
  const after = h('div', { class: 'after' }, image(id, preview, words.preview));
  const slider = h('input', {
    type: 'range', min: 0, max: 100, value: 50, 'aria-label': words.slider,
    oninput: (ev) => { after.style.width = `${ev.target.value}%`; },
  });
  after.style.width = '50%';
  return h('figure', { class: 'before-after' },
    h('div', { class: 'frame' }, image(id, front, words.photo), after),
    slider,
    h('figcaption', {}, 'Left of the line: with SMP. Right: as photographed.'));
}

// The follow-up: where the client stands, every note newest first, and (for those who may)
// a new status with a note. The kiosk that took the consultation shows the same on its staff
// screen after its next sync.
function followUpSection(c) {
  const notes = [...(c.follow_ups || [])].reverse();
  const history = notes.length
    ? h('ol', { class: 'follow-ups', reversed: true }, notes.map((f) =>
      h('li', {},
        h('p', { class: 'meta' }, h('span', { class: `status status-${f.status}` }, label(f.status)),
          ` ${when(f.at)} · ${f.author}`),
        f.note ? h('p', { class: 'note' }, f.note) : '')))
    : h('p', {}, 'No follow-up yet.');
  if (!c.can_follow_up) {
    return h('section', { 'aria-labelledby': 'h-follow-up' },
      h('h2', { id: 'h-follow-up' }, `Follow-up: ${label(c.follow_up)}`), history);
  }
  const status = h('select', { id: 'fu-status', name: 'status' },
    FOLLOW_UP.map((s) => h('option', { value: s, selected: s === c.follow_up }, label(s))));
  const note = h('textarea', { id: 'fu-note', name: 'note', rows: 3, maxlength: 2000 });
  const said = h('p', { role: 'status', class: 'notice', hidden: true });
  const form = h('form', {
    class: 'follow-up',
    onsubmit: async (ev) => {
      ev.preventDefault();
      said.hidden = true;
      said.className = 'notice';
      try {
        await api.followUp(c.id, status.value, note.value);
        flash = `Follow-up saved: ${label(status.value)}. Kiosk ${c.kiosk_id} shows it after its next sync.`;
        await render();
      } catch (e) {
        if (e.status === 401) throw e;
        said.className = 'error';
        said.textContent = sentence(e.message);
        said.hidden = false;
      }
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'fu-status' }, 'Status'), status),
  h('div', { class: 'field wide' }, h('label', { for: 'fu-note' }, 'Note (optional)'), note),
  h('button', { type: 'submit' }, 'Save follow-up'),
  said);
  return h('section', { 'aria-labelledby': 'h-follow-up' },
    h('h2', { id: 'h-follow-up' }, `Follow-up: ${label(c.follow_up)}`), form, history);
}

// One change a revision made, in words: "Phone: +44 7700 900100 → +44 7700 900199".
function changeLine(change) {
  const [head, ...rest] = change.field.split('.');
  const names = { client_name: 'Name', concern: 'Concern', consent_text_sha256: 'Consent text',
    consented_at: 'Consent time', created_at: 'Taken at' };
  let what;
  if (head === 'photos') what = `${label(rest.join(' '))} photo`;
  else if (head === 'previews') what = 'Preview';
  else if (head === 'intake') what = rest.map(label).join(': ');
  else if (head === 'preview_params') what = `Preview setting: ${rest.map(label).join(' ')}`;
  else what = names[head] || label(change.field);
  if (change.photo) return h('li', {}, `${what} ${change.photo}`);
  const value = (v) => (v === '' ? '(empty)' : answerText(rest[rest.length - 1] || head, v));
  return h('li', {}, `${what}: ${value(change.before)} → ${value(change.after)}`);
}

// The consent text exactly as the client signed it, found by the hash the record carries.
function consentSection(r, signature) {
  const sha = String(r.consent_text_sha256 || '');
  const text = h('pre', { class: 'consent-text' });
  const about = h('p', {}, `Signed ${when(r.consented_at)}.`);
  const details = h('details', { class: 'consent-signed' }, h('summary', {}, 'The text as signed'), text);
  details.hidden = true;
  if (/^[0-9a-f]{64}$/.test(sha)) {
    api.consentText(sha).then((t) => {
      about.textContent = `Signed ${when(r.consented_at)}: version ${t.version} (${t.language}).`;
      text.textContent = t.text;
      details.hidden = false;
    }).catch((e) => {
      about.textContent = e.status === 404
        ? `Signed ${when(r.consented_at)}. Head office holds no text with hash ${sha.slice(0, 12)}…`
        : `Signed ${when(r.consented_at)}. The text could not be loaded: ${e.message}`;
    });
  }
  return h('section', { 'aria-labelledby': 'h-consent' }, h('h2', { id: 'h-consent' }, 'Consent'), about, details,
    signature);
}

async function consultationPage(id) {
  const c = await api.consultation(id);
  const r = c.record || {};
  const intake = r.intake || {};
  const photos = r.photos || [];
  const previews = r.previews || [];
  const front = photos.find((p) => p.role === 'front');
  const top = photos.find((p) => p.role === 'top');
  // Records before the top view was previewed hold one preview, of the front.
  const frontPreview = previews.find((p) => p.role === 'preview') || previews[0];
  const topPreview = previews.find((p) => p.role === 'preview-top');
  const signature = photos.find((p) => p.role === 'signature');
  const flags = new Set(intake.health_flags || []);
  const answers = Object.entries(intake)
    .filter(([k, v]) => k !== 'health' && k !== 'health_flags' && typeof v !== 'object')
    .map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, label(k)), h('td', {}, answerText(k, v))));
  const health = Object.entries(intake.health || {}).map(([q, yes]) =>
    h('tr', { class: flags.has(q) ? 'flagged' : '' },
      h('th', { scope: 'row' }, label(q)),
      h('td', {}, yes ? 'Yes' : 'No', flags.has(q) ? h('span', { class: 'flag' }, ' — flagged') : '')));
  const erase = me.role === 'admin' ? h('section', { class: 'erase', 'aria-labelledby': 'h-erase' },
    h('h2', { id: 'h-erase' }, 'Right to erasure'),
    h('p', {}, 'When the client asks to be forgotten: this record, its revisions and photos are ' +
      'deleted here, and the kiosk that took it removes its copy on its next sync.'),
    confirmButton('Erase this consultation', 'Confirm: erase for good', async () => {
      await api.eraseConsultation(c.id);
      flash = `${c.client_name || 'The consultation'} was erased; kiosk ${c.kiosk_id} removes its copy on its next sync.`;
      location.hash = '#/consultations';
    })) : null;
  const said = flash;
  flash = '';
  show(main,
    h('p', {}, h('a', { href: '#/consultations' }, '← All consultations')),
    said ? h('p', { class: 'notice', role: 'status' }, said) : null,
    h('h1', {}, c.client_name || '(no name)'),
    h('p', { class: 'meta' },
      `${c.clinic} · kiosk ${c.kiosk_id} · taken ${when(c.created_at)} · received ${when(c.received_at)}`),
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'h-photos' },
        h('h2', { id: 'h-photos' }, 'Photos and preview'),
        front && frontPreview ? beforeAfter(c.id, front, frontPreview)
          : front ? image(c.id, front, 'Photo as taken') : h('p', {}, 'No photo.'),
        top && topPreview ? beforeAfter(c.id, top, topPreview, 'top') : null,
        photos.filter((p) => p.role !== 'front' && p.role !== 'signature' && !(p === top && topPreview))
          .map((p) => h('figure', {}, image(c.id, p, `${label(p.role)} photo`), h('figcaption', {}, label(p.role))))),
      h('section', { 'aria-labelledby': 'h-answers' },
        h('h2', { id: 'h-answers' }, 'Answers'),
        h('table', { class: 'answers' }, h('tbody', {},
          h('tr', {}, h('th', { scope: 'row' }, 'Concern'), h('td', {}, label(r.concern))), answers)),
        h('h2', {}, 'Health'),
        health.length ? h('table', { class: 'answers' }, h('tbody', {}, health)) : h('p', {}, 'No answers.'),
        followUpSection(c),
        consentSection(r, signature
          ? h('img', { class: 'signature', src: api.blobUrl(c.id, signature.sha256), alt: 'Client signature' }) : null),
        h('h2', {}, 'Revisions'),
        h('ul', { class: 'revisions' }, (c.revisions || []).map((v) => h('li', {},
          `Revision ${v.revision}, received ${when(v.received_at)}`,
          v.changes ? h('ul', {}, v.changes.length ? v.changes.map(changeLine) : h('li', {}, 'Nothing a person sees changed.')) : null))),
        h('h2', {}, 'Seen by'),
        h('ul', { class: 'audit' }, (c.audit || []).map((a) => h('li', {}, `${when(a.at)} · ${a.user} · ${a.action}`))),
        erase)));
}

const DAY = 24 * 3600 * 1000;
const PALETTE = ['#0f5c55', '#c0622f', '#3d6fb6', '#8a6d1f', '#7a3e8e', '#2f8a4c', '#a33a4f'];

// A chart as a picture with words: the canvas says what it shows to a screen reader, and the
// same numbers are in a table below it for anyone who wants them.
function chartFigure(title, config, rows) {
  const canvas = h('canvas', { role: 'img', 'aria-label': title });
  const figure = h('figure', { class: 'chart' }, h('h2', {}, title), h('div', { class: 'canvas' }, canvas),
    h('details', {}, h('summary', {}, 'The numbers'),
      h('table', { class: 'answers' }, h('tbody', {}, rows.map(([k, v]) =>
        h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, String(v))))))));
  config.options = { animation: false, maintainAspectRatio: false, ...config.options };
  queueMicrotask(() => new window.Chart(canvas, config));
  return figure;
}

async function overviewPage(params) {
  const from = params.get('from') || new Date(Date.now() - 84 * DAY).toISOString().slice(0, 10);
  const to = params.get('to') || '';
  const p = new URLSearchParams({ from, to });
  const o = await api.overview(p);
  const weeks = [...new Set(o.per_week.map((w) => w.week))];
  const clinicsSeen = [...new Set(o.per_week.map((w) => w.clinic))];
  const perWeek = chartFigure('Consultations per clinic per week', {
    type: 'bar',
    data: {
      labels: weeks.map((w) => `w/c ${w}`),
      datasets: clinicsSeen.map((c, i) => ({
        label: c, backgroundColor: PALETTE[i % PALETTE.length],
        data: weeks.map((w) => (o.per_week.find((x) => x.week === w && x.clinic === c) || {}).count || 0),
      })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  }, o.per_week.map((w) => [`${w.week} · ${w.clinic}`, w.count]));
  const shareChart = (title, items, key) => chartFigure(title, {
    type: 'bar',
    data: {
      labels: items.map((x) => (x[key] ? label(x[key]) : 'Not given')),
      datasets: [{ label: 'Consultations', backgroundColor: PALETTE[0], data: items.map((x) => x.count) }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  }, items.map((x) => [x[key] ? label(x[key]) : 'Not given', x.count]));
  const flagShare = chartFigure('Health flags', {
    type: 'doughnut',
    data: {
      labels: ['With a health flag', 'No flag'],
      datasets: [{ backgroundColor: ['#8a2a0a', '#c9d3d6'], data: [o.flagged, o.total - o.flagged] }],
    },
  }, [['With a health flag', o.flagged], ['No flag', o.total - o.flagged]]);
  // The funnel: how many consultations stand at each step now.
  const funnel = chartFigure('Follow-up: where each client stands now', {
    type: 'bar',
    data: {
      labels: o.follow_ups.map((x) => label(x.status)),
      datasets: [{
        label: 'Consultations', data: o.follow_ups.map((x) => x.count),
        backgroundColor: o.follow_ups.map((x) => (x.status === 'not_interested' ? '#8a8f91' : PALETTE[0])),
      }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  }, o.follow_ups.map((x) => [label(x.status),
    `${x.count}${o.total ? ` (${Math.round((100 * x.count) / o.total)} %)` : ''}`]));
  const hours = (iso) => (iso ? Math.max(0, (Date.now() - Date.parse(iso)) / 3600_000) : null);
  const lag = chartFigure('Hours since each kiosk was last heard from', {
    type: 'bar',
    data: {
      labels: o.sync_lag.map((k) => `${k.clinic} · ${k.kiosk_id}`),
      datasets: [{
        label: 'Hours', data: o.sync_lag.map((k) => hours(k.last_seen_at) ?? 0),
        backgroundColor: o.sync_lag.map((k) => (hours(k.last_seen_at) ?? 99) > 24 ? '#8a2a0a' : PALETTE[0]),
      }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
  }, o.sync_lag.map((k) => [`${k.clinic} · ${k.kiosk_id}`,
    `${k.last_seen_at ? age(k.last_seen_at) : 'never'}; ${k.pending} waiting to send`]));
  const fromInput = h('input', { id: 'o-from', name: 'from', type: 'date', value: from });
  const toInput = h('input', { id: 'o-to', name: 'to', type: 'date', value: to });
  show(main,
    h('h1', {}, 'Overview'),
    h('form', {
      class: 'filters',
      onsubmit: (ev) => {
        ev.preventDefault();
        location.hash = `#/overview?${new URLSearchParams({ from: fromInput.value, to: toInput.value })}`;
      },
    }, h('div', { class: 'field' }, h('label', { for: 'o-from' }, 'From'), fromInput),
    h('div', { class: 'field' }, h('label', { for: 'o-to' }, 'To'), toInput),
    h('button', { type: 'submit' }, 'Show')),
    h('p', { class: 'count' }, `${o.total} consultations, ${o.flagged} with a health flag.`),
    h('div', { class: 'charts' }, perWeek, shareChart('Hair-loss stage', o.stages, 'stage'),
      shareChart('Concern', o.concerns, 'concern'), funnel, flagShare, lag));
}

function age(iso) {
  if (!iso) return 'never';
  const ms = Date.now() - Date.parse(iso);
  if (ms < 60_000) return 'just now';
  if (ms < 3600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < DAY) return `${Math.round(ms / 3600_000)} h ago`;
  return `${Math.round(ms / DAY)} days ago`;
}

const megabytes = (bytes) => (bytes >= 0 ? `${(bytes / 1e9).toFixed(1)} GB` : '—');

// A button that asks once more before it acts: the second press does it.

async function kiosksPage(notice) {
  const data = await api.kiosks();
  const message = h('div', { class: 'notice', role: 'status' }, notice || '');
  const rerender = async (text) => kiosksPage(text);
  const rows = data.kiosks.map((k) => {
    const hb = k.heartbeat || {};
    const stale = k.last_seen_at && Date.now() - Date.parse(k.last_seen_at) > DAY;
    return h('tr', { class: k.revoked ? 'revoked' : '' },
      h('td', { class: 'nowrap' }, k.kiosk_id),
      h('td', {}, k.clinic),
      h('td', { class: stale && !k.revoked ? 'warn' : '' },
        k.last_seen_at ? age(k.last_seen_at) : 'never: not enrolled yet',
        stale && !k.revoked ? ' — not heard from for over a day' : ''),
      h('td', {}, hb.pending ?? '—'),
      h('td', {}, hb.quarantined ? h('span', { class: 'flag' }, `${hb.quarantined} held back`) : '0'),
      h('td', {}, megabytes(hb.free_disk_bytes ?? -1)),
      h('td', {}, hb.failed_pins_24h ? h('span', { class: 'flag' }, hb.failed_pins_24h) : '0'),
      h('td', {}, hb.app_version || '—'),
      h('td', {}, k.revoked ? 'Revoked' : 'Active'),
      data.can_change ? h('td', { class: 'actions nowrap' },
        k.revoked ? '' : confirmButton('Revoke', `Confirm: revoke ${k.kiosk_id}`, async () => {
          await api.revokeKiosk(k.kiosk_id);
          rerender(`${k.kiosk_id} is revoked: its token no longer works.`);
        }),
        confirmButton('New enrolment code', 'Confirm: new code', async () => {
          const r = await api.newEnrolmentCode(k.kiosk_id);
          rerender(enrolmentNotice(r));
        }),
        confirmButton('New token', 'Confirm: new token', async () => {
          const r = await api.rotateKiosk(k.kiosk_id);
          rerender(tokenNotice(r.kiosk_id, r.token));
        })) : null);
  });
  const clinic = h('input', { id: 'new-clinic', name: 'clinic', required: true });
  const addForm = data.can_change ? h('form', {
    class: 'filters',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const r = await api.addKiosk(clinic.value);
      rerender(enrolmentNotice(r, r.token));
    },
  }, h('div', { class: 'field' }, h('label', { for: 'new-clinic' }, 'Clinic of a new kiosk'), clinic),
  h('button', { type: 'submit' }, 'Add kiosk')) : null;
  show(main,
    h('h1', {}, 'Kiosks'),
    message,
    addForm,
    h('table', { class: 'records' },
      h('thead', {}, h('tr', {}, ['Kiosk', 'Clinic', 'Last heard', 'Waiting to send', 'Held back',
        'Free disk', 'Failed PINs (24 h)', 'Version', 'State', data.can_change ? 'Change' : null]
        .filter(Boolean).map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)));
}

// Shown once: the one-time code the kiosk's setup screen takes, typed or read from the QR code
// (which also carries this head office's address), and for scripted installs the token.
function enrolmentNotice(r, token) {
  const link = `smpkiosk:enrol?server=${encodeURIComponent(location.origin)}&code=${r.enrolment_code}`;
  return h('div', { class: 'enrolment' },
    h('div', {},
      h('p', {}, `Enrolment code for ${r.kiosk_id}, shown only this once. It works once, until ${when(r.code_expires_at)}:`),
      h('code', { class: 'enrolment-code', 'data-testid': 'enrolment-code' }, r.enrolment_code),
      h('p', {}, `On the kiosk's setup screen, type ${location.origin} and this code, or hold this page's QR code up to the kiosk's camera.`),
      token ? h('details', {},
        h('summary', {}, 'Token for a scripted install'),
        h('code', { class: 'token' }, token),
        h('p', {}, 'smp-kiosk enroll --server ADDRESS --token-file - (then paste it). Using the code above instead replaces this token.')) : null),
    qrCanvas(link, `QR code of the enrolment code for ${r.kiosk_id}`));
}

// A QR code drawn on a canvas (no inline SVG or styles: the pages' CSP stays strict).
function qrCanvas(text, label) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const modules = qr.getModuleCount();
  const scale = 6, quiet = 4;
  const side = (modules + 2 * quiet) * scale;
  const canvas = h('canvas', { width: side, height: side, role: 'img', 'aria-label': label, 'data-testid': 'enrolment-qr' });
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, side, side);
  g.fillStyle = '#000';
  for (let r = 0; r < modules; r++) {
    for (let c = 0; c < modules; c++) {
      if (qr.isDark(r, c)) g.fillRect((c + quiet) * scale, (r + quiet) * scale, scale, scale);
    }
  }
  return canvas;
}

// Shown once: the token goes to the kiosk (smp-kiosk enroll --token-file -) and nowhere else.
function tokenNotice(id, token) {
  return h('div', {},
    h('p', {}, `Enrolment token for ${id}, shown only this once. Give it to the technician:`),
    h('code', { class: 'token' }, token),
    h('p', {}, 'On the kiosk: smp-kiosk enroll --server ADDRESS --token-file - (then paste it).'));
}

// Admins: head-office accounts. A clinic manager sees only the clinics ticked here; the
// password is told to the person, who signs in with it.
async function usersPage(notice, problem) {
  const [data, clinicList] = await Promise.all([api.users(), api.clinics()]);
  const rerender = (text, error) => usersPage(text, error);
  const rows = data.users.map((u) => h('tr', { class: u.disabled ? 'revoked' : '' },
    h('td', {}, u.name, u.is_you ? ' (you)' : ''),
    h('td', {}, label(u.role)),
    h('td', {}, u.role === 'clinic-manager' ? u.clinics.join(', ') : 'All clinics'),
    h('td', {}, when(u.created_at)),
    h('td', {}, u.disabled ? 'Disabled' : 'Active'),
    h('td', { class: 'actions nowrap' }, u.disabled || u.is_you ? '' :
      confirmButton('Disable', `Confirm: disable ${u.name}`, async () => {
        await api.disableUser(u.name);
        rerender(`${u.name} can no longer sign in; their sessions have ended.`);
      }))));
  const name = h('input', { id: 'u-name', name: 'name', required: true, autocomplete: 'off' });
  const role = h('select', { id: 'u-role', name: 'role' },
    ['analyst', 'clinic-manager', 'admin'].map((r) => h('option', { value: r }, label(r))));
  const password = h('input', { id: 'u-password', name: 'password', type: 'password', required: true,
    minlength: 12, autocomplete: 'new-password' });
  const clinicBoxes = clinicList.clinics.map((c, i) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'clinic', value: c, id: `u-clinic-${i}` }), ` ${c}`));
  const clinicsField = h('fieldset', { class: 'field clinics' },
    h('legend', {}, 'Clinics a clinic manager sees'),
    clinicBoxes.length ? clinicBoxes : h('p', {}, 'No clinic has a kiosk yet: add one on the Kiosks page.'));
  const form = h('form', {
    class: 'filters',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const clinics = clinicBoxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      try {
        const u = await api.addUser({ name: name.value, role: role.value, password: password.value, clinics });
        rerender(`${u.name} can now sign in as ${label(u.role).toLowerCase()}. Tell them their password in person.`);
      } catch (e) {
        if (e.status === 401) throw e;
        rerender('', sentence(e.message));
      }
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'u-name' }, 'Name they sign in with'), name),
  h('div', { class: 'field' }, h('label', { for: 'u-role' }, 'Role'), role),
  h('div', { class: 'field' }, h('label', { for: 'u-password' }, 'Password (12 characters or more)'), password),
  clinicsField,
  h('button', { type: 'submit' }, 'Add account'));
  show(main,
    h('h1', {}, 'Users'),
    notice ? h('div', { class: 'notice', role: 'status' }, notice) : null,
    problem ? h('p', { class: 'error', role: 'alert' }, problem) : null,
    form,
    h('table', { class: 'records' },
      h('thead', {}, h('tr', {}, ['Account', 'Role', 'Clinics', 'Since', 'State', 'Change']
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)));
}

// Everyone: who they are signed in as, and their own password. Changing it signs out every
// other browser signed in as them.
function accountPage(notice, problem) {
  const field = (id, text, autocomplete) => {
    const input = h('input', { id, name: id, type: 'password', required: true, autocomplete });
    return [input, h('div', { class: 'field' }, h('label', { for: id }, text), input)];
  };
  const [current, currentField] = field('p-current', 'Current password', 'current-password');
  const [next, nextField] = field('p-new', 'New password (12 characters or more)', 'new-password');
  const [again, againField] = field('p-again', 'New password again', 'new-password');
  next.minLength = 12;
  const form = h('form', {
    class: 'filters',
    onsubmit: async (ev) => {
      ev.preventDefault();
      if (next.value !== again.value) return accountPage('', 'The two new passwords are not the same. Type them again.');
      try {
        await api.changeMyPassword(current.value, next.value);
        accountPage('Your password is changed. Any other browser signed in as you has been signed out.');
      } catch (e) {
        if (e.status === 401) throw e;
        accountPage('', sentence(e.message));
      }
    },
  }, currentField, nextField, againField, h('button', { type: 'submit' }, 'Change password'));
  show(main,
    h('h1', {}, 'Your account'),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Name'), h('dd', {}, me.name),
      h('dt', {}, 'Role'), h('dd', {}, label(me.role)),
      h('dt', {}, 'Clinics'), h('dd', {}, me.clinics.length ? me.clinics.join(', ') : 'All clinics')),
    h('h2', {}, 'Change your password'),
    notice ? h('div', { class: 'notice', role: 'status' }, notice) : null,
    problem ? h('p', { class: 'error', role: 'alert' }, problem) : null,
    form);
}

async function auditPage(params) {
  const target = params.get('target') || '';
  const log = await api.auditLog(target);
  const input = h('input', { id: 'f-target', name: 'target', value: target, type: 'search' });
  show(main,
    h('h1', {}, 'Audit'),
    h('form', {
      class: 'filters', role: 'search',
      onsubmit: (ev) => { ev.preventDefault(); location.hash = `#/audit?target=${encodeURIComponent(input.value)}`; },
    }, h('div', { class: 'field' }, h('label', { for: 'f-target' }, 'Record or account'), input),
    h('button', { type: 'submit' }, 'Filter')),
    h('table', { class: 'records' },
      h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Record or account', 'Detail'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, log.entries.map((e) => h('tr', {},
        h('td', {}, when(e.at)), h('td', {}, e.user), h('td', {}, e.action), h('td', {}, e.target), h('td', {}, e.detail))))));
}

header.querySelector('.sign-out').addEventListener('click', async () => {
  try { await api.signOut(); } catch { /* the session may have ended already */ }
  me = null;
  // Not location.hash: that would fire hashchange, whose render would replace this message.
  history.replaceState(null, '', '/app/');
  signInPage('You are signed out.');
});
window.addEventListener('hashchange', render);
render();
