// The public report pages in a real browser (Debian's headless Chromium, driven by playwright-core):
// a child files an anonymous sextortion report in three steps and sees the helpline of the chosen
// country before the form; the receipt code shows "received", then the outcome once a reviewer
// decides; the same in Arabic renders right to left; a report is completed with the keyboard
// alone; an affected user's appeal, decided by a different reviewer, restores the content (restore
// webhook); and axe-core finds no WCAG 2.2 AA violation on any public page in any of the 8
// languages.
//
// Runs the release binary (`target/release/tutela`, or $TUTELA_BIN) with `serve --demo` on a free
// loopback port and a fresh data folder whose webhook URL points at a receiver in this process.
// Synthetic data only.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  DEMO_ADMIN_PASSWORD, checkPrerequisites, chromiumArgs, chromiumPath, startServer, stopServer, waitFor,
} from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const LANGS = ['ar', 'de', 'en', 'es', 'fr', 'pt', 'ru', 'zh'];

let dataDir;
let base;
let browser;
let hookServer;
const webhooks = []; // every webhook body the engine delivered, parsed

/** A webhook receiver on loopback: answers 200 and keeps every message. */
function startHookServer() {
  return new Promise((resolve) => {
    hookServer = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        try {
          webhooks.push(JSON.parse(body));
        } catch {
          webhooks.push({ unparsed: body });
        }
        res.writeHead(200).end('ok');
      });
    });
    hookServer.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${hookServer.address().port}/hook`));
  });
}

/** Runs axe-core on the current page; returns its violations (WCAG 2.2 AA tags only). */
async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A logged-in reviewer: a page whose `request` carries the session, and its CSRF token. */
async function logIn(user, password) {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/console/login');
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === '/console');
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  return { page, csrf };
}

/** Records a decision on a case through the JSON API, as `reviewer`. */
async function decide(reviewer, caseId, decision) {
  const headers = { 'x-csrf-token': reviewer.csrf };
  const assigned = await reviewer.page.request.post(`/v1/cases/${caseId}/assign`, { headers });
  assert.ok(assigned.ok(), `assign case ${caseId}: ${assigned.status()} ${await assigned.text()}`);
  const decided = await reviewer.page.request.post(`/v1/cases/${caseId}/decisions`, { headers, data: decision });
  assert.ok(decided.ok(), `decide case ${caseId}: ${decided.status()} ${await decided.text()}`);
  return decided.json();
}

/** The case a report receipt belongs to, found through the API as `reviewer`. */
async function caseOfContent(reviewer, contentId) {
  return waitFor(`the case of ${contentId}`, async () => {
    const r = await reviewer.page.request.get('/v1/cases');
    const cases = (await r.json()).cases ?? [];
    return cases.find((c) => c.content_id === contentId);
  });
}

/** Files a report through the three steps with the mouse; returns the receipt code. */
async function fileReport(page, { lang, country, reason, contentId, message }) {
  await page.goto(`/report?lang=${lang}&country=${country}&content_id=${encodeURIComponent(contentId)}&surface=message`);
  await page.locator(`#reason-${reason}`).click();
  await page.waitForURL(/\/report\/form\?/);
  if (message) await page.locator('#message').fill(message);
  await page.locator('#send').click();
  await page.waitForURL(/\/report\/done\?/);
  return (await page.locator('#receipt').textContent()).trim();
}

