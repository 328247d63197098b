// The server's own vector-tile style in a real browser: /style.json loads, every
// tile comes from this server, and the district is drawn from its tiles.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { join } from 'node:path';

import { ROOT, colourStats, moveMap, openPage, screenshot, useServerAndBrowser, waitForMap } from '../harness.mjs';

const SEA = '#cfe3ef';
const LAND = '#f7f4ec';
const SERVICE_POINT = '#c8102e';

describe('vector tiles', { timeout: 240_000 }, () => {
  const env = useServerAndBrowser(join(ROOT, 'server/tests/fixtures/district'));

  test('the offline style draws the district from this server\'s tiles', async () => {
    const { page, foreignRequests, consoleErrors } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    const tiles = [];
    page.on('request', (request) => {
      if (/\/tiles\/[a-z_]+\/\d+\/\d+\/\d+\.mvt/.test(request.url())) tiles.push(request.url());
    });
    const layers = await page.evaluate(async () => {
      const map = window.redgridMap;
      const style = await (await fetch('/style.json')).json();
      await new Promise((done) => {
        map.once('idle', done);
        map.setStyle(style);
      });
      return map.getStyle().layers.map((l) => l.id);
    });
    assert.ok(layers.includes('land') && layers.includes('sites'), layers.join(', '));
    await moveMap(page, { center: [121.385, 37.534], zoom: 16 });
    const shot = await screenshot(page, 'tiles-fixture-z16', { clip: await page.locator('#map').boundingBox() });
    const stats = await colourStats(page, shot.buffer, [SEA, LAND, SERVICE_POINT]);
    assert.ok(stats.shares[LAND] > 0.2, `land drawn from tiles: ${JSON.stringify(stats.shares)}`);
    assert.ok(stats.shares[SERVICE_POINT] > 0.0001, `service points drawn: ${JSON.stringify(stats.shares)}`);
    assert.ok(tiles.length > 0, 'tiles were requested');
    assert.ok(tiles.every((url) => url.startsWith(env.server.url)), tiles.join('\n'));
    assert.ok(tiles.every((url) => /\?v=[0-9a-f]+$/.test(url)), `versioned tile URLs: ${tiles.slice(0, 3)}`);
    // Chinese names from the tiles, drawn with the viewer's font (no glyph server).
    await moveMap(page, { center: [121.383, 37.532], zoom: 17 });
    const names = await page.evaluate(() =>
      window.redgridMap.queryRenderedFeatures({ layers: ['site-names'] }).map((f) => f.properties.name),
    );
    assert.ok(names.includes('西一红港驿站'), `site names placed: ${names}`);
    await screenshot(page, 'tiles-fixture-z17', { clip: await page.locator('#map').boundingBox() });
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
