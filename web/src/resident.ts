// The resident view: a point chosen by tapping the map, searching or the device's
// location (with its accuracy circle and a draggable pin) → the 3 nearest service
// points on foot with minutes, metres, "open now" and routes, the 5-minute walking
// area, and the building, grid, community and street there with public contacts.

import * as maplibregl from 'maplibre-gl';
import type { LngLatBoundsLike, Map as MapLibreMap } from 'maplibre-gl';

import { type Api, ApiProblem, type NearSite, type Place } from './api';
import { describeHours } from './hours';
import { detourNote, distanceText, minutesText } from './walktext';
import { NAV_APPS, navigationUrl } from './navigate';
import type { Overlays } from './overlays';
import { el, renderLocated, renderMessage, telLink } from './panel';
import { t } from './i18n';

export interface ResidentElements {
  results: HTMLElement;
  located: HTMLElement;
  service: HTMLSelectElement;
  locateMe: HTMLButtonElement;
}

export interface ResidentOptions {
  kindLabels: Map<string, string>;
  /** Offer 导航 links to AMap, Baidu and Tencent. */
  navigationApps: boolean;
}

function row(label: string, ...value: (Node | string | null)[]): HTMLElement {
  return el('div', { class: 'row' }, el('span', { class: 'label' }, label), el('span', { class: 'value' }, ...value));
}

function boundsOf(points: [number, number][]): LngLatBoundsLike {
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [
    [Math.min(...lons), Math.min(...lats)],
    [Math.max(...lons), Math.max(...lats)],
  ];
}

export class ResidentView {
  private marker: maplibregl.Marker | null = null;
  private at: [number, number] | null = null;
  private sites: NearSite[] = [];
  private asked = 0;

  constructor(
    private readonly map: MapLibreMap,
    private readonly api: Api,
    readonly overlays: Overlays,
    private readonly els: ResidentElements,
    private readonly options: ResidentOptions,
  ) {
    els.service.addEventListener('change', () => {
      if (this.at) void this.pick(this.at[0], this.at[1]);
    });
    els.locateMe.addEventListener('click', () => this.useDeviceLocation());
  }

  /** Fills the service filter with what the sites offer. */
  async loadServices(): Promise<void> {
    const services = await this.api.services();
    this.els.service.append(...services.map((s) => el('option', { value: s.name }, `${s.name}（${s.sites}）`)));
  }

  /** A search result: frame it, then answer for its point. */
  choose(place: Place): void {
    if (place.bbox && place.kind !== 'site') {
      const [w, s, e, n] = place.bbox;
      this.map.fitBounds([[w, s], [e, n]], { padding: 40, maxZoom: 17, duration: 0 });
    } else {
      this.map.jumpTo({ center: [place.lon, place.lat], zoom: Math.max(this.map.getZoom(), 16) });
    }
    void this.pick(place.lon, place.lat);
  }

  private useDeviceLocation(): void {
    if (!('geolocation' in navigator)) {
      renderMessage(this.els.results, t('此浏览器无法提供位置。'));
      return;
    }
    this.els.locateMe.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        this.els.locateMe.disabled = false;
        const { longitude, latitude, accuracy } = position.coords;
        void this.pick(longitude, latitude, { accuracyM: accuracy, frame: true });
      },
      (error) => {
        this.els.locateMe.disabled = false;
        renderMessage(this.els.results, t('无法获取位置：{why}。可点击地图或搜索地址。', { why: error.message || t('未授权') }));
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }

  private placeMarker(lon: number, lat: number): void {
    if (!this.marker) {
      this.marker = new maplibregl.Marker({ color: '#1e88e5', draggable: true }).setLngLat([lon, lat]).addTo(this.map);
      this.marker.on('dragend', () => {
        const { lng, lat: newLat } = (this.marker as maplibregl.Marker).getLngLat();
        void this.pick(lng, newLat);
      });
    } else {
      this.marker.setLngLat([lon, lat]);
    }
  }

