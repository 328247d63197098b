//! The source's resources, placed: 8 alliances at the real shopping places, 15
//! red-property estates and 68 governance committees in compounds spread evenly
//! through the list, the property centre and 8 industry party organisations next to
//! the district centre, co-building units at the real hospitals, schools and fire
//! station among the stop names plus a police station per street, and 619 volunteer
//! teams and 486 social organisations shared over communities by households.

use serde_json::Value;

use super::buildings::Placed;
use super::inputs::Inputs;
use super::sites::{Context, Place, community_short, places, resource};
use crate::demo::network::distance;
use crate::model::{Id, SiteKind};

pub(super) fn resources(cx: &mut Context, inputs: &Inputs, commercial: &[Place], placed: &Placed) {
    // 8 alliances at the commercial places (further ones in the densest blocks).
    for k in 0..8 {
        let (name, cell, at) = match commercial.get(k) {
            Some(place) => {
                let cell = cx.block_near(place.at);
                (place.name.clone(), cell, cx.point_in(cell, place.at))
            }
            None => {
                let c = placed.buildings[k * placed.buildings.len() / 8].cell;
                (
                    format!("商圈{}", k + 1),
                    c,
                    cx.point_in(c, cx.cells.cells[c].inside),
                )
            }
        };
        cx.add(at, cell, SiteKind::Alliance, format!("{name}商圈党建联盟"));
        let p = cx.last();
        p.resources = vec![
            resource("venue", "联盟共享会议室", 40, "座"),
            resource("funding", "联盟共建资金", 100_000, "元/年"),
        ];
    }
    // Red-property estates and governance committees in compounds, spread evenly.
    let compounds = &placed.compounds;
    let pick = |n: usize, offset: usize| -> Vec<usize> {
        (0..n)
            .map(|k| (k * compounds.len() / n + offset) % compounds.len().max(1))
            .collect()
    };
    let hosted: [(usize, usize, SiteKind, &str, Value); 2] = [
        (
            15,
            0,
            SiteKind::RedProperty,
            "红色物业示范小区",
            resource("venue", "红色物业服务站", 20, "座"),
        ),
        (
            68,
            3,
            SiteKind::GovernanceCommittee,
            "治理委员会",
            resource("volunteers", "委员", 7, "人"),
        ),
    ];
    for (count, offset, kind, suffix, offer) in hosted {
        for k in pick(count, offset) {
            let Some(compound) = compounds.get(k) else {
                continue;
            };
            let at = cx.point_in(compound.cell, compound.gates[0]);
            cx.add(
                at,
                compound.cell,
                kind,
                format!("{}{suffix}", compound.name),
            );
            cx.last().resources = vec![offer.clone()];
        }
    }
    // The property centre and the industry party organisations near the district centre.
    let district_cell = cx.sites[0].cell;
    let near_centre: Vec<usize> = {
        let c = cx.cells.cells[district_cell].inside;
        let mut blocks: Vec<usize> = (0..cx.cells.cells.len())
            .filter(|&b| cx.cells.cells[b].block)
            .collect();
        blocks.sort_by(|&a, &b| {
            distance(c, cx.cells.cells[a].inside).total_cmp(&distance(c, cx.cells.cells[b].inside))
        });
        blocks.into_iter().skip(1).take(9).collect()
    };
    if let Some(&cell) = near_centre.first() {
        let at = cx.point_in(cell, cx.cells.cells[cell].inside);
        cx.add(
            at,
            cell,
            SiteKind::PropertyCentre,
            "芝罘区物业党群服务中心".to_owned(),
        );
        cx.last().resources = vec![resource("training", "物业党建培训", 120, "人次/年")];
    }
    const INDUSTRIES: [(&str, &str); 8] = [
        ("教育", "training"),
        ("卫生健康", "medical"),
        ("律师", "legal"),
        ("物流快递", "volunteers"),
        ("商贸流通", "funding"),
        ("金融", "funding"),
        ("网约配送", "volunteers"),
        ("社会组织", "training"),
    ];
    for (k, (industry, kind)) in INDUSTRIES.iter().enumerate() {
        let Some(&cell) = near_centre.get(1 + k) else {
            continue;
        };
        let at = cx.point_in(cell, cx.cells.cells[cell].inside);
        cx.add(
            at,
            cell,
            SiteKind::IndustryPartyOrg,
            format!("芝罘区{industry}行业党委"),
        );
        cx.last().resources = vec![resource(
            kind,
            &format!("{industry}行业服务"),
            50,
            "人次/月",
        )];
    }
    // Co-building units at the real hospitals, schools and fire station.
    let units: [(&[&str], &str); 3] = [
        (&["医院"], "hospital"),
        (&["学校", "中学", "小学", "大学", "幼儿园"], "school"),
        (&["消防"], "fire"),
    ];
    for (keys, category) in units {
        for place in places(inputs, keys, &[]) {
            let cell = cx.block_near(place.at);
            let at = cx.point_in(cell, place.at);
            cx.add(at, cell, SiteKind::CoBuilding, place.name.clone());
            let p = cx.last();
            p.category = Some(category.to_owned());
            p.location_quality = Some("bus_stop_proxy".to_owned());
            p.resources = vec![match category {
                "hospital" => resource("medical", "义诊", 4, "次/月"),
                "school" => resource("venue", "运动场地开放", 200, "人"),
                _ => resource("equipment", "消防宣传与演练", 2, "次/月"),
            }];
        }
    }
    for (s, street) in inputs.streets.iter().enumerate() {
        let cell = cx.areas.street_seed_cells[s];
        let near = cx.areas.street_seeds[s];
        let ring = &cx.cells.cells[cell].polygon.exterior().0;
        let opposite = ring.get(ring.len() / 2).copied().unwrap_or(near);
        let at = cx.point_in(cell, opposite);
        let name = format!("{}派出所", street.name.trim_end_matches("街道"));
        cx.add(at, cell, SiteKind::CoBuilding, name);
        let p = cx.last();
        p.category = Some("police".to_owned());
        p.resources = vec![resource("legal", "警务咨询", 1, "次/周")];
    }
    // Volunteer teams and social organisations, by community households.
    teams(cx, inputs);
}

