// The review console in a real browser (Debian's headless Chromium, driven by playwright-core):
// an admin logs in, opens the queue and a child-safety case, finds its image blurred and in
// greyscale, reveals that one image, takes the case and records a decision; a plain `reviewer`
// then gets "Not allowed" (403) on the same case and does not see it in the queue.
//
// Runs the release binary (`target/release/tutela`, or $TUTELA_BIN) with `serve --demo` on a free
// loopback port and a fresh data folder: the demo holds a `csam`-labelled bank with the hashes of
// synthetic patterns and scans two of them, so two child-safety cases exist. No real material.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  DEMO_ADMIN_PASSWORD, checkPrerequisites, chromiumArgs, chromiumPath, startServer, stopServer, waitFor,
} from './harness.mjs';

let dataDir;
let base;
let browser;

/** Logs in through the form in a fresh browser context; returns the page (on the queue). */
async function logIn(user, password) {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/console');
  assert.match(page.url(), /\/console\/login$/, 'an anonymous visitor is sent to the login page');
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === '/console');
  // The header names who is logged in (and may add the role).
  assert.match(await page.locator('header .who').textContent(), new RegExp(`^${user}\\b`));
  return page;
}

/** The computed CSS `filter` of an image, once it has loaded. */
async function filterOf(img) {
  await img.evaluate((el) => (el.complete ? null : new Promise((r) => {
    el.addEventListener('load', r, { once: true });
    el.addEventListener('error', r, { once: true });
  })));
  return img.evaluate((el) => getComputedStyle(el).filter);
}

