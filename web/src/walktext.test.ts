import { describe, expect, it } from 'vitest';

import { detourNote, distanceText, minutesText } from './walktext';

describe('walk text', () => {
  it('reads minutes and metres', () => {
    expect(minutesText(0.2)).toBe('1 分钟');
    expect(minutesText(6.6)).toBe('7 分钟');
    expect(distanceText(416.2)).toBe('416 米');
    expect(distanceText(1250)).toBe('1.3 公里');
  });

  it('says so when the walk goes far round, and only then', () => {
    expect(detourNote(420, 180)).toBe('直线 180 米，步行 420 米：需绕行');
    expect(detourNote(416, 16)).toBe('直线 16 米，步行 416 米：需绕行');
    // Short walks round a corner, and walks close to the straight line, are no detour.
    expect(detourNote(50, 20)).toBeNull();
    expect(detourNote(300, 250)).toBeNull();
    expect(detourNote(300, undefined)).toBeNull();
    expect(detourNote(5, 0)).toBeNull();
  });
});
