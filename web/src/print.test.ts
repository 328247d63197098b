import { describe, expect, it } from 'vitest';

import { layout, metresPerPixel, niceLength } from './print';

describe('print', () => {
  it('lays A4 and A3 out at 150 dpi with the parts inside the sheet and apart', () => {
    for (const [paper, width, height] of [['A4', 1754, 1240], ['A3', 2480, 1754]] as const) {
      const box = layout(paper);
      expect([box.width, box.height]).toEqual([width, height]);
      for (const r of [box.title, box.map, box.legend, box.footer]) {
        expect(r.x >= 0 && r.y >= 0 && r.x + r.w <= width && r.y + r.h <= height).toBe(true);
      }
      expect(box.map.x + box.map.w).toBeLessThan(box.legend.x);
      expect(box.title.y + box.title.h).toBeLessThanOrEqual(box.map.y);
      expect(box.map.y + box.map.h).toBeLessThanOrEqual(box.footer.y);
    }
  });

  it('picks round scale lengths and the ground resolution of Web Mercator', () => {
    expect(niceLength(730)).toBe(500);
    expect(niceLength(199)).toBe(100);
    expect(niceLength(2_100)).toBe(2_000);
    expect(niceLength(1)).toBe(1);
    // Zoom 0 at the equator: the whole circumference over 512 pixels.
    expect(metresPerPixel(0, 0)).toBeCloseTo(78_271.5, 0);
    expect(metresPerPixel(60, 1)).toBeCloseTo(78_271.5 / 4, 0);
  });
});
