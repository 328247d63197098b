// The planner view: coverage by street, community or grid under a walking budget
// (minutes × speed) as a choropleth with its legend and basis, the coverage cells
// recoloured at once as the sliders move, a sortable table with CSV/XLSX downloads,
// suggested new sites with their gains, and what-if — click to add a point, click
// a service point to close it — with per-street changes, saved and shared by URL.

import type { FeatureCollection, Point } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';

import { Api, type Budget, type Coverage, type CoverageRow } from './api';
import { el, renderMessage } from './panel';
import { COVERAGE_LAYER } from './style';
import { t } from './i18n';

export type Level = 'street' | 'community' | 'grid';

const SOURCE_OF: Record<Level, string> = { street: 'streets', community: 'communities', grid: 'grids' };
const LEVEL_LABELS: Record<Level, string> = { street: t('街道'), community: t('社区'), grid: t('网格') };

/** Coverage colour stops, per cent → colour (red for few covered, green for most). */
export const CHOROPLETH_STOPS: [number, string][] = [
  [0, '#b2182b'],
  [25, '#ef8a62'],
  [50, '#fddbc7'],
  [75, '#a6d96a'],
  [100, '#1a9850'],
];

/** Cells within the budget green, within twice it amber, beyond red, none grey. */
export function cellColour(metres: number): ExpressionSpecification {
  return [
    'case',
    ['!', ['has', 'walk_m']],
    '#9e9e9e',
    ['<=', ['get', 'walk_m'], metres],
    '#2e7d32',
    ['<=', ['get', 'walk_m'], metres * 2],
    '#f9a825',
    '#c62828',
  ];
}

export type SortKey = 'name' | 'population' | 'uncovered_population' | 'coverage_pct';

/** Rows sorted by `key`, ascending or not; areas without figures last. */
export function sortRows(rows: CoverageRow[], key: SortKey, ascending: boolean): CoverageRow[] {
  const value = (r: CoverageRow) => (key === 'name' ? r.name : (r[key] ?? Number.NEGATIVE_INFINITY));
  return [...rows].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    const order = typeof x === 'string' ? x.localeCompare(y as string, 'zh-CN') : (x as number) - (y as number);
    return ascending ? order : -order;
  });
}

interface PlanPoint {
  kind: 'added' | 'removed' | 'suggested';
  lon: number;
  lat: number;
  label: string;
}

export class PlannerView {
  private level: Level = 'street';
  private coverage: Coverage | null = null;
  private sort: { key: SortKey; ascending: boolean } = { key: 'coverage_pct', ascending: true };
  private added: [number, number][] = [];
  private removed: { id: string; name: string; lon: number; lat: number }[] = [];
  private suggested: PlanPoint[] = [];
  private timer: number | undefined;
  private asked = 0;

  constructor(
    private readonly map: MapLibreMap,
    private readonly api: Api,
    private readonly root: HTMLElement,
  ) {
    const before = map.getLayer('major_roads-casing') ? 'major_roads-casing' : undefined;
    for (const level of Object.keys(SOURCE_OF) as Level[]) {
      const source = SOURCE_OF[level];
      if (!map.getSource(source)) continue;
      const colour: ExpressionSpecification = ['interpolate', ['linear'], ['coalesce', ['feature-state', 'pct'], 0]];
      for (const [pct, c] of CHOROPLETH_STOPS) colour.push(pct, c);
      map.addLayer(
        {
          id: `plan-${level}`,
          type: 'fill',
          source,
          'source-layer': source,
          layout: { visibility: 'none' },
          paint: {
            'fill-color': colour,
            'fill-opacity': ['case', ['==', ['feature-state', 'pct'], null], 0, 0.55],
          },
        },
        before,
      );
    }
    map.addSource('plan-gaps', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer(
      {
        id: 'plan-gaps',
        type: 'line',
        source: 'plan-gaps',
        layout: { visibility: 'none' },
        paint: { 'line-color': '#4a148c', 'line-width': ['interpolate', ['linear'], ['get', 'population'], 0, 1, 2000, 3.5] },
      },
      before,
    );
    map.addSource('plan-points', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'plan-points',
      type: 'circle',
      source: 'plan-points',
      paint: {
        'circle-radius': 8,
        'circle-color': ['match', ['get', 'kind'], 'added', '#1e88e5', 'suggested', '#8e24aa', '#ffffff'],
        'circle-stroke-color': ['match', ['get', 'kind'], 'removed', '#000000', '#ffffff'],
        'circle-stroke-width': 2.5,
      },
    });
    this.wire();
  }

