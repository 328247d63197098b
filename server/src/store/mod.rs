//! Where the district's data lives. `Store::Memory` loads a data directory once at
//! start-up into an immutable [`Dataset`]; [`postgis`] holds the database's schema,
//! which the PostGIS store is being built on.

mod check;
mod entrances;
mod layer;
mod load;
pub mod postgis;
mod scenarios;
mod source;
pub mod topology;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub use entrances::entrance_problem;
pub use layer::{LayerData, LayerId, LayerItem};
pub use load::content_version;
pub use scenarios::{SavedScenario, ScenarioStore};
pub use source::{DirSource, MemorySource, Source, SourceFile};

use crate::config::Profile;
use crate::error::{Error, Result};
use crate::model::{
    Building, BuildingHead, Community, Compound, ContextDistrict, District, Grid, HasId, Id,
    NetworkEdge, Site, Street, Worker,
};

/// Every layer of a district, typed, with the prepared GeoJSON of each.
#[derive(Debug, Default)]
pub struct Dataset {
    pub district: Vec<District>,
    pub context: Vec<ContextDistrict>,
    pub streets: Vec<Street>,
    pub communities: Vec<Community>,
    pub grids: Vec<Grid>,
    pub compounds: Vec<Compound>,
    pub buildings: Vec<Building>,
    pub sites: Vec<Site>,
    pub network: Vec<NetworkEdge>,
    /// The file the walking network came from, as answers name it.
    pub network_file: String,
    /// The newest modification date of the loaded layer files (Beijing time): the
    /// date answers give for their data.
    pub data_date: Option<String>,
    /// Empty in the public profile: personal data is never loaded there.
    pub workers: Vec<Worker>,
    pub building_heads: Vec<BuildingHead>,
    layers: BTreeMap<LayerId, LayerData>,
    personal_versions: BTreeMap<&'static str, String>,
    index_of: IdIndex,
}

/// A dataset to take files from, and which files to take.
type Kept<'a> = (&'a Dataset, &'a dyn Fn(&str) -> bool);

/// Position of each record by id, for following references between layers.
#[derive(Debug, Default)]
pub struct IdIndex {
    pub streets: HashMap<Id, usize>,
    pub communities: HashMap<Id, usize>,
    pub grids: HashMap<Id, usize>,
    pub compounds: HashMap<Id, usize>,
    pub buildings: HashMap<Id, usize>,
    pub sites: HashMap<Id, usize>,
    /// Workers serving each grid, in file order.
    pub workers_by_grid: HashMap<Id, Vec<usize>>,
    /// The building head of each building.
    pub head_of_building: HashMap<Id, usize>,
}

fn positions<P: HasId, G>(features: &[crate::model::Feature<P, G>]) -> HashMap<Id, usize> {
    features
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id().clone(), i))
        .collect()
}

fn network_id(_: &crate::model::NetworkProps, index: usize) -> String {
    format!("e{index}")
}

fn network_synthetic(p: &crate::model::NetworkProps) -> bool {
    p.synthetic
}

impl Dataset {
    /// Replaces the walking network with a GeoJSON file or an OpenStreetMap extract.
    pub fn replace_network(&mut self, path: &Path) -> Result<()> {
        let bytes = crate::import::network_geojson(path)?;
        let file = path.display().to_string();
        let (network, data) = load::parse_layer(&file, &bytes, network_id, network_synthetic)?;
        self.network = network;
        self.network_file = path
            .file_name()
            .map_or(file, |f| f.to_string_lossy().into_owned());
        self.layers.insert(LayerId::WalkNetwork, data);
        Ok(())
    }

    /// Loads every layer file found in `dir`; an absent file is an empty layer.
    pub fn load(dir: &Path, profile: Profile) -> Result<Self> {
        if !dir.is_dir() {
            return Err(Error::MissingDataDir(dir.to_owned()));
        }
        Self::from_source(&DirSource(dir), profile)
    }

    /// Loads every layer file `source` holds, with the checks of [`Dataset::load`].
    pub fn from_source(source: &dyn Source, profile: Profile) -> Result<Self> {
        Self::assemble(source, profile, None)
    }

    /// As [`Dataset::from_source`], but the files `kept` names are taken, already
    /// parsed, from `previous` (a reload that read only what changed).
    pub fn reassemble(
        source: &dyn Source,
        profile: Profile,
        previous: &Dataset,
        kept: &dyn Fn(&str) -> bool,
    ) -> Result<Self> {
        Self::assemble(source, profile, Some((previous, kept)))
    }