before(async () => {
  checkPrerequisites();
  dataDir = mkdtempSync(path.join(tmpdir(), 'tutela-public-'));
  const hookUrl = await startHookServer();
  const data = path.join(dataDir, 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(path.join(data, 'tutela.toml'), `[webhook]\nurl = "${hookUrl}"\nsecret = "browser-test-secret"\n`);
  base = await startServer(data);
  await waitFor('/readyz', async () => (await fetch(`${base}/readyz`)).status === 200, 60);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await stopServer();
  hookServer?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('public report pages', { timeout: 240_000 }, () => {
  let admin;
  const codes = {}; // receipts made along the way, reused by the accessibility sweep

  it('a child files an anonymous sextortion report in three steps, help for the chosen country first', async () => {
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await page.goto('/report?content_id=browser-sext-1&surface=message');
    assert.equal(await page.locator('.step').textContent(), 'Step 1 of 3');
    // The child picks a country (Brazil) in the picker, then the reason.
    await page.getByLabel('Where do you live?').selectOption('BR');
    await page.getByRole('button', { name: 'Someone is threatening to share pictures of me' }).click();
    await page.waitForURL(/\/report\/form\?/);
    assert.equal(await page.locator('.step').textContent(), 'Step 2 of 3');
    // Help first: Brazil's emergency number and child helpline sit above the form.
    const help = page.locator('section.help.urgent');
    assert.equal(await help.locator('h2').textContent(), 'Get help now');
    const helpText = await help.textContent();
    assert.match(helpText, /190|192|193/, 'a Brazilian emergency number');
    assert.match(helpText, /Disque 100|Disque Direitos Humanos|100/, 'the Brazilian child helpline');
    const helpBox = await help.boundingBox();
    const formBox = await page.locator('form.step2').boundingBox();
    assert.ok(helpBox.y + helpBox.height <= formBox.y, 'the helpline is shown before (above) the form');
    assert.match(await page.locator('section.safe').textContent(), /Do not pay/);
    // Anonymous: no name or e-mail asked; nothing is required.
    assert.equal(await page.locator('form.step2 [required]').count(), 0);
    await page.getByLabel('The message you got').fill('send 100 dollars or I post your pictures (synthetic test text)');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/report\/done\?/);
    assert.equal(await page.locator('.step').textContent(), 'Step 3 of 3');
    assert.equal(await page.locator('h1').textContent(), 'You did the right thing');
    const code = (await page.locator('#receipt').textContent()).trim();
    assert.match(code, /^[A-Z0-9-]{6,}$/, `receipt code ${code}`);
    assert.match(await page.locator('main').textContent(), /Your report is urgent/);
    assert.ok(await page.locator('section.help').count() >= 1, 'help again after sending');
    codes.received = code;

    // The status page: "received".
    await page.getByRole('link', { name: 'Check your report' }).click();
    await page.waitForURL(/\/report\/status\?/);
    assert.equal(await page.locator('#status-state').textContent(), 'We got it. It is waiting for a person to look at it.');
    await context.close();
  });

  it('the receipt shows the outcome in plain words once a reviewer decides', async () => {
    admin = await logIn('admin', DEMO_ADMIN_PASSWORD);
    const page = await (await browser.newContext({ baseURL: base })).newPage();
    const code = await fileReport(page, { lang: 'en', country: 'GB', reason: 'bullying', contentId: 'browser-bully-1' });
    const c = await caseOfContent(admin, 'browser-bully-1');
    await decide(admin, c.id, {
      action: 'remove', ground: 'terms_of_service', policy_id: 'bullying-1',
      explanation: 'Repeated insults aimed at a child (browser test).',
    });
    await page.goto('/report/status');
    await page.getByLabel('Your code').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Check' }).click();
    assert.equal(await page.locator('#status-state').textContent(), 'We made a decision.');
    assert.equal(await page.locator('#status-outcome').textContent(), 'We took it down.');
    // The status page never says who reported, nor shows what they wrote.
    assert.doesNotMatch(await page.locator('main').textContent(), /admin|browser-bully-1/);
    codes.decided = code;
    await page.context().close();
  });

  it('the same flow in Arabic renders right to left', async () => {
    const page = await (await browser.newContext({ baseURL: base })).newPage();
    await page.goto('/report?lang=ar&country=EG');
    const dir = () => page.evaluate(() => [document.documentElement.dir, getComputedStyle(document.querySelector('main')).direction]);
    assert.deepEqual(await dir(), ['rtl', 'rtl']);
    assert.equal(await page.locator('h1').textContent(), 'ماذا حدث؟');
    await page.locator('#reason-sextortion').click();
    await page.waitForURL(/\/report\/form\?/);
    assert.deepEqual(await dir(), ['rtl', 'rtl']);
    assert.equal(await page.locator('section.help.urgent h2').textContent(), 'احصل على مساعدة الآن');
    // Right to left for real: the form's labels start at the right edge.
    const label = await page.locator('label[for="details"]').boundingBox();
    const field = await page.locator('#details').boundingBox();
    assert.ok(Math.abs(label.x + label.width - (field.x + field.width)) < 2, 'label aligned to the right');
    await page.locator('#send').click();
    await page.waitForURL(/\/report\/done\?/);
    assert.deepEqual(await dir(), ['rtl', 'rtl']);
    assert.equal(await page.locator('h1').textContent(), 'لقد فعلت الصواب');
    await page.context().close();
  });

  it('a report can be completed with the keyboard alone, with a visible focus', async () => {
    const page = await (await browser.newContext({ baseURL: base })).newPage();
    await page.goto('/report?lang=en&country=IE');
    /** Tabs until the focused element matches; checks each focus is visible on the way. */
    async function tabTo(selector, max = 60) {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const state = await page.evaluate((sel) => {
          const el = document.activeElement;
          const s = getComputedStyle(el);
          return { match: el.matches(sel), outline: s.outlineStyle, width: parseFloat(s.outlineWidth), tag: el.tagName };
        }, selector);
        if (state.tag !== 'BODY') {
          assert.ok(state.outline !== 'none' && state.width >= 2, `focus visible on ${state.tag}: ${JSON.stringify(state)}`);
        }
        if (state.match) return;
      }
      throw new Error(`never reached ${selector} with Tab`);
    }
    await tabTo('#reason-bullying');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/report\/form\?/);
    await tabTo('input[name="for"][value="me"]');
    await page.keyboard.press('ArrowDown'); // radio group: "a friend"
    assert.equal(await page.locator('input[name="for"][value="friend"]').isChecked(), true);
    await tabTo('#details');
    await page.keyboard.type('They post mean things about my friend every day.');
    await tabTo('#send');
    await page.keyboard.press('Space');
    await page.waitForURL(/\/report\/done\?/);
    assert.equal(await page.locator('h1').textContent(), 'You did the right thing');
    await page.context().close();
  });

  it("an affected user's appeal, decided by a different reviewer, restores the content", async () => {
    assert.ok(admin, 'the admin logged in (earlier step)');
    const page = await (await browser.newContext({ baseURL: base })).newPage();
    await fileReport(page, { lang: 'en', country: 'US', reason: 'hate', contentId: 'browser-appeal-1' });
    const c = await caseOfContent(admin, 'browser-appeal-1');
    const decision = await decide(admin, c.id, {
      action: 'remove', ground: 'terms_of_service', policy_id: 'hate-2',
      explanation: 'A slur aimed at a group (browser test).',
    });
    // The platform learns the appeal code for the affected user from the decision's webhook
    // (the statement of reasons), and shows it to them in-app.
    const hook = await waitFor('the remove webhook with an appeal code', async () => webhooks.find(
      (w) => w.event === 'remove' && w.content_id === 'browser-appeal-1' && w.data?.statement_of_reasons?.redress?.code,
    ));
    const appealCode = hook.data.statement_of_reasons.redress.code;
    assert.ok(decision, 'decided');
    assert.equal(JSON.stringify(hook).includes('admin'), false, 'the webhook does not name the reviewer');

    await page.goto(`/appeal?code=${encodeURIComponent(appealCode)}`);
    assert.equal(await page.locator('#decision-action').textContent(), 'We took down your post.');
    assert.equal(await page.locator('#decision-ground').textContent(), 'It breaks the rules of this site.');
    assert.equal(await page.locator('#decision-explanation').textContent(), 'A slur aimed at a group (browser test).');
    assert.match(await page.locator('.until').textContent(), /You can ask until \d{4}-\d\d-\d\d/);
    assert.doesNotMatch(await page.locator('main').textContent(), /admin/, 'the reviewer is not named');
    codes.appeal = appealCode;
    await page.getByLabel('Why do you think we got it wrong?').fill('It was a quote in a news story, not hate (synthetic).');
    await page.getByRole('button', { name: 'Ask us to check again' }).click();
    await page.waitForURL(/\/appeal\/done\?/);
    const appealReceipt = (await page.locator('#receipt').textContent()).trim();
    codes.appealReceipt = appealReceipt;
    // The appeal receipt works on the status page.
    await page.getByRole('link', { name: 'Check a report' }).first().click();
    assert.equal(await page.locator('#result-title').textContent(), 'Your request to check again');

    // A different reviewer decides the appeal: restore.
    const created = await admin.page.request.post('/v1/users', {
      headers: { 'x-csrf-token': admin.csrf },
      data: { username: 'appeals', password: 'appeals-browser-password-1', role: 'admin' },
    });
    assert.equal(created.status(), 201, await created.text());
    const second = await logIn('appeals', 'appeals-browser-password-1');
    const appealCase = await waitFor('the appeal on a case', async () => {
      const r = await second.page.request.get(`/v1/cases/${c.id}`);
      const d = await r.json();
      return d.case?.status === 'open' ? d.case : null;
    });
    await decide(second, appealCase.id, {
      action: 'restore', ground: 'none', policy_id: 'hate-2',
      explanation: 'News quote; put back on appeal (browser test).',
    });
    await waitFor('the restore webhook', async () => webhooks.find(
      (w) => w.event === 'restore' && w.content_id === 'browser-appeal-1',
    ));
    await page.goto(`/report/status?code=${encodeURIComponent(appealReceipt)}`);
    assert.equal(await page.locator('#status-state').textContent(), 'We made a decision.');
    assert.equal(await page.locator('#status-outcome').textContent(), 'We looked again and put it back.');
    await second.page.context().close();
    await page.context().close();
  });

  it('axe-core finds no WCAG 2.2 AA violation on any public page in any language', async () => {
    assert.ok(codes.received && codes.decided, 'the earlier steps made receipt codes');
    // The pages' CSP forbids scripts (they need none); axe is injected by the test, so bypass it.
    const context = await browser.newContext({ baseURL: base, bypassCSP: true });
    const jobs = [];
    for (const lang of LANGS) {
      const urls = [
        `/report?lang=${lang}&country=DE`,
        `/report/form?reason=sextortion&country=DE&lang=${lang}`,
        `/report/form?reason=child_sexual_imagery&lang=${lang}`,
        `/report/done?code=${codes.received}&country=DE&urgent=1&lang=${lang}`,
        `/report/status?lang=${lang}`,
        `/report/status?code=${codes.received}&lang=${lang}`,
        `/report/status?code=${codes.decided}&lang=${lang}`,
        `/report/status?code=NOT-A-CODE&lang=${lang}`,
        `/appeal?lang=${lang}`,
      ];
      if (codes.appeal) urls.push(`/appeal?code=${codes.appeal}&lang=${lang}`);
      if (codes.appealReceipt) urls.push(`/appeal/done?code=${codes.appealReceipt}&lang=${lang}`);
      for (const url of urls) jobs.push({ lang, url });
      // A form sent with an expired token comes back with the error shown.
      jobs.push({ lang, url: `/report/form?reason=scam&lang=${lang}`, expire: true });
    }
    const failures = [];
    let checked = 0;
    // Three tabs at a time: the sweep is most of this suite's time.
    await Promise.all([0, 1, 2].map(async () => {
      const page = await context.newPage();
      for (let job = jobs.shift(); job; job = jobs.shift()) {
        await page.goto(job.url, { waitUntil: 'domcontentloaded' });
        if (job.expire) {
          await page.evaluate(() => { document.querySelector('input[name="token"]').value = '1.00'; });
          await page.locator('#send').click();
          await page.locator('.error').waitFor();
        }
        assert.equal(await page.evaluate(() => document.documentElement.lang), job.lang, job.url);
        const violations = await axe(page);
        checked++;
        if (violations.length) failures.push(`${job.url}${job.expire ? ' (expired form)' : ''}: ${violations.join('; ')}`);
      }
    }));
    console.log(`axe-core: ${checked} page views in ${LANGS.length} languages, ${failures.length} with violations`);
    assert.ok(checked >= LANGS.length * 12, `${checked} page views checked`);
    assert.deepEqual(failures, []);
    await context.close();
  });
});
