// Walks the head-office web application in Debian's chromium (playwright-core, no browser
// download) against a real smp-server on 127.0.0.1 whose records were sent by the real kiosk
// programs ('smp-kiosk demo' + 'sync --once'). One walk per role, the refusals that matter,
// axe-core on every page, and a screenshot of each page.
//   node head_office_walk.mjs --server BIN --kiosk BIN --web DIR --out DIR
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`missing --${name}`);
  return process.argv[i + 1];
};
const serverBin = arg('server');
const kioskBin = arg('kiosk');
const webRoot = arg('web');
const outDir = arg('out');
mkdirSync(outDir, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'smp-web-'));
// --postgres CLUSTER_FOLDER: the same walk on a PostgreSQL head office (a database of its own
// in the test cluster), instead of a SQLite file.
const postgresAt = process.argv.includes('--postgres') ? arg('postgres') : null;
const pgDatabase = `walk_${process.pid}`;
const pgAdmin = postgresAt && `postgresql:///postgres?host=${postgresAt}&user=smp`;
if (postgresAt) {
  execFileSync('psql', [pgAdmin, '-qc', `CREATE DATABASE ${pgDatabase}`], { timeout: 60_000 });
}
const db = postgresAt ? `postgresql:///${pgDatabase}?host=${postgresAt}&user=smp`
  : join(tmp, 'head-office.sqlite');
const blobArgs = postgresAt ? ['--blobs', join(tmp, 'blobs')] : [];
const PASSWORD = 'a long try-out password';

const run = (bin, args, input) =>
  execFileSync(bin, args, { input, encoding: 'utf8', timeout: 120_000 });

function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(serverBin, ['serve', '--db', db, ...blobArgs, '--listen', '127.0.0.1:0', '--web-root', webRoot],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('smp-server did not start in 10 s')), 10_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1] }); }
    });
    proc.on('exit', (code) => reject(new Error(`smp-server exited with ${code}`)));
  });
}

