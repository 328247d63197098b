// OGC API – Features against an independent client: GDAL's OAPIF driver (the
// library QGIS and most GIS tools read through) lists, counts and pages our layers.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { ROOT, startServer } from '../harness.mjs';

const run = promisify(execFile);
let server;

before(async () => {
  server = await startServer({ data: join(ROOT, 'server/tests/fixtures/district') });
});
after(() => server?.stop());

async function gdal(tool, args) {
  const { stdout } = await run(tool, args, {
    env: { ...process.env, GDAL_HTTP_TIMEOUT: '20' },
    maxBuffer: 16 << 20,
    timeout: 60_000,
  });
  return stdout;
}

test('ogrinfo lists every published layer', async () => {
  const out = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${server.url}/ogc`]);
  for (const layer of ['district', 'context', 'streets', 'communities', 'grids', 'compounds', 'buildings', 'sites', 'walk_network']) {
    assert.match(out, new RegExp(`: ${layer}\\b`), `${layer} missing from:\n${out}`);
  }
  assert.doesNotMatch(out, /workers|building_heads/);
});

test('ogrinfo reads a layer summary: count, geometry type, extent', async () => {
  const out = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${server.url}/ogc`, 'grids']);
  assert.match(out, /Feature Count: 4/);
  assert.match(out, /Extent: \(121\.380000, 37\.530000\) - \(121\.390000, 37\.538000\)/);
});

test('ogr2ogr pages through a layer with small pages and gets every feature', async () => {
  const out = await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', `OAPIF:${server.url}/ogc`, 'sites', '-oo', 'PAGE_SIZE=2']);
  const collection = JSON.parse(out);
  assert.deepEqual(
    collection.features.map((f) => f.properties.id).sort(),
    ['S1', 'S2', 'S3', 'S4', 'S5'],
  );
  const s1 = collection.features.find((f) => f.properties.id === 'S1');
  assert.deepEqual(s1.geometry.coordinates, [121.383, 37.532]);
  assert.equal(s1.properties.kind, 'station');
});

test('a spatial filter selects the buildings in the west half', async () => {
  const out = await gdal('ogrinfo', ['-ro', '-q', `OAPIF:${server.url}/ogc`, 'buildings', '-spat', '121.380', '37.530', '121.384', '37.538']);
  const ids = [...out.matchAll(/^  id \(String\) = (\S+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(ids, ['B1', 'B2']);
});
