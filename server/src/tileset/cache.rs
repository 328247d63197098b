//! Encoded tiles kept in memory: least recently used first out, bounded in bytes.
//! A change to a layer names the areas it touched (`DataChange`), and only the
//! cached tiles of that layer over those areas are dropped.

use std::sync::Mutex;

use lru::LruCache;
use redgrid_tiles::TileCoord;

/// A cached tile: layer, position and the data version it was made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TileKey {
    pub layer: &'static str,
    pub z: u8,
    pub x: u32,
    pub y: u32,
    pub version: String,
}

impl TileKey {
    pub fn new(layer: &'static str, coord: TileCoord, version: &str) -> Self {
        Self {
            layer,
            z: coord.z(),
            x: coord.x(),
            y: coord.y(),
            version: version.to_owned(),
        }
    }

    /// The tile's Web Mercator bounds.
    fn bounds(&self) -> Option<[f64; 4]> {
        TileCoord::new(u32::from(self.z), self.x, self.y)
            .ok()
            .map(TileCoord::mercator_bounds)
    }
}

/// A write to a layer: the area it covered before and after (Web Mercator
/// `[min_x, min_y, max_x, max_y]`; `None` where there was nothing) and the layer's
/// new version.
#[derive(Debug, Clone, PartialEq)]
pub struct DataChange {
    pub layer: &'static str,
    pub bbox_before: Option<[f64; 4]>,
    pub bbox_after: Option<[f64; 4]>,
    pub version: String,
}

fn meet(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

/// Tiles by key (as the caller stores them: the server keeps them gzip-compressed),
/// at most `capacity_bytes` of them (`None`: empty tiles).
#[derive(Debug)]
pub struct TileCache {
    capacity_bytes: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    tiles: LruCache<TileKey, Option<std::sync::Arc<Vec<u8>>>>,
    bytes: usize,
    hits: u64,
    misses: u64,
}

/// What a key costs in the cache's bound: its bytes and a little for the entry.
fn cost(tile: &Option<std::sync::Arc<Vec<u8>>>) -> usize {
    64 + tile.as_ref().map_or(0, |t| t.len())
}

impl TileCache {
    pub fn new(capacity_bytes: usize) -> Self {
        Self {
            capacity_bytes,
            inner: Mutex::new(Inner {
                tiles: LruCache::unbounded(),
                bytes: 0,
                hits: 0,
                misses: 0,
            }),
        }
    }

    /// The cached tile, marking it recently used; `None` when not cached,
    /// `Some(None)` for a tile known to be empty.
    pub fn get(&self, key: &TileKey) -> Option<Option<std::sync::Arc<Vec<u8>>>> {
        let mut inner = self.inner.lock().ok()?;
        let found = inner.tiles.get(key).cloned();
        if found.is_some() {
            inner.hits += 1;
        } else {
            inner.misses += 1;
        }
        found
    }

    /// Keeps a tile, dropping the least recently used while over the bound.
    pub fn put(&self, key: TileKey, tile: Option<std::sync::Arc<Vec<u8>>>) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let added = cost(&tile);
        if added > self.capacity_bytes {
            return;
        }
        if let Some(old) = inner.tiles.put(key, tile) {
            inner.bytes -= cost(&old);
        }
        inner.bytes += added;
        while inner.bytes > self.capacity_bytes {
            match inner.tiles.pop_lru() {
                Some((_, old)) => inner.bytes -= cost(&old),
                None => break,
            }
        }
    }

    /// Drops the tiles of the changed layer over the areas the change touched.
    pub fn invalidate(&self, change: &DataChange) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let areas: Vec<[f64; 4]> = [change.bbox_before, change.bbox_after]
            .into_iter()
            .flatten()
            .collect();
        let stale: Vec<TileKey> = inner
            .tiles
            .iter()
            .map(|(k, _)| k)
            .filter(|k| k.layer == change.layer)
            .filter(|k| {
                k.bounds()
                    .is_some_and(|b| areas.iter().any(|a| meet(*a, b)))
            })
            .cloned()
            .collect();
        for key in stale {
            if let Some(old) = inner.tiles.pop(&key) {
                inner.bytes -= cost(&old);
            }
        }
    }

    /// (entries, bytes, hits, misses).
    pub fn stats(&self) -> (usize, usize, u64, u64) {
        self.inner
            .lock()
            .map(|i| (i.tiles.len(), i.bytes, i.hits, i.misses))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(layer: &'static str, z: u32, x: u32, y: u32) -> TileKey {
        TileKey::new(layer, TileCoord::new(z, x, y).unwrap(), "v1")
    }

    fn tile(bytes: usize) -> Option<std::sync::Arc<Vec<u8>>> {
        Some(std::sync::Arc::new(vec![0; bytes]))
    }

    #[test]
    fn a_change_drops_only_the_tiles_it_touches() {
        let cache = TileCache::new(1 << 20);
        let near = key("grids", 14, 13_715, 6_330);
        let far = key("grids", 14, 13_000, 6_000);
        let other_layer = key("sites", 14, 13_715, 6_330);
        for k in [&near, &far, &other_layer] {
            cache.put(k.clone(), tile(100));
        }
        let b = near.bounds().unwrap();
        let inside = [b[0] + 10.0, b[1] + 10.0, b[0] + 20.0, b[1] + 20.0];
        cache.invalidate(&DataChange {
            layer: "grids",
            bbox_before: Some(inside),
            bbox_after: None,
            version: "v2".to_owned(),
        });
        assert_eq!(cache.get(&near), None, "the touched tile is gone");
        assert!(
            cache.get(&far).is_some(),
            "an untouched tile survives a change elsewhere"
        );
        assert!(
            cache.get(&other_layer).is_some(),
            "another layer's tile survives"
        );
    }

    #[test]
    fn the_bound_in_bytes_drops_the_least_recently_used() {
        let cache = TileCache::new(3 * (1_000 + 64));
        let keys: Vec<TileKey> = (0..4)
            .map(|i| key("buildings", 16, 54_000 + i, 25_000))
            .collect();
        for k in &keys[..3] {
            cache.put(k.clone(), tile(1_000));
        }
        assert!(cache.get(&keys[0]).is_some());
        cache.put(keys[3].clone(), tile(1_000));
        assert!(
            cache.get(&keys[1]).is_none(),
            "the least recently used went first"
        );
        assert!(cache.get(&keys[0]).is_some() && cache.get(&keys[3]).is_some());
        let (entries, bytes, _, _) = cache.stats();
        assert_eq!((entries, bytes), (3, 3 * 1_064));
        cache.put(key("buildings", 16, 1, 1), tile(10_000));
        assert_eq!(
            cache.stats().0,
            3,
            "a tile larger than the whole cache is not kept"
        );
    }
}
