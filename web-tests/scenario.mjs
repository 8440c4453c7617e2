// The reference scenario of SPEC.md section 3, walked through the web pages
// in headless Chromium by several professionals at once, each in a browser
// context of their own. The teams, accounts and inboxes are created through
// the JSON API as the instance admin (as an operator would); everything the
// professionals do happens in the pages, including the practice's team
// admin taking Karin into the team in step 4 and Iris sharing a photo after
// step 3. Screenshots of the main pages are written to web-tests/screenshots/
// at 1280x800 and 390x844.
//
// Run with web-tests/run.sh, or: cargo build -p careinbox && node --test
// web-tests/scenario.mjs (CAREINBOX_BIN overrides the binary).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const binary = process.env.CAREINBOX_BIN || path.join(root, 'target', 'debug', 'careinbox');
const shots = path.join(here, 'screenshots');
const ADMIN = 'admin@careinbox.test';
const PASSWORD = 'wachtwoord-voor-de-browsertest';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SUBJECT = 'Wondzorg mevrouw J. (84), onderbeen rechts';
const PAGE_BUDGET = 100 * 1024;

let server;
let dataDir;
let base;
let browser;
const people = {};
const scriptErrors = [];
const ids = {};

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilReady() {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('careinbox did not become ready');
}

async function api(method, url, token, body) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(base + url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// The people, teams, network and inboxes of SPEC.md section 3.
async function arrange() {
  const { token } = await api('POST', '/api/v1/auth/login', null, { email: ADMIN, password: PASSWORD });
  const team = async (name) => (await api('POST', '/api/v1/admin/teams', token, { name })).id;
  ids.linde = await team('Huisartsenpraktijk De Linde');
  ids.oost = await team('Thuiszorg Oost');
  ids.apotheek = await team('Apotheek Centrum');

  const accounts = [
    ['anna', 'Anna de Vries', 'huisarts', ids.linde, 'admin'],
    ['bram', 'Bram Jansen', 'huisarts', ids.linde, 'member'],
    ['carla', 'Carla Smit', 'doktersassistent', ids.linde, 'member'],
    ['daan', 'Daan Bakker', 'doktersassistent', ids.linde, 'member'],
    ['eva', 'Eva Visser', 'doktersassistent', ids.linde, 'member'],
    ['fleur', 'Fleur Mulder', 'POH-S', ids.linde, 'member'],
    ['gijs', 'Gijs de Boer', 'POH-S', ids.linde, 'member'],
    ['hanna', 'Hanna Peters', 'POH-GGZ', ids.linde, 'member'],
    ['iris', 'Iris Hendriks', 'wijkverpleegkundige', ids.oost, 'admin'],
    ['joost', 'Joost Dekker', 'apotheker', ids.apotheek, 'admin'],
    // Karin joins the practice in step 4; her account exists already, in
    // no team, so only her email address finds her.
    ['karin', 'Karin Vos', 'doktersassistent', null, null],
  ];
  for (const [key, name, profession, teamId, role] of accounts) {
    const email = `${key}@scenario.test`;
    const { id } = await api('POST', '/api/v1/admin/users', token, { email, name, profession, password: PASSWORD });
    people[key] = { id, name, email };
    if (teamId) await api('POST', `/api/v1/teams/${teamId}/members`, token, { user: id, role });
  }

  const { id: network } = await api('POST', '/api/v1/admin/networks', token, { name: 'Zorgnetwerk Oost' });
  for (const t of [ids.linde, ids.oost, ids.apotheek]) {
    await api('POST', `/api/v1/networks/${network}/teams`, token, { team: t });
  }

  const inbox = async (name, description, guidelines) =>
    (await api('POST', `/api/v1/teams/${ids.linde}/inboxes`, token, { name, description, guidelines })).id;
  ids.assistenten = await inbox(
    'Assistenten De Linde',
    'De doktersassistenten van Huisartsenpraktijk De Linde.',
    'Schrijf hierheen als je niet weet wie je bericht oppakt. Wij lezen elke werkdag mee en verbinden je door.',
  );
  ids.pohS = await inbox('POH Somatiek', 'Praktijkondersteuners somatiek.', 'Voor vragen over chronische zorg.');
  ids.pohGgz = await inbox('POH GGZ', 'Praktijkondersteuner GGZ.', 'Bij spoed bel je de praktijk.');
  const members = [
    [ids.assistenten, 'carla', true], [ids.assistenten, 'daan', false], [ids.assistenten, 'eva', false],
    [ids.pohS, 'fleur', false], [ids.pohS, 'gijs', false], [ids.pohGgz, 'hanna', true],
  ];
  for (const [inboxId, key, manager] of members) {
    await api('POST', `/api/v1/inboxes/${inboxId}/members`, token, { user: people[key].id, manager });
  }
}

before(async () => {
  assert.ok(fs.existsSync(binary), `build the server first: cargo build -p careinbox (${binary})`);
  fs.mkdirSync(shots, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careinbox-web-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The embedded database in its own folder, whatever the environment says
  // (CI sets DATABASE_URL for the PostgreSQL tests).
  const env = { ...process.env };
  delete env.DATABASE_URL;
  server = spawn(binary, [
    'serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir,
    '--admin-email', ADMIN, '--admin-password', PASSWORD, '--log', 'warn',
  ], { stdio: ['ignore', 'ignore', 'inherit'], env });
  await waitUntilReady();
  await arrange();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

// A professional in a browser context of their own, logged in.
async function open(key) {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: DESKTOP });
  const page = await context.newPage();
  page.on('pageerror', (e) => scriptErrors.push(`${key}: ${e.message}`));
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mailadres').fill(people[key].email);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

// Screenshots at 1280x800 and 390x844 of what the page shows now.
async function snap(page, name) {
  await page.setViewportSize(DESKTOP);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}-1280x800.png`) });
  await page.setViewportSize(PHONE);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}-390x844.png`) });
  await page.setViewportSize(DESKTOP);
}