fn teams(cx: &mut Context, inputs: &Inputs) {
    const THEMES: [&str; 10] = [
        "红心",
        "夕阳红",
        "巾帼",
        "青年突击",
        "法律援助",
        "健康义诊",
        "助老",
        "环保",
        "文明劝导",
        "邻里守望",
    ];
    const ORGS: [(&str, &str); 6] = [
        ("社工服务中心", "volunteers"),
        ("养老服务协会", "venue"),
        ("调解协会", "legal"),
        ("文化促进会", "venue"),
        ("公益基金会", "funding"),
        ("康复服务站", "medical"),
    ];
    let areas = cx.areas;
    let households: Vec<f64> = (0..inputs.communities.len())
        .map(|c| {
            areas.communities[c]
                .grids
                .iter()
                .map(|&g| f64::from(areas.grids[g].households))
                .sum()
        })
        .collect();
    let homes_of = |c: usize| -> Vec<usize> {
        areas.communities[c]
            .grids
            .iter()
            .flat_map(|&g| areas.grids[g].cells.iter().copied())
            .filter(|&cell| areas.households[cell] > 0)
            .collect()
    };
    for (total, team) in [(619u64, true), (486, false)] {
        let per_community = super::areas::apportion(&households, total, 1);
        for (c, &n) in per_community.iter().enumerate() {
            let homes = homes_of(c);
            if homes.is_empty() {
                continue;
            }
            let short = community_short(&inputs.communities[c].name);
            let street = areas.communities[c].street;
            let neighbours: Vec<usize> = (0..inputs.communities.len())
                .filter(|&o| o != c && areas.communities[o].street == street)
                .collect();
            for k in 0..n as usize {
                let cell = homes[cx.namer.range(0, homes.len() as u32 - 1) as usize];
                let ring = &cx.cells.cells[cell].polygon.exterior().0;
                let vertex = ring[cx.namer.range(0, ring.len() as u32 - 1) as usize];
                let at = cx.point_in(cell, vertex);
                let (kind, name, res) = if team {
                    let theme = cx.namer.choose(&THEMES);
                    let members = cx.namer.range(10, 60);
                    (
                        SiteKind::VolunteerTeam,
                        format!("{short}{theme}志愿服务队{}", k + 1),
                        resource("volunteers", &format!("{theme}志愿者"), members, "人"),
                    )
                } else {
                    let (org, kind) = ORGS[cx.namer.range(0, ORGS.len() as u32 - 1) as usize];
                    let capacity = cx.namer.range(5, 80);
                    (
                        SiteKind::SocialOrg,
                        format!("{short}{org}{}", k + 1),
                        resource(kind, org, capacity, "人次/月"),
                    )
                };
                cx.add(at, cell, kind, name);
                let mut paired = vec![inputs.communities[c].code.clone()];
                if !neighbours.is_empty() && cx.namer.chance(0.4) {
                    let o = neighbours[cx.namer.range(0, neighbours.len() as u32 - 1) as usize];
                    paired.push(inputs.communities[o].code.clone());
                }
                let p = cx.last();
                p.resources = vec![res];
                p.paired_community_ids = paired
                    .into_iter()
                    .filter_map(|id| Id::new(id).ok())
                    .collect();
            }
        }
    }
}
