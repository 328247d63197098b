// The only module that talks to the server. Every call goes to our own origin.

import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';

export interface Health {
  status: string;
  backend: string;
  profile: 'internal' | 'public';
  synthetic: boolean;
  /** Whether destinations may be handed to AMap, Baidu or Tencent (off on intranets). */
  navigation_apps: boolean;
  counts: Record<string, number>;
  versions: Record<string, string>;
}

export interface Person {
  id: string;
  name: string;
  phone: string;
  masked: boolean;
}

export interface Located {
  point: [number, number];
  building: {
    id: string;
    address: string;
    party_group: string | null;
    floors: number;
    households: number;
    population: number;
    distance_m: number;
    building_head: Person | null;
  } | null;
  compound: { id: string; name: string; address: string | null } | null;
  grid: {
    id: string;
    code: string;
    name: string | null;
    party_branch: string;
    public_contact: string | null;
    population: number;
    households: number;
    workers: Person[];
  } | null;
  community: { id: string; name: string; public_contact: string | null } | null;
  street: { id: string; name: string; committee: string | null; public_contact: string | null } | null;
  personal_data: 'masked' | 'unmasked' | 'not_loaded';
  synthetic: boolean;
}

/** A place found by search. */
export interface Place {
  kind: 'street' | 'community' | 'grid' | 'site' | 'compound' | 'road' | 'building';
  id: string;
  name: string;
  detail: string | null;
  lon: number;
  lat: number;
  bbox: [number, number, number, number] | null;
  match: 'exact' | 'prefix' | 'initials' | 'fuzzy';
}

export interface WeeklyHours {
  days: number[];
  open: string;
  close: string;
}

export interface Hours {
  weekly?: WeeklyHours[];
  closures?: string[];
  timezone?: string;
}

/** A site reached on foot, as `nearest` answers. */
export interface NearSite {
  id: string;
  name: string;
  kind: string;
  address: string | null;
  host: string | null;
  services: string[];
  public_contact: string | null;
  hours: Hours | null;
  open_now: boolean | null;
  walk_m: number;
  walk_min: number;
  /** The straight line from the point to the site, metres. */
  straight_m?: number;
  /** walk_m ÷ straight_m, absent within a metre. */
  detour_ratio?: number;
  route: LineString;
  navigate: { gcj02: [number, number]; bd09: [number, number] } | null;
}

export interface Nearest {
  features: Feature<Point, NearSite>[];
  /** Why nothing was found, when nothing was. */
  reason: string | null;
}

export interface ServiceCount {
  name: string;
  sites: number;
}

/** An RFC 9457 problem returned by the server, kept whole for the message. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    /** Each field's or data file's problem, in Chinese (empty when the server named none). */
    readonly reasons: string[] = [],
  ) {
    super(detail || title);
  }
}

/** A problem document's field errors and data-file problems, in Chinese. */
export function problemReasons(problem: {
  errors?: { pointer: string; reason_zh?: string; reason: string }[];
  problems?: { message_zh: string }[];
}): string[] {
  return [
    ...(problem.errors ?? []).map((e) => `${e.pointer.replace(/^\/body\/(properties\/)?/, '')}：${e.reason_zh ?? e.reason}`),
    ...(problem.problems ?? []).map((p) => p.message_zh),
  ];
}

export type Role = 'viewer' | 'planner' | 'dispatcher' | 'service' | 'admin';

export interface CoverageRow {
  id: string;
  code: string;
  name: string;
  population: number;
  covered_population: number;
  uncovered_population: number;
  coverage_pct: number | null;
  buildings: number;
  covered_buildings: number;
  service_points: number;
}

export interface Coverage {
  level: string;
  rows: CoverageRow[];
  total: CoverageRow;
  basis: { metres: number; minutes: number | null; speed_m_per_min: number | null; data_date: string | null; synthetic: boolean; method: string };
}

export interface Suggestion {
  lon: number;
  lat: number;
  gain_population: number;
  cumulative_covered_population: number;
  cumulative_coverage_pct: number;
}

export interface WhatIf {
  before: { district: CoverageRow; streets: CoverageRow[] };
  after: { district: CoverageRow; streets: CoverageRow[] };
  delta: { district: CoverageRow; streets: CoverageRow[] };
}

export interface DispatchSite {
  id: string;
  name: string;
  kind: string;
  address: string | null;
  public_contact: string | null;
  walk_m?: number;
  walk_min?: number;
  straight_line_m?: number;
  route?: LineString;
  category?: string | null;
}

export interface Dispatch {
  locate: Located;
  responsibility: { paired_units: DispatchSite[]; governance_committees: DispatchSite[] };
  walking: { resources?: DispatchSite[]; unavailable?: string };
  emergency: { note: string; units: DispatchSite[] };
}

/** The walking budget of a planning question. */
export interface Budget {
  minutes: number;
  speed: number;
}

type Fetch = typeof fetch;

export class Api {
  constructor(private readonly fetchImpl: Fetch = (input, init) => fetch(input, init)) {}