// Bytes the browser fetched for the page it shows (document and assets).
async function pageWeight(page) {
  return page.evaluate(() => performance
    .getEntries()
    .filter((e) => e.entryType === 'navigation' || e.entryType === 'resource')
    .filter((e) => !e.name.includes('/api/v1/events'))
    .reduce((sum, e) => sum + (e.encodedBodySize || 0) + 300, 0));
}

async function goto(page, url) {
  const response = await page.goto(base + url);
  return response.status();
}

async function listed(page, inboxId, view = 'active') {
  const suffix = view === 'archived' ? '?view=archived' : '';
  await goto(page, `/inbox/${inboxId}${suffix}`);
  return page.locator('#list .row .subject').allInnerTexts();
}

function hasSubject(subjects) {
  return subjects.some((s) => s.includes(SUBJECT));
}

// The participants panel as "name: sources" lines.
async function participation(page) {
  const rows = await page.locator('#participants .people li').all();
  const out = {};
  for (const row of rows) {
    const name = (await row.locator('.name').innerText()).replace(' (jij)', '');
    out[name] = await row.locator('.sources').innerText();
  }
  return out;
}

// Searches the directory in the conversation's "Deelnemer toevoegen" panel.
async function searchToAdd(page, q) {
  await page.locator('#add').getByLabel('Zoek op naam of team').fill(q);
  await page.locator('#add').getByRole('button', { name: 'Zoeken' }).click();
  await page.waitForLoadState();
}

