// The map legend: the sections the style's metadata lists (only what the data
// holds), in Chinese. A section can carry a switch that shows or hides its layer.

import type { IControl } from 'maplibre-gl';

import { el } from './panel';
import type { LegendEntry, LegendSection } from './style';
import { lang, t } from './i18n';

/** Sections drawn only when switched on, and what switching does. */
export type Switches = Record<string, (on: boolean) => void>;

function swatch(entry: LegendEntry): HTMLElement {
  const node = el('span', { class: `swatch swatch-${entry.swatch}` });
  node.style.setProperty('--swatch', entry.color);
  return node;
}

/** One section's nodes; a switched section starts off, its rows hidden. */
export function sectionNodes(section: LegendSection, onSwitch?: (on: boolean) => void): HTMLElement[] {
  const rows = section.entries.map((entry) => el('div', { class: 'legend-row' }, swatch(entry), entry.label[lang]));
  if (!onSwitch) return [el('div', { class: 'legend-title' }, section.title[lang]), ...rows];
  const box = el('input', { type: 'checkbox', 'data-section': section.id }) as HTMLInputElement;
  const body = el('div', { class: 'legend-rows', hidden: '' }, ...rows);
  box.addEventListener('change', () => {
    body.hidden = !box.checked;
    onSwitch(box.checked);
  });
  return [el('label', { class: 'legend-title legend-switch' }, box, section.title[lang]), body];
}

/** A MapLibre control showing the legend, folded on small screens. */
export class LegendControl implements IControl {
  private container: HTMLElement | null = null;

  constructor(
    private readonly sections: LegendSection[],
    private readonly switches: Switches = {},
  ) {}

  onAdd(): HTMLElement {
    // Open on wide screens; on a phone it starts folded so the map stays visible.
    const wide = window.matchMedia('(min-width: 641px)').matches;
    const details = el('details', { class: 'maplibregl-ctrl legend', ...(wide ? { open: '' } : {}) }, el('summary', {}, t('图例')));
    for (const section of this.sections) details.append(...sectionNodes(section, this.switches[section.id]));
    this.container = details;
    return details;
  }

  onRemove(): void {
    this.container?.remove();
    this.container = null;
  }
}
