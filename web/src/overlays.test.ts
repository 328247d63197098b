import { describe, expect, it } from 'vitest';

import { circle } from './overlays';

describe('circle', () => {
  it('is closed and every vertex lies at the radius', () => {
    const [lon, lat] = [121.38, 37.54];
    const ring = circle(lon, lat, 50).geometry.coordinates[0];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    for (const [x, y] of ring) {
      const dx = (x - lon) * 111_320 * Math.cos((lat * Math.PI) / 180);
      const dy = (y - lat) * 111_320;
      expect(Math.hypot(dx, dy)).toBeCloseTo(50, 6);
    }
  });
});