test('the reference scenario of SPEC section 3 through the web pages', async () => {
  // The login page, as every professional first sees it.
  const loginContext = await browser.newContext({ locale: 'nl-NL', viewport: DESKTOP });
  const loginPage = await loginContext.newPage();
  await loginPage.goto(`${base}/login`);
  assert.equal(await loginPage.locator('html').getAttribute('lang'), 'nl');
  assert.ok(await pageWeight(loginPage) < PAGE_BUDGET);
  await snap(loginPage, 'login');
  await loginContext.close();

  // Step 1: Iris writes to Assistenten De Linde about wound care. The
  // directory shows the inbox's guidelines before she chooses it (R13).
  const iris = await open('iris');
  await iris.getByRole('link', { name: 'Nieuw gesprek' }).click();
  await iris.waitForURL(/\/compose/);
  const card = iris.locator('.card', { hasText: 'Assistenten De Linde' });
  await assert.doesNotReject(card.getByText('Schrijf hierheen als je niet weet').waitFor());
  await iris.getByRole('link', { name: 'Assistenten De Linde kiezen' }).click();
  await iris.waitForURL(/to=inbox/);
  await iris.getByLabel('Onderwerp').fill(SUBJECT);
  await iris.locator('#body').fill(
    'Goedemorgen, de wond aan het rechteronderbeen geneest slecht en is sinds gisteren rood en warm. Kan de huisarts meekijken?');
  assert.ok(await pageWeight(iris) < PAGE_BUDGET);
  await snap(iris, 'compose');
  await iris.getByRole('button', { name: 'Versturen' }).click();
  await iris.waitForURL(/\/c\/[0-9a-f-]{36}/);
  const conversationId = new URL(iris.url()).pathname.split('/')[2];
  const conversationUrl = `/c/${conversationId}`;
  const linked = await participation(iris);
  for (const name of ['Carla Smit', 'Daan Bakker', 'Eva Visser']) {
    assert.equal(linked[name], 'via Assistenten De Linde', `${name}: ${JSON.stringify(linked)}`);
  }
  assert.equal(linked['Iris Hendriks'], 'direct');

  // The assistants, members of one inbox only, start in that inbox. Each
  // row names the partner team and the colleagues linked with them.
  const carla = await open('carla');
  assert.equal(new URL(carla.url()).pathname, `/inbox/${ids.assistenten}`);
  const daan = await open('daan');
  const eva = await open('eva');
  for (const page of [carla, daan, eva]) {
    assert.ok(hasSubject(await listed(page, ids.assistenten)));
    const row = page.locator('#list .row', { hasText: SUBJECT });
    assert.match(await row.getAttribute('class'), /unread/);
    assert.match(await row.locator('.meta').innerText(), /Thuiszorg Oost/);
    assert.match(await page.locator('#nav').innerText(), /Assistenten De Linde[\s\S]*1/);
  }
  assert.match(await carla.locator('#list .row .colleagues').innerText(), /^met Daan Bakker, Eva Visser$/);
  assert.ok(await pageWeight(carla) < PAGE_BUDGET);
  await snap(carla, 'inbox');

  // Step 2: Carla adds POH Somatiek and GP Anna, then archives the
  // conversation within Assistenten De Linde.
  await carla.locator('#list .row-link', { hasText: SUBJECT }).click();
  await carla.waitForURL(/\/c\//);
  await searchToAdd(carla, 'POH');
  await carla.getByRole('button', { name: 'POH Somatiek toevoegen' }).click();
  await carla.waitForURL(/#participants/);
  await searchToAdd(carla, 'Anna');
  await carla.getByRole('button', { name: 'Anna de Vries toevoegen' }).click();
  await carla.waitForURL(/#participants/);
  const afterAdding = await participation(carla);
  assert.equal(afterAdding['Fleur Mulder'], 'via POH Somatiek');
  assert.equal(afterAdding['Gijs de Boer'], 'via POH Somatiek');
  assert.equal(afterAdding['Anna de Vries'], 'direct');
  const timeline = await carla.locator('#timeline').innerText();
  assert.match(timeline, /Carla Smit heeft POH Somatiek toegevoegd/);
  assert.match(timeline, /Carla Smit heeft Anna de Vries toegevoegd/);
  assert.ok(await pageWeight(carla) < PAGE_BUDGET);
  await snap(carla, 'conversation');

  await carla.getByRole('button', { name: 'Archiveren in Assistenten De Linde' }).click();
  await carla.waitForURL(/done=archived/);
  assert.match(await carla.getByRole('status').first().innerText(), /gearchiveerd in Assistenten De Linde/);
  assert.ok(!hasSubject(await carla.locator('#list').allInnerTexts()));
  assert.ok(!hasSubject(await listed(daan, ids.assistenten)));
  assert.ok(!hasSubject(await listed(eva, ids.assistenten)));
  assert.ok(hasSubject(await listed(daan, ids.assistenten, 'archived')));
  assert.equal(await goto(daan, conversationUrl), 200, 'Daan keeps access');
  assert.equal(await goto(eva, conversationUrl), 200, 'Eva keeps access');

  // Carla keeps the conversation open (from the archive); the page knows
  // it is archived there. Iris replies in her own browser, and the reply
  // appears on Carla's page without reload.
  await listed(carla, ids.assistenten, 'archived');
  await carla.locator('#list .row-link', { hasText: SUBJECT }).click();
  await carla.waitForURL(/\/c\//);
  await carla.getByRole('button', { name: 'Terugzetten in Assistenten De Linde' }).waitFor();
  await carla.evaluate(() => { window.stillTheSamePage = true; });
  await carla.waitForTimeout(500);

  // Step 3: Iris replies; the conversation returns to the active view.
  await iris.getByLabel('Antwoord').fill('Aanvulling: temperatuur vanochtend 38,1. Ik kom morgen weer langs.');
  await iris.getByRole('button', { name: 'Versturen' }).click();
  await iris.waitForURL(/#m-/);
  await carla.locator('#timeline', { hasText: 'temperatuur vanochtend 38,1' }).waitFor({ timeout: 15000 });
  assert.equal(await carla.evaluate(() => window.stillTheSamePage), true, 'no reload');
  assert.ok(hasSubject(await listed(daan, ids.assistenten)), 'back in the active view');
  assert.ok(!hasSubject(await listed(daan, ids.assistenten, 'archived')));

  // Iris shares a photo of the wound (R15). It appears on Carla's page
  // without reload, as a link with its size and type, and downloads as the
  // very bytes Iris sent.
  const photo = await iris.screenshot({ clip: { x: 0, y: 0, width: 48, height: 48 } });
  await iris.getByLabel('Bestand delen').setInputFiles({
    name: 'wond-onderbeen.png', mimeType: 'image/png', buffer: photo,
  });
  const shared = iris.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().endsWith('/bestand'));
  await iris.getByRole('button', { name: 'Delen', exact: true }).click();
  assert.equal((await shared).status(), 303);
  const fileLink = carla.locator('#timeline a', { hasText: 'wond-onderbeen.png' });
  await fileLink.waitFor({ timeout: 15000 });
  assert.equal(await carla.evaluate(() => window.stillTheSamePage), true, 'no reload');
  assert.match(await carla.locator('#timeline .file').last().innerText(),
    /wond-onderbeen\.png\s+\d+(,\d)? (bytes|kB) · image\/png/);
  const [download] = await Promise.all([carla.waitForEvent('download'), fileLink.click()]);
  assert.equal(download.suggestedFilename(), 'wond-onderbeen.png');
  assert.ok(fs.readFileSync(await download.path()).equals(photo), 'the same bytes');

  // Step 4: Karin joins the practice: Anna, the practice's team admin,
  // adds her to the team by her email address, and Carla, who manages the
  // inbox, adds her to Assistenten De Linde.
  const anna = await open('anna');
  await goto(anna, '/beheer');
  await anna.getByRole('link', { name: 'Huisartsenpraktijk De Linde', exact: true }).click();
  await anna.waitForURL(/\/beheer\/team\//);
  await anna.getByLabel('E-mailadres van de nieuwe collega').fill(people.karin.email);
  await anna.getByRole('button', { name: 'Collega toevoegen' }).click();
  await anna.waitForURL(/done=staff_added/);
  assert.match(await anna.locator('table.members').innerText(), /Karin Vos/);
  assert.ok(await pageWeight(anna) < PAGE_BUDGET);
  await snap(anna, 'team-management');

  await goto(carla, '/beheer');
  await carla.getByRole('link', { name: 'Assistenten De Linde' }).last().click();
  await carla.waitForURL(/\/beheer\/inbox\//);
  await carla.getByLabel('Collega').selectOption({ label: 'Karin Vos (doktersassistent)' });
  await carla.getByRole('button', { name: 'Toevoegen' }).click();
  await carla.waitForURL(/done=added/);
  assert.match(await carla.locator('table.members').innerText(), /Karin Vos/);
  assert.ok(await pageWeight(carla) < PAGE_BUDGET);
  await snap(carla, 'inbox-management');

  const karin = await open('karin');
  assert.match(await karin.locator('#nav').innerText(), /Assistenten De Linde/);
  assert.ok(!hasSubject(await listed(karin, ids.assistenten)), 'R5: not linked to earlier conversations');
  assert.equal(await goto(karin, conversationUrl), 404);
  assert.match(await karin.locator('h1').innerText(), /Niet gevonden/);

  await goto(daan, conversationUrl);
  await searchToAdd(daan, 'Karin');
  await daan.getByRole('button', { name: 'Karin Vos toevoegen' }).click();
  await daan.waitForURL(/#participants/);
  assert.equal((await participation(daan))['Karin Vos'], 'direct');
  assert.equal(await goto(karin, conversationUrl), 200);
  assert.match(await karin.locator('#timeline').innerText(), /geneest slecht/, 'R7: the whole timeline');
  await goto(karin, '/');
  assert.ok(hasSubject(await karin.locator('#list').allInnerTexts()), 'in her personal view');

  // Step 5: Carla tries to add herself: refused (R8). The directory does
  // not offer her, so she posts the form by hand, as a stale page would.
  await goto(carla, conversationUrl);
  await searchToAdd(carla, 'Smit');
  assert.equal(await carla.getByRole('button', { name: 'Carla Smit toevoegen' }).count(), 0);
  await searchToAdd(carla, 'Daan');
  await carla.locator('#add .results li', { hasText: 'Daan Bakker' }).getByText('neemt al deel').waitFor();
  await carla.evaluate((self) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = location.pathname + '/participants';
    for (const [name, value] of [['csrf', document.querySelector('input[name=csrf]').value], ['user', self]]) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  }, people.carla.id);
  await carla.waitForLoadState();
  await carla.getByRole('alert').filter({ hasText: 'Deze zorgverlener neemt al deel aan het gesprek.' }).waitFor();

  // Step 6: Eva has the conversation open while Carla removes her from
  // Assistenten De Linde: Eva loses it at once (R6); Anna and the POH-S
  // members keep it.
  await goto(eva, conversationUrl);
  await eva.waitForTimeout(500);
  await goto(carla, `/beheer/inbox/${ids.assistenten}`);
  await carla.getByRole('link', { name: 'Eva Visser verwijderen' }).click();
  await carla.waitForURL(/\/remove$/);
  assert.match(await carla.locator('main').innerText(), /verliest meteen de toegang tot elk gesprek/);
  await carla.getByRole('button', { name: 'Ja, verwijderen' }).click();
  await carla.waitForURL(/done=removed/);
  assert.doesNotMatch(await carla.locator('table.members').innerText(), /Eva Visser/);

  await eva.getByText('Je hebt geen toegang meer tot dit gesprek.').waitFor({ timeout: 15000 });
  assert.equal(await goto(eva, conversationUrl), 404);
  await goto(eva, '/');
  assert.doesNotMatch(await eva.locator('#nav').innerText(), /Assistenten De Linde/);

  const fleur = await open('fleur');
  for (const page of [anna, fleur]) {
    assert.equal(await goto(page, conversationUrl), 200);
    assert.match(await page.locator('#timeline').innerText(),
      /Eva Visser is uit Assistenten De Linde verwijderd/);
  }
  assert.deepEqual(scriptErrors, []);
});

test('English when the browser asks for it, and on request', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: PHONE });
  const page = await context.newPage();
  await page.goto(`${base}/login`);

  assert.equal(await page.locator('h1').innerText(), 'Log in');
  await page.getByRole('link', { name: 'Nederlands' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Inloggen');
  await context.close();
});
