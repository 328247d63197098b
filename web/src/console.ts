// The data administrator's console (admin role): the layers as searchable tables,
// a site placed by a click or moved by dragging its marker, attributes edited with
// the server's reasons in Chinese, a file uploaded and its dry run reviewed before
// committing, sites waiting for a place, the walking network's near-misses on the
// map and in a list, the audit log with revert, and the whole dataset exported.
// Everything is built with DOM nodes (never innerHTML).

import * as maplibregl from 'maplibre-gl';

import { AdminApi, type AdminRecord, type Api, ApiProblem, type NetworkIssues } from './api';
import { t } from './i18n';
import { el } from './panel';

/** Editable properties of each layer, as the write endpoints take them. */
const EDITABLE: Record<string, string[]> = {
  sites: ['name', 'kind', 'address', 'category', 'public_contact'],
  grids: ['name', 'party_branch', 'population', 'households', 'public_contact'],
  buildings: ['address', 'population', 'households', 'floors', 'party_group'],
  workers: ['name', 'phone'],
  compounds: [],
};
const NUMBERS = new Set(['population', 'households', 'floors']);
/** Each property's heading. */
const FIELD_LABELS: Record<string, string> = {
  id: t('编号'),
  name: t('名称'),
  kind: t('类型'),
  address: t('地址'),
  category: t('类别'),
  public_contact: t('公开电话'),
  party_branch: t('党支部'),
  population: t('人口'),
  households: t('户数'),
  floors: t('层数'),
  party_group: t('楼栋党小组'),
  phone: t('电话'),
  grid_id: t('所属网格'),
};
const label = (field: string) => FIELD_LABELS[field] ?? field;
const LAYERS: [string, string][] = [
  ['sites', t('阵地')],
  ['grids', t('网格')],
  ['compounds', t('小区')],
  ['buildings', t('楼栋')],
  ['workers', t('网格员')],
];

export class ConsoleView {
  private layer = 'sites';
  private selected: AdminRecord | null = null;
  private marker: maplibregl.Marker | null = null;
  /** What the next map click places: a new site, or a waiting one by its id. */
  private placing: 'new' | number | null = null;
  private readonly part = (name: string) => this.root.querySelector(`[data-part=${name}]`) as HTMLElement;
  private readonly admin: AdminApi;

