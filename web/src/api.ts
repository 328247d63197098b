// The only module that talks to the server. Every call goes to our own origin.

import type { Feature, FeatureCollection } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';

export interface Health {
  status: string;
  backend: string;
  profile: 'internal' | 'public';
  synthetic: boolean;
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

/** An RFC 9457 problem returned by the server, kept whole for the message. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail || title);
  }
}

type Fetch = typeof fetch;

export class Api {
  constructor(private readonly fetchImpl: Fetch = (input, init) => fetch(input, init)) {}

  private async json<T>(path: string): Promise<T> {
    const response = await this.fetchImpl(path, { headers: { accept: 'application/json' } });
    if (!response.ok) {
      let title = response.statusText;
      let detail = '';
      try {
        const problem = await response.json();
        title = problem.title ?? title;
        detail = problem.detail ?? '';
      } catch {
        // Not a problem document; keep the status text.
      }
      throw new ApiProblem(response.status, title, detail);
    }
    return (await response.json()) as T;
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

  locate(lon: number, lat: number): Promise<Located> {
    const q = new URLSearchParams({ lon: lon.toFixed(7), lat: lat.toFixed(7) });
    return this.json(`/api/v1/locate?${q}`);
  }
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
