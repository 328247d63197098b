//! The layers a store holds: their ids, file names, titles and per-layer metadata.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::geo::BBox;

/// A geographic layer. Personal data (workers, building heads) is deliberately not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LayerId {
    District,
    Context,
    Streets,
    Communities,
    Grids,
    Compounds,
    Buildings,
    Sites,
    WalkNetwork,
}

impl LayerId {
    pub const ALL: [LayerId; 9] = [
        LayerId::District,
        LayerId::Context,
        LayerId::Streets,
        LayerId::Communities,
        LayerId::Grids,
        LayerId::Compounds,
        LayerId::Buildings,
        LayerId::Sites,
        LayerId::WalkNetwork,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LayerId::District => "district",
            LayerId::Context => "context",
            LayerId::Streets => "streets",
            LayerId::Communities => "communities",
            LayerId::Grids => "grids",
            LayerId::Compounds => "compounds",
            LayerId::Buildings => "buildings",
            LayerId::Sites => "sites",
            LayerId::WalkNetwork => "walk_network",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn file_name(self) -> String {
        format!("{}.geojson", self.as_str())
    }

    /// (Chinese, English) titles.
    pub fn titles(self) -> (&'static str, &'static str) {
        match self {
            LayerId::District => ("芝罘区陆域", "District land"),
            LayerId::Context => ("周边区市", "Neighbouring districts"),
            LayerId::Streets => ("街道", "Streets (sub-districts)"),
            LayerId::Communities => ("社区", "Communities"),
            LayerId::Grids => ("红色网格", "Red grids"),
            LayerId::Compounds => ("小区", "Residential compounds"),
            LayerId::Buildings => ("楼栋", "Buildings"),
            LayerId::Sites => ("服务阵地与资源", "Service sites and resources"),
            LayerId::WalkNetwork => ("步行路网", "Walking network"),
        }
    }

    /// Administrative boundaries below the district, hidden by the public profile
    /// unless configured otherwise.
    pub fn is_inner_boundary(self) -> bool {
        matches!(
            self,
            LayerId::Streets | LayerId::Communities | LayerId::Grids
        )
    }
}

/// One feature ready to be served as GeoJSON, prepared once at load.
#[derive(Debug, Clone)]
pub struct LayerItem {
    pub id: String,
    pub bbox: BBox,
    pub json: Box<RawValue>,
}

/// What a store knows about a layer besides its typed records.
#[derive(Debug, Default, Clone)]
pub struct LayerData {
    /// First 12 hex digits of the SHA-256 of the source, or "0" for an absent layer.
    pub version: String,
    pub synthetic: bool,
    pub bbox: Option<BBox>,
    pub items: Vec<LayerItem>,
    /// When its source last changed, where known.
    pub modified: Option<std::time::SystemTime>,
}

impl LayerData {
    pub fn empty() -> Self {
        Self {
            version: "0".to_owned(),
            ..Self::default()
        }
    }
}
