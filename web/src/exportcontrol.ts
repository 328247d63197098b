// The map's 导出 control: paper size and PNG or PDF of the current view.

import type { IControl, Map as MapLibreMap } from 'maplibre-gl';

import { el } from './panel';
import { type Paper, type PrintText, exportPdf, exportPng } from './print';
import { t } from './i18n';

export class ExportControl implements IControl {
  private container: HTMLElement | null = null;

  /** `text` gives the title, basis and legend of the view at the moment of export. */
  constructor(private readonly text: () => PrintText) {}

  onAdd(map: MapLibreMap): HTMLElement {
    const paper = el('select', { 'aria-label': t('纸张') }, el('option', { value: 'A4' }, 'A4'), el('option', { value: 'A3' }, 'A3')) as HTMLSelectElement;
    const status = el('span', { class: 'export-status', role: 'status' });
    const run = (format: 'png' | 'pdf') => async () => {
      status.textContent = t('正在生成…');
      try {
        await (format === 'png' ? exportPng : exportPdf)(map, paper.value as Paper, this.text());
        status.textContent = t('已生成');
      } catch (error) {
        status.textContent = t('失败：{why}', { why: error instanceof Error ? error.message : String(error) });
      }
    };
    const png = el('button', { type: 'button', 'data-export': 'png' }, 'PNG');
    const pdf = el('button', { type: 'button', 'data-export': 'pdf' }, 'PDF');
    png.addEventListener('click', run('png'));
    pdf.addEventListener('click', run('pdf'));
    this.container = el(
      'details',
      { class: 'maplibregl-ctrl maplibregl-ctrl-group export' },
      el('summary', {}, t('导出')),
      el('div', { class: 'export-body' }, paper, png, pdf, status),
    );
    return this.container;
  }

  onRemove(): void {
    this.container?.remove();
    this.container = null;
  }
}