  private input(name: string): HTMLInputElement {
    return this.root.querySelector(`[name="${name}"]`) as HTMLInputElement;
  }

  budget(): Budget {
    return { minutes: Number(this.input('minutes').value), speed: Number(this.input('speed').value) };
  }

  private wire(): void {
    const onBudget = () => {
      const b = this.budget();
      (this.root.querySelector('[data-out="minutes"]') as HTMLElement).textContent = t('{n} 分钟', { n: b.minutes });
      (this.root.querySelector('[data-out="speed"]') as HTMLElement).textContent = t('{n} 米/分钟', { n: b.speed });
      // The cells recolour at once; the figures follow when the slider rests.
      if (this.map.getLayer(COVERAGE_LAYER)) this.map.setPaintProperty(COVERAGE_LAYER, 'fill-color', cellColour(b.minutes * b.speed));
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.refresh(), 250);
    };
    this.input('minutes').addEventListener('input', onBudget);
    this.input('speed').addEventListener('input', onBudget);
    (this.root.querySelector('[name="level"]') as HTMLSelectElement).addEventListener('change', (event) => {
      this.level = (event.target as HTMLSelectElement).value as Level;
      void this.refresh();
    });
    (this.root.querySelector('[data-action="suggest"]') as HTMLElement).addEventListener('click', () => void this.suggest());
    (this.root.querySelector('[name="gaps"]') as HTMLInputElement).addEventListener('change', () => void this.gaps());
    (this.root.querySelector('[data-action="save"]') as HTMLElement).addEventListener('click', () => void this.save());
    (this.root.querySelector('[data-action="reset"]') as HTMLElement).addEventListener('click', () => {
      this.added = [];
      this.removed = [];
      this.drawPoints();
      void this.whatIf();
    });
  }

  /** Shows this view's layers (or hides them when leaving it). */
  show(on: boolean): void {
    for (const level of Object.keys(SOURCE_OF) as Level[]) {
      if (this.map.getLayer(`plan-${level}`)) {
        this.map.setLayoutProperty(`plan-${level}`, 'visibility', on && level === this.level ? 'visible' : 'none');
      }
    }
    // The coverage cells go on with this view, through the legend's switch so the
    // legend says so too.
    const box = document.querySelector<HTMLInputElement>('.legend input[data-section="coverage"]');
    if (box && box.checked !== on) {
      box.checked = on;
      box.dispatchEvent(new Event('change'));
    }
    this.map.setLayoutProperty('plan-points', 'visibility', on ? 'visible' : 'none');
    this.map.setLayoutProperty('plan-gaps', 'visibility', on && this.input('gaps').checked ? 'visible' : 'none');
    if (on && !this.coverage) void this.refresh();
  }

  async refresh(): Promise<void> {
    const asked = ++this.asked;
    const budget = this.budget();
    let coverage: Coverage;
    try {
      coverage = await this.api.coverage(this.level, budget);
    } catch (error) {
      renderMessage(this.part('table'), error instanceof Error ? error.message : String(error));
      return;
    }
    if (asked !== this.asked) return;
    const previous = this.coverage;
    this.coverage = coverage;
    const source = SOURCE_OF[this.level];
    if (previous && previous.level !== coverage.level) {
      this.map.removeFeatureState({ source: SOURCE_OF[previous.level as Level], sourceLayer: SOURCE_OF[previous.level as Level] });
    }
    for (const row of coverage.rows) {
      this.map.setFeatureState({ source, sourceLayer: source, id: row.id }, { pct: row.coverage_pct });
    }
    this.show(true);
    this.renderTable();
    this.renderBasis(budget);
    if (this.input('gaps').checked) void this.gaps();
    if (this.added.length || this.removed.length) void this.whatIf();
  }

  private part(name: string): HTMLElement {
    return this.root.querySelector(`[data-part="${name}"]`) as HTMLElement;
  }

  private renderBasis(budget: Budget): void {
    const b = this.coverage?.basis;
    if (!b) return;
    const total = this.coverage?.total;
    this.part('basis').textContent = t(
      '口径：步行 {minutes} 分钟 × {speed} 米/分钟 = {metres} 米（路网距离），全区覆盖 {pct}%（{covered} / {population} 人）。数据日期 {date}{synthetic}。',
      {
        minutes: budget.minutes,
        speed: budget.speed,
        metres: b.metres,
        pct: total?.coverage_pct ?? '—',
        covered: total?.covered_population ?? 0,
        population: total?.population ?? 0,
        date: b.data_date ?? '—',
        synthetic: b.synthetic ? t('，演示数据（合成）') : '',
      },
    );
    const csv = this.part('downloads');
    csv.replaceChildren(
      el('a', { href: Api.coverageQuery(this.level, budget, 'csv'), download: '' }, t('下载 CSV')),
      ' ',
      el('a', { href: Api.coverageQuery(this.level, budget, 'xlsx'), download: '' }, t('下载 XLSX')),
    );
  }

  private renderTable(): void {
    if (!this.coverage) return;
    const columns: [SortKey, string][] = [
      ['name', LEVEL_LABELS[this.level]],
      ['population', t('人口')],
      ['uncovered_population', t('未覆盖')],
      ['coverage_pct', t('覆盖率')],
    ];
    const head = el(
      'tr',
      {},
      ...columns.map(([key, label]) => {
        const mark = this.sort.key === key ? (this.sort.ascending ? ' ▲' : ' ▼') : '';
        const button = el('button', { type: 'button', 'data-sort': key }, label + mark);
        button.addEventListener('click', () => {
          this.sort = { key, ascending: this.sort.key === key ? !this.sort.ascending : key === 'name' };
          this.renderTable();
        });
        return el('th', { scope: 'col', 'aria-sort': mark ? (this.sort.ascending ? 'ascending' : 'descending') : 'none' }, button);
      }),
    );
    const rows = sortRows(this.coverage.rows, this.sort.key, this.sort.ascending).map((r) =>
      el(
        'tr',
        { 'data-id': r.id },
        el('td', {}, r.name),
        el('td', { class: 'num' }, r.population.toLocaleString('zh-CN')),
        el('td', { class: 'num' }, r.uncovered_population.toLocaleString('zh-CN')),
        el('td', { class: 'num' }, r.coverage_pct === null ? '—' : `${r.coverage_pct.toFixed(1)}%`),
      ),
    );
    this.part('table').replaceChildren(el('table', { class: 'table' }, el('thead', {}, head), el('tbody', {}, ...rows)));
  }

  /** Outlines the gaps (res-10 cells holding uncovered residents) when asked for. */
  private async gaps(): Promise<void> {
    const on = this.input('gaps').checked;
    const out = this.part('gaps');
    this.map.setLayoutProperty('plan-gaps', 'visibility', on ? 'visible' : 'none');
    if (!on) return out.replaceChildren();
    try {
      const gaps = await this.api.gaps(this.budget());
      (this.map.getSource('plan-gaps') as GeoJSONSource).setData(gaps);
      const top = gaps.features.slice(0, 3).map((f) => f.properties.population.toLocaleString('zh-CN'));
      out.textContent = t('{n} 处缺口（紫色轮廓，线越粗人越多）；最大的三处 {top} 人。', { n: gaps.features.length, top: top.join(t('、')) });
    } catch (error) {
      renderMessage(out, error instanceof Error ? error.message : String(error));
    }
  }

  private async suggest(): Promise<void> {
    const count = Math.min(30, Math.max(1, Number(this.input('count').value) || 5));
    const out = this.part('suggestions');
    renderMessage(out, t('正在计算…'));
    try {
      const found = await this.api.suggest(count, this.budget());
      this.suggested = found.map((s, i) => ({ kind: 'suggested', lon: s.lon, lat: s.lat, label: String(i + 1) }));
      out.replaceChildren(
        el(
          'ol',
          {},
          ...found.map((s) => el('li', {}, t('新增覆盖 {gain} 人，累计 {pct}%', { gain: s.gain_population.toLocaleString('zh-CN'), pct: s.cumulative_coverage_pct.toFixed(1) }))),
        ),
      );
      this.drawPoints();
    } catch (error) {
      renderMessage(out, error instanceof Error ? error.message : String(error));
    }
  }

  /** A map click in this view: close the service point clicked, else add a point. */
  click(event: MapMouseEvent): void {
    const hit = this.map.queryRenderedFeatures(event.point, { layers: ['sites-circle'] }).find((f) => f.properties.service_point);
    if (hit) {
      const id = String(hit.properties.id);
      const [lon, lat] = (hit.geometry as Point).coordinates;
      const known = this.removed.findIndex((r) => r.id === id);
      if (known >= 0) this.removed.splice(known, 1);
      else this.removed.push({ id, name: String(hit.properties.name), lon, lat });
    } else {
      this.added.push([event.lngLat.lng, event.lngLat.lat]);
    }
    this.drawPoints();
    void this.whatIf(!hit);
  }

  private drawPoints(): void {
    const points: PlanPoint[] = [
      ...this.suggested,
      ...this.added.map(([lon, lat], i) => ({ kind: 'added' as const, lon, lat, label: `+${i + 1}` })),
      ...this.removed.map((r) => ({ kind: 'removed' as const, lon: r.lon, lat: r.lat, label: r.name })),
    ];
    const data: FeatureCollection = {
      type: 'FeatureCollection',
      features: points.map((p) => ({ type: 'Feature', properties: { kind: p.kind, label: p.label }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })),
    };
    (this.map.getSource('plan-points') as GeoJSONSource).setData(data);
  }

  /** Recomputes what-if; a point just added that the server refuses is taken back. */
  private async whatIf(justAdded = false): Promise<void> {
    const out = this.part('whatif');
    if (this.added.length === 0 && this.removed.length === 0) {
      renderMessage(out, t('点击地图添加候选点；点击服务点将其关闭。'));
      return;
    }
    try {
      const r = await this.api.whatIf(this.added, this.removed.map((s) => s.id), this.budget());
      const d = r.delta.district;
      const signed = (n: number) => (n > 0 ? `+${n.toLocaleString('zh-CN')}` : n.toLocaleString('zh-CN'));
      const changed = r.delta.streets.filter((s) => s.covered_population !== 0);
      out.replaceChildren(
        el('p', {}, t('新增 {added} 处、关闭 {removed} 处：全区覆盖人口 {delta}（{pct}%）', { added: this.added.length, removed: this.removed.length, delta: signed(d.covered_population), pct: r.after.district.coverage_pct ?? '—' })),
        el('ul', { class: 'plain' }, ...changed.map((s) => el('li', { 'data-street': s.id }, t('{name} {delta} 人', { name: s.name, delta: signed(s.covered_population) })))),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (justAdded) {
        this.added.pop();
        this.drawPoints();
        out.prepend(el('p', { class: 'error' }, t('此点未加入：{why}', { why: message })));
      } else {
        renderMessage(out, message);
      }
    }
  }

  /** Opens a saved scenario: its budget, its added points and closed sites. */
  async load(id: string): Promise<void> {
    const out = this.part('share');
    try {
      const scenario = await this.api.scenario(id);
      const r = scenario.request;
      if (r.minutes) this.input('minutes').value = String(r.minutes);
      if (r.speed) this.input('speed').value = String(r.speed);
      this.input('scenario').value = scenario.name;
      this.added = r.add;
      this.removed = await Promise.all(
        r.remove.map(async (siteId) => {
          const site = await this.api.site(siteId);
          const [lon, lat] = site.geometry.coordinates;
          return { id: siteId, name: site.properties.name, lon, lat };
        }),
      );
      this.drawPoints();
      this.input('minutes').dispatchEvent(new Event('input'));
      out.textContent = t('已打开方案：{name}', { name: scenario.name });
    } catch (error) {
      renderMessage(out, error instanceof Error ? error.message : String(error));
    }
  }

  private async save(): Promise<void> {
    const share = this.part('share');
    const name = (this.input('scenario').value || '').trim() || `方案 ${new Date().toLocaleString('zh-CN')}`;
    try {
      const saved = await this.api.saveScenario(name, this.added, this.removed.map((s) => s.id), this.budget());
      const url = new URL(`/?scenario=${encodeURIComponent(saved.id)}`, window.location.origin).href;
      share.replaceChildren(t('已保存，分享链接：'), el('a', { href: url, 'data-scenario': saved.id }, url));
    } catch (error) {
      renderMessage(share, t('保存失败：{why}', { why: error instanceof Error ? error.message : String(error) }));
    }
  }
}
