//! Service points and resources, each placed 8 m inside a block from the street
//! nearest to where it belongs, so it lies in exactly one grid:
//!
//! - the district centre in the residential block nearest the household-weighted
//!   centre of the district; street centres at the street seeds; community centres in
//!   the community's residential block nearest its household-weighted centre;
//! - exactly 302 芝罘红港 stations: hosted by the district and street centres and by
//!   60 % of community centres (same point, `host_site_id`), in commercial buildings at
//!   the real shopping places among the bus-stop names, and the rest in shopfronts:
//!   buildings drawn in proportion to households, at least 250 m (straight line) from
//!   every other service point, the spacing shrinking by a tenth after 200 misses;
//! - service posts: 24 urban-management kiosks beside primary roads, pocket parks at
//!   the real parks among the stop names and in 20 small blocks without homes,
//!   visitor centres at the real sights among the stop names;
//! - then the source's resources (`resources.rs`), through the same [`Context`].

use geo::{Centroid, Closest, ClosestPoint, Contains, Coord, Point};
use serde_json::{Value, json};

use super::addresses::Addresses;
use super::areas::Areas;
use super::blocks::Cells;
use super::buildings::Placed;
use super::inputs::Inputs;
use super::vocabulary::{
    CONVENIENCE_SERVICES, GOVERNMENT_SERVICES, Namer, PARTY_SERVICES, always_open, hours,
};
use crate::demo::network::distance;
use crate::model::{Id, SiteKind, SiteProps};

pub const STATIONS: usize = 302;
const HOSTING_SHARE: f64 = 0.6;
const STATION_SPACING_M: f64 = 250.0;
const KIOSKS: usize = 24;
const GENERATED_POCKET_PARKS: usize = 20;
const INSET_M: f64 = 8.0;

/// Where a site is: its point and the cell holding it.
pub struct Site {
    pub at: Coord<f64>,
    pub cell: usize,
    pub props: SiteProps,
}

/// A real place read off the bus-stop names.
pub(super) struct Place {
    pub(super) name: String,
    pub(super) at: Coord<f64>,
}

/// Bus-stop names cut to the place: before any bracket, and before a stop suffix
/// such as 北站 or 东门 (塔山旅游风景区北站 → 塔山旅游风景区).
fn place_name(stop: &str) -> String {
    let base = stop.split(['（', '(']).next().unwrap_or_default();
    const SUFFIXES: [&str; 11] = [
        "北区",
        "东校区",
        "东南门",
        "一号门",
        "北门",
        "南门",
        "东门",
        "西门",
        "北站",
        "东站",
        "场站",
    ];
    let cut = SUFFIXES
        .iter()
        .filter_map(|s| base.find(s))
        .min()
        .unwrap_or(base.len());
    base[..cut].to_owned()
}

