// The map page in a real browser: the fixture district and the shipped data, drawn
// from this server's style and versioned vector tiles.

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
    const { page, foreignRequests, consoleErrors, requests } = await openPage(env.browser.context, env.server.url);
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
    const tiles = requests.filter((url) => url.includes('.mvt'));
    assert.ok(tiles.length > 0, 'the map is drawn from vector tiles');
    assert.ok(tiles.every((url) => url.startsWith(env.server.url)), tiles.join('\n'));
    assert.ok(tiles.every((url) => /\/tiles\/[a-z_]+\/\d+\/\d+\/\d+\.mvt\?v=[0-9a-f]+$/.test(url)), `versioned: ${tiles.slice(0, 3)}`);
    // Chinese names from the tiles, placed with the viewer's font (no glyph server).
    await moveMap(page, { center: [121.383, 37.532], zoom: 17 });
    const names = await page.evaluate(() =>
      window.redgridMap.queryRenderedFeatures({ layers: ['site-names'] }).map((f) => f.properties.name),
    );
    assert.ok(names.includes('西一红港驿站'), `site names placed: ${names}`);
    await screenshot(page, 'fixture-z17', { clip: await page.locator('#map').boundingBox() });
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
    const { page, consoleErrors, apiProblems } = await openPage(env.browser.context, env.server.url);
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
    // The fixture's buildings lie beyond walking reach of its few roads: said so.
    await page.locator('#results', { hasText: '附近没有步行道路' }).waitFor();
    await screenshot(page, 'fixture-locate');
    assert.ok(apiProblems.every((url) => /\/api\/v1\/(nearest|isochrone)\?/.test(url)), apiProblems.join());
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('without WebGL the page lists the service sites instead', async () => {
    const noWebgl = () => {
      const getContext = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
        return /webgl/.test(kind) ? null : getContext.call(this, kind, ...rest);
      };
    };
    const { page, consoleErrors } = await openPage(env.browser.context, env.server.url, { init: noWebgl });
    assert.equal(await waitForMap(page), 'list');
    const items = await page.locator('.site-list li').allInnerTexts();
    assert.ok(items.includes('西一红港驿站（芝罘红港驿站）'), items.join(' | '));
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

describe('shipped data', { timeout: 300_000 }, () => {
  const env = useServerAndBrowser(join(ROOT, 'data/geojson'));

  test('draws the real district between its neighbours', async () => {
    const { page, foreignRequests, consoleErrors, transferred } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    const bytes = await transferred();
    console.log(`first load: ${(bytes / 1e6).toFixed(2)} MB transferred`);
    assert.ok(bytes < 1.5e6, `first load ${bytes} bytes`);
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

  test('the legend switches on the walk to the nearest service point', async () => {
    const { page, consoleErrors } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    await moveMap(page, { center: [121.3786, 37.5391], zoom: 14 });
    const shown = () => page.evaluate(() => window.redgridMap.queryRenderedFeatures({ layers: ['coverage-fill'] }));
    assert.equal((await shown()).length, 0, 'coverage starts hidden');
    const box = page.locator('.legend input[data-section="coverage"]');
    // The listener goes on before the click, so an idle that comes quickly is not missed.
    await page.evaluate(() => {
      window.coverageIdle = new Promise((done) => window.redgridMap.once('idle', done));
    });
    await box.check();
    await page.evaluate(() => window.coverageIdle);
    const cells = await shown();
    assert.ok(cells.length > 20, `coverage cells drawn: ${cells.length}`);
    assert.ok(cells.every((c) => c.properties.resolution === 11), 'res 11 cells at zoom 14');
    assert.ok(cells.some((c) => c.properties.walk_m <= 300) && cells.some((c) => c.properties.walk_m > 300));
    assert.match(await page.locator('.legend').innerText(), /5 分钟内/);
    await screenshot(page, 'coverage-downtown-z14', { clip: await page.locator('#map').boundingBox() });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
