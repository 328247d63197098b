// The dispatcher view: an incident clicked on the map or entered as coordinates
// (WGS-84, GCJ-02 or BD-09) → the chain of responsibility with contacts and workers
// (unmasked for this role), what can walk there within 10 minutes nearest first with
// its route on hover, and emergency units by straight-line distance, labelled so.

import * as maplibregl from 'maplibre-gl';
import type { Map as MapLibreMap } from 'maplibre-gl';

import type { Api, DispatchSite } from './api';
import type { Overlays } from './overlays';
import { el, renderLocated, renderMessage, telLink } from './panel';
import { distanceText, minutesText } from './walktext';
import { t } from './i18n';

export interface DispatcherElements {
  form: HTMLFormElement;
  output: HTMLElement;
}

/** `lon,lat` (comma, space or Chinese comma between) → numbers, or null. */
export function parseCoordinates(text: string): [number, number] | null {
  const parts = text.trim().split(/[\s,，]+/).filter(Boolean).map(Number);
  if (parts.length !== 2 || parts.some((v) => !Number.isFinite(v))) return null;
  const [lon, lat] = parts;
  return Math.abs(lon) <= 180 && Math.abs(lat) <= 90 ? [lon, lat] : null;
}

export class DispatcherView {
  private marker: maplibregl.Marker | null = null;
  private resources: DispatchSite[] = [];

  constructor(
    private readonly map: MapLibreMap,
    private readonly api: Api,
    private readonly overlays: Overlays,
    private readonly els: DispatcherElements,
    private readonly kindLabels: Map<string, string>,
  ) {
    els.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(els.form);
      const at = parseCoordinates(String(data.get('coordinates') ?? ''));
      if (!at) {
        renderMessage(els.output, t('请输入“经度,纬度”，例如 121.3786,37.5391。'));
        return;
      }
      void this.incident(at[0], at[1], String(data.get('crs') ?? 'wgs84'));
    });
  }

  async incident(lon: number, lat: number, crs = 'wgs84'): Promise<void> {
    renderMessage(this.els.output, t('正在查询…'));
    let answer;
    try {
      answer = await this.api.dispatch(lon, lat, crs, 10);
    } catch (error) {
      renderMessage(this.els.output, error instanceof Error ? error.message : String(error));
      return;
    }
    const [wLon, wLat] = answer.locate.point;
    if (!this.marker) this.marker = new maplibregl.Marker({ color: '#6a1b9a' });
    this.marker.setLngLat([wLon, wLat]).addTo(this.map);
    this.map.easeTo({ center: [wLon, wLat], zoom: Math.max(this.map.getZoom(), 16), duration: 0 });
    this.resources = answer.walking.resources ?? [];
    this.overlays.walkArea({ type: 'FeatureCollection', features: [] });
    this.drawRoutes(-1);
    const chain = el('div', { class: 'chain' });
    renderLocated(chain, answer.locate);
    const walking = answer.walking.resources
      ? this.resources.map((r, i) => this.resourceItem(r, i))
      : [el('li', { class: 'hint' }, answer.walking.unavailable ?? '')];
    const paired = [...answer.responsibility.paired_units, ...answer.responsibility.governance_committees];
    this.els.output.replaceChildren(
      el('h2', {}, t('责任链')),
      chain,
      el('h2', {}, t('结对与治理单位')),
      el('ul', { class: 'plain' }, ...(paired.length ? paired.map((u) => this.unitItem(u)) : [el('li', { class: 'hint' }, t('无'))])),
      el('h2', {}, t('10 分钟内步行可达的资源')),
      el('ol', { class: 'resources' }, ...walking),
      el('h2', {}, t('应急单位（直线距离）')),
      el('p', { class: 'note' }, t('按直线距离排列，不是步行或行车路线。')),
      el('ul', { class: 'plain' }, ...answer.emergency.units.map((u) => this.unitItem(u, t('直线 {d}', { d: distanceText(u.straight_line_m ?? 0) })))),
    );
  }

  private drawRoutes(selected: number): void {
    const routed = this.resources.flatMap((r) => (r.route ? [{ id: r.id, route: r.route }] : []));
    this.overlays.routes(routed, selected);
  }

  private unitItem(u: DispatchSite, extra?: string): HTMLElement {
    return el('li', {}, `${u.name}（${this.kindLabels.get(u.kind) ?? u.kind}）`, extra ? ` · ${extra} ` : ' ', telLink(u.public_contact));
  }

  private resourceItem(r: DispatchSite, i: number): HTMLElement {
    const item = el(
      'li',
      { tabindex: '0', 'data-site': r.id },
      el('strong', {}, minutesText(r.walk_min ?? 0)),
      ` ${distanceText(r.walk_m ?? 0)} · ${r.name}（${this.kindLabels.get(r.kind) ?? r.kind}） `,
      telLink(r.public_contact),
    );
    const show = () => this.drawRoutes(i);
    item.addEventListener('mouseenter', show);
    item.addEventListener('focus', show);
    return item;
  }
}
