import { describe, expect, it } from 'vitest';

import { legendSections } from './legend';

describe('legendSections', () => {
  it('lists only the site kinds present, in the style order', () => {
    const sections = legendSections(['station', 'co_building', 'station'], false, false);
    expect(sections).toHaveLength(1);
    expect(sections[0].entries.map((e) => e.label)).toEqual(['芝罘红港驿站', '共建单位']);
  });

  it('adds boundaries and roads only when drawn', () => {
    const titles = legendSections([], true, true).map((s) => s.title);
    expect(titles).toEqual(['边界', '步行路网（演示）']);
    expect(legendSections([], false, false)).toEqual([]);
  });
});
