// Handing a destination to the phone's map app: AMap and Tencent take GCJ-02,
// Baidu BD-09 (the server converts; our data are WGS-84). Walking directions.

import type { NearSite } from './api';
import { t } from './i18n';

export type NavApp = 'amap' | 'baidu' | 'tencent';

export const NAV_APPS: { app: NavApp; label: string }[] = [
  { app: 'amap', label: t('高德') },
  { app: 'baidu', label: t('百度') },
  { app: 'tencent', label: t('腾讯') },
];

/** The URL that opens walking directions to `site` in `app`; null without converted points. */
export function navigationUrl(app: NavApp, site: Pick<NearSite, 'name' | 'navigate'>): string | null {
  if (!site.navigate) return null;
  const name = encodeURIComponent(site.name);
  const [gLon, gLat] = site.navigate.gcj02;
  const [bLon, bLat] = site.navigate.bd09;
  switch (app) {
    case 'amap':
      return `https://uri.amap.com/navigation?to=${gLon},${gLat},${name}&mode=walk&coordinate=gaode&callnative=1`;
    case 'baidu':
      return `https://api.map.baidu.com/direction?destination=latlng:${bLat},${bLon}|name:${name}&mode=walking&coord_type=bd09ll&output=html&src=redgrid`;
    case 'tencent':
      return `https://apis.map.qq.com/uri/v1/routeplan?type=walk&to=${name}&tocoord=${gLat},${gLon}&referer=redgrid`;
  }
}
