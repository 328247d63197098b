// The map page in a real browser: the fixture district and the shipped data.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { join } from 'node:path';

import { ROOT, cjkRendering, colourStats, moveMap, openPage, screenshot, useServerAndBrowser, waitForMap } from '../harness.mjs';

const SEA = '#cfe1ec';
const LAND = '#f6f3ec';
const STATION = '#e5322d';
const ROAD = '#ffffff';
const ARTERIAL = '#f9d58c';

describe('fixture district', { timeout: 240_000 }, () => {
  const env = useServerAndBrowser(join(ROOT, 'server/tests/fixtures/district'));

  test('draws the district, sites and labels with no error and no foreign request', async () => {
    const { page, foreignRequests, consoleErrors } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    // Zoom in so the station circles are large enough to count.
    await moveMap(page, { center: [121.385, 37.534], zoom: 16 });
    const shot = await screenshot(page, 'fixture-z16', { clip: await page.locator('#map').boundingBox() });
    const stats = await colourStats(page, shot.buffer, [SEA, LAND, STATION]);
    assert.ok(stats.distinct > 50, `a drawn map has many colours: ${stats.distinct}`);
    assert.ok(stats.shares[LAND] > 0.2, `land covers the view: ${JSON.stringify(stats.shares)}`);
    assert.ok(stats.shares[STATION] > 0.0001, `station circles drawn: ${JSON.stringify(stats.shares)}`);
    assert.ok(await page.locator('#synthetic-banner').isVisible(), 'the synthetic banner shows');
    const legend = await page.locator('.legend').innerText();
    for (const label of ['芝罘红港驿站', '社区党群服务中心', '共建单位', '志愿服务队', '红色网格', '主干道']) {
      assert.ok(legend.includes(label), `${label} in the legend: ${legend}`);
    }
    assert.ok(!legend.includes('社会组织'), 'kinds absent from the data stay out of the legend');
    assert.equal(await page.locator('#synthetic-banner').textContent(), '演示数据（合成）');
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('Chinese text renders in a CJK font, not tofu', async () => {
    const { page } = await openPage(env.browser.context, env.server.url);
    await waitForMap(page);
    const cjk = await cjkRendering(page, 'h1');
    assert.ok(cjk.fontsCheck && cjk.inked && cjk.distinctGlyphs && cjk.notTofu, JSON.stringify(cjk));
    await page.close();
  });

  test('clicking a building shows its grid with masked personal data', async () => {
    const { page, consoleErrors } = await openPage(env.browser.context, env.server.url);
    await waitForMap(page);
    await moveMap(page, { center: [121.38165, 37.53165], zoom: 17 });
    const point = await page.evaluate(() => window.redgridMap.project([121.38165, 37.53165]));
    const box = await page.locator('#map').boundingBox();
    await page.mouse.click(box.x + point.x, box.y + point.y);
    await page.locator('#panel section h2', { hasText: '网格' }).waitFor();
    const text = await page.locator('#panel').innerText();
    assert.match(text, /西一网格党支部/);
    assert.match(text, /张\*/);
    assert.doesNotMatch(text, /张伟/);
    assert.match(text, /测试路1号1号楼/);
    assert.equal(await page.locator('#panel a[href="tel:0535-6000001"]').count(), 0, 'tel links keep only digits');
    assert.equal(await page.locator('#panel a[href="tel:05356000001"]').count(), 1);
    await screenshot(page, 'fixture-locate');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('works at phone width', async () => {
    const { page, consoleErrors } = await openPage(env.browser.context, env.server.url, { width: 390, height: 844 });
    assert.equal(await waitForMap(page), 'idle');
    const map = await page.locator('#map').boundingBox();
    const panel = await page.locator('#panel').boundingBox();
    assert.ok(panel.y >= map.y + map.height - 1, 'the panel sits below the map on a phone');
    assert.ok(map.width <= 390);
    assert.equal(await page.locator('.legend').getAttribute('open'), null, 'the legend starts folded on a phone');
    await screenshot(page, 'fixture-phone');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});

// Every layer of the whole demo district is drawn from GeoJSON by software WebGL:
// on 2 cores a move to downtown at zoom 13 takes 40 s before the map is idle.
describe('shipped data', { timeout: 300_000 }, () => {
  const env = useServerAndBrowser(join(ROOT, 'data/geojson'));

  test('draws the real district between its neighbours', async () => {
    const { page, foreignRequests, consoleErrors } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    const shot = await screenshot(page, 'zhifu-district', { clip: await page.locator('#map').boundingBox() });
    const stats = await colourStats(page, shot.buffer, [SEA, LAND, '#e3e3e0']);
    assert.ok(stats.shares[LAND] > 0.08, JSON.stringify(stats.shares));
    assert.ok(stats.shares[SEA] > 0.05, JSON.stringify(stats.shares));
    assert.ok(stats.shares['#e3e3e0'] > 0.01, `context districts drawn grey: ${JSON.stringify(stats.shares)}`);
    const synthetic = await (await page.request.get(`${env.server.url}/api/v1/health`)).json();
    assert.equal(await page.locator('#synthetic-banner').isVisible(), synthetic.synthetic);
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('draws the walking network over downtown at zoom 13 and 16', async () => {
    const { page, consoleErrors } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    const nanDaJie = [121.3786, 37.5391];
    for (const zoom of [13, 16]) {
      await moveMap(page, { center: nanDaJie, zoom });
      const shot = await screenshot(page, `network-downtown-z${zoom}`, { clip: await page.locator('#map').boundingBox() });
      const stats = await colourStats(page, shot.buffer, [ROAD, LAND, ARTERIAL]);
      assert.ok(stats.shares[ROAD] > 0.02, `z${zoom}: streets drawn: ${JSON.stringify(stats.shares)}`);
      assert.ok(stats.shares[ARTERIAL] > 0.001, `z${zoom}: arterials drawn: ${JSON.stringify(stats.shares)}`);
    }
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