function isBlurredGrey(filter) {
  return /grayscale\(/.test(filter) && /blur\(/.test(filter);
}

before(async () => {
  checkPrerequisites();
  dataDir = mkdtempSync(path.join(tmpdir(), 'tutela-browser-'));
  base = await startServer(path.join(dataDir, 'data'));
  await waitFor('/readyz', async () => (await fetch(`${base}/readyz`)).status === 200, 60);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await stopServer();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('review console', { timeout: 180_000 }, () => {
  let admin; // the admin's page
  let caseA; // the case decided here (demo-content-0)
  let caseB; // another child-safety case, left open (demo-content-1)

  it('an admin logs in and sees the child-safety cases in the queue', async () => {
    admin = await logIn('admin', DEMO_ADMIN_PASSWORD);
    // The demo scans its samples just after the banks load: wait for both cases.
    let cases = [];
    await waitFor('the demo cases', async () => {
      const r = await admin.request.get('/v1/cases');
      cases = (await r.json()).cases ?? [];
      return cases.filter((c) => c.queue === 'child_safety').length >= 2;
    }, 60);
    caseA = cases.find((c) => c.content_id === 'demo-content-0');
    caseB = cases.find((c) => c.content_id === 'demo-content-1');
    assert.ok(caseA && caseB, `demo cases: ${JSON.stringify(cases)}`);
    assert.equal(caseA.queue, 'child_safety');

    await admin.goto('/console');
    const row = admin.locator('table.cases tbody tr', { has: admin.locator(`a[href="/console/cases/${caseA.id}"]`) });
    await assert.doesNotReject(row.waitFor(), 'case A is in the queue');
    assert.match(await row.textContent(), /child_safety/);
    assert.match(await row.textContent(), /demo-content-0/);
    assert.equal(await admin.locator(`table.cases a[href="/console/cases/${caseB.id}"]`).count(), 1);
  });

  it('media is blurred and greyscale by default, revealed one image at a time', async () => {
    assert.ok(admin && caseA && caseB, 'the admin logged in and found the cases (first step)');
    await admin.locator(`a[href="/console/cases/${caseA.id}"]`).click();
    await admin.waitForURL(`**/console/cases/${caseA.id}`);
    assert.match(await admin.locator('h1').textContent(), new RegExp(`Case #${caseA.id}`));

    const images = admin.locator('img.guarded');
    assert.ok((await images.count()) >= 1, 'the preserved image is on the case page');
    const img = images.first();
    const evidenceId = await img.getAttribute('data-evidence');
    for (let i = 0; i < (await images.count()); i++) {
      const f = await filterOf(images.nth(i));
      assert.ok(isBlurredGrey(f), `image ${i} is shown as ${f}, not blurred and grey`);
    }
    // The preserved evidence really decrypts and renders (not a broken image behind the blur).
    assert.deepEqual(await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]), [640, 480],
      'the evidence image (a 640x480 demo sample) loaded');

    const reveal = admin.locator(`button.reveal[data-target="${evidenceId}"]`);
    assert.equal(await reveal.textContent(), 'Reveal this image');
    await reveal.click();
    await admin.waitForFunction((el) => getComputedStyle(el).filter === 'none', await img.elementHandle(), { timeout: 5000 });
    assert.equal(await reveal.getAttribute('aria-pressed'), 'true');
    assert.equal(await reveal.textContent(), 'Hide this image');
    // Every other image on the page stays guarded.
    for (let i = 1; i < (await images.count()); i++) {
      assert.ok(isBlurredGrey(await filterOf(images.nth(i))), `image ${i} was revealed too`);
    }
    // Revealing is per image, not a setting: another case's image is still blurred.
    const other = await admin.context().newPage();
    await other.goto(`/console/cases/${caseB.id}`);
    assert.ok(isBlurredGrey(await filterOf(other.locator('img.guarded').first())), 'case B image is guarded');
    await other.close();
    // A second click hides it again.
    await reveal.click();
    await admin.waitForFunction((el) => /blur\(/.test(getComputedStyle(el).filter), await img.elementHandle(), { timeout: 5000 });
    assert.equal(await reveal.getAttribute('aria-pressed'), 'false');
  });

  it('the admin takes the case and records a decision, which appears in the history', async () => {
    assert.ok(admin && caseA && caseB, 'the admin logged in and found the cases (first step)');
    assert.match(await admin.locator('section[aria-labelledby="history-h"]').textContent(), /No decision yet/);
    await admin.locator('#take-case').click();
    await admin.waitForURL(/msg=assigned/);
    assert.equal(await admin.getByRole('status').textContent(), 'You have this case now.');
    assert.equal(await admin.locator('#take-case').count(), 0, 'no "take" button once assigned');

    const form = admin.locator('form.decide');
    await form.getByLabel('Remove the content').check();
    await form.getByLabel('Ground').selectOption('illegal_content');
    await form.getByLabel('Policy id').fill('csam-browser-1');
    await form.getByLabel(/Explanation/).fill('Matches a synthetic demo pattern in demo-csam (browser test).');
    await form.getByRole('button', { name: 'Record decision' }).click();
    await admin.waitForURL(/msg=decided/);

    assert.equal(await admin.getByRole('status').textContent(), 'Decision recorded.');
    assert.equal(await admin.locator('#case-status').textContent(), 'decided');
    const history = admin.locator('ol.history li');
    assert.equal(await history.count(), 1);
    const entry = await history.first().textContent();
    assert.match(entry, /^remove by admin on /);
    assert.match(entry, /ground illegal_content/);
    assert.match(entry, /csam-browser-1/);
    assert.match(entry, /synthetic demo pattern in demo-csam \(browser test\)/);
    // The API agrees with the page.
    const detail = await (await admin.request.get(`/v1/cases/${caseA.id}`)).json();
    assert.equal(detail.case.status, 'decided');
    assert.equal(detail.decisions[0].policy_id, 'csam-browser-1');
  });

  it('a reviewer cannot open a child-safety case nor see it in the queue', async () => {
    assert.ok(admin && caseA && caseB, 'the admin logged in and found the cases (first step)');
    const csrf = await admin.locator('input[name="csrf"]').first().inputValue();
    assert.ok(csrf.length >= 16, 'the page carries a CSRF token');
    const user = { username: 'rene', password: 'rene-browser-password-1', role: 'reviewer' };
    // The JSON API refuses the admin's own cookie without the CSRF token...
    const forged = await admin.request.post('/v1/users', { data: user });
    assert.ok([400, 403].includes(forged.status()), `no CSRF token: ${forged.status()}`);
    // ...and accepts it with the token.
    const created = await admin.request.post('/v1/users', { data: user, headers: { 'x-csrf-token': csrf } });
    assert.equal(created.status(), 201, await created.text());

    const reviewer = await logIn(user.username, user.password);
    try {
      for (const c of [caseA, caseB]) {
        const resp = await reviewer.goto(`/console/cases/${c.id}`);
        assert.equal(resp.status(), 403, `reviewer opening case ${c.id}`);
        assert.equal(await reviewer.locator('h1').textContent(), 'Not allowed');
        assert.equal(await reviewer.locator('img').count(), 0, 'no media on the refusal page');
        const api = await reviewer.request.get(`/v1/cases/${c.id}`);
        assert.equal(api.status(), 403);
      }
      const evidenceId = (await (await admin.request.get(`/v1/cases/${caseB.id}`)).json()).evidence[0].id;
      assert.equal((await reviewer.request.get(`/v1/evidence/${evidenceId}`)).status(), 403);

      await reviewer.goto('/console');
      for (const c of [caseA, caseB]) {
        assert.equal(await reviewer.locator(`a[href="/console/cases/${c.id}"]`).count(), 0, `case ${c.id} listed`);
      }
      assert.doesNotMatch(await reviewer.locator('main').textContent(), /demo-content-[01]/);
      // Search (by exact content id) does not find them for the reviewer; it does for the admin.
      for (const c of [caseA, caseB]) {
        await reviewer.goto(`/console/search?q=${c.content_id}`);
        assert.equal(await reviewer.locator('table.cases a[href^="/console/cases/"]').count(), 0);
        assert.match(await reviewer.locator('main').textContent(), /No cases\./);
        await admin.goto(`/console/search?q=${c.content_id}`);
        assert.equal(await admin.locator(`table.cases a[href="/console/cases/${c.id}"]`).count(), 1);
      }
    } finally {
      await reviewer.context().close();
    }
  });
});
