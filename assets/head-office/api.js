// The JSON API under /api/: the session cookie goes with every call (same origin); changes
// carry the CSRF token the session was given.
let csrfToken = '';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.error || `HTTP ${res.status}`);
  return data;
}

export async function signIn(name, password) {
  const me = await call('POST', '/api/session', { name, password });
  csrfToken = me.csrf_token;
  return me;
}

export async function currentUser() {
  const me = await call('GET', '/api/session');
  csrfToken = me.csrf_token;
  return me;
}

export async function signOut() {
  await call('DELETE', '/api/session');
  csrfToken = '';
}

export const consultations = (params) => call('GET', `/api/consultations?${params}`);
export const consultation = (id) => call('GET', `/api/consultations/${encodeURIComponent(id)}`);
export const clinics = () => call('GET', '/api/clinics');
export const auditLog = (target) =>
  call('GET', `/api/audit?target=${encodeURIComponent(target || '')}`);
export const blobUrl = (id, sha) =>
  `/api/consultations/${encodeURIComponent(id)}/blobs/${sha}`;
export const kiosks = () => call('GET', '/api/kiosks');
export const users = () => call('GET', '/api/users');
export const addUser = (user) => call('POST', '/api/users', user);
export const disableUser = (name) => call('POST', `/api/users/${encodeURIComponent(name)}/disable`, {});
export const changeMyPassword = (current, next) => call('POST', '/api/me/password', { current, new: next });
export const addKiosk = (clinic) => call('POST', '/api/kiosks', { clinic });
export const revokeKiosk = (id) => call('POST', `/api/kiosks/${encodeURIComponent(id)}/revoke`, {});
export const rotateKiosk = (id) => call('POST', `/api/kiosks/${encodeURIComponent(id)}/rotate`, {});
export const newEnrolmentCode = (id) => call('POST', `/api/kiosks/${encodeURIComponent(id)}/code`, {});
// The table's filter without its page: what an export covers.
function exportFilter(params) {
  const p = new URLSearchParams(params);
  p.delete('page');
  return p;
}
export const exportUrl = (params, format) => {
  const p = exportFilter(params);
  p.set('format', format);
  return `/api/export?${p}`;
};
export const overview = (params) => call('GET', `/api/overview?${params}`);
export const photoExportSize = (params) => call('GET', `/api/exports/photos/size?${exportFilter(params)}`);
export const startPhotoExport = (params) => call('POST', `/api/exports/photos?${exportFilter(params)}`, {});
export const photoExports = () => call('GET', '/api/exports');
export const exportJob = (id, wait) =>
  call('GET', `/api/exports/${encodeURIComponent(id)}${wait ? `?wait=${encodeURIComponent(wait)}` : ''}`);
export const exportDownloadUrl = (id) => `/api/exports/${encodeURIComponent(id)}/download`;
export const config = () => call('GET', '/api/config');
export const publishConfig = (c) => call('POST', '/api/config', c);
export const consentText = (sha) => call('GET', `/api/consent-texts/${sha}`);
export const followUp = (id, status, note) =>
  call('POST', `/api/consultations/${encodeURIComponent(id)}/follow-up`, { status, note });
export const eraseConsultation = (id) =>
  call('POST', `/api/consultations/${encodeURIComponent(id)}/erase`, {});