  constructor(
    private readonly map: maplibregl.Map,
    api: Api,
    private readonly root: HTMLElement,
    /** Site kinds and their names, as the legend shows them. */
    private readonly kinds: Map<string, string>,
  ) {
    this.admin = new AdminApi(api);
    // A new site may be of any kind the map shows; a station by default.
    const kind = root.querySelector('[data-part=new-site] select[name=kind]') as HTMLSelectElement;
    if (kinds.size) kind.replaceChildren(...[...kinds].map(([id, text]) => el('option', { value: id }, text)));
    kind.value = 'station';
    const tabs = this.part('layers');
    for (const [id, label] of LAYERS) {
      const button = el('button', { type: 'button', 'data-layer': id, 'aria-pressed': String(id === this.layer) }, label);
      button.addEventListener('click', () => {
        this.layer = id;
        for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.layer === id));
        void this.list();
      });
      tabs.append(button);
    }
    const search = root.querySelector('input[name=q]') as HTMLInputElement;
    let timer = 0;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => void this.list(), 250);
    });
    this.action('new-site', () => this.startPlacing('new'));
    this.action('dry-run', () => void this.upload(true));
    this.action('commit', () => void this.upload(false));
    this.action('audit', () => void this.audit());
  }

  private action(name: string, run: () => void): void {
    (this.root.querySelector(`[data-action=${name}]`) as HTMLElement).addEventListener('click', run);
  }

  /** Shows or leaves the console. */
  show(on: boolean): void {
    if (on) {
      void this.list();
      void this.unplaced();
      void this.audit();
      void this.networkIssues();
    } else {
      this.marker?.remove();
      this.marker = null;
      this.placing = null;
      showIssues(this.map, null);
    }
  }

  private say(part: string, lines: string[], kind: 'ok' | 'error' = 'ok'): void {
    this.part(part).replaceChildren(...lines.map((line) => el('p', { class: kind === 'error' ? 'error' : 'note' }, line)));
  }

  async list(): Promise<void> {
    const q = (this.root.querySelector('input[name=q]') as HTMLInputElement).value.trim();
    const { total, items } = await this.admin.records(this.layer, q);
    const columns = ['id', ...(EDITABLE[this.layer].length ? EDITABLE[this.layer].slice(0, 3) : ['name', 'grid_id'])];
    const head = el('tr', {}, ...columns.map((c) => el('th', {}, label(c))));
    const cell = (item: AdminRecord, c: string) => {
      const value = c === 'id' ? item.id : String(item.properties[c] ?? '');
      return c === 'kind' ? (this.kinds.get(value) ?? value) : value;
    };
    const rows = items.map((item) => {
      const row = el('tr', { 'data-id': item.id }, ...columns.map((c) => el('td', {}, cell(item, c))));
      row.addEventListener('click', () => this.select(item));
      return row;
    });
    this.part('table').replaceChildren(
      el('p', { class: 'note' }, t('共 {n} 条，显示前 {m} 条', { n: total, m: items.length })),
      el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)),
    );
  }

  /** Shows a record's form, and for a site a marker to drag. */
  private select(item: AdminRecord): void {
    this.selected = item;
    if (item.at) this.map.flyTo({ center: item.at, zoom: Math.max(this.map.getZoom(), 16) });
    this.marker?.remove();
    this.marker = null;
    if (this.layer === 'sites' && item.at) {
      this.marker = new maplibregl.Marker({ draggable: true, color: '#c00000' }).setLngLat(item.at).addTo(this.map);
      this.marker.on('dragend', () => {
        const at = this.marker?.getLngLat();
        if (at) void this.save({ geometry: { type: 'Point', coordinates: [at.lng, at.lat] } });
      });
    }
    const fields = EDITABLE[this.layer].map((name) => {
      const value = item.properties[name] === undefined ? '' : String(item.properties[name]);
      const input =
        name === 'kind'
          ? el('select', { name }, ...[...this.kinds].map(([kind, text]) => el('option', kind === value ? { value: kind, selected: '' } : { value: kind }, text)))
          : el('input', { name, value, type: NUMBERS.has(name) ? 'number' : 'text' });
      return el('label', {}, `${label(name)} `, input);
    });
    const save = el('button', { type: 'submit' }, t('保存'));
    const form = el('form', { class: 'form-grid', 'data-id': item.id }, el('h3', {}, item.id), ...fields, save);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const properties: Record<string, unknown> = {};
      for (const input of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
        const raw = input.value.trim();
        properties[input.name] = raw === '' ? null : NUMBERS.has(input.name) ? Number(raw) : raw;
      }
      void this.save(this.layer === 'workers' ? properties : { properties });
    });
    this.part('editor').replaceChildren(form, el('div', { 'data-part': 'editor-result', 'aria-live': 'polite' }));
    if (this.layer === 'sites') this.say('editor-result', [t('拖动地图上的红色标记可移动此站点。')]);
  }

  /** Patches the selected record, with its version as `If-Match`. */
  private async save(patch: Record<string, unknown>): Promise<void> {
    const item = this.selected;
    if (!item) return;
    try {
      await this.admin.patch(this.layer, item.id, patch);
      this.say('editor-result', [t('已保存 {id}', { id: item.id })]);
      void this.list();
      void this.audit();
    } catch (error) {
      this.say('editor-result', problemLines(error), 'error');
    }
  }

  private startPlacing(what: 'new' | number): void {
    this.placing = what;
    this.say('place-result', [t('请在地图上点击站点位置。')]);
  }

  /** A map click while the console is shown: places what is waiting for a place. */
  async click(lon: number, lat: number): Promise<void> {
    const placing = this.placing;
    if (placing === null) return;
    this.placing = null;
    try {
      let created;
      if (placing === 'new') {
        const form = this.root.querySelector('[data-part=new-site]') as HTMLElement;
        const value = (name: string) => (form.querySelector(`[name=${name}]`) as HTMLInputElement | HTMLSelectElement).value.trim();
        created = await this.admin.createSite(lon, lat, { name: value('name'), kind: value('kind') });
      } else {
        created = await this.admin.place(placing, lon, lat);
        void this.unplaced();
      }
      this.say('place-result', [t('已添加站点 {id}', { id: created.properties.id })]);
      void this.list();
      void this.audit();
    } catch (error) {
      this.say('place-result', problemLines(error), 'error');
    }
  }

  async unplaced(): Promise<void> {
    const waiting = await this.admin.unplaced().catch(() => []);
    const items = waiting.map((w) => {
      const place = el('button', { type: 'button', class: 'link-button' }, t('落点'));
      place.addEventListener('click', () => this.startPlacing(w.id));
      return el('li', { 'data-id': String(w.id) }, `${w.properties.name}（${w.properties.address ?? ''}） `, place);
    });
    this.part('unplaced').replaceChildren(items.length ? el('ul', {}, ...items) : el('p', { class: 'hint' }, t('没有待落点的站点。')));
  }

  /** Sends the chosen file: a dry run shows what would change; a commit writes it. */
  private async upload(dryRun: boolean): Promise<void> {
    const file = (this.root.querySelector('input[name=file]') as HTMLInputElement).files?.[0];
    const layer = (this.root.querySelector('select[name=import-layer]') as HTMLSelectElement).value;
    if (!file) {
      this.say('import-result', [t('请选择文件。')], 'error');
      return;
    }
    try {
      const report = await this.admin.importFile(layer, file, dryRun);
      const lines = report.changes.map((c) => t('{layer}：新增 {added}，修改 {changed}，删除 {removed}，不变 {unchanged}', { ...c }));
      if (report.unplaced) lines.push(t('{n} 个站点无坐标，已列入待落点', { n: report.unplaced }));
      if (!report.accepted) {
        this.say('import-result', [t('文件有以下问题，未导入：'), ...report.problems.map((p) => p.message_zh)], 'error');
        (this.root.querySelector('[data-action=commit]') as HTMLButtonElement).disabled = true;
        return;
      }
      this.say('import-result', [dryRun ? t('预检通过（尚未写入）：') : t('已导入：'), ...lines]);
      (this.root.querySelector('[data-action=commit]') as HTMLButtonElement).disabled = !dryRun;
      if (!dryRun) {
        void this.list();
        void this.unplaced();
        void this.audit();
      }
    } catch (error) {
      this.say('import-result', problemLines(error), 'error');
    }
  }

  /** The network's near-misses: drawn on the map, listed largest gap first. */
  async networkIssues(): Promise<void> {
    const issues = await this.admin.networkIssues().catch(() => null);
    showIssues(this.map, issues);
    if (!issues) return;
    const sorted = [...issues.features].sort((a, b) => b.properties.gap_m - a.properties.gap_m);
    const items = sorted.slice(0, 200).map((f) => {
      const p = f.properties;
      const where = el('button', { type: 'button', class: 'link-button' }, t('定位'));
      where.addEventListener('click', () => this.map.flyTo({ center: f.geometry.coordinates as [number, number], zoom: 19 }));
      const ways = p.osm_ways?.length ? t('（OSM 路线 {ids}）', { ids: p.osm_ways.join('、') }) : '';
      const text =
        p.kind === 'dead_end' ? t('断头路未接：差 {m} 米', { m: p.gap_m.toFixed(1) }) : t('交叉未连接');
      return el('li', {}, `${text}${p.joined ? t('（已自动连接）') : ''}${ways} `, where);
    });
    const summary = t('共 {n} 处（数据文件 {file}）', { n: issues.features.length, file: issues.network });
    this.part('network-issues').replaceChildren(
      el('p', { class: 'hint' }, issues.features.length ? summary : t('未发现路网问题。')),
      items.length ? el('ul', {}, ...items) : '',
    );
  }

  async audit(): Promise<void> {
    const entries = await this.admin.audit().catch(() => []);
    const rows = entries.map((e) => {
      const when = el('td', { class: 'when', title: e.at }, e.at.slice(5, 16).replace('T', ' '));
      const cells = [e.action, `${e.layer ?? ''} ${e.record_id ?? ''}`, e.actor];
      const row = el('tr', { 'data-id': String(e.id) }, when, ...cells.map((c) => el('td', {}, c)));
      if (e.record_id) {
        const revert = el('button', { type: 'button', class: 'link-button' }, t('撤销'));
        revert.addEventListener('click', async () => {
          try {
            await this.admin.revert(e.id);
            void this.list();
            void this.audit();
          } catch (error) {
            this.say('audit-result', problemLines(error), 'error');
          }
        });
        row.append(el('td', {}, revert));
      }
      return row;
    });
    this.part('audit').replaceChildren(el('table', {}, el('tbody', {}, ...rows)));
  }
}

