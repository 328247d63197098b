//! Command-line and environment configuration: the one place that reads either.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::auth::Role;

/// RedGrid: walking reachability for the regional party-building resource map.
#[derive(Debug, Parser)]
#[command(name = "redgrid", version, about)]
pub struct Cli {
    /// How log lines are written to standard error: `text` for people, `json` (one
    /// object a line) for a log collector. `RUST_LOG` chooses what is logged.
    #[arg(long, global = true, value_enum, env = "REDGRID_LOG_FORMAT", default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// The shape of log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, the OGC API – Features endpoints and the map page.
    Serve(ServeConfig),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Print a coverage table: the same as `GET /api/v1/coverage` with these parameters.
    Coverage(CoverageArgs),
    /// Write every tile layer for a range of zooms into one PMTiles archive, for
    /// static hosting.
    #[command(name = "export-pmtiles")]
    ExportPmtiles(ExportPmtilesArgs),
    /// Import layer files or data directories into PostGIS, in one transaction.
    Import(ImportArgs),
    /// The database's audit log of changes.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Generate synthetic demo data, deterministically from a seed.
    #[command(name = "gen-demo", subcommand)]
    GenDemo(GenDemoCommand),
}

#[derive(Debug, Subcommand)]
pub enum GenDemoCommand {
    /// The walking network, from the real land boundary and bus lines.
    Network {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Directory holding district.geojson.
        #[arg(long, default_value = "./data/geojson")]
        data: PathBuf,
        /// Directory of the real inputs (transit/…).
        #[arg(long, default_value = "./data/sources")]
        sources: PathBuf,
        /// Output file.
        #[arg(long, default_value = "./data/geojson/walk_network.geojson")]
        out: PathBuf,
    },
    /// The district's layers, laid out on the walking network already in `--data`.
    District {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Directory holding district.geojson and walk_network.geojson; the layers
        /// are written there.
        #[arg(long, default_value = "./data/geojson")]
        data: PathBuf,
        /// Directory of the real inputs (places/…, transit/…).
        #[arg(long, default_value = "./data/sources")]
        sources: PathBuf,
    },
}

/// Which callers a server is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Every read endpoint answers anonymous callers, personal data masked.
    Internal,
    /// No personal data loaded at all; inner boundaries hidden unless configured.
    Public,
}

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Directory of the district's data files.
    #[arg(long, env = "REDGRID_DATA", default_value = "./data/geojson")]
    pub data: PathBuf,
    /// Serve the district's PostGIS database instead of `--data` (migrated first;
    /// load it with `redgrid import`).
    #[arg(long, env = "REDGRID_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "REDGRID_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// A walking network replacing the data directory's `walk_network.geojson`: a
    /// GeoJSON file of LineStrings or an OpenStreetMap `.osm.pbf` extract.
    #[arg(long, env = "REDGRID_NETWORK")]
    pub network: Option<PathBuf>,
    /// Join each dead end that stops at most this many metres short of an edge it does
    /// not meet with an explicit connector edge (0, the default, joins none: the
    /// network the district supplies is the truth). Joins are counted in
    /// /api/v1/health and listed in /api/v1/network/issues.
    #[arg(long, env = "REDGRID_JOIN_GAPS_M", default_value_t = 0.0, value_parser = gap_metres)]
    pub join_gaps_m: f64,
    #[arg(long, env = "REDGRID_PROFILE", value_enum, default_value_t = Profile::Internal)]
    pub profile: Profile,
    /// In the public profile, also publish street, community and grid boundaries.
    #[arg(long, env = "REDGRID_PUBLIC_BOUNDARIES")]
    pub public_boundaries: bool,
    /// File of hashed API tokens (see `redgrid token create`). Without one, no token is valid.
    #[arg(long, env = "REDGRID_TOKENS_FILE")]
    pub tokens_file: Option<PathBuf>,
    /// A JSON file keeping saved planning scenarios across restarts (without one they
    /// are kept in memory only).
    #[arg(long, env = "REDGRID_SCENARIOS_FILE")]
    pub scenarios_file: Option<PathBuf>,
    /// Directory of the built web page (`npm --prefix web run build`).
    #[arg(long, env = "REDGRID_WEB", default_value = "./web/dist")]
    pub web: PathBuf,
    /// Catchments serving more people than this are `overloaded` (a planning
    /// assumption; requests may override it).
    #[arg(
        long,
        env = "REDGRID_CATCHMENT_MAX_POPULATION",
        default_value_t = 5_000
    )]
    pub catchment_max_population: u64,
    /// A service point whose closing would leave at most this many people uncovered
    /// is `redundant` (a planning assumption; requests may override it).
    #[arg(
        long,
        env = "REDGRID_CATCHMENT_REDUNDANT_POPULATION",
        default_value_t = 50
    )]
    pub catchment_redundant_population: u64,
    /// A basemap under the layers: a raster `.pmtiles` file this server serves, or an
    /// intranet XYZ/WMTS URL template with {z}, {x} and {y} (e.g. Tianditu).
    #[arg(long, env = "REDGRID_BASEMAP")]
    pub basemap: Option<String>,
    /// The datum of the basemap's tiles; GCJ-02 and BD-09 are refused.
    #[arg(long, env = "REDGRID_BASEMAP_CRS", value_enum, default_value_t = crate::basemap::BasemapCrs::Wgs84)]
    pub basemap_crs: crate::basemap::BasemapCrs,
    /// No 导航 links handing destinations to AMap, Baidu or Tencent (for intranets
    /// where residents' phones cannot reach them anyway).
    #[arg(long, env = "REDGRID_NO_NAVIGATION_APPS")]
    pub no_navigation_apps: bool,
    #[command(flatten)]
    pub limits: crate::http::limits::LimitArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The district's database (`postgres://user@host:port/db`); migrated first.
    #[arg(long, env = "REDGRID_DATABASE_URL")]
    pub database_url: String,
    #[arg(long, value_enum, default_value_t)]
    pub mode: crate::store::postgis::import::Mode,
    /// The files' coordinates: wgs84, gcj02, bd09, cgcs2000 (treated as WGS-84) or a
    /// CGCS2000 3-degree Gauss–Krüger grid by its central meridian, e.g.
    /// cgcs2000-gk3:120 (eastings without the zone number). Default: what a
    /// shapefile's .prj says, else wgs84.
    #[arg(long, value_parser = crate::formats::FileCrs::parse)]
    pub crs: Option<crate::formats::FileCrs>,
    /// The text encoding of CSV and .dbf files (utf-8, gbk, gb18030, …). Default: a
    /// byte-order mark or a shapefile's .cpg, else UTF-8 if the text is valid UTF-8,
    /// else GB18030.
    #[arg(long, value_parser = encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The layer a single file holds, when its name does not say (`sites.csv` does).
    #[arg(long)]
    pub layer: Option<String>,
    /// Check and report what would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// An overlap, gap or part outside its parent larger than this (m², each piece
    /// on its own) refuses the import; smaller ones are reported and kept.
    #[arg(long, default_value_t = crate::store::topology::DEFAULT_TOLERANCE_M2, value_parser = non_negative)]
    pub topology_tolerance_m2: f64,
    /// Layer files named after their layer (`sites.geojson`, `sites.csv`,
    /// `grids.xlsx`, `buildings.shp`, `sites.zip` holding a shapefile) or data
    /// directories, whose known files are all imported.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