  /** The CSRF token of the session this page opened, sent with every write. */
  csrfToken: string | null = null;

  /**
   * A JSON answer, or an `ApiProblem` (for this module's classes). `body` is sent as JSON (as `contentType`,
   * default `application/json`), a `FormData` as it is; `ifMatch` guards a write.
   */
  async json<T>(
    path: string,
    init: { method?: string; body?: unknown; contentType?: string; ifMatch?: string | null } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const form = init.body instanceof FormData;
    if (init.body !== undefined && !form) headers['content-type'] = init.contentType ?? 'application/json';
    if (init.method && init.method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    if (init.ifMatch) headers['if-match'] = init.ifMatch;
    const response = await this.fetchImpl(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : form ? (init.body as FormData) : JSON.stringify(init.body),
      credentials: 'same-origin',
    });
    if (response.status === 204) return undefined as T;
    if (!response.ok) {
      let title = response.statusText;
      let detail = '';
      let reasons: string[] = [];
      try {
        const problem = await response.json();
        title = problem.title ?? title;
        detail = problem.detail ?? '';
        reasons = problemReasons(problem);
      } catch {
        // Not a problem document; keep the status text.
      }
      throw new ApiProblem(response.status, title, detail, reasons);
    }
    return (await response.json()) as T;
  }

  /** The `ETag` (a record's version) of a GET. */
  async etag(path: string): Promise<string | null> {
    const response = await this.fetchImpl(path, { credentials: 'same-origin' });
    return response.ok ? response.headers.get('etag') : null;
  }

  health(): Promise<Health> {
    return this.json('/api/v1/health');
  }

  /** The map style over this server's vector tiles. */
  style(): Promise<StyleSpecification> {
    return this.json('/style.json');
  }

  /** Every feature of a layer, following the OGC `next` links page by page. */
  async features(layer: string): Promise<FeatureCollection> {
    const features: Feature[] = [];
    let path: string | null = `/ogc/collections/${encodeURIComponent(layer)}/items?limit=10000`;
    while (path) {
      const page: OgcPage = await this.json<OgcPage>(path);
      features.push(...page.features);
      const next = page.links.find((l) => l.rel === 'next');
      path = next ? sameOriginPath(next.href) : null;
    }
    return { type: 'FeatureCollection', features };
  }

  /** The services sites offer, most offered first. */
  async services(): Promise<ServiceCount[]> {
    const { layers } = await this.json<{ layers: { id: string; services?: ServiceCount[] }[] }>('/api/v1/layers');
    return layers.find((l) => l.id === 'sites')?.services ?? [];
  }

  async search(q: string, limit = 8): Promise<Place[]> {
    const query = new URLSearchParams({ q, limit: String(limit) });
    return (await this.json<{ results: Place[] }>(`/api/v1/search?${query}`)).results;
  }

  nearest(lon: number, lat: number, { k = 3, service = '' } = {}): Promise<Nearest> {
    const q = new URLSearchParams({ lon: lon.toFixed(7), lat: lat.toFixed(7), k: String(k) });
    if (service) q.set('service', service);
    return this.json(`/api/v1/nearest?${q}`);
  }

  isochrone(lon: number, lat: number, minutes = 5): Promise<FeatureCollection<Polygon | MultiPolygon>> {
    const q = new URLSearchParams({ lon: lon.toFixed(7), lat: lat.toFixed(7), minutes: String(minutes) });
    return this.json(`/api/v1/isochrone?${q}`);
  }

  session(): Promise<{ role: Role | null }> {
    return this.json('/api/v1/session');
  }

  async logIn(token: string): Promise<Role> {
    const r = await this.json<{ role: Role; csrf_token: string }>('/api/v1/session', { method: 'POST', body: { token } });
    this.csrfToken = r.csrf_token;
    return r.role;
  }

  async logOut(): Promise<void> {
    await this.json('/api/v1/session', { method: 'DELETE' });
    this.csrfToken = null;
  }

  dispatch(lon: number, lat: number, crs = 'wgs84', minutes = 10): Promise<Dispatch> {
    const q = new URLSearchParams({ lon: String(lon), lat: String(lat), crs, minutes: String(minutes) });
    return this.json(`/api/v1/dispatch?${q}`);
  }

  /** The coverage query string for a level and budget (also the download links'). */
  static coverageQuery(level: string, budget: Budget, format = 'json'): string {
    const q = new URLSearchParams({ level, minutes: String(budget.minutes), speed: String(budget.speed), format });
    return `/api/v1/coverage?${q}`;
  }

  coverage(level: string, budget: Budget): Promise<Coverage> {
    return this.json(Api.coverageQuery(level, budget));
  }

  /** Where the uncovered residents live: dissolved H3 cells, most people first. */
  gaps(budget: Budget, resolution = 10): Promise<FeatureCollection<Polygon | MultiPolygon, { population: number; rank: number }>> {
    const q = new URLSearchParams({ minutes: String(budget.minutes), speed: String(budget.speed), resolution: String(resolution) });
    return this.json(`/api/v1/coverage/gaps?${q}`);
  }

