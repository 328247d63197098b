// The map's style: a self-contained MapLibre style with no external URL at all.
// Sources start empty and are filled from the API; there is no `glyphs` URL, so
// every label is drawn from the viewer's own fonts.

import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';

/** CSS font stack for labels and the page: the CJK system fonts of common platforms. */
export const CJK_FONT_FAMILY =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

/** Layers drawn from the API, bottom to top. */
export const DATA_LAYERS = [
  'context',
  'district',
  'walk_network',
  'grids',
  'communities',
  'streets',
  'compounds',
  'buildings',
  'sites',
] as const;
export type DataLayer = (typeof DATA_LAYERS)[number];

/** Area layers labelled once per feature, and the point source holding their label points. */
export const LABEL_SOURCES: Partial<Record<DataLayer, string>> = {
  context: 'context-labels',
  streets: 'streets-labels',
  communities: 'communities-labels',
};

export const SITE_KIND_LABELS: Record<string, string> = {
  district_centre: '区党群服务中心',
  street_centre: '街道党群服务中心',
  community_centre: '社区党群服务中心',
  station: '芝罘红港驿站',
  service_post: '服务岗',
  alliance: '党建联盟',
  red_property: '红色物业',
  property_centre: '物业党群服务中心',
  co_building: '共建单位',
  industry_party_org: '行业党组织',
  governance_committee: '治理委员会',
  volunteer_team: '志愿服务队',
  social_org: '社会组织',
};

export const SITE_KIND_COLORS: Record<string, string> = {
  district_centre: '#7f0000',
  street_centre: '#a50f15',
  community_centre: '#cb181d',
  station: '#e5322d',
  service_post: '#f16913',
  alliance: '#6a51a3',
  red_property: '#d6604d',
  property_centre: '#b2182b',
  co_building: '#2166ac',
  industry_party_org: '#1b7837',
  governance_committee: '#35978f',
  volunteer_team: '#e7298a',
  social_org: '#8c6d31',
};

const SEA = '#cfe1ec';
const LAND = '#f6f3ec';
const PARTY_RED = '#c8161d';

/**
 * GeoJSON sources are cut into tiles in the browser; above zoom 14 the z14 tiles are
 * overzoomed (0.6 m precision), which spares the browser most of the cutting.
 */
const SOURCE_MAXZOOM = 14;

function emptyCollection() {
  return {
    type: 'geojson' as const,
    data: { type: 'FeatureCollection' as const, features: [] },
    maxzoom: SOURCE_MAXZOOM,
  };
}

function kindColorExpression(): unknown[] {
  const match: unknown[] = ['match', ['get', 'kind']];
  for (const [kind, color] of Object.entries(SITE_KIND_COLORS)) match.push(kind, color);
  match.push('#666666');
  return match;
}

/** Kinds of the 5-minute service circle's points and posts, shown at every zoom. */
export const SERVICE_KINDS = ['district_centre', 'street_centre', 'community_centre', 'station', 'service_post'];

/** A filter for the sites of the service kinds (`service`) or for the other resources. */
function serviceFilter(service: boolean): unknown[] {
  const isService = ['in', ['get', 'kind'], ['literal', SERVICE_KINDS]];
  return service ? isService : ['!', isService];
}

function siteCircles(id: string, service: boolean, minzoom: number): LayerSpecification {
  return {
    id,
    type: 'circle',
    source: 'sites',
    minzoom,
    filter: serviceFilter(service) as never,
    paint: {
      'circle-color': kindColorExpression() as never,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, service ? 2.5 : 2, 16, service ? 7 : 5],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1,
    },
  };
}