    fn assemble(source: &dyn Source, profile: Profile, previous: Option<Kept>) -> Result<Self> {
        let reuse = |file: &str| previous.filter(|(_, kept)| kept(file)).map(|(p, _)| p);
        let mut ds = Dataset::default();
        // Every file is read before refusing, so one answer lists every problem.
        let mut problems = Vec::new();
        let mut collect = |e: Error| match e {
            Error::Invalid(_) | Error::InvalidFile { .. } | Error::InvalidFeature { .. } => {
                problems.extend(e.into_problems());
                Ok(())
            }
            other => Err(other),
        };
        macro_rules! layer {
            ($field:ident, $layer:expr, $id:expr, $synthetic:expr) => {{
                if let Some(previous) = reuse(&$layer.file_name()) {
                    ds.$field = previous.$field.clone();
                    ds.layers.insert($layer, previous.layer($layer).clone());
                } else {
                    match load::read_layer(source, $layer, $id, $synthetic) {
                        Ok((features, data)) => {
                            ds.$field = features;
                            ds.layers.insert($layer, data);
                        }
                        Err(e) => collect(e)?,
                    }
                }
            }};
            ($field:ident, $layer:expr) => {
                layer!(
                    $field,
                    $layer,
                    |p: &_, _| HasId::id(p).to_string(),
                    |p: &_| HasId::synthetic(p)
                )
            };
        }
        layer!(district, LayerId::District);
        layer!(context, LayerId::Context);
        layer!(streets, LayerId::Streets);
        layer!(communities, LayerId::Communities);
        layer!(grids, LayerId::Grids);
        layer!(compounds, LayerId::Compounds);
        layer!(buildings, LayerId::Buildings);
        layer!(sites, LayerId::Sites);
        layer!(network, LayerId::WalkNetwork, network_id, network_synthetic);
        ds.network_file = LayerId::WalkNetwork.file_name();

        if profile == Profile::Internal {
            macro_rules! records {
                ($field:ident, $key:literal, $file:literal) => {{
                    if let Some(previous) = reuse($file) {
                        ds.$field = previous.$field.clone();
                        if let Some(v) = previous.personal_versions.get($key) {
                            ds.personal_versions.insert($key, v.clone());
                        }
                    } else {
                        match load::read_records(source, $file) {
                            Ok((records, version)) => {
                                ds.$field = records;
                                ds.personal_versions.insert($key, version);
                            }
                            Err(e) => collect(e)?,
                        }
                    }
                }};
            }
            records!(workers, "workers", "workers.json");
            records!(building_heads, "building_heads", "building_heads.json");
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        ds.data_date = ds
            .layers
            .values()
            .filter_map(|l| l.modified)
            .max()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| crate::model::beijing_date(d.as_secs() as i64));
        ds.index_of = IdIndex {
            streets: positions(&ds.streets),
            communities: positions(&ds.communities),
            grids: positions(&ds.grids),
            compounds: positions(&ds.compounds),
            buildings: positions(&ds.buildings),
            sites: positions(&ds.sites),
            workers_by_grid: HashMap::new(),
            head_of_building: HashMap::new(),
        };
        for (i, w) in ds.workers.iter().enumerate() {
            for g in &w.grid_ids {
                ds.index_of
                    .workers_by_grid
                    .entry(g.clone())
                    .or_default()
                    .push(i);
            }
        }
        for (i, h) in ds.building_heads.iter().enumerate() {
            for b in &h.building_ids {
                ds.index_of.head_of_building.entry(b.clone()).or_insert(i);
            }
        }
        check::references(&ds)?;
        Ok(ds)
    }

    pub fn layer(&self, id: LayerId) -> &LayerData {
        static EMPTY: std::sync::OnceLock<LayerData> = std::sync::OnceLock::new();
        self.layers
            .get(&id)
            .unwrap_or_else(|| EMPTY.get_or_init(LayerData::empty))
    }

    pub fn ids(&self) -> &IdIndex {
        &self.index_of
    }

    /// Data version of every layer, personal-data files included where loaded.
    pub fn versions(&self) -> BTreeMap<&'static str, String> {
        let mut versions: BTreeMap<&'static str, String> = self
            .layers
            .iter()
            .map(|(id, data)| (id.as_str(), data.version.clone()))
            .collect();
        versions.extend(self.personal_versions.clone());
        versions
    }

    /// True while any layer or record is generated rather than real.
    pub fn synthetic(&self) -> bool {
        self.layers.values().any(|l| l.synthetic)
            || self.workers.iter().any(|w| w.synthetic)
            || self.building_heads.iter().any(|h| h.synthetic)
    }
}

/// The data source a server reads from.
#[derive(Debug)]
pub enum Store {
    /// Files loaded once, read-only.
    Memory(Dataset),
    /// The district's database, read into memory, and the pool writes go through.
    Postgis {
        dataset: Dataset,
        pool: sqlx::PgPool,
        /// The data versions `dataset` was read at.
        versions: postgis::Versions,
    },
}

impl Store {
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Memory(_) => "memory",
            Store::Postgis { .. } => "postgis",
        }
    }

    pub fn dataset(&self) -> &Dataset {
        match self {
            Store::Memory(ds) | Store::Postgis { dataset: ds, .. } => ds,
        }
    }

    pub fn dataset_mut(&mut self) -> &mut Dataset {
        match self {
            Store::Memory(ds) | Store::Postgis { dataset: ds, .. } => ds,
        }
    }

    /// The database writes go to, if any.
    pub fn pool(&self) -> Option<&sqlx::PgPool> {
        match self {
            Store::Memory(_) => None,
            Store::Postgis { pool, .. } => Some(pool),
        }
    }
}
