// What both browser suites share: where the binary and Chromium are, how Chromium is launched,
// and one `tutela serve --demo` per test file (node --test runs each file in its own process).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binary = process.env.TUTELA_BIN ?? path.join(repo, 'target/release/tutela');
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The background-networking flags keep Chromium from calling out (this machine's network is closed).
export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const DEMO_ADMIN_PASSWORD = 'tutela-demo-admin';

let server;
let serverLog = '';

/** Fails early, naming what to install, if the binary or Chromium is missing. */
export function checkPrerequisites() {
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: build it first with \`cargo build --release -p tutela\``);
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: apt-get install chromium chromium-driver`);
  }
}

/** Starts `tutela serve --demo` on `data` and resolves with its base URL once it says where it listens. */
export function startServer(data) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--demo', '--data', data, '--listen', '127.0.0.1:0'], {
      env: { ...process.env, TUTELA_LOG: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server = child;
    const timer = setTimeout(() => reject(new Error(`tutela serve did not start in 60 s:\n${serverLog}`)), 60_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      serverLog += chunk;
      const m = serverLog.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tutela serve exited with ${code}:\n${serverLog}`));
    });
  });
}

/** Stops the server (SIGTERM) and waits for it to exit. */
export async function stopServer() {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
}

/** Polls `check` every 100 ms until it returns something truthy, which it returns; on timeout the
 * error carries the server's log. */
export async function waitFor(what, check, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${seconds} s:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