function siteLabels(id: string, service: boolean, minzoom: number): LayerSpecification {
  return {
    id,
    type: 'symbol',
    source: 'sites',
    minzoom,
    filter: serviceFilter(service) as never,
    layout: {
      'text-field': ['get', 'name'],
      'text-size': 12,
      'text-font': ['sans-serif'],
      'text-offset': [0, 1.1],
      'text-anchor': 'top',
    },
    paint: { 'text-color': '#333333', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
  };
}

/** Road width in pixels by class, at zoom 12 and 18. */
const ROAD_WIDTH: [string, number, number][] = [
  ['primary', 1.6, 14],
  ['secondary', 1.3, 12],
  ['tertiary', 1.0, 10],
  ['unclassified', 0.7, 8],
  ['residential', 0.6, 8],
  ['service', 0.4, 5],
  ['footway', 0.4, 2.5],
];

function roadWidth(scale: number): unknown {
  const byClass = (index: 1 | 2): unknown[] => {
    const match: unknown[] = ['match', ['get', 'highway']];
    for (const row of ROAD_WIDTH) match.push(row[0], (row[index] as number) * scale);
    match.push(0.5 * scale);
    return match;
  };
  return ['interpolate', ['exponential', 1.6], ['zoom'], 12, byClass(1), 18, byClass(2)];
}

/** The walking network drawn as the basemap's roads: casing below, fill above. */
function networkLayers(): LayerSpecification[] {
  const notFootway: unknown = ['!=', ['get', 'highway'], 'footway'];
  return [
    {
      id: 'network-casing',
      type: 'line',
      source: 'walk_network',
      minzoom: 12,
      filter: notFootway as never,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#cfc3ad', 'line-width': roadWidth(1.35) as never },
    },
    {
      id: 'network-fill',
      type: 'line',
      source: 'walk_network',
      filter: notFootway as never,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': [
          'case',
          ['==', ['get', 'access'], 'private'],
          '#f1ece2',
          ['match', ['get', 'highway'], 'primary', '#f9d58c', 'secondary', '#fbe3a8', 'tertiary', '#fdf0c8', '#ffffff'],
        ] as never,
        'line-width': roadWidth(1) as never,
      },
    },
    {
      id: 'network-footway',
      type: 'line',
      source: 'walk_network',
      minzoom: 14,
      filter: ['==', ['get', 'highway'], 'footway'],
      paint: { 'line-color': '#a8977a', 'line-width': roadWidth(1) as never, 'line-dasharray': [2, 1.5] },
    },
  ];
}

/** A name label at each area's label point. */
function areaLabel(layer: DataLayer, size: number, color: string, halo: number, minzoom = 0): LayerSpecification {
  return {
    id: `${layer}-label`,
    type: 'symbol',
    source: LABEL_SOURCES[layer] as string,
    minzoom,
    layout: { 'text-field': ['get', 'name'], 'text-size': size, 'text-font': ['sans-serif'] },
    paint: { 'text-color': color, 'text-halo-color': '#ffffff', 'text-halo-width': halo },
  };
}

const layers: LayerSpecification[] = [
  { id: 'sea', type: 'background', paint: { 'background-color': SEA } },
  { id: 'context-fill', type: 'fill', source: 'context', paint: { 'fill-color': '#e3e3e0' } },
  { id: 'context-line', type: 'line', source: 'context', paint: { 'line-color': '#b5b5b0', 'line-width': 1 } },
  { id: 'district-fill', type: 'fill', source: 'district', paint: { 'fill-color': LAND } },
  { id: 'district-line', type: 'line', source: 'district', paint: { 'line-color': '#8a7f6a', 'line-width': 1.5 } },
  ...networkLayers(),
  {
    id: 'grids-line',
    type: 'line',
    source: 'grids',
    minzoom: 13,
    paint: { 'line-color': PARTY_RED, 'line-opacity': 0.45, 'line-width': 0.8, 'line-dasharray': [2, 2] },
  },
  {
    id: 'communities-line',
    type: 'line',
    source: 'communities',
    minzoom: 12,
    paint: { 'line-color': '#b0413e', 'line-opacity': 0.6, 'line-width': 1.2 },
  },
  {
    id: 'streets-line',
    type: 'line',
    source: 'streets',
    paint: { 'line-color': '#7a1f1b', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.2, 15, 3] },
  },
  {
    id: 'compounds-line',
    type: 'line',
    source: 'compounds',
    minzoom: 14,
    paint: { 'line-color': '#9c8f74', 'line-width': 1 },
  },
  {
    id: 'buildings-fill',
    type: 'fill',
    source: 'buildings',
    minzoom: 14,
    paint: { 'fill-color': '#ded6c6', 'fill-outline-color': '#b9ad95' },
  },
  siteCircles('sites-circle', true, 0),
  siteCircles('resources-circle', false, 14),
  areaLabel('streets', 14, '#5a1512', 1.5),
  areaLabel('context', 13, '#6f6f6a', 1),
  areaLabel('communities', 12, '#8a2c28', 1.2, 13),
  siteLabels('sites-label', true, 15),
  siteLabels('resources-label', false, 17),
];

/** The whole style; every source is an empty GeoJSON collection until data arrives. */
export function buildStyle(): StyleSpecification {
  const sources: StyleSpecification['sources'] = {};
  for (const id of [...DATA_LAYERS, ...Object.values(LABEL_SOURCES)]) sources[id] = emptyCollection();
  return { version: 8, name: 'RedGrid', sources, layers };
}
