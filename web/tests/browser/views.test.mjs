// The planner's and the dispatcher's views on the shipped demo district, behind a
// login: a token exchanged for an HttpOnly cookie, the coverage choropleth, sliders,
// table and downloads, suggestions, what-if with a saved scenario; the incident's
// chain of responsibility with workers unmasked and resources by walking time.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { join } from 'node:path';

import { writeFileSync } from 'node:fs';

import { ARTIFACTS, ROOT, openPage, screenshot, useServerAndBrowser, waitForMap } from '../harness.mjs';

async function streamBytes(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function logIn(page, tab, token) {
  await page.locator(`nav.views [data-view="${tab}"]`).click();
  await page.locator('#login-dialog input').fill(token);
  await page.locator('#login-dialog button[type=submit]').click();
}

/** Clicks the map at a lon/lat after moving there. */
async function clickAt(page, lonLat, zoom) {
  await page.evaluate(
    ([center, zoom]) => new Promise((done) => {
      window.redgridMap.once('idle', done);
      window.redgridMap.jumpTo({ center, zoom });
    }),
    [lonLat, zoom],
  );
  const box = await page.locator('#map').boundingBox();
  const p = await page.evaluate((at) => window.redgridMap.project(at), lonLat);
  await page.mouse.click(box.x + p.x, box.y + p.y);
}

describe('planner and dispatcher views', { timeout: 300_000 }, () => {
  const env = useServerAndBrowser(join(ROOT, 'data/geojson'), { roles: ['planner', 'dispatcher', 'viewer'] });

  test('a wrong token is refused; a viewer may not plan; the session cookie is HttpOnly', async () => {
    const { page, consoleErrors, apiProblems } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    await logIn(page, 'planner', 'rg_wrong');
    await page.locator('#login-dialog .error', { hasText: '令牌无效' }).waitFor();
    await page.locator('#login-dialog [data-action="cancel"]').click();
    await logIn(page, 'planner', env.server.tokens.viewer);
    await page.locator('#login-area', { hasText: '已登录：查看' }).waitFor();
    assert.equal(await page.locator('#view-planner').isHidden(), true, 'a viewer stays in the resident view');
    assert.equal(await page.evaluate(() => document.cookie.includes('redgrid_session')), false);
    const cookies = await env.browser.context.cookies(env.server.url);
    const session = cookies.find((c) => c.name === 'redgrid_session');
    assert.ok(session?.httpOnly && session.sameSite === 'Strict', JSON.stringify(cookies));
    await page.locator('#log-out').click();
    await page.locator('#log-in').waitFor();
    assert.equal((await env.browser.context.cookies(env.server.url)).some((c) => c.name === 'redgrid_session'), false);
    assert.deepEqual(apiProblems, [`${env.server.url}/api/v1/session`]);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('planner: choropleth, sliders, sortable table, downloads, suggestions, what-if, saved scenario', async () => {
    const { page, consoleErrors, foreignRequests } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    await logIn(page, 'planner', env.server.tokens.planner);
    await page.locator('#view-planner table tbody tr').first().waitFor();
    assert.equal(await page.locator('#view-planner table tbody tr').count(), 12, 'one row per street');
    assert.equal(await page.locator('.legend input[data-section="coverage"]').isChecked(), true, 'the legend shows the cells are on');
    const basis = await page.locator('[data-part=basis]').innerText();
    assert.match(basis, /300 米/);
    const pct = (text) => Number(/全区覆盖 ([\d.]+)%/.exec(text)[1]);
    const state = await page.evaluate(() => window.redgridMap.getFeatureState({ source: 'streets', sourceLayer: 'streets', id: '370602001' }));
    assert.ok(typeof state.pct === 'number', JSON.stringify(state));
    // Sorted by coverage, lowest first; a click on the header reverses it.
    const column = async () => (await page.locator('#view-planner tbody tr td:nth-child(4)').allInnerTexts()).map(parseFloat);
    const up = await column();
    assert.deepEqual(up, [...up].sort((a, b) => a - b));
    await page.locator('#view-planner th button[data-sort="coverage_pct"]').click();
    const down = await column();
    assert.deepEqual(down, [...up].reverse());
    await screenshot(page, 'planner-choropleth');
    // Ten minutes: the cells recolour at once and the figures follow.
    await page.locator('#view-planner input[name=minutes]').fill('10');
    await page.locator('[data-part=basis]', { hasText: '600 米' }).waitFor();
    assert.ok(pct(await page.locator('[data-part=basis]').innerText()) > pct(basis));
    const csv = await page.locator('[data-part=downloads] a', { hasText: 'CSV' }).getAttribute('href');
    assert.match(csv, /minutes=10&speed=60&format=csv/);
    const download = await page.request.get(`${env.server.url}${csv}`);
    assert.equal(download.status(), 200);
    assert.match(await download.text(), /向阳街道/);
    await page.locator('#view-planner input[name=gaps]').check();
    await page.locator('[data-part=gaps]', { hasText: '处缺口' }).waitFor();
    // The source is filled in the map's worker: wait until it has the gaps.
    await page.waitForFunction(() => window.redgridMap.querySourceFeatures('plan-gaps').length > 0, null, { timeout: 30_000 });
    await page.locator('#view-planner [data-action=suggest]').click();
    await page.locator('[data-part=suggestions] li').nth(4).waitFor({ timeout: 60_000 });
    const gains = (await page.locator('[data-part=suggestions] li').allInnerTexts()).map((t) => Number(/新增覆盖 ([\d,]+)/.exec(t)[1].replace(/,/g, '')));
    assert.deepEqual(gains, [...gains].sort((a, b) => b - a), 'gains never increase');
    // Back to 5 minutes, where downtown has people left to cover.
    await page.locator('#view-planner input[name=minutes]').fill('5');
    await page.locator('[data-part=basis]', { hasText: '300 米' }).waitFor();
    await clickAt(page, [121.3786, 37.5391], 15);
    await page.locator('[data-part=whatif]', { hasText: '新增 1 处' }).waitFor();
    assert.match(await page.locator('[data-part=whatif]').innerText(), /\+[\d,]+/);
    await page.locator('#view-planner input[name=scenario]').fill('北马路补点');
    await page.locator('#view-planner [data-action=save]').click();
    const link = await page.locator('[data-part=share] a').getAttribute('href');
    const id = await page.locator('[data-part=share] a').getAttribute('data-scenario');
    assert.equal(link, `${env.server.url}/?scenario=${id}`);
    const saved = await (await page.request.get(`${env.server.url}/api/v1/plan/scenarios/${id}`)).json();
    assert.equal(saved.name, '北马路补点');
    assert.equal(saved.request.add.length, 1);
    // The shared link opens the planner's view with the scenario (this tab is logged in).
    const shared = await env.browser.context.newPage();
    await shared.goto(link);
    await shared.locator('[data-part=share]', { hasText: '已打开方案：北马路补点' }).waitFor({ timeout: 60_000 });
    await shared.locator('[data-part=whatif]', { hasText: '新增 1 处' }).waitFor();
    assert.equal(await shared.locator('#view-planner').isVisible(), true);
    // That tab writes with the same session: saving again works.
    await shared.locator('#view-planner [data-action=save]').click();
    await shared.locator('[data-part=share] a').waitFor();
    await shared.close();
    await screenshot(page, 'planner-what-if');
    // The view printed: an A4 PNG at 150 dpi and an A3 PDF.
    await page.locator('.export summary').click();
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export=png]').click()]);
    const pngBytes = await streamBytes(await png.createReadStream());
    assert.deepEqual([pngBytes.readUInt32BE(16), pngBytes.readUInt32BE(20)], [1754, 1240]);
    writeFileSync(join(ARTIFACTS, 'planner-print-A4.png'), pngBytes);
    await page.locator('.export select').selectOption('A3');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export=pdf]').click()]);
    const pdfBytes = await streamBytes(await pdf.createReadStream());
    assert.equal(pdfBytes.subarray(0, 5).toString(), '%PDF-');
    const [, w, h] = /MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdfBytes.toString('latin1')).map(Number);
    assert.deepEqual([Math.round(w), Math.round(h)], [1191, 842], 'A3 landscape in points');
    assert.ok(pdfBytes.length > 100_000, `the map is in it: ${pdfBytes.length} bytes`);
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('dispatcher: an incident in GCJ-02 gives the chain with workers unmasked and resources by time', async () => {
    const { page, consoleErrors, foreignRequests } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    await logIn(page, 'dispatcher', env.server.tokens.dispatcher);
    await page.locator('#view-dispatcher').waitFor();
    await page.locator('#dispatch-form input[name=coordinates]').fill('121.3839,37.5405');
    await page.locator('#dispatch-form select').selectOption('gcj02');
    await page.locator('#dispatch-form button[type=submit]').click();
    await page.locator('#dispatch-output .resources li').first().waitFor();
    const text = await page.locator('#dispatch-output').innerText();
    assert.match(text, /责任链[\s\S]*网格员/);
    assert.doesNotMatch(text.split('结对与治理单位')[0], /\*/, 'workers and building head unmasked for a dispatcher');
    assert.match(text, /应急单位（直线距离）/);
    const minutes = (await page.locator('#dispatch-output .resources li strong').allInnerTexts()).map(parseFloat);
    assert.deepEqual(minutes, [...minutes].sort((a, b) => a - b));
    const second = await page.locator('#dispatch-output .resources li').nth(1).getAttribute('data-site');
    await page.locator('#dispatch-output .resources li').nth(1).hover();
    // The routes source is refilled in the map's worker: wait for the hovered one.
    await page.waitForFunction(
      (id) => {
        const selected = window.redgridMap.querySourceFeatures('routes').filter((f) => f.properties.selected);
        return selected.length > 0 && selected.every((f) => f.properties.id === id);
      },
      second,
      { timeout: 30_000 },
    );
    await screenshot(page, 'dispatcher-incident');
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