  async suggest(count: number, budget: Budget): Promise<Suggestion[]> {
    const body = { count, minutes: budget.minutes, speed: budget.speed };
    return (await this.json<{ suggestions: Suggestion[] }>('/api/v1/plan/suggest', { method: 'POST', body })).suggestions;
  }

  whatIf(add: [number, number][], remove: string[], budget: Budget): Promise<WhatIf> {
    return this.json('/api/v1/plan/what-if', { method: 'POST', body: { add, remove, minutes: budget.minutes, speed: budget.speed } });
  }

  saveScenario(name: string, add: [number, number][], remove: string[], budget: Budget): Promise<{ id: string; url: string }> {
    return this.json('/api/v1/plan/scenarios', {
      method: 'POST',
      body: { name, add, remove, minutes: budget.minutes, speed: budget.speed },
    });
  }

  scenario(id: string): Promise<{ id: string; name: string; request: { add: [number, number][]; remove: string[]; minutes: number | null; speed: number | null } }> {
    return this.json(`/api/v1/plan/scenarios/${encodeURIComponent(id)}`);
  }

  /** One site as the OGC API serves it. */
  site(id: string): Promise<Feature<Point, { id: string; name: string }>> {
    return this.json(`/ogc/collections/sites/items/${encodeURIComponent(id)}`);
  }

  locate(lon: number, lat: number): Promise<Located> {
    const q = new URLSearchParams({ lon: lon.toFixed(7), lat: lat.toFixed(7) });
    return this.json(`/api/v1/locate?${q}`);
  }
}

/** The console's calls (admin role). */
/** A near-miss of the walking network, as `/api/v1/network/issues` lists it. */
export interface NetworkIssue {
  kind: 'dead_end' | 'crossing';
  kind_zh: string;
  gap_m: number;
  /** For a dead end: the nearest point of the edge it misses. */
  to?: [number, number];
  edges: [string, string];
  osm_ways?: number[];
  joined: boolean;
}

export interface NetworkIssues {
  type: 'FeatureCollection';
  features: Feature<Point, NetworkIssue>[];
  reported_within_m: number;
  join_gaps_m: number;
  network: string;
}

export class AdminApi {
  constructor(private readonly api: Api) {}

  /** The walking network's near-misses, for the administrator to fix in the data. */
  networkIssues(): Promise<NetworkIssues> {
    return this.api.json('/api/v1/network/issues');
  }

  records(layer: string, q: string, limit = 50): Promise<{ total: number; items: AdminRecord[] }> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (q) query.set('q', q);
    return this.api.json(`/api/v1/admin/records/${encodeURIComponent(layer)}?${query}`);
  }

  /** Patches a record (RFC 7386), a site against the version it was read at. */
  async patch(layer: string, id: string, patch: unknown): Promise<void> {
    const path = `/api/v1/${layer}/${encodeURIComponent(id)}`;
    const ifMatch = layer === 'sites' ? await this.api.etag(path) : null;
    await this.api.json(path, { method: 'PATCH', body: patch, contentType: 'application/merge-patch+json', ifMatch });
  }

  createSite(lon: number, lat: number, properties: Record<string, unknown>): Promise<Feature<Point, { id: string }>> {
    return this.api.json('/api/v1/sites', { method: 'POST', body: { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties } });
  }

  unplaced(): Promise<{ id: number; properties: Record<string, string>; source: string }[]> {
    return this.api.json('/api/v1/admin/unplaced');
  }

  place(id: number, lon: number, lat: number): Promise<Feature<Point, { id: string }>> {
    return this.api.json(`/api/v1/admin/unplaced/${id}/place`, { method: 'POST', body: { lon, lat } });
  }

  /** Sends a file to one layer: a dry run reports, otherwise it is committed. */
  importFile(layer: string, file: File, dryRun: boolean): Promise<ImportReport> {
    const body = new FormData();
    body.append('file', file, file.name);
    const query = new URLSearchParams({ layer, dry_run: String(dryRun) });
    return this.api.json(`/api/v1/import?${query}`, { method: 'POST', body });
  }

  audit(limit = 20): Promise<AuditEntry[]> {
    return this.api.json(`/api/v1/admin/audit?limit=${limit}`);
  }

  revert(id: number): Promise<unknown> {
    return this.api.json(`/api/v1/admin/audit/${id}/revert`, { method: 'POST' });
  }
}

export interface AdminRecord {
  id: string;
  properties: Record<string, unknown>;
  at: [number, number] | null;
}

export interface ImportReport {
  accepted: boolean;
  changes: { layer: string; added: number; changed: number; removed: number; unchanged: number }[];
  unplaced: number;
  problems: { message_zh: string }[];
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  layer: string | null;
  record_id: string | null;
}

interface OgcPage {
  features: Feature[];
  links: { rel: string; href: string }[];
}

/** Keeps only the path and query of a link, so paging never leaves our origin. */
export function sameOriginPath(href: string): string {
  const url = new URL(href, 'http://localhost');
  return `${url.pathname}${url.search}`;
}
