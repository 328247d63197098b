// Opening hours as residents read them: 周一至周五 08:00–20:00.

import type { Hours } from './api';
import { type Lang, lang as pageLang } from './i18n';

const DAY = ['一', '二', '三', '四', '五', '六', '日'];
const DAY_EN = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Days 1–7 (Monday first) as 周一至周五 for a run, 周一、周三 otherwise. */
export function describeDays(days: number[], lang: Lang = pageLang): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 0) return '';
  const en = lang === 'en';
  if (sorted.length === 7) return en ? 'Daily' : '每天';
  const day = (d: number) => (en ? DAY_EN[d - 1] : `周${DAY[d - 1]}`);
  const run = sorted.every((d, i) => i === 0 || d === sorted[i - 1] + 1);
  if (run && sorted.length > 2) return `${day(sorted[0])}${en ? '–' : '至'}${day(sorted[sorted.length - 1])}`;
  return sorted.map(day).join(en ? ', ' : '、');
}

/** One line per weekly period; empty when the site gives no hours. */
export function describeHours(hours: Hours | null | undefined, lang: Lang = pageLang): string[] {
  return (hours?.weekly ?? []).map((w) => `${describeDays(w.days, lang)} ${w.open}–${w.close}`);
}
