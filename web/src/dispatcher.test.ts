import { describe, expect, it } from 'vitest';

import { parseCoordinates } from './dispatcher';

describe('parseCoordinates', () => {
  it('reads lon,lat with any separator', () => {
    expect(parseCoordinates('121.3786,37.5391')).toEqual([121.3786, 37.5391]);
    expect(parseCoordinates(' 121.3786， 37.5391 ')).toEqual([121.3786, 37.5391]);
    expect(parseCoordinates('121.3786 37.5391')).toEqual([121.3786, 37.5391]);
  });

  it('refuses what is not a point', () => {
    expect(parseCoordinates('')).toBeNull();
    expect(parseCoordinates('121.3')).toBeNull();
    expect(parseCoordinates('abc,37')).toBeNull();
    expect(parseCoordinates('200,37')).toBeNull();
    expect(parseCoordinates('1,2,3')).toBeNull();
  });
});
