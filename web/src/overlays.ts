// What the page draws over the server's style: the chosen point's accuracy circle,
// the walking routes to the nearest sites (the selected one bold) and the 5-minute
// walking area. GeoJSON sources the page fills itself.

import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const ROUTE = '#c8161d';

export const OVERLAY_LAYERS = {
  walkArea: 'walk-area-fill',
  routes: 'routes-line',
  selectedRoute: 'route-selected',
} as const;

/** A circle of `radius_m` around a point, as a polygon of 48 sides. */
export function circle(lon: number, lat: number, radius_m: number): Feature<Polygon> {
  const ring: [number, number][] = [];
  const dLat = radius_m / 111_320;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  for (let i = 0; i <= 48; i++) {
    const a = (i / 48) * 2 * Math.PI;
    ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } };
}

export class Overlays {
  constructor(private readonly map: MapLibreMap) {
    for (const id of ['walk-area', 'accuracy', 'routes']) map.addSource(id, { type: 'geojson', data: EMPTY });
    const labelsBelow = map.getLayer('site-names') ? 'sites-circle' : undefined;
    map.addLayer(
      { id: OVERLAY_LAYERS.walkArea, type: 'fill', source: 'walk-area', paint: { 'fill-color': '#e5322d', 'fill-opacity': 0.12 } },
      labelsBelow,
    );
    map.addLayer(
      { id: 'walk-area-line', type: 'line', source: 'walk-area', paint: { 'line-color': '#e5322d', 'line-width': 1.5, 'line-dasharray': [3, 2] } },
      labelsBelow,
    );
    map.addLayer({ id: 'accuracy-fill', type: 'fill', source: 'accuracy', paint: { 'fill-color': '#1e88e5', 'fill-opacity': 0.12 } });
    map.addLayer({
      id: OVERLAY_LAYERS.routes,
      type: 'line',
      source: 'routes',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      filter: ['!=', ['get', 'selected'], true],
      paint: { 'line-color': '#6d1a17', 'line-opacity': 0.85, 'line-width': 2.5, 'line-dasharray': [1.5, 1.2] },
    });
    map.addLayer({
      id: OVERLAY_LAYERS.selectedRoute,
      type: 'line',
      source: 'routes',
      filter: ['==', ['get', 'selected'], true],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': ROUTE, 'line-width': 6 },
    });
  }

  private set(source: string, data: FeatureCollection): void {
    (this.map.getSource(source) as GeoJSONSource).setData(data);
  }

  walkArea(area: FeatureCollection<Polygon | MultiPolygon>): void {
    this.set('walk-area', area);
  }

  accuracy(lon: number, lat: number, radius_m: number | null): void {
    this.set('accuracy', radius_m ? { type: 'FeatureCollection', features: [circle(lon, lat, radius_m)] } : EMPTY);
  }

  /** Every route, the one at `selected` drawn bold. */
  routes(sites: { id: string; route: LineString }[], selected: number): void {
    this.set('routes', {
      type: 'FeatureCollection',
      features: sites.map((s, i) => ({ type: 'Feature', properties: { id: s.id, selected: i === selected }, geometry: s.route })),
    });
  }

  clear(): void {
    for (const id of ['walk-area', 'accuracy', 'routes']) this.set(id, EMPTY);
  }
}
