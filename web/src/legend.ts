// The map legend: only what the loaded data holds, in Chinese.

import type { IControl } from 'maplibre-gl';

import { el } from './panel';
import { SITE_KIND_COLORS, SITE_KIND_LABELS } from './style';

export type Swatch = 'dot' | 'line' | 'dash';

export interface LegendEntry {
  label: string;
  color: string;
  swatch: Swatch;
}

export interface LegendSection {
  title: string;
  entries: LegendEntry[];
}

/** Legend sections for the site kinds present and whether roads and boundaries are drawn. */
export function legendSections(siteKinds: Iterable<string>, hasNetwork: boolean, hasBoundaries: boolean): LegendSection[] {
  const present = new Set(siteKinds);
  const sections: LegendSection[] = [];
  const sites = Object.keys(SITE_KIND_LABELS)
    .filter((kind) => present.has(kind))
    .map((kind) => ({ label: SITE_KIND_LABELS[kind], color: SITE_KIND_COLORS[kind], swatch: 'dot' as const }));
  if (sites.length > 0) sections.push({ title: '服务阵地与资源', entries: sites });
  if (hasBoundaries) {
    sections.push({
      title: '边界',
      entries: [
        { label: '街道', color: '#7a1f1b', swatch: 'line' },
        { label: '社区', color: '#b0413e', swatch: 'line' },
        { label: '红色网格', color: '#c8161d', swatch: 'dash' },
      ],
    });
  }
  if (hasNetwork) {
    sections.push({
      title: '步行路网（演示）',
      entries: [
        { label: '主干道', color: '#f9d58c', swatch: 'line' },
        { label: '次干道', color: '#fbe3a8', swatch: 'line' },
        { label: '街巷', color: '#ffffff', swatch: 'line' },
        { label: '步行道', color: '#a8977a', swatch: 'dash' },
      ],
    });
  }
  return sections;
}

function swatch(entry: LegendEntry): HTMLElement {
  const node = el('span', { class: `swatch swatch-${entry.swatch}` });
  node.style.setProperty('--swatch', entry.color);
  return node;
}

/** A MapLibre control showing the legend, collapsible on small screens. */
export class LegendControl implements IControl {
  private container: HTMLElement | null = null;

  constructor(private readonly sections: LegendSection[]) {}

  onAdd(): HTMLElement {
    // Open on wide screens; on a phone it starts folded so the map stays visible.
    const wide = window.matchMedia('(min-width: 641px)').matches;
    const details = el('details', { class: 'maplibregl-ctrl legend', ...(wide ? { open: '' } : {}) }, el('summary', {}, '图例'));
    for (const section of this.sections) {
      details.append(
        el('div', { class: 'legend-title' }, section.title),
        ...section.entries.map((entry) => el('div', { class: 'legend-row' }, swatch(entry), entry.label)),
      );
    }
    this.container = details;
    return details;
  }

  onRemove(): void {
    this.container?.remove();
    this.container = null;
  }
}
