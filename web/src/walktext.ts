// How walks read to residents: minutes, metres, and a plain word when the walk goes
// far round (a river, a wall, a road with no crossing near).

import { t } from './i18n';

/** Whole minutes as residents read them, at least 1. */
export function minutesText(walkMin: number): string {
  return t('{n} 分钟', { n: Math.max(1, Math.round(walkMin)) });
}

/** Metres under a kilometre, else kilometres to one decimal. */
export function distanceText(walkM: number): string {
  return walkM < 1000 ? t('{n} 米', { n: Math.round(walkM) }) : t('{n} 公里', { n: (walkM / 1000).toFixed(1) });
}

/** A walk at least this many times the straight line, and a minute longer, is a detour. */
export const DETOUR_RATIO = 1.5;
const DETOUR_EXTRA_M = 60;

/** "直线 180 米，步行 420 米：需绕行" when the walk goes far round, else null. */
export function detourNote(walkM: number, straightM: number | undefined): string | null {
  if (straightM === undefined || straightM < 1) return null;
  if (walkM < straightM * DETOUR_RATIO || walkM - straightM < DETOUR_EXTRA_M) return null;
  return t('直线 {s}，步行 {w}：需绕行', { s: distanceText(straightM), w: distanceText(walkM) });
}
