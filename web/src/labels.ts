// Label points for areas: one per feature, at the pole of inaccessibility of its
// largest part, so a street's name is drawn once and inside it (polygon labels
// placed by the renderer repeat on every tile).

import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import polylabel from 'polylabel';

/** Planar area of a ring in degrees², longitude scaled by cos(latitude). */
function ringArea(ring: Position[]): number {
  const scale = Math.cos(((ring[0]?.[1] ?? 0) * Math.PI) / 180);
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * scale * (ring[j][1] + ring[i][1]);
  }
  return Math.abs(sum / 2);
}

function largestPolygon(feature: Feature): Polygon['coordinates'] | null {
  const g = feature.geometry;
  if (!g) return null;
  if (g.type === 'Polygon') return g.coordinates;
  if (g.type !== 'MultiPolygon' || g.coordinates.length === 0) return null;
  return g.coordinates.reduce((best, p) => (ringArea(p[0]) > ringArea(best[0]) ? p : best));
}

/** A point feature per area, carrying the area's properties. ~1 m precision. */
export function labelPoints(areas: FeatureCollection): FeatureCollection<Point> {
  const features: Feature<Point>[] = [];
  for (const feature of areas.features) {
    const polygon = largestPolygon(feature);
    if (!polygon) continue;
    const [lon, lat] = polylabel(polygon, 1e-5);
    features.push({ type: 'Feature', id: feature.id, properties: feature.properties, geometry: { type: 'Point', coordinates: [lon, lat] } });
  }
  return { type: 'FeatureCollection', features };
}