async function axeCheck(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help}`), [], `accessibility on ${name}`);
}

async function shot(page, name) {
  await axeCheck(page, name);
  // A value a page forgot to fill in shows up as these words.
  const text = await page.locator('body').innerText();
  assert.ok(!/\b(null|undefined|NaN)\b|\[object \w+\]/.test(text), `${name} shows: ${text}`);
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
}

async function signIn(page, url, name, password = PASSWORD) {
  await page.goto(`${url}/app/`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const { proc, url } = await startServer();
let browser;
try {
  // Two clinics, each with a kiosk that sends its consultations through the real sync path.
  const kioskIds = {};
  for (const clinic of ['Leeds', 'York']) {
    const added = JSON.parse(run(serverBin, ['kiosk', 'add', '--db', db, '--clinic', clinic]));
    const data = join(tmp, `kiosk-${clinic}`);
    run(kioskBin, ['--data-dir', data, 'enroll', '--server', url, '--token-file', '-'], `${added.token}\n`);
    run(kioskBin, ['--data-dir', data, 'demo', '--count', '4']);
    const synced = JSON.parse(run(kioskBin, ['--data-dir', data, 'sync', '--once']));
    assert.equal(synced.acknowledged, 4, `${clinic} kiosk synced`);
    kioskIds[clinic] = added.kiosk_id;
  }
  run(serverBin, ['user', 'add', '--db', db, '--name', 'ada', '--role', 'admin'], `${PASSWORD}\n`);
  run(serverBin, ['user', 'add', '--db', db, '--name', 'lee', '--role', 'clinic-manager', '--clinic', 'Leeds'], `${PASSWORD}\n`);
  run(serverBin, ['user', 'add', '--db', db, '--name', 'ana', '--role', 'analyst'], `${PASSWORD}\n`);

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);

  // A wrong password: a message, no session.
  await signIn(page, url, 'ada', 'not the password');
  await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
  await shot(page, '01-sign-in-refused');

  // Admin: every clinic, filter by clinic in the URL, open a record and its photos.
  await signIn(page, url, 'ada');
  // The landing page: charts drawn from every clinic's records.
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.getByText('8 consultations, ').waitFor();
  assert.equal(await page.locator('canvas[role="img"]').count(), 6, 'six charts');
  await page.waitForFunction(() => [...document.querySelectorAll('canvas')].every((c) => c.width > 0));
  await shot(page, '02-overview');
  await page.getByRole('link', { name: 'Consultations' }).click();
  await page.getByRole('heading', { name: 'Consultations' }).waitFor();
  await page.getByText('8 consultations').waitFor();
  await shot(page, '03-consultations');
  await page.getByLabel('Clinic').selectOption('York');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('4 consultations').waitFor();
  assert.match(page.url(), /clinic=York/, 'the filter is in the address, to share it');
  await shot(page, '04-consultations-filtered');
  // The filtered table downloads as CSV: a header and York's four consultations.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'CSV' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.equal(csv.length, 5, 'header + 4 York rows');
  assert.ok(csv.slice(1).every((line) => line.includes(',York,')), 'only York');
  // The same filter's photos as a ZIP: its size first, then built in the background, then a
  // download of a real ZIP (every York photo, preview and signature, and a manifest).
  await page.getByRole('button', { name: 'Photos as ZIP…' }).click();
  await page.getByText(/\d+ photos, previews and signatures, [\d.]+ MB\./).waitFor();
  await page.getByRole('button', { name: 'Build the ZIP' }).click();
  const zipLink = page.getByRole('link', { name: /Download the ZIP/ });
  await zipLink.waitFor();
  await shot(page, '16-photo-export');
  const [zipDownload] = await Promise.all([page.waitForEvent('download'), zipLink.click()]);
  const zip = readFileSync(await zipDownload.path());
  assert.equal(zip.subarray(0, 4).toString('binary'), 'PK\x03\x04', 'a ZIP file');
  assert.ok(zip.length > 100_000, `a ZIP of four consultations' photos (${zip.length} bytes)`);
  await page.locator('table.records tbody a').first().click();
  await page.getByRole('heading', { name: 'Photos and preview' }).waitFor();
  const photo = page.getByAltText('Photo as taken');
  await photo.waitFor();
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  assert.ok(await photo.evaluate((img) => img.naturalWidth > 100), 'the photo is shown');
  assert.ok(await page.getByAltText('Preview with SMP').evaluate((img) => img.naturalWidth > 100), 'the preview is shown');
  await page.getByLabel('Before and after').fill('80');
  await shot(page, '05-consultation');
  const yorkRecord = page.url().split('#/consultations/')[1];

  // Erasure asked of head office: the admin erases another York record after confirming, and
  // York's kiosk removes its own copy on its next sync.
  await page.goBack();  // to the York list
  await page.getByText('4 consultations').waitFor();
  await page.locator('table.records tbody a').nth(1).click();
  await page.getByRole('button', { name: 'Erase this consultation' }).click();
  await page.getByRole('button', { name: 'Confirm: erase for good' }).click();
  await page.getByRole('status').filter({ hasText: 'removes its copy on its next sync' }).waitFor();
  await page.getByText('7 consultations').waitFor();
  const yorkData = join(tmp, 'kiosk-York');
  assert.equal(JSON.parse(run(kioskBin, ['--data-dir', yorkData, 'status'])).records, 4);
  run(kioskBin, ['--data-dir', yorkData, 'sync', '--once']);
  assert.equal(JSON.parse(run(kioskBin, ['--data-dir', yorkData, 'status'])).records, 3,
    'the kiosk removed its copy');

  // Kiosks: both are listed with their health; an admin adds one (the token shown once) and
  // revokes it after confirming.
  await page.getByRole('link', { name: 'Kiosks' }).click();
  await page.getByRole('heading', { name: 'Kiosks' }).waitFor();
  assert.equal(await page.locator('table.records tbody tr').count(), 2);
  await page.getByLabel('Clinic of a new kiosk').fill('Harrogate');
  await page.getByRole('button', { name: 'Add kiosk' }).click();
  const code = await page.getByTestId('enrolment-code').textContent();
  assert.match(code, /^[A-HJKMNP-TV-Z2-9]{4}(-[A-HJKMNP-TV-Z2-9]{4}){3}$/, 'a 16-character code');
  await shot(page, '06-kiosks-added');
  // The QR code on the page is what the kiosk's camera reads: ZBar (zbarimg, the library the
  // kiosk uses) must read head office's address and the code from it.
  const qrFile = join(tmp, 'enrolment-qr.png');
  await page.getByTestId('enrolment-qr').screenshot({ path: qrFile });
  const link = execFileSync('zbarimg', ['--raw', '-q', qrFile], { encoding: 'utf8' }).trim();
  assert.equal(link, `smpkiosk:enrol?server=${encodeURIComponent(url)}&code=${code}`);
  // A real kiosk enrols with what the QR code says; the same code then works no more.
  const harrogateData = join(tmp, 'kiosk-Harrogate');
  run(kioskBin, ['--data-dir', harrogateData, 'enroll', '--server', url, '--code-file', '-'],
    `${code}\n`);
  assert.equal(JSON.parse(run(kioskBin, ['--data-dir', harrogateData, 'status'])).clinic,
    'Harrogate');
  const harrogate = page.locator('table.records tbody tr').filter({ hasText: 'Harrogate' });
  await harrogate.getByRole('button', { name: 'Revoke' }).click();
  await harrogate.getByRole('button', { name: /Confirm: revoke/ }).click();
  await page.getByText('is revoked').waitFor();
  assert.equal(await harrogate.locator('td').nth(8).textContent(), 'Revoked');

  // Users: an admin adds a clinic manager for York (a short password refused first), who can
  // then sign in, and disables the account again after confirming.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  await page.getByLabel('Name they sign in with').fill('yvonne');
  await page.getByLabel('Role').selectOption('clinic-manager');
  await page.getByLabel('Password (12 characters or more)').fill('a long enough password');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('alert').filter({ hasText: 'needs at least one clinic' }).waitFor();
  await page.getByLabel('Name they sign in with').fill('yvonne');
  await page.getByLabel('Role').selectOption('clinic-manager');
  await page.getByLabel('Password (12 characters or more)').fill('a long enough password');
  await page.getByLabel('York').check();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByText('yvonne can now sign in').waitFor();
  const yvonne = page.locator('table.records tbody tr').filter({ hasText: 'yvonne' });
  assert.equal(await yvonne.locator('td').nth(2).textContent(), 'York');
  await shot(page, '10-users');
  const probe = await page.evaluate(async () => (await fetch('/api/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'yvonne', password: 'a long enough password' }), credentials: 'omit',
  })).status);
  assert.equal(probe, 200, 'the new account signs in');
  await yvonne.getByRole('button', { name: 'Disable' }).click();
  await yvonne.getByRole('button', { name: /Confirm: disable/ }).click();
  await page.getByText('yvonne can no longer sign in').waitFor();
  assert.equal(await page.locator('table.records tbody tr').filter({ hasText: 'ada (you)' })
    .getByRole('button').count(), 0, 'no way to disable yourself');

  // Config: the admin changes the English consent text (under the same version: refused with a
  // message), publishes it as a new version, and a consultation York's kiosk takes after its
  // next sync shows that text as signed.
  await page.getByRole('link', { name: 'Config' }).click();
  await page.getByRole('heading', { name: 'Config' }).waitFor();
  await page.getByLabel('English consent text').fill(
    'Privacy consent\n\nWe keep your answers and photos to plan your treatment.\n' +
    'Only your clinic and head office see them.');
  await page.getByRole('button', { name: 'Publish to every kiosk' }).click();
  await page.getByRole('alert').filter({ hasText: 'needs a new version' }).waitFor();
  await page.getByLabel('English consent version').fill('en-2027-01-walk');
  await page.getByRole('button', { name: 'Publish to every kiosk' }).click();
  await page.getByText('Published. Each kiosk picks it up on its next sync.').waitFor();
  await page.locator('.kiosk-consent').first().getByText('We keep your answers and photos to plan your treatment. Only your clinic').waitFor();
  await shot(page, '14-config');
  run(kioskBin, ['--data-dir', yorkData, 'sync', '--once']);  // pulls the config
  run(kioskBin, ['--data-dir', yorkData, 'demo', '--count', '1']);
  run(kioskBin, ['--data-dir', yorkData, 'sync', '--once']);
  await page.goto(`${url}/app/#/consultations?clinic=York`);
  await page.locator('table.records tbody a').first().click();
  await page.getByText('version en-2027-01-walk (en)').waitFor();
  await page.getByText('The text as signed').click();
  await page.getByText('Only your clinic and head office see them.').waitFor();
  await shot(page, '15-consent-as-signed');

  // The audit shows that view and the photos opened.
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.getByRole('heading', { name: 'Audit' }).waitFor();
  await page.locator('table.records tbody tr').filter({ hasText: 'view' }).first().waitFor();
  await shot(page, '07-audit');

  // A change without the CSRF token is refused, even from the signed-in page.
  const forged = await page.evaluate(async () => (await fetch('/api/session', { method: 'DELETE' })).status);
  assert.equal(forged, 403);

  // Signing out ends the session; an ended session brings back the sign-in page.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.').waitFor();
  assert.equal(await page.evaluate(async () => (await fetch('/api/consultations')).status), 401);

  // Clinic manager: only Leeds, and York's record is not found even by its address.
  await signIn(page, url, 'lee');
  await page.getByText('4 consultations, ').waitFor();
  await page.getByRole('link', { name: 'Consultations' }).click();
  await page.getByText('4 consultations ·').waitFor();
  assert.deepEqual(await page.getByLabel('Clinic').locator('option').allTextContents(), ['All clinics', 'Leeds']);
  // Follow-up: the manager calls a client and notes it; the table filters by it, and Leeds'
  // kiosk receives it on its next sync.
  await page.locator('table.records tbody a').first().click();
  await page.getByRole('heading', { name: 'Follow-up: New' }).waitFor();
  await page.getByLabel('Status').selectOption('booked');
  await page.getByLabel('Note (optional)').fill('Called on Tuesday.\nBooked session 1 for 12 January, 10:00.');
  await page.getByRole('button', { name: 'Save follow-up' }).click();
  await page.getByRole('heading', { name: 'Follow-up: Booked' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'shows it after its next sync' }).waitFor();
  await page.getByText('Booked session 1 for 12 January').waitFor();
  await shot(page, '12-follow-up');
  await page.goto(`${url}/app/#/consultations?follow_up=booked`);
  await page.getByText('1 consultation ·').waitFor();
  const leedsData = join(tmp, 'kiosk-Leeds');
  const leedsSync = JSON.parse(run(kioskBin, ['--data-dir', leedsData, 'sync', '--once']));
  assert.equal(leedsSync.follow_ups, 1, 'the kiosk received the follow-up');
  // The manager's Overview: Leeds only, with the funnel moved on by one.
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.getByText('4 consultations, ').waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('canvas')].every((c) => c.width > 0));
  await shot(page, '13-overview-clinic-manager');
  await page.getByRole('link', { name: 'Consultations' }).click();
  await page.getByText('4 consultations ·').waitFor();
  await page.goto(`${url}/app/#/consultations/${yorkRecord}`);
  await page.getByRole('alert').filter({ hasText: 'clinic you do not manage' }).waitFor();
  await shot(page, '08-clinic-manager-forbidden');
  await page.getByRole('link', { name: 'Kiosks' }).click();
  await page.getByRole('heading', { name: 'Kiosks' }).waitFor();
  assert.equal(await page.locator('table.records tbody tr').count(), 1, 'only Leeds');
  assert.equal(await page.getByRole('button', { name: 'Add kiosk' }).count(), 0, 'no changes');
  await shot(page, '09-kiosks-clinic-manager');
  assert.equal(await page.evaluate(async () => (await fetch('/api/audit')).status), 404);

  // Their own account, from their name in the header: the two new passwords must match; after
  // the change the new password is the one that signs in.
  await page.locator('header a.who').click();
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  const changePassword = async (current, next, again) => {
    await page.getByLabel('Current password').fill(current);
    await page.getByLabel('New password (12 characters or more)').fill(next);
    await page.getByLabel('New password again').fill(again);
    await page.getByRole('button', { name: 'Change password' }).click();
  };
  await changePassword(PASSWORD, 'lee has a new password', 'lee has a new passwort');
  await page.getByRole('alert').filter({ hasText: 'not the same' }).waitFor();
  await changePassword('not my password', 'lee has a new password', 'lee has a new password');
  await page.getByRole('alert').filter({ hasText: 'current password is not right' }).waitFor();
  await changePassword(PASSWORD, 'lee has a new password', 'lee has a new password');
  await page.getByText('Your password is changed').waitFor();
  await shot(page, '11-account');
  const signInStatus = (password) => page.evaluate(async (pw) => (await fetch('/api/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'lee', password: pw }), credentials: 'omit',
  })).status, password);
  assert.equal(await signInStatus(PASSWORD), 401, 'the old password no longer signs in');
  assert.equal(await signInStatus('lee has a new password'), 200);

  // Analyst: every clinic, read and export; no follow-up form, config read-only, no kiosk
  // changes; a change sent anyway is refused by the server.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, url, 'ana');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.getByRole('link', { name: 'Consultations' }).click();
  await page.getByLabel('Order').selectOption('oldest');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByText(/^8 consultations ·/).waitFor();
  assert.match(page.url(), /sort=oldest/);
  await page.locator('table.records tbody a').first().click();
  await page.getByRole('heading', { name: /^Follow-up:/ }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save follow-up' }).count(), 0, 'analysts read');
  const analystChange = await page.evaluate(async (id) => (await fetch(`/api/consultations/${id}/follow-up`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 'booked' }),
  })).status, page.url().split('#/consultations/')[1]);
  assert.equal(analystChange, 403, 'refused on the server, not only hidden');
  await page.getByRole('link', { name: 'Config' }).click();
  await page.getByText('Only an admin can publish a new config.').waitFor();
  assert.ok(await page.getByLabel('English consent text').isDisabled());
  await shot(page, '17-config-analyst');
  await page.getByRole('link', { name: 'Kiosks' }).click();
  await page.getByRole('heading', { name: 'Kiosks' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Add kiosk' }).count(), 0);

  // A session that ended (cookie gone, as after 30 idle minutes) asks to sign in again.
  await page.context().clearCookies();
  await page.goto(`${url}/app/#/consultations`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  console.log(`head-office walk: ok (${Object.keys(kioskIds).length} clinics, screenshots in ${outDir})`);
} finally {
  if (browser) await browser.close();
  proc.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
  if (postgresAt) {
    execFileSync('psql', [pgAdmin, '-qc', `DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`],
      { timeout: 60_000 });
  }
}
