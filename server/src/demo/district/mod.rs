//! The demo district: streets, communities and grids grown over the blocks of the
//! demo walking network; compounds and buildings in the blocks; service points,
//! resources and people. Everything generated is `synthetic: true`; the real inputs
//! are the land, the register of streets and communities and the bus stops.

mod addresses;
mod areas;
mod blocks;
mod buildings;
mod inputs;
mod partition;
mod people;
mod resources;
mod simple_rings;
mod sites;
mod vocabulary;
mod write;

use std::path::Path;

use geo::MultiPolygon;

use crate::error::{Error, Result};
use crate::model::{
    BuildingProps, CommunityProps, CompoundProps, Entrance, GridCode, GridProps, Id, SiteKind,
    StreetProps,
};

pub use inputs::Inputs;

/// What the generated district measures.
#[derive(Debug, Default)]
pub struct Stats {
    pub blocks: usize,
    pub fringe_pieces: usize,
    pub streets: usize,
    pub communities: usize,
    pub grids: usize,
    pub grids_150_800_households: usize,
    pub compounds: usize,
    pub buildings: usize,
    pub households: u64,
    pub population: u64,
    pub households_without_building: u32,
    pub sites: usize,
    pub stations: usize,
    pub workers: usize,
}

/// The generated files, by name, and what they measure.
pub struct Generated {
    pub files: Vec<(&'static str, String)>,
    pub stats: Stats,
}

fn pinyin_of(name: &str) -> String {
    use pinyin::ToPinyin;
    name.chars()
        .map(|c| {
            c.to_pinyin()
                .map_or_else(|| c.to_string(), |p| p.plain().to_owned())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn id(code: &str) -> Result<Id> {
    Id::new(code).map_err(|e| Error::InvalidFile {
        file: "places/".to_owned(),
        reason: e.to_string(),
    })
}

/// Generates the district's layers from `data_dir` (land, walking network) and
/// `sources_dir` (register, bus stops).
pub fn generate(data_dir: &Path, sources_dir: &Path, seed: u64) -> Result<Generated> {
    let inputs = Inputs::read(data_dir, sources_dir)?;
    let projection = &inputs.base.projection;
    let cells = blocks::cells(&inputs.network, &inputs.base.land_parts);
    let areas = areas::grow_areas(&inputs, &cells, seed)?;
    let mut addresses = addresses::Addresses::new(&inputs.network);
    let mut namer = vocabulary::Namer::new(seed);
    let placed = buildings::place(
        &cells,
        &areas,
        &inputs.network,
        &mut addresses,
        &mut namer,
        seed,
    );
    let sites = sites::place(&inputs, &cells, &areas, &placed, &mut addresses, &mut namer);

    // Ids.
    let street_ids: Vec<Id> = inputs
        .streets
        .iter()
        .map(|s| id(&s.code))
        .collect::<Result<_>>()?;
    let community_ids: Vec<Id> = inputs
        .communities
        .iter()
        .map(|c| id(&c.code))
        .collect::<Result<_>>()?;
    let mut grid_numbers = vec![0usize; areas.grids.len()];
    for community in &areas.communities {
        for (n, &g) in community.grids.iter().enumerate() {
            grid_numbers[g] = n + 1;
        }
    }
    let grid_codes: Vec<GridCode> = areas
        .grids
        .iter()
        .zip(&grid_numbers)
        .map(|(grid, n)| {
            let community = &inputs.communities[grid.community].code;
            GridCode::new(format!("{community}{n:03}")).map_err(|e| Error::InvalidFile {
                file: "places/zhifu_communities_nbs2023.csv".to_owned(),
                reason: e.to_string(),
            })
        })
        .collect::<Result<_>>()?;
    let grid_ids: Vec<Id> = grid_codes
        .iter()
        .map(|c| Id::new(format!("G{}", c.as_str())))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Error::InvalidFile {
            file: "grids".to_owned(),
            reason: e.to_string(),
        })?;
    let building_ids: Vec<Id> = (0..placed.buildings.len())
        .map(|i| Id::numbered('B', i + 1, 5))
        .collect();
    let compound_ids: Vec<Id> = (0..placed.compounds.len())
        .map(|i| Id::numbered('K', i + 1, 5))
        .collect();
    let grid_of = |cell: usize| areas.grid_of_cell[cell];

    // Areas.
    let mut grid_households = vec![0u32; areas.grids.len()];
    let mut grid_population = vec![0u32; areas.grids.len()];
    for b in &placed.buildings {
        grid_households[grid_of(b.cell)] += b.households;
        grid_population[grid_of(b.cell)] += b.population;
    }
    let union_of =
        |cells_of: &mut dyn Iterator<Item = usize>| -> MultiPolygon<f64> { cells.union(cells_of) };
    let mut streets = Vec::new();
    for (s, street) in inputs.streets.iter().enumerate() {
        let area = union_of(
            &mut (0..cells.cells.len())
                .filter(|&c| areas.communities[areas.grids[grid_of(c)].community].street == s),
        );
        let props = StreetProps {
            id: street_ids[s].clone(),
            name: street.name.clone(),
            name_pinyin: Some(pinyin_of(&street.name)),
            committee: Some(format!("{}党工委", street.name)),
            public_contact: Some(namer.public_contact()),
            synthetic: true,
        };
        streets.push((props, write::area_geometry(projection, &area)));
    }
    let mut communities = Vec::new();
    for (c, community) in inputs.communities.iter().enumerate() {
        let area = union_of(
            &mut areas.communities[c]
                .grids
                .iter()
                .flat_map(|&g| areas.grids[g].cells.iter().copied()),
        );
        let name = sites::community_short(&community.name);
        let props = CommunityProps {
            id: community_ids[c].clone(),
            street_id: street_ids[areas.communities[c].street].clone(),
            name_pinyin: Some(pinyin_of(&name)),
            name,
            public_contact: Some(namer.public_contact()),
            synthetic: true,
        };
        communities.push((props, write::area_geometry(projection, &area)));
    }
    let mut grids = Vec::new();
    for (g, grid) in areas.grids.iter().enumerate() {
        let area = union_of(&mut grid.cells.iter().copied());
        let name = format!(
            "{}第{}网格",
            sites::community_short(&inputs.communities[grid.community].name),
            grid_numbers[g]
        );
        let props = GridProps {
            id: grid_ids[g].clone(),
            code: grid_codes[g].clone(),
            community_id: community_ids[grid.community].clone(),
            party_branch: format!("{name}党支部"),
            name: Some(name),
            population: grid_population[g],
            households: grid_households[g],
            public_contact: Some(namer.public_contact()),
            synthetic: true,
        };
        grids.push((props, write::area_geometry(projection, &area)));
    }

    // Places.
    let compounds: Vec<(CompoundProps, geojson::Value)> = placed
        .compounds
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let props = CompoundProps {
                id: compound_ids[k].clone(),
                name: c.name.clone(),
                address: Some(c.address.clone()),
                grid_id: grid_ids[grid_of(c.cell)].clone(),
                gates: c
                    .gates
                    .iter()
                    .map(|&g| write::lon_lat(projection, g))
                    .collect(),
                synthetic: true,
            };
            let geometry = write::polygon_geometry(projection, &cells.cells[c.cell].polygon);
            (props, geometry)
        })
        .collect();
    let buildings: Vec<(BuildingProps, geojson::Value)> = placed
        .buildings
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let props = BuildingProps {
                id: building_ids[i].clone(),
                address: b.address.clone(),
                compound_id: b.compound.map(|k| compound_ids[k].clone()),
                grid_id: grid_ids[grid_of(b.cell)].clone(),
                party_group: Some(format!("{}号楼党小组", b.number)),
                population: b.population,
                households: b.households,
                floors: b.floors,
                entrance: b.gate.map(|gate| Entrance::Gate {
                    compound_id: None,
                    gate,
                }),
                synthetic: true,
            };
            (props, write::polygon_geometry(projection, &b.footprint))
        })
        .collect();
    let sites: Vec<(crate::model::SiteProps, geojson::Value)> = sites
        .into_iter()
        .map(|s| {
            let g = grid_of(s.cell);
            let c = areas.grids[g].community;
            let mut props = s.props;
            props.grid_id = Some(grid_ids[g].clone());
            props.community_id = Some(community_ids[c].clone());
            props.street_id = Some(street_ids[areas.communities[c].street].clone());
            (props, write::point_geometry(projection, s.at))
        })
        .collect();

    // People.
    let workers = people::workers(&areas, &grid_ids, &mut namer);
    let heads = people::building_heads(&building_ids, &mut namer);

    let stats = Stats {
        blocks: cells.cells.iter().filter(|c| c.block).count(),
        fringe_pieces: cells.cells.iter().filter(|c| !c.block).count(),
        streets: streets.len(),
        communities: communities.len(),
        grids: grids.len(),
        grids_150_800_households: grid_households
            .iter()
            .filter(|h| (150..=800).contains(*h))
            .count(),
        compounds: compounds.len(),
        buildings: buildings.len(),
        households: grid_households.iter().map(|&h| u64::from(h)).sum(),
        population: grid_population.iter().map(|&p| u64::from(p)).sum(),
        households_without_building: placed.homeless_households,
        sites: sites.len(),
        stations: sites
            .iter()
            .filter(|(p, _)| p.kind == SiteKind::Station)
            .count(),
        workers: workers.len(),
    };
    Ok(Generated {
        files: vec![
            ("streets.geojson", write::collection("streets", &streets)),
            (
                "communities.geojson",
                write::collection("communities", &communities),
            ),
            ("grids.geojson", write::collection("grids", &grids)),
            (
                "compounds.geojson",
                write::collection("compounds", &compounds),
            ),
            (
                "buildings.geojson",
                write::collection("buildings", &buildings),
            ),
            ("sites.geojson", write::collection("sites", &sites)),
            ("workers.json", write::records(&workers)),
            ("building_heads.json", write::records(&heads)),
        ],
        stats,
    })
}
