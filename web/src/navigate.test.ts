import { describe, expect, it } from 'vitest';

import { navigationUrl } from './navigate';

const site = {
  name: '北马路红港驿站',
  navigate: { gcj02: [121.3828, 37.5406] as [number, number], bd09: [121.3893, 37.5466] as [number, number] },
};

describe('navigationUrl', () => {
  it('gives AMap and Tencent the GCJ-02 point and Baidu the BD-09 one, each in its own order', () => {
    const amap = new URL(navigationUrl('amap', site) as string);
    expect(amap.host).toBe('uri.amap.com');
    expect(amap.searchParams.get('to')).toBe('121.3828,37.5406,北马路红港驿站');
    expect(amap.searchParams.get('mode')).toBe('walk');
    const baidu = new URL(navigationUrl('baidu', site) as string);
    expect(baidu.searchParams.get('destination')).toBe('latlng:37.5466,121.3893|name:北马路红港驿站');
    expect(baidu.searchParams.get('coord_type')).toBe('bd09ll');
    const tencent = new URL(navigationUrl('tencent', site) as string);
    expect(tencent.searchParams.get('tocoord')).toBe('37.5406,121.3828');
    expect(tencent.searchParams.get('type')).toBe('walk');
  });

  it('escapes names and gives nothing without converted points', () => {
    const url = navigationUrl('amap', { ...site, name: 'A&B,C' }) as string;
    expect(new URL(url).searchParams.get('to')).toBe('121.3828,37.5406,A&B,C');
    expect(url).not.toContain('A&B');
    expect(navigationUrl('baidu', { name: 'x', navigate: null })).toBeNull();
  });
});
