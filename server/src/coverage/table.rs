//! Coverage tables: population and covered population per area of a level, with the
//! service points inside each, in whole people so that rows sum to the total exactly.

use super::areas::{Area, Areas, Level, NONE};

/// One area's coverage.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub area: Area,
    pub population: u64,
    pub covered_population: u64,
    pub buildings: u32,
    pub covered_buildings: u32,
    pub service_points: u32,
}

impl Row {
    fn empty(area: Area) -> Self {
        Self {
            area,
            population: 0,
            covered_population: 0,
            buildings: 0,
            covered_buildings: 0,
            service_points: 0,
        }
    }

    /// Covered share of the population, percent to two decimals; `None` for an area
    /// where nobody lives.
    pub fn coverage_pct(&self) -> Option<f64> {
        (self.population > 0).then(|| {
            (self.covered_population as f64 * 10_000.0 / self.population as f64).round() / 100.0
        })
    }

    fn add(&mut self, other: &Row) {
        self.population += other.population;
        self.covered_population += other.covered_population;
        self.buildings += other.buildings;
        self.covered_buildings += other.covered_buildings;
        self.service_points += other.service_points;
    }
}

/// The rows of one level and their total.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub level: Level,
    pub rows: Vec<Row>,
    pub total: Row,
}

impl Table {
    /// Every row with its level's name, then the total named `total`.
    pub fn lines(&self) -> impl Iterator<Item = (&'static str, &Row)> {
        let level = self.level.as_str();
        self.rows
            .iter()
            .map(move |r| (level, r))
            .chain(std::iter::once(("total", &self.total)))
    }
}

/// The area of an unknown reference, reported so that rows still sum to the total.
fn unassigned() -> Area {
    Area {
        id: String::new(),
        code: None,
        name: "未归属 (unassigned)".to_owned(),
    }
}

/// Tallies buildings (`covered[b]`, `population[b]`) and service points
/// (`service_point[s]`) into the areas of `level`.
pub fn tally(
    areas: &Areas,
    level: Level,
    population: &[u32],
    covered: &[bool],
    service_point: &[bool],
) -> Table {
    let list = areas.at(level);
    let mut rows: Vec<Row> = list.iter().cloned().map(Row::empty).collect();
    let mut orphans = Row::empty(unassigned());
    let row_of = |entry: [u32; 3]| match Areas::pick(level, entry) {
        NONE => None,
        i => Some(i as usize),
    };
    for (b, &entry) in areas.of_building.iter().enumerate() {
        let row = match row_of(entry) {
            Some(i) => &mut rows[i],
            None => &mut orphans,
        };
        let people = u64::from(population[b]);
        row.population += people;
        row.buildings += 1;
        if covered[b] {
            row.covered_population += people;
            row.covered_buildings += 1;
        }
    }
    for (s, &entry) in areas.of_site.iter().enumerate() {
        if service_point[s] {
            match row_of(entry) {
                Some(i) => rows[i].service_points += 1,
                None => orphans.service_points += 1,
            }
        }
    }
    if orphans.buildings > 0 || orphans.service_points > 0 {
        rows.push(orphans);
    }
    let mut total = Row::empty(areas.district.clone());
    for row in &rows {
        total.add(row);
    }
    Table { level, rows, total }
}