  /** Answers for a point: nearest sites, the walking area, what is there. */
  async pick(lon: number, lat: number, { accuracyM = null as number | null, frame = false } = {}): Promise<void> {
    const asked = ++this.asked;
    this.at = [lon, lat];
    this.placeMarker(lon, lat);
    this.overlays.accuracy(lon, lat, accuracyM);
    renderMessage(this.els.results, t('正在查找最近的服务阵地…'));
    const service = this.els.service.value;
    const [nearest, area, located] = await Promise.allSettled([
      this.api.nearest(lon, lat, { k: 3, service }),
      this.api.isochrone(lon, lat, 5),
      this.api.locate(lon, lat),
    ]);
    if (asked !== this.asked) return;
    if (area.status === 'fulfilled') this.overlays.walkArea(area.value);
    if (located.status === 'fulfilled') renderLocated(this.els.located, located.value);
    else renderMessage(this.els.located, problemText(located.reason, t('此处不在本区的网格内。')));
    if (nearest.status === 'rejected') {
      this.sites = [];
      this.overlays.routes([], 0);
      renderMessage(this.els.results, problemText(nearest.reason, t('查询失败。')));
      return;
    }
    this.sites = nearest.value.features.map((f) => f.properties);
    this.overlays.routes(this.sites, 0);
    this.renderSites(nearest.value.reason, service);
    if (frame && this.sites.length > 0) {
      this.map.fitBounds(boundsOf([[lon, lat], ...this.sites.flatMap((s) => s.route.coordinates as [number, number][])]), {
        padding: 60,
        maxZoom: 17,
        duration: 0,
      });
    }
  }

  private select(i: number): void {
    this.overlays.routes(this.sites, i);
    for (const [k, card] of [...this.els.results.querySelectorAll('.site-card')].entries()) card.classList.toggle('selected', k === i);
  }

  private renderSites(reason: string | null, service: string): void {
    if (this.sites.length === 0) {
      renderMessage(this.els.results, reason ?? (service ? t('步行 5 公里内没有提供“{service}”的服务阵地。', { service }) : t('步行 5 公里内没有服务阵地。')));
      return;
    }
    const title = el('h2', {}, service ? t('最近的“{service}”服务', { service }) : t('最近的服务阵地'));
    const cards = this.sites.map((site, i) => this.card(site, i));
    const note = el('p', { class: 'note' }, t('红色虚线范围：步行 5 分钟（300 米）可达。'));
    this.els.results.replaceChildren(title, ...cards, note);
    this.select(0);
  }

  private card(site: NearSite, i: number): HTMLElement {
    const open =
      site.open_now === null ? null : el('span', { class: `open ${site.open_now ? 'open-yes' : 'open-no'}` }, site.open_now ? t('开放中') : t('未开放'));
    const hours = describeHours(site.hours);
    const detour = detourNote(site.walk_m, site.straight_m);
    const nav = this.options.navigationApps
      ? NAV_APPS.flatMap(({ app, label }) => {
          const href = navigationUrl(app, site);
          return href ? [el('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'nav-link' }, label)] : [];
        })
      : [];
    const card = el(
      'article',
      { class: 'site-card', tabindex: '0', 'data-site': site.id },
      el('h3', {}, site.name),
      el('div', { class: 'walk' }, el('strong', {}, minutesText(site.walk_min)), t(' · 步行 {d} ', { d: distanceText(site.walk_m) }), open),
      detour ? el('p', { class: 'detour' }, detour) : null,
      row(t('类型'), this.options.kindLabels.get(site.kind) ?? site.kind),
      site.address ? row(t('地址'), site.address) : null,
      site.host ? row(t('承办'), site.host) : null,
      hours.length > 0 ? row(t('时间'), hours.join(t('；'))) : null,
      site.services.length > 0 ? row(t('服务'), site.services.join(t('、'))) : null,
      site.public_contact ? row(t('电话'), telLink(site.public_contact)) : null,
      nav.length > 0 ? row(t('导航'), ...nav) : null,
    );
    const activate = () => this.select(i);
    card.addEventListener('click', activate);
    card.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        activate();
      }
    });
    return card;
  }
}

function problemText(reason: unknown, fallback: string): string {
  if (reason instanceof ApiProblem && reason.status === 404) return fallback;
  if (reason instanceof ApiProblem && reason.status === 422) return t('此处附近没有步行道路。');
  return reason instanceof Error ? reason.message : fallback;
}
