// Opening hours as residents read them: 周一至周五 08:00–20:00.

import type { Hours } from './api';

const DAY = ['一', '二', '三', '四', '五', '六', '日'];

/** Days 1–7 (Monday first) as 周一至周五 for a run, 周一、周三 otherwise. */
export function describeDays(days: number[]): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 0) return '';
  if (sorted.length === 7) return '每天';
  const run = sorted.every((d, i) => i === 0 || d === sorted[i - 1] + 1);
  if (run && sorted.length > 2) return `周${DAY[sorted[0] - 1]}至周${DAY[sorted[sorted.length - 1] - 1]}`;
  return sorted.map((d) => `周${DAY[d - 1]}`).join('、');
}

/** One line per weekly period; empty when the site gives no hours. */
export function describeHours(hours: Hours | null | undefined): string[] {
  return (hours?.weekly ?? []).map((w) => `${describeDays(w.days)} ${w.open}–${w.close}`);
}