pub(super) fn places(inputs: &Inputs, include: &[&str], exclude: &[&str]) -> Vec<Place> {
    let mut out: Vec<Place> = Vec::new();
    for (name, &at) in inputs.base.stop_names.iter().zip(&inputs.base.stops) {
        let name = place_name(name);
        if include.iter().any(|k| name.contains(k))
            && !exclude.iter().any(|k| name.contains(k))
            && !out.iter().any(|p| p.name == name)
        {
            out.push(Place { name, at });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

pub(super) struct Context<'a> {
    pub(super) cells: &'a Cells,
    pub(super) areas: &'a Areas,
    pub(super) addresses: &'a mut Addresses,
    pub(super) namer: &'a mut Namer,
    pub(super) sites: Vec<Site>,
}

impl Context<'_> {
    /// A point `INSET_M` inside `cell` from its edge nearest `near`.
    pub(super) fn point_in(&self, cell: usize, near: Coord<f64>) -> Coord<f64> {
        let polygon = &self.cells.cells[cell].polygon;
        let mut best: Option<(f64, Coord<f64>)> = None;
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for line in ring.lines() {
                let len = distance(line.start, line.end);
                if len < 2.0 * INSET_M {
                    continue;
                }
                let foot = match line.closest_point(&Point::from(near)) {
                    Closest::Intersection(p) | Closest::SinglePoint(p) => p.0,
                    Closest::Indeterminate => line.start,
                };
                let (t, n) = (
                    Coord {
                        x: (line.end.x - line.start.x) / len,
                        y: (line.end.y - line.start.y) / len,
                    },
                    Coord {
                        x: -(line.end.y - line.start.y) / len,
                        y: (line.end.x - line.start.x) / len,
                    },
                );
                // Keep clear of the corners.
                let s = ((foot.x - line.start.x) * t.x + (foot.y - line.start.y) * t.y)
                    .clamp(INSET_M, len - INSET_M);
                let p = Coord {
                    x: line.start.x + t.x * s + n.x * INSET_M,
                    y: line.start.y + t.y * s + n.y * INSET_M,
                };
                let d = distance(p, near);
                if polygon.contains(&Point::from(p)) && best.is_none_or(|(b, _)| d < b) {
                    best = Some((d, p));
                }
            }
        }
        best.map_or(self.cells.cells[cell].inside, |(_, p)| p)
    }

    /// The block nearest a point (the one holding it, if any).
    pub(super) fn block_near(&self, p: Coord<f64>) -> usize {
        let point = Point::from(p);
        let blocks = || (0..self.cells.cells.len()).filter(|&c| self.cells.cells[c].block);
        blocks()
            .find(|&c| self.cells.cells[c].polygon.contains(&point))
            .or_else(|| {
                blocks().min_by(|&a, &b| {
                    distance(p, self.cells.cells[a].inside)
                        .total_cmp(&distance(p, self.cells.cells[b].inside))
                })
            })
            .unwrap_or(0)
    }

    pub(super) fn add(
        &mut self,
        at: Coord<f64>,
        cell: usize,
        kind: SiteKind,
        name: String,
    ) -> usize {
        let address = self
            .addresses
            .number(at)
            .map(|(road, number)| format!("{road}{number}号"));
        let id = Id::numbered('S', self.sites.len() + 1, 5);
        self.sites.push(Site {
            at,
            cell,
            props: SiteProps {
                id,
                kind,
                name,
                category: None,
                network: None,
                address,
                host: None,
                host_site_id: None,
                services: Vec::new(),
                hours: None,
                public_contact: None,
                resources: Vec::new(),
                paired_community_ids: Vec::new(),
                street_id: None,
                community_id: None,
                grid_id: None,
                location_quality: None,
                entrance: None,
                synthetic: true,
            },
        });
        self.sites.len() - 1
    }

    pub(super) fn last(&mut self) -> &mut SiteProps {
        let n = self.sites.len() - 1;
        &mut self.sites[n].props
    }

    pub(super) fn centre_services(&mut self) -> Vec<String> {
        let mut s: Vec<String> = PARTY_SERVICES.iter().map(|s| (*s).to_owned()).collect();
        s.extend(GOVERNMENT_SERVICES.iter().map(|s| (*s).to_owned()));
        s.extend(self.namer.some(&CONVENIENCE_SERVICES, 5));
        s
    }

    pub(super) fn service_points(&self) -> impl Iterator<Item = Coord<f64>> + '_ {
        self.sites
            .iter()
            .filter(|s| s.props.kind.is_service_point())
            .map(|s| s.at)
    }
}

pub(super) fn resource(kind: &str, name: &str, capacity: u32, unit: &str) -> Value {
    json!({"type": kind, "name": name, "capacity": capacity, "unit": unit})
}

/// A community's short name: 友谊街社区居民委员会 → 友谊街社区, 西牟村村民委员会 → 西牟村.
pub fn community_short(name: &str) -> String {
    name.trim_end_matches("居民委员会")
        .trim_end_matches("村民委员会")
        .to_owned()
}

