// The administrator's console on the test fixture served from a fresh PostGIS
// database: tables with search, an attribute refused with the server's Chinese
// reason and then saved, a site placed by a click and moved by dragging its
// marker, a CSV uploaded, checked by a dry run and committed, its address-only
// site placed, a broken file's problems in Chinese, a revert from the audit log,
// and the export.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ROOT, moveMap, openPage, screenshot, useServerAndBrowser, waitForMap } from '../harness.mjs';

/** Clicks the map at a lon/lat, after centring it there. */
async function clickAt(page, lonLat) {
  await moveMap(page, { center: lonLat, zoom: 17 });
  const box = await page.locator('#map').boundingBox();
  const p = await page.evaluate((at) => window.redgridMap.project(at), lonLat);
  await page.mouse.click(box.x + p.x, box.y + p.y);
}

async function api(page, path) {
  return page.evaluate(async (path) => {
    const r = await fetch(path, { credentials: 'same-origin' });
    return { status: r.status, type: r.headers.get('content-type'), json: r.headers.get('content-type')?.includes('json') ? await r.json() : null };
  }, path);
}

describe('administrator console', { timeout: 300_000 }, () => {
  const env = useServerAndBrowser(join(ROOT, 'server/tests/fixtures/district'), { roles: ['admin', 'planner'], database: true });

  test('tables, edits, placing and dragging, upload with dry run, audit revert, export', async () => {
    const { page, consoleErrors, foreignRequests } = await openPage(env.browser.context, env.server.url);
    assert.equal(await waitForMap(page), 'idle');
    // A planner does not see the console.
    await page.locator('nav.views [data-view="admin"]').click();
    await page.locator('#login-dialog input').fill(env.server.tokens.planner);
    await page.locator('#login-dialog button[type=submit]').click();
    await page.locator('#login-area', { hasText: '已登录：规划' }).waitFor();
    assert.equal(await page.locator('#view-admin').isHidden(), true);
    await page.locator('#log-out').click();
    await page.locator('nav.views [data-view="admin"]').click();
    await page.locator('#login-dialog input').fill(env.server.tokens.admin);
    await page.locator('#login-dialog button[type=submit]').click();
    await page.locator('#view-admin table tbody tr').first().waitFor();
    // The fixture's three lines meet at their one junction: no network issue.
    await page.locator('#view-admin [data-part=network-issues]', { hasText: '未发现路网问题。' }).waitFor();

    // The sites table, searched.
    const sites = (await api(page, '/api/v1/admin/records/sites?limit=500')).json;
    assert.ok(sites.total >= 2, JSON.stringify(sites));
    const first = sites.items[0];
    await page.locator('#view-admin input[name=q]').fill(first.properties.name);
    await page.waitForFunction(
      (total) => /共 (\d+) 条/.exec(document.querySelector('#view-admin [data-part=table] .note')?.textContent ?? '')?.[1] < total,
      sites.total,
    );
    await page.locator(`#view-admin tbody tr[data-id="${first.id}"]`).waitFor();

    // A grid's population: a negative number is refused with the reason in Chinese.
    await page.locator('#view-admin input[name=q]').fill('');
    await page.locator('#view-admin [data-layer=grids]').click();
    const grid = page.locator('#view-admin tbody tr[data-id^="G"]').first();
    await grid.waitFor();
    const gridId = await grid.getAttribute('data-id');
    await grid.click();
    await page.locator('#view-admin form input[name=population]').fill('-5');
    await page.locator('#view-admin form button[type=submit]').click();
    const refusal = await page.locator('#view-admin [data-part=editor-result] .error').innerText();
    assert.match(refusal, /population/);
    assert.match(refusal, /[\u4e00-\u9fff]/, `a Chinese reason: ${refusal}`);
    await page.locator('#view-admin form input[name=population]').fill('4321');
    await page.locator('#view-admin form button[type=submit]').click();
    await page.locator('#view-admin [data-part=editor-result]', { hasText: `已保存 ${gridId}` }).waitFor();
    const grids = (await api(page, `/api/v1/admin/records/grids?q=${gridId}`)).json;
    assert.equal(grids.items.find((g) => g.id === gridId).properties.population, 4321);

    // A new site placed by a click beside an existing one.
    const near = [first.at[0] + 0.0002, first.at[1] + 0.0001];
    await page.locator('#view-admin [data-part=new-site] input[name=name]').fill('控制台测试驿站');
    await page.locator('#view-admin [data-action=new-site]').click();
    await clickAt(page, near);
    const added = await page.locator('#view-admin [data-part=place-result]', { hasText: '已添加站点' }).innerText();
    const newId = /已添加站点 (S\d+)/.exec(added)[1];
    const placed = (await api(page, `/api/v1/sites/${newId}`)).json;
    assert.equal(placed.properties.kind, 'station');
    assert.ok(Math.abs(placed.geometry.coordinates[0] - near[0]) < 1e-5, JSON.stringify(placed.geometry));

    // Moved by dragging its marker 60 px east.
    await page.locator('#view-admin [data-layer=sites]').click();
    await page.locator('#view-admin input[name=q]').fill('控制台测试驿站');
    await page.locator(`#view-admin tbody tr[data-id="${newId}"]`).click();
    await moveMap(page, { center: placed.geometry.coordinates, zoom: 17 });
    const marker = await page.locator('.maplibregl-marker').boundingBox();
    const [x, y] = [marker.x + marker.width / 2, marker.y + marker.height - 4];
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 30, y, { steps: 5 });
    await page.mouse.move(x + 60, y, { steps: 5 });
    await page.mouse.up();
    await page.locator('#view-admin [data-part=editor-result]', { hasText: `已保存 ${newId}` }).waitFor();
    const moved = (await api(page, `/api/v1/sites/${newId}`)).json;
    assert.ok(moved.geometry.coordinates[0] > placed.geometry.coordinates[0] + 1e-5, JSON.stringify(moved.geometry));

    // A CSV checked by a dry run, then committed; its address-only site placed.
    const dir = mkdtempSync(join(tmpdir(), 'redgrid-console-'));
    const csv = join(dir, 'stations.csv');
    writeFileSync(csv, `名称,类型,经度,纬度,地址\n上传驿站,芝罘红港驿站,${first.at[0]},${first.at[1]},\n待落点驿站,station,,,幸福路1号\n`);
    await page.locator('#view-admin input[name=file]').setInputFiles(csv);
    await page.locator('#view-admin [data-action=dry-run]').click();
    await page.locator('#view-admin [data-part=import-result]', { hasText: '预检通过' }).waitFor();
    const review = await page.locator('#view-admin [data-part=import-result]').innerText();
    assert.match(review, /sites：新增 1，修改 0，删除 0/);
    assert.match(review, /1 个站点无坐标/);
    assert.equal((await api(page, '/api/v1/admin/records/sites?q=上传驿站')).json.total, 0, 'a dry run writes nothing');
    await page.locator('#view-admin [data-action=commit]').click();
    await page.locator('#view-admin [data-part=import-result]', { hasText: '已导入' }).waitFor();
    assert.equal((await api(page, '/api/v1/admin/records/sites?q=上传驿站')).json.total, 1);
    await page.locator('#view-admin [data-part=unplaced] li', { hasText: '幸福路1号' }).locator('button').click();
    await clickAt(page, [first.at[0] - 0.0002, first.at[1]]);
    await page.locator('#view-admin [data-part=unplaced]', { hasText: '没有待落点的站点' }).waitFor();
    assert.equal((await api(page, '/api/v1/admin/records/sites?q=幸福路1号')).json.total, 1);

    // A broken file: every problem in Chinese, nothing imported.
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, '名称,类型,经度,纬度\n坏驿站,商店,121.4,37.5\n');
    await page.locator('#view-admin input[name=file]').setInputFiles(broken);
    await page.locator('#view-admin [data-action=dry-run]').click();
    await page.locator('#view-admin [data-part=import-result]', { hasText: '文件有以下问题' }).waitFor();
    assert.match(await page.locator('#view-admin [data-part=import-result]').innerText(), /第 1 条/);
    assert.equal(await page.locator('#view-admin [data-action=commit]').isDisabled(), true);

    // The newest change with a record (the placing) reverted from the audit log.
    await page.locator('#view-admin [data-action=audit]').click();
    const newest = page.locator('#view-admin [data-part=audit] tr', { has: page.locator('button') }).first();
    assert.match(await newest.innerText(), /create/);
    const placedId = /sites (S\d+)/.exec(await newest.innerText())[1];
    await newest.locator('button').click();
    await page.waitForFunction(async (id) => (await fetch(`/api/v1/sites/${id}`)).status === 404, placedId);
    await page.locator('#view-admin [data-part=audit] tr', { hasText: 'revert' }).first().waitFor();

    // The export.
    const exported = await api(page, '/api/v1/admin/export');
    assert.equal(exported.status, 200);
    assert.equal(exported.type, 'application/zip');

    await screenshot(page, 'console');
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
