import { describe, expect, it } from 'vitest';
import type { StyleSpecification } from 'maplibre-gl';

import { kindLabels, styleMeta } from './style';

function styleWith(metadata: unknown): StyleSpecification {
  return { version: 8, sources: {}, layers: [], metadata };
}

describe('styleMeta', () => {
  it('reads the district, its bounds and the legend', () => {
    const meta = styleMeta(
      styleWith({
        'redgrid:district': '芝罘区',
        'redgrid:data_date': '2026-12-01',
        'redgrid:bounds': [121.2, 37.4, 121.5, 37.6],
        'redgrid:legend': [
          {
            id: 'sites',
            title: { zh: '服务阵地与资源', en: 'Sites' },
            entries: [
              { label: { zh: '芝罘红港驿站', en: 'Station' }, color: '#e5322d', swatch: 'dot', kind: 'station' },
              { label: { zh: '共建单位', en: 'Co-building unit' }, color: '#2166ac', swatch: 'dot', kind: 'co_building' },
            ],
          },
        ],
      }),
    );
    expect(meta.district).toBe('芝罘区');
    expect(meta.dataDate).toBe('2026-12-01');
    expect(meta.bounds).toEqual([121.2, 37.4, 121.5, 37.6]);
    expect([...kindLabels(meta)]).toEqual([
      ['station', '芝罘红港驿站'],
      ['co_building', '共建单位'],
    ]);
  });

  it('leaves out what is missing or malformed', () => {
    const meta = styleMeta(
      styleWith({ 'redgrid:district': 7, 'redgrid:bounds': [1, 2, 'x', 4], 'redgrid:legend': [{ id: 'x' }, null] }),
    );
    const nothing = { district: null, dataDate: null, bounds: null, legend: [] };
    expect(meta).toEqual(nothing);
    expect(styleMeta(styleWith(undefined))).toEqual(nothing);
    expect(kindLabels(meta).size).toBe(0);
  });
});
