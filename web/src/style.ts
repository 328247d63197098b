// The map's style is the server's (/style.json): one cartography over its own vector
// tiles, with no glyph or sprite URL. This module reads what the page needs from the
// style's metadata: the district's name and bounds and the legend of what it holds.

import type { StyleSpecification } from 'maplibre-gl';

import { lang } from './i18n';

/** CSS font stack for labels and the page: the CJK system fonts of common platforms. */
export const CJK_FONT_FAMILY =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

export interface Bilingual {
  zh: string;
  en: string;
}

export type Swatch = 'dot' | 'line' | 'dash';

export interface LegendEntry {
  label: Bilingual;
  color: string;
  swatch: Swatch;
  /** The site kind an entry stands for, in the sites section. */
  kind?: string;
}

export interface LegendSection {
  id: string;
  title: Bilingual;
  entries: LegendEntry[];
}

export interface StyleMeta {
  district: string | null;
  dataDate: string | null;
  bounds: [number, number, number, number] | null;
  legend: LegendSection[];
}

/** The coverage layer, hidden until turned on. */
export const COVERAGE_LAYER = 'coverage-fill';

function isBounds(value: unknown): value is [number, number, number, number] {
  return Array.isArray(value) && value.length === 4 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function isSection(value: unknown): value is LegendSection {
  const s = value as LegendSection;
  return typeof s?.id === 'string' && typeof s.title?.zh === 'string' && Array.isArray(s.entries);
}

/** What the style's metadata says, with anything malformed left out. */
export function styleMeta(style: StyleSpecification): StyleMeta {
  const meta = (style.metadata ?? {}) as Record<string, unknown>;
  const district = meta['redgrid:district'];
  const dataDate = meta['redgrid:data_date'];
  const bounds = meta['redgrid:bounds'];
  const legend = meta['redgrid:legend'];
  return {
    district: typeof district === 'string' ? district : null,
    dataDate: typeof dataDate === 'string' ? dataDate : null,
    bounds: isBounds(bounds) ? bounds : null,
    legend: Array.isArray(legend) ? legend.filter(isSection) : [],
  };
}

/** Each site kind's name in the page's language, from the legend. */
export function kindLabels(meta: StyleMeta): Map<string, string> {
  const sites = meta.legend.find((s) => s.id === 'sites');
  return new Map((sites?.entries ?? []).flatMap((e) => (e.kind ? [[e.kind, e.label[lang]] as [string, string]] : [])));
}
