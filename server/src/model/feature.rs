//! `Feature<P, G>`: typed properties with their WGS-84 geometry and its bounding box.

use crate::geo::BBox;

use super::Id;

/// One record of a layer.
#[derive(Debug, Clone)]
pub struct Feature<P, G> {
    pub props: P,
    pub geometry: G,
    pub bbox: BBox,
}

/// Properties that carry the feature's stable id and synthetic flag.
pub trait HasId {
    fn id(&self) -> &Id;
    fn synthetic(&self) -> bool;
}

impl<P: HasId, G> Feature<P, G> {
    pub fn id(&self) -> &Id {
        self.props.id()
    }
}

/// Implements [`HasId`] for property structs with `id: Id` and `synthetic: bool` fields.
macro_rules! impl_has_id {
    ($($t:ty),*) => {$(
        impl $crate::model::HasId for $t {
            fn id(&self) -> &$crate::model::Id { &self.id }
            fn synthetic(&self) -> bool { self.synthetic }
        }
    )*};
}
pub(crate) use impl_has_id;
