// The resident view on the shipped demo district: search by initials chosen with the
// keyboard, the device's location with its accuracy circle and a draggable pin, the
// service filter, 导航 links in GCJ-02/BD-09, and the same at phone width.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { join } from 'node:path';

import { ROOT, openPage, screenshot, useServerAndBrowser, waitForMap } from '../harness.mjs';

const DOWNTOWN = { longitude: 121.3786, latitude: 37.5391, accuracy: 40 };

/** Waits for the nearest sites' cards after a point was chosen. */
async function cards(page) {
  await page.locator('.site-card').first().waitFor({ timeout: 30_000 });
  return page.locator('.site-card').evaluateAll((nodes) =>
    nodes.map((n) => ({ id: n.dataset.site, text: n.innerText, selected: n.classList.contains('selected') })),
  );
}

describe('resident view', { timeout: 300_000 }, () => {
  const env = useServerAndBrowser(join(ROOT, 'data/geojson'));

  test('search by initials, chosen with the keyboard, answers for the street', async () => {
    const { page, consoleErrors, foreignRequests } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    await page.locator('#search').fill('xyjd');
    await page.locator('#search-results li').first().waitFor();
    const options = await page.locator('#search-results li').allInnerTexts();
    assert.match(options[0], /街道\s*向阳街道/, options.join(' | '));
    await page.locator('#search').press('ArrowDown');
    assert.equal(await page.locator('#search').getAttribute('aria-activedescendant'), 'search-option-0');
    await page.locator('#search').press('Enter');
    const found = await cards(page);
    assert.equal(found.length, 3);
    assert.ok(found[0].selected, 'the nearest is selected');
    await page.locator('#located section h2', { hasText: '街道' }).waitFor();
    assert.match(await page.locator('#located').innerText(), /向阳街道/);
    await screenshot(page, 'resident-search');
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('the device location gives the 3 nearest with minutes, routes and the 5-minute area; the pin drags', async () => {
    await env.browser.context.grantPermissions(['geolocation'], { origin: env.server.url });
    await env.browser.context.setGeolocation(DOWNTOWN);
    const { page, consoleErrors, foreignRequests } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    await page.locator('#locate-me').click();
    const first = await cards(page);
    const minutes = first.map((c) => Number(/(\d+) 分钟/.exec(c.text)[1]));
    assert.deepEqual([...minutes].sort((a, b) => a - b), minutes, `nearest first: ${minutes}`);
    assert.ok(first.every((c) => /步行 \d+ (米|公里)/.test(c.text)), first[0].text);
    // The overlays are filled in the map's worker: wait until they hold the answer.
    await page.waitForFunction(
      (ids) => {
        const map = window.redgridMap;
        const routes = [...new Set(map.querySourceFeatures('routes').map((f) => f.properties.id))].sort();
        return (
          JSON.stringify(routes) === JSON.stringify(ids) &&
          map.querySourceFeatures('walk-area').length > 0 &&
          map.querySourceFeatures('accuracy').length > 0
        );
      },
      first.map((c) => c.id).sort(),
      { timeout: 30_000 },
    );
    // Choosing another card selects its route.
    await page.locator('.site-card').nth(1).click();
    assert.ok((await cards(page))[1].selected);
    await screenshot(page, 'resident-location');
    // Drag the pin 200 px east: the answer is for the new point.
    const pin = await page.locator('.maplibregl-marker').boundingBox();
    const [x, y] = [pin.x + pin.width / 2, pin.y + pin.height - 4];
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 100, y, { steps: 5 });
    await page.mouse.move(x + 200, y, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(
      (before) => [...document.querySelectorAll('.site-card')].map((n) => n.innerText).join() !== before,
      first.map((c) => c.text).join(),
      { timeout: 30_000 },
    );
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('the service filter keeps only sites offering it; 导航 hands over GCJ-02 and BD-09', async () => {
    const { page, consoleErrors, foreignRequests } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    const services = await page.locator('#service-filter option').allInnerTexts();
    assert.ok(services.some((s) => s.startsWith('低保（')), services.join());
    await page.evaluate(() => window.redgridMap.jumpTo({ center: [121.3786, 37.5391], zoom: 16 }));
    const box = await page.locator('#map').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await cards(page);
    await page.locator('#service-filter').selectOption('低保');
    await page.locator('#results h2', { hasText: '低保' }).waitFor();
    const filtered = await cards(page);
    assert.ok(filtered.every((c) => /服务[\s\S]*低保/.test(c.text)), filtered.map((c) => c.text).join('\n---\n'));
    const amap = new URL(await page.locator('.site-card a.nav-link', { hasText: '高德' }).first().getAttribute('href'));
    const baidu = new URL(await page.locator('.site-card a.nav-link', { hasText: '百度' }).first().getAttribute('href'));
    const [gLon, gLat] = amap.searchParams.get('to').split(',').map(Number);
    const [bLat, bLon] = /latlng:([\d.]+),([\d.]+)/.exec(baidu.searchParams.get('destination')).slice(1).map(Number);
    // GCJ-02 lies a few hundred metres from WGS-84 around Yantai, BD-09 farther.
    assert.ok(gLon - 121.3 > 0 && Math.abs(gLon - bLon) > 0.004 && Math.abs(gLat - bLat) > 0.004, `${amap} ${baidu}`);
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('the English toggle turns the page and the answers into English, and back', async () => {
    const { page, consoleErrors } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    await page.locator('#language').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en' && document.body.dataset.mapState === 'idle', null, { timeout: 60_000 });
    assert.equal(await page.locator('h1').textContent(), 'Party-building resource map');
    assert.equal(await page.locator('#search').getAttribute('placeholder'), 'Compound, building, road, community, grid or site (pinyin works)');
    await page.evaluate(() => window.redgridMap.jumpTo({ center: [121.3786, 37.5391], zoom: 16 }));
    const box = await page.locator('#map').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const found = await cards(page);
    assert.match(found[0].text, /\d+ min · \d+ m on foot/);
    assert.match(found[0].text, /Mon–Fri|Daily/);
    assert.match(await page.locator('.legend').innerText(), /Zhifu Honggang station/);
    await screenshot(page, 'resident-english');
    await page.locator('#language').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && document.body.dataset.mapState === 'idle', null, { timeout: 60_000 });
    assert.equal(await page.locator('h1').textContent(), '区域化党建资源地图');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('works at phone width: search, tap, cards below the map', async () => {
    const { page, consoleErrors } = await openPage(env.browser.context, env.server.url, { width: 390, height: 844 });
    assert.equal(await waitForMap(page), 'idle');
    await page.locator('#search').fill('向阳街道');
    await page.locator('#search-results li').first().click();
    const found = await cards(page);
    assert.equal(found.length, 3);
    const card = await page.locator('.site-card').first().boundingBox();
    assert.ok(card.x >= 0 && card.x + card.width <= 390, JSON.stringify(card));
    await screenshot(page, 'resident-phone', { fullPage: true });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