pub fn place(
    inputs: &Inputs,
    cells: &Cells,
    areas: &Areas,
    placed: &Placed,
    addresses: &mut Addresses,
    namer: &mut Namer,
) -> Vec<Site> {
    let mut cx = Context {
        cells,
        areas,
        addresses,
        namer,
        sites: Vec::new(),
    };
    let office = hours(("08:30", "17:30"), Some(("09:00", "12:00")));
    let community_of_cell = |c: usize| areas.grids[areas.grid_of_cell[c]].community;
    let weighted_centre = |of: &dyn Fn(usize) -> bool| {
        let (mut x, mut y, mut w) = (0.0, 0.0, 0.0);
        for b in placed.buildings.iter().filter(|b| of(b.cell)) {
            if let Some(c) = b.footprint.centroid() {
                let h = f64::from(b.households);
                x += c.x() * h;
                y += c.y() * h;
                w += h;
            }
        }
        Coord {
            x: x / w.max(1.0),
            y: y / w.max(1.0),
        }
    };
    let residential_nearest = |of: &dyn Fn(usize) -> bool, p: Coord<f64>| {
        (0..cells.cells.len())
            .filter(|&c| areas.households[c] > 0 && of(c))
            .min_by(|&a, &b| {
                distance(p, cells.cells[a].inside).total_cmp(&distance(p, cells.cells[b].inside))
            })
    };

    // Centres.
    let all = |_: usize| true;
    let centre = weighted_centre(&all);
    let mut centres = Vec::new();
    if let Some(cell) = residential_nearest(&all, centre) {
        let at = cx.point_in(cell, centre);
        centres.push(cx.add(
            at,
            cell,
            SiteKind::DistrictCentre,
            "芝罘区党群服务中心".to_owned(),
        ));
    }
    for (s, street) in inputs.streets.iter().enumerate() {
        let cell = areas.street_seed_cells[s];
        let at = cx.point_in(cell, areas.street_seeds[s]);
        centres.push(cx.add(
            at,
            cell,
            SiteKind::StreetCentre,
            format!("{}党群服务中心", street.name),
        ));
    }
    let mut community_centres = Vec::new();
    for (c, community) in inputs.communities.iter().enumerate() {
        let mine =
            |cell: usize| areas.grid_of_cell[cell] != usize::MAX && community_of_cell(cell) == c;
        let centre = weighted_centre(&mine);
        let Some(cell) = residential_nearest(&mine, centre) else {
            continue;
        };
        let at = cx.point_in(cell, centre);
        let name = format!("{}党群服务中心", community_short(&community.name));
        community_centres.push(cx.add(at, cell, SiteKind::CommunityCentre, name));
    }
    for &i in centres.iter().chain(&community_centres) {
        let services = cx.centre_services();
        let contact = cx.namer.public_contact();
        let p = &mut cx.sites[i].props;
        p.services = services;
        p.hours = Some(office.clone());
        p.public_contact = Some(contact);
        p.resources = vec![resource("venue", "党员活动室", 60, "座")];
    }

    // Stations: hosted by centres first.
    let mut hosts: Vec<usize> = centres.clone();
    for &i in &community_centres {
        if cx.namer.chance(HOSTING_SHARE) {
            hosts.push(i);
        }
    }
    hosts.truncate(STATIONS);
    let station_services = |cx: &mut Context| {
        let mut s = cx.namer.some(&CONVENIENCE_SERVICES, 5);
        s.extend(cx.namer.some(&GOVERNMENT_SERVICES, 2));
        s.extend(cx.namer.some(&PARTY_SERVICES, 1));
        s
    };
    let mut stations = 0;
    for h in hosts {
        let (at, cell) = (cx.sites[h].at, cx.sites[h].cell);
        let host_name = cx.sites[h].props.name.clone();
        let host_id = cx.sites[h].props.id.clone();
        let name = format!("{}红港驿站", host_name.trim_end_matches("党群服务中心"));
        cx.add(at, cell, SiteKind::Station, name);
        let services = station_services(&mut cx);
        let contact = cx.namer.public_contact();
        let p = cx.last();
        p.network = Some("honggang".to_owned());
        p.host = Some(host_name);
        p.host_site_id = Some(host_id);
        p.category = Some("party_mass_centre".to_owned());
        p.services = services;
        p.hours = Some(office.clone());
        p.public_contact = Some(contact);
        stations += 1;
    }
    let commercial = places(
        inputs,
        &["广场", "商场", "商城", "大悦城"],
        &["火车站", "滨海"],
    );
    for place in &commercial {
        if stations >= STATIONS {
            break;
        }
        let cell = cx.block_near(place.at);
        let at = cx.point_in(cell, place.at);
        cx.add(
            at,
            cell,
            SiteKind::Station,
            format!("{}红港驿站", place.name),
        );
        let services = station_services(&mut cx);
        let contact = cx.namer.public_contact();
        let p = cx.last();
        p.network = Some("honggang".to_owned());
        p.category = Some("commercial_building".to_owned());
        p.host = Some(format!("{}（商圈楼宇）", place.name));
        p.location_quality = Some("bus_stop_proxy".to_owned());
        p.services = services;
        p.hours = Some(hours(("09:00", "21:00"), Some(("09:00", "21:00"))));
        p.public_contact = Some(contact);
        stations += 1;
    }
    const SHOPS: [&str; 8] = [
        "便利店",
        "药店",
        "超市",
        "银行网点",
        "书店",
        "理发店",
        "快递驿站",
        "茶社",
    ];
    let weights: Vec<f64> = placed
        .buildings
        .iter()
        .map(|b| f64::from(b.households))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut spacing = STATION_SPACING_M;
    let mut misses = 0;
    while stations < STATIONS && total > 0.0 {
        // A building drawn in proportion to its households.
        let mut r = f64::from(cx.namer.range(0, 1_000_000)) / 1_000_001.0 * total;
        let Some(b) = weights.iter().position(|&w| {
            r -= w;
            r < 0.0
        }) else {
            continue;
        };
        let building = &placed.buildings[b];
        let Some(centroid) = building.footprint.centroid() else {
            continue;
        };
        let at = cx.point_in(building.cell, centroid.0);
        if cx.service_points().any(|p| distance(p, at) < spacing) {
            misses += 1;
            if misses == 200 {
                spacing *= 0.9;
                misses = 0;
            }
            continue;
        }
        let shop = cx.namer.choose(&SHOPS);
        let name = format!("{}{shop}红港驿站", building.road);
        cx.add(at, building.cell, SiteKind::Station, name);
        let services = station_services(&mut cx);
        let contact = cx.namer.public_contact();
        let p = cx.last();
        p.network = Some("honggang".to_owned());
        p.category = Some("shopfront".to_owned());
        p.host = Some(format!("{shop}（门头网点）"));
        p.services = services;
        p.hours = Some(hours(("08:00", "20:00"), Some(("08:00", "20:00"))));
        p.public_contact = Some(contact);
        stations += 1;
    }

    // Service posts.
    let primaries: Vec<(Coord<f64>, Coord<f64>)> = inputs
        .network
        .iter()
        .filter(|l| l.highway == "primary")
        .flat_map(|l| l.coords.windows(2).map(|w| (w[0], w[1])))
        .filter(|(a, b)| distance(*a, *b) > 30.0)
        .collect();
    for k in 0..KIOSKS.min(primaries.len()) {
        let (a, b) = primaries[k * primaries.len() / KIOSKS];
        let mid = Coord {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        };
        let cell = cx.block_near(mid);
        let at = cx.point_in(cell, mid);
        cx.add(
            at,
            cell,
            SiteKind::ServicePost,
            format!("城管岗亭服务点{}", k + 1),
        );
        let services = cx.namer.some(&CONVENIENCE_SERVICES, 4);
        let p = cx.last();
        p.category = Some("kiosk".to_owned());
        p.host = Some("城管岗亭".to_owned());
        p.services = services;
        p.hours = Some(always_open());
    }
    let posts = |cx: &mut Context, list: &[Place], category: &str, host: &str, quality: bool| {
        for place in list {
            let cell = cx.block_near(place.at);
            let at = cx.point_in(cell, place.at);
            cx.add(
                at,
                cell,
                SiteKind::ServicePost,
                format!("{}{host}服务点", place.name),
            );
            let services = cx.namer.some(&CONVENIENCE_SERVICES, 4);
            let p = cx.last();
            p.category = Some(category.to_owned());
            p.host = Some(host.to_owned());
            p.services = services;
            p.hours = Some(hours(("08:00", "18:00"), Some(("08:00", "18:00"))));
            if quality {
                p.location_quality = Some("bus_stop_proxy".to_owned());
            }
        }
    };
    let parks = places(inputs, &["公园"], &[]);
    posts(&mut cx, &parks, "pocket_park", "口袋公园", true);
    let small_open: Vec<Place> = (0..cells.cells.len())
        .filter(|&c| {
            cells.cells[c].block
                && areas.households[c] == 0
                && (1_500.0..6_000.0).contains(&cells.cells[c].area)
        })
        .step_by(7)
        .take(GENERATED_POCKET_PARKS)
        .enumerate()
        .map(|(k, c)| Place {
            name: format!("街角{}号", k + 1),
            at: cells.cells[c].inside,
        })
        .collect();
    posts(&mut cx, &small_open, "pocket_park", "口袋公园", false);
    let sights = places(
        inputs,
        &[
            "风景区",
            "博物馆",
            "所城里",
            "栈桥",
            "烟台山",
            "海水浴场",
            "码头",
            "滨海广场",
        ],
        &["医院"],
    );
    posts(&mut cx, &sights, "visitor_centre", "游客中心", true);

    super::resources::resources(&mut cx, inputs, &commercial, placed);

    // Every site takes its street, community and grid from its cell.
    cx.sites
}
