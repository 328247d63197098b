// End-to-end test harness: starts a RedGrid server on a free loopback port and Debian's
// Chromium through playwright-core, refuses every request to another host, and
// collects console errors. Screenshots go to $REDGRID_ARTIFACTS (default artifacts/browser).

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { after, before } from 'node:test';

import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = process.env.REDGRID_ARTIFACTS ?? join(ROOT, 'artifacts/browser');
const BINARY = process.env.REDGRID_BIN ?? join(ROOT, 'target/debug/redgrid');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Runs a redgrid command to its end; its standard output. */
function redgrid(args) {
  const made = spawnSync(BINARY, args, { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`redgrid ${args.slice(0, 2).join(' ')} failed: ${made.stderr}`);
  return made.stdout;
}

/** A token per role, made by `redgrid token create` in a fresh tokens file or the database. */
function createTokens(roles, databaseUrl = null) {
  const file = databaseUrl ? null : join(mkdtempSync(join(tmpdir(), 'redgrid-tokens-')), 'tokens.txt');
  const tokens = {};
  for (const role of roles) {
    const where = databaseUrl ? ['--database-url', databaseUrl] : ['--tokens-file', file];
    tokens[role] = redgrid(['token', 'create', '--role', role, ...where]).trim().split('\n').pop();
  }
  return { file, tokens };
}

let databases = 0;

/**
 * A fresh database on the test cluster (`REDGRID_TEST_DATABASE_URL`, which the test
 * command starts) with `data` imported by `redgrid import`.
 */
function createDatabase(data) {
  const cluster = process.env.REDGRID_TEST_DATABASE_URL;
  if (!cluster) throw new Error('REDGRID_TEST_DATABASE_URL is not set: scripts/test starts PostGIS');
  const name = `redgrid_e2e_${process.pid}_${databases++}`;
  const made = spawnSync('psql', [cluster, '-q', '-c', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`createdb failed: ${made.stderr}`);
  const url = `${cluster.slice(0, cluster.lastIndexOf('/'))}/${name}`;
  redgrid(['import', '--database-url', url, data]);
  return url;
}

/**
 * Starts `redgrid serve` on 127.0.0.1 with a free port; resolves once it listens.
 * With `roles`, a tokens file holds one token per role (`server.tokens[role]`). With
 * `database`, `data` is imported into a fresh PostGIS database the server serves,
 * which keeps the tokens.
 */
export function startServer({ data, profile = 'internal', web = join(ROOT, 'web/dist'), roles = [], database = false }) {
  const databaseUrl = database ? createDatabase(data) : null;
  const { file, tokens } = roles.length ? createTokens(roles, databaseUrl) : { file: null, tokens: {} };
  const source = databaseUrl ? ['--database-url', databaseUrl] : ['--data', data];
  const args = ['serve', '--listen', '127.0.0.1:0', ...source, '--profile', profile, '--web', web];
  if (file) args.push('--tokens-file', file);
  const child = spawn(BINARY, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RUST_LOG: 'info', NO_COLOR: '1' },
  });
  return new Promise((resolvePromise, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ url: match[1], tokens, stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
}

/** Launches headless Chromium with a fresh profile and the flags this machine needs. */
export async function launchBrowser() {
  const profileDir = mkdtempSync(join(tmpdir(), 'redgrid-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--enable-unsafe-swiftshader',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers hooks that start a server on `data` and a browser before the enclosing
 * suite and stop both after it; the returned object holds them once started.
 */
export function useServerAndBrowser(data, { roles = [], database = false } = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer({ data, roles, database });
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}

/**
 * Opens a page on `baseUrl`: requests to any other origin are aborted and recorded,
 * every request's URL is kept (`requests`, workers' included), console errors and
 * page errors are collected, `transferred()` sums the bytes received so far (bodies
 * as sent, compressed, plus headers). An API call answered with a 4xx problem is an answer
 * the page shows, not an error: Chromium's console line for it goes to `apiProblems`.
 */
export async function openPage(context, baseUrl, { width = 1280, height = 800, init = null } = {}) {
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  await page.setViewportSize({ width, height });
  const origin = new URL(baseUrl).origin;
  const foreignRequests = [];
  const consoleErrors = [];
  const requests = [];
  const apiProblems = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    const problem = /^Failed to load resource: .* status of 4\d\d/.test(message.text()) && url.startsWith(`${origin}/api/v1/`);
    (problem ? apiProblems : consoleErrors).push(problem ? url : message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  const sizes = [];
  // A page closed (or reloaded) before a size arrived counts nothing, and leaves no
  // rejected promise behind.
  page.on('requestfinished', (request) =>
    sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize, () => 0)),
  );
  const transferred = async () => (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await page.goto(baseUrl);
  return { page, foreignRequests, consoleErrors, requests, apiProblems, transferred };
}

/** Waits for the page to report the map's first `idle` after data loaded (or a final state). */
export async function waitForMap(page) {
  await page.waitForFunction(() => ['idle', 'list', 'error'].includes(document.body.dataset.mapState ?? ''), null, {
    timeout: 60_000,
  });
  return page.evaluate(() => document.body.dataset.mapState);
}

/**
 * Moves the map and waits for it to settle. The listener is registered before the
 * move, so an `idle` that comes quickly is not missed; a repaint is forced so one comes.
 */
export async function moveMap(page, camera) {
  await page.evaluate(
    (camera) =>
      new Promise((done) => {
        const map = window.redgridMap;
        map.once('idle', done);
        map.jumpTo(camera);
        map.triggerRepaint();
      }),
    camera,
  );
}

export async function screenshot(page, name, options = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  const buffer = await page.screenshot({ path, ...options });
  return { path, buffer };
}

/**
 * Colour statistics of a PNG, decoded by the page itself (no image library needed):
 * how many distinct colours, and the share of pixels within `tolerance` of each of `colors`.
 */
export async function colourStats(page, png, colors, tolerance = 6) {
  return page.evaluate(
    async ({ b64, colors, tolerance }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${b64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const g = canvas.getContext('2d');
      g.drawImage(image, 0, 0);
      const data = g.getImageData(0, 0, image.width, image.height).data;
      const targets = colors.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
      const hits = targets.map(() => 0);
      const distinct = new Set();
      const pixels = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        distinct.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        targets.forEach((t, k) => {
          if (Math.abs(data[i] - t[0]) <= tolerance && Math.abs(data[i + 1] - t[1]) <= tolerance && Math.abs(data[i + 2] - t[2]) <= tolerance) hits[k] += 1;
        });
      }
      return { distinct: distinct.size, shares: Object.fromEntries(colors.map((c, k) => [c, hits[k] / pixels])) };
    },
    { b64: png.toString('base64'), colors, tolerance },
  );
}

/**
 * Whether Chinese text renders in a real CJK font on this page: the font list
 * resolves, two different ideographs draw differently (tofu boxes are identical),
 * and an ideograph differs from an unassigned code point's box.
 */
export async function cjkRendering(page, selector) {
  return page.evaluate((selector) => {
    const family = getComputedStyle(document.querySelector(selector)).fontFamily;
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const g = canvas.getContext('2d', { willReadFrequently: true });
    const draw = (text) => {
      g.clearRect(0, 0, 64, 64);
      g.font = `48px ${family}`;
      g.fillText(text, 4, 52);
      return Array.from(g.getImageData(0, 0, 64, 64).data);
    };
    const differ = (a, b) => a.some((v, i) => v !== b[i]);
    const zhi = draw('芝');
    const fu = draw('罘');
    const unassigned = draw('\u{10FFFD}');
    return {
      family,
      fontsCheck: document.fonts.check(`16px ${family}`, '芝罘区'),
      inked: zhi.some((v, i) => i % 4 === 3 && v > 0),
      distinctGlyphs: differ(zhi, fu),
      notTofu: differ(zhi, unassigned),
    };
  }, selector);
}
