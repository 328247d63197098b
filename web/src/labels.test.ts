import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';

import { labelPoints } from './labels';

const square = (x: number, y: number, s: number) => [
  [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ],
];

function collection(geometry: object): FeatureCollection {
  return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: '西街道' }, geometry } as never] };
}

describe('labelPoints', () => {
  it('puts a square label at its centre and keeps properties', () => {
    const out = labelPoints(collection({ type: 'Polygon', coordinates: square(121, 37, 0.01) }));
    expect(out.features).toHaveLength(1);
    const [lon, lat] = out.features[0].geometry.coordinates;
    expect(lon).toBeCloseTo(121.005, 4);
    expect(lat).toBeCloseTo(37.005, 4);
    expect(out.features[0].properties?.name).toBe('西街道');
  });

  it('labels a multipolygon in its largest part, not between parts', () => {
    const out = labelPoints(
      collection({ type: 'MultiPolygon', coordinates: [square(121.1, 37, 0.001), square(121, 37, 0.01)] }),
    );
    const [lon] = out.features[0].geometry.coordinates;
    expect(lon).toBeLessThan(121.01);
  });

  it('keeps the label inside a U-shaped area, where the bbox centre is outside', () => {
    const u = [
      [
        [0, 0],
        [3, 0],
        [3, 3],
        [2, 3],
        [2, 1],
        [1, 1],
        [1, 3],
        [0, 3],
        [0, 0],
      ],
    ];
    const [lon, lat] = labelPoints(collection({ type: 'Polygon', coordinates: u })).features[0].geometry.coordinates;
    const insideNotch = lon > 1 && lon < 2 && lat > 1;
    expect(insideNotch).toBe(false);
  });

  it('skips features without an area', () => {
    expect(labelPoints(collection({ type: 'Point', coordinates: [1, 2] })).features).toHaveLength(0);
  });
});
