import { describe, expect, it } from 'vitest';

import type { CoverageRow } from './api';
import { cellColour, sortRows } from './planner';

const row = (name: string, pct: number | null, population: number): CoverageRow => ({
  id: name,
  code: name,
  name,
  population,
  covered_population: 0,
  uncovered_population: population,
  coverage_pct: pct,
  buildings: 0,
  covered_buildings: 0,
  service_points: 0,
});

describe('planner', () => {
  it('sorts by coverage both ways, areas lacking figures lowest', () => {
    const rows = [row('乙', 50, 10), row('甲', null, 0), row('丙', 20, 30)];
    expect(sortRows(rows, 'coverage_pct', true).map((r) => r.name)).toEqual(['甲', '丙', '乙']);
    expect(sortRows(rows, 'coverage_pct', false).map((r) => r.name)).toEqual(['乙', '丙', '甲']);
    expect(sortRows(rows, 'population', false).map((r) => r.name)).toEqual(['丙', '乙', '甲']);
  });

  it('colours cells against the budget in metres', () => {
    const e = JSON.stringify(cellColour(450));
    expect(e).toContain('["<=",["get","walk_m"],450]');
    expect(e).toContain('["<=",["get","walk_m"],900]');
  });
});