function problemLines(error: unknown): string[] {
  if (!(error instanceof ApiProblem)) return [String(error)];
  return error.reasons.length ? error.reasons : [error.detail || error.title || t('请求失败')];
}

const ISSUES = 'network-issues';

/** Draws the near-misses (or removes them when `issues` is null): dead ends orange,
 * unnoded crossings purple, with the gap a dead end leaves as a short line. */
function showIssues(map: maplibregl.Map, issues: NetworkIssues | null): void {
  for (const id of [`${ISSUES}-points`, `${ISSUES}-gaps`]) if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(ISSUES)) map.removeSource(ISSUES);
  if (!issues) return;
  const gaps = issues.features.flatMap((f) =>
    f.properties.to ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'LineString' as const, coordinates: [f.geometry.coordinates, f.properties.to] } }] : [],
  );
  map.addSource(ISSUES, { type: 'geojson', data: { type: 'FeatureCollection', features: [...issues.features, ...gaps] } });
  map.addLayer({ id: `${ISSUES}-gaps`, type: 'line', source: ISSUES, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#e8590c', 'line-width': 3 } });
  map.addLayer({
    id: `${ISSUES}-points`,
    type: 'circle',
    source: ISSUES,
    filter: ['==', ['geometry-type'], 'Point'],
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3, 18, 8],
      'circle-color': ['match', ['get', 'kind'], 'crossing', '#7048e8', '#e8590c'],
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 1.5,
    },
  });
}
