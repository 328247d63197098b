import { describe, expect, it } from 'vitest';

import { describeDays, describeHours } from './hours';

describe('hours', () => {
  it('reads runs of days, scattered days and every day', () => {
    expect(describeDays([1, 2, 3, 4, 5])).toBe('周一至周五');
    expect(describeDays([6, 7])).toBe('周六、周日');
    expect(describeDays([3, 1])).toBe('周一、周三');
    expect(describeDays([1, 2, 3, 4, 5, 6, 7])).toBe('每天');
    expect(describeDays([0, 8])).toBe('');
    expect(describeDays([1, 2, 3, 4, 5], 'en')).toBe('Mon–Fri');
    expect(describeDays([6, 7], 'en')).toBe('Sat, Sun');
    expect(describeDays([1, 2, 3, 4, 5, 6, 7], 'en')).toBe('Daily');
  });

  it('gives a line per weekly period', () => {
    const hours = { weekly: [{ days: [1, 2, 3, 4, 5], open: '08:00', close: '20:00' }, { days: [6], open: '09:00', close: '12:00' }] };
    expect(describeHours(hours)).toEqual(['周一至周五 08:00–20:00', '周六 09:00–12:00']);
    expect(describeHours(null)).toEqual([]);
  });
});
