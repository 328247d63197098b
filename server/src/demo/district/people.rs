//! Personal data, generated: 750 full-time grid workers shared out over the
//! communities in proportion to their grids, so that every grid has exactly one and
//! a worker serves one grid or two neighbouring ones; and one building head per
//! building (the source counts 1.3万 heads; one per building is an assumption).

use super::areas::{Areas, apportion};
use super::vocabulary::Namer;
use crate::model::{BuildingHead, Id, Worker};

pub const WORKERS: usize = 750;

/// Workers per community: proportional to its grids, between half its grids
/// (rounded up) and all of them, `WORKERS` in total.
fn workers_per_community(grids: &[usize]) -> Vec<usize> {
    let weights: Vec<f64> = grids.iter().map(|&k| k as f64).collect();
    let mut w: Vec<usize> = apportion(&weights, WORKERS as u64, 1)
        .into_iter()
        .zip(grids)
        .map(|(w, &k)| (w as usize).clamp(k.div_ceil(2), k.max(1)))
        .collect();
    let mut total: usize = w.iter().sum();
    let mut i = 0;
    while total != WORKERS && i < 4 * w.len() * WORKERS {
        let c = i % w.len();
        if total > WORKERS && w[c] > grids[c].div_ceil(2) {
            w[c] -= 1;
            total -= 1;
        } else if total < WORKERS && w[c] < grids[c] {
            w[c] += 1;
            total += 1;
        }
        i += 1;
    }
    w
}

/// Grid workers; `grid_ids` are the ids of `areas.grids` in order.
pub fn workers(areas: &Areas, grid_ids: &[Id], namer: &mut Namer) -> Vec<Worker> {
    let grids: Vec<usize> = areas.communities.iter().map(|c| c.grids.len()).collect();
    let per = workers_per_community(&grids);
    let mut out = Vec::new();
    for (community, &w) in areas.communities.iter().zip(&per) {
        let k = community.grids.len();
        // The first k − w workers take two consecutive grids, the rest one.
        let doubles = k.saturating_sub(w);
        let mut next = 0;
        for j in 0..w {
            let take = if j < doubles { 2 } else { 1 };
            let ids: Vec<Id> = community.grids[next..(next + take).min(k)]
                .iter()
                .map(|&g| grid_ids[g].clone())
                .collect();
            next += take;
            out.push(Worker {
                id: Id::numbered('W', out.len() + 1, 4),
                name: namer.person(),
                phone: namer.phone(),
                grid_ids: ids,
                synthetic: true,
            });
        }
    }
    out
}

/// One head per building.
pub fn building_heads(building_ids: &[Id], namer: &mut Namer) -> Vec<BuildingHead> {
    building_ids
        .iter()
        .enumerate()
        .map(|(i, b)| BuildingHead {
            id: Id::numbered('H', i + 1, 5),
            name: namer.person(),
            phone: namer.phone(),
            building_ids: vec![b.clone()],
            synthetic: true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_cover_every_grid_at_most_two_each_and_total_750() {
        let grids: Vec<usize> = (0..158).map(|i| [1, 3, 6, 7, 9, 12][i % 6]).collect();
        let per = workers_per_community(&grids);
        assert_eq!(per.iter().sum::<usize>(), WORKERS);
        for (&w, &k) in per.iter().zip(&grids) {
            assert!(w >= k.div_ceil(2) && w <= k, "{w} workers for {k} grids");
        }
    }
}