fn encoding(s: &str) -> Result<&'static encoding_rs::Encoding, String> {
    crate::formats::text::by_label(s)
        .ok_or_else(|| format!("unknown encoding {s:?}: expected e.g. utf-8, gbk or gb18030"))
}

fn gap_metres(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=crate::reach::SNAP_RADIUS_M).contains(&v) => Ok(v),
        _ => Err(format!(
            "expected metres from 0 to {}, got {s:?}",
            crate::reach::SNAP_RADIUS_M
        )),
    }
}

fn non_negative(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("expected a number of square metres ≥ 0, got {s:?}")),
    }
}

#[derive(Debug, Clone, Args)]
pub struct CoverageArgs {
    /// Directory of the district's data files.
    #[arg(long, env = "REDGRID_DATA", default_value = "./data/geojson")]
    pub data: PathBuf,
    /// A walking network replacing the data directory's (GeoJSON or `.osm.pbf`).
    #[arg(long, env = "REDGRID_NETWORK")]
    pub network: Option<PathBuf>,
    /// gb50180_5min, gb50180_10min or gb50180_15min.
    #[arg(long)]
    pub preset: Option<String>,
    /// Walking budget, minutes (default 5).
    #[arg(long)]
    pub minutes: Option<String>,
    /// Walking speed, m/min (default 60).
    #[arg(long)]
    pub speed: Option<String>,
    /// Walking budget, metres, instead of minutes.
    #[arg(long)]
    pub metres: Option<String>,
    /// Comma list of site kinds counted as service points.
    #[arg(long)]
    pub kinds: Option<String>,
    /// district, street, community or grid.
    #[arg(long, default_value = "street")]
    pub level: String,
    /// csv, json or xlsx.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

impl CoverageArgs {
    /// The query string of the equivalent `GET /api/v1/coverage`.
    pub fn query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        let given = [
            ("preset", &self.preset),
            ("minutes", &self.minutes),
            ("speed", &self.speed),
            ("metres", &self.metres),
            ("kinds", &self.kinds),
        ];
        for (name, value) in given {
            if let Some(v) = value {
                q.append_pair(name, v);
            }
        }
        q.append_pair("level", &self.level);
        q.append_pair("format", &self.format);
        q.finish()
    }
}

#[derive(Debug, Clone, Args)]
pub struct ExportPmtilesArgs {
    /// The archive to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Directory of the district's data files.
    #[arg(long, env = "REDGRID_DATA", default_value = "./data/geojson")]
    pub data: PathBuf,
    /// A walking network replacing the data directory's (GeoJSON or `.osm.pbf`).
    #[arg(long, env = "REDGRID_NETWORK")]
    pub network: Option<PathBuf>,
    /// `public` leaves out coverage and walks (and inner boundaries unless
    /// `--public-boundaries`), as the public profile serves.
    #[arg(long, value_enum, default_value_t = Profile::Internal)]
    pub profile: Profile,
    #[arg(long)]
    pub public_boundaries: bool,
    #[arg(long, default_value_t = 10)]
    pub min_zoom: u8,
    #[arg(long, default_value_t = 16)]
    pub max_zoom: u8,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Undo one change: its record goes back to how it was before, if nothing has
    /// changed it since. The undoing is logged too.
    Revert {
        /// The audit entry's id.
        id: i64,
        #[arg(long, env = "REDGRID_DATABASE_URL")]
        database_url: String,
        /// Who is reverting, as the audit log will name them.
        #[arg(long, default_value = "redgrid audit revert")]
        actor: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token with a role, in a tokens file or the database; the token is
    /// printed as the last line, only once.
    Create {
        #[arg(long, value_enum)]
        role: Role,
        #[arg(
            long,
            env = "REDGRID_TOKENS_FILE",
            required_unless_present = "database_url",
            conflicts_with = "database_url"
        )]
        tokens_file: Option<PathBuf>,
        /// Keep the token in the district's database (replicas pick it up).
        #[arg(long, env = "REDGRID_DATABASE_URL")]
        database_url: Option<String>,
        /// A note on who or what holds the token.
        #[arg(long, default_value = "")]
        label: String,
    },
}
