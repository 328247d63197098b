import { describe, expect, it } from 'vitest';

import { DATA_LAYERS, LABEL_SOURCES, SITE_KIND_COLORS, SITE_KIND_LABELS, buildStyle } from './style';

// Every site kind of the data model (server/src/model/site.rs).
const KINDS = [
  'district_centre',
  'street_centre',
  'community_centre',
  'station',
  'service_post',
  'alliance',
  'red_property',
  'property_centre',
  'co_building',
  'industry_party_org',
  'governance_committee',
  'volunteer_team',
  'social_org',
];

describe('buildStyle', () => {
  const style = buildStyle();

  it('names no other host: no glyphs, sprite or remote source', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
  });

  it('has a source for every layer drawn from the API and every label set', () => {
    for (const id of [...DATA_LAYERS, ...Object.values(LABEL_SOURCES)]) {
      expect(style.sources[id]).toMatchObject({ type: 'geojson' });
    }
    for (const layer of style.layers) {
      if ('source' in layer) expect(style.sources).toHaveProperty(layer.source as string);
    }
  });

  it('gives every site kind a colour and a Chinese label', () => {
    for (const kind of KINDS) {
      expect(SITE_KIND_COLORS[kind]).toMatch(/^#[0-9a-f]{6}$/);
      expect(SITE_KIND_LABELS[kind]).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(Object.keys(SITE_KIND_COLORS).sort()).toEqual([...KINDS].sort());
  });

  it('uses layer ids once each', () => {
    const ids = style.layers.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
