//! Tests of the planning core on small hand-made and seeded instances; the demo
//! district's checks against independent recomputations are in `tests/coverage.rs`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::network::{GraphLine, WalkGraph};

/// The best value of any `count` candidates, by trying every combination.
fn brute_force(instance: &Instance, count: usize) -> u64 {
    fn go(instance: &Instance, from: usize, left: usize, chosen: &mut Vec<usize>, best: &mut u64) {
        *best = (*best).max(instance.value(chosen));
        if left == 0 {
            return;
        }
        for c in from..instance.sets.len() {
            if chosen.iter().any(|&p| {
                let (a, b) = (instance.positions[p], instance.positions[c]);
                (a[0] - b[0]).hypot(a[1] - b[1]) < instance.min_spacing_m
            }) {
                continue;
            }
            chosen.push(c);
            go(instance, c + 1, left - 1, chosen, best);
            chosen.pop();
        }
    }
    let mut best = 0;
    go(instance, 0, count, &mut Vec::new(), &mut best);
    best
}

fn random_instance(rng: &mut ChaCha8Rng) -> Instance {
    let elements = rng.random_range(5..40);
    let candidates = rng.random_range(3..14);
    Instance {
        weights: (0..elements).map(|_| rng.random_range(1..200)).collect(),
        sets: (0..candidates)
            .map(|_| {
                let mut set: Vec<u32> = (0..elements as u32)
                    .filter(|_| rng.random_bool(0.2))
                    .collect();
                set.dedup();
                set
            })
            .collect(),
        positions: (0..candidates)
            .map(|_| [rng.random_range(0.0..500.0), rng.random_range(0.0..500.0)])
            .collect(),
        min_spacing_m: if rng.random_bool(0.5) { 0.0 } else { 120.0 },
    }
}

#[test]
fn greedy_with_swap_is_within_one_minus_one_over_e_of_the_optimum() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let bound = 1.0 - (-1.0f64).exp();
    let mut ratios = Vec::new();
    for _ in 0..200 {
        let instance = random_instance(&mut rng);
        let count = rng.random_range(1..5);
        let found = greedy_with_swap(&instance, count);
        let optimum = brute_force(&instance, count);
        let picks: Vec<usize> = found.picks.iter().map(|p| p.candidate).collect();
        // What the picks claim is what they cover: no element counted twice.
        assert_eq!(found.covered, instance.value(&picks));
        assert!(found.picks.len() <= count);
        assert!(
            found.picks.windows(2).all(|w| w[0].gain >= w[1].gain),
            "{found:?}"
        );
        for (i, &a) in picks.iter().enumerate() {
            for &b in &picks[i + 1..] {
                let (p, q) = (instance.positions[a], instance.positions[b]);
                assert!((p[0] - q[0]).hypot(p[1] - q[1]) >= instance.min_spacing_m);
            }
        }
        assert!(found.covered <= optimum);
        let ratio = if optimum == 0 {
            1.0
        } else {
            found.covered as f64 / optimum as f64
        };
        assert!(ratio >= bound, "{ratio} on {instance:?}");
        ratios.push(ratio);
    }
    let mean_gap = 1.0 - ratios.iter().sum::<f64>() / ratios.len() as f64;
    let optimal = ratios.iter().filter(|&&r| r == 1.0).count();
    println!(
        "greedy + swap on 200 instances: mean gap to the optimum {:.3} %, optimal on {optimal}, worst ratio {:.3}",
        mean_gap * 100.0,
        ratios.iter().copied().fold(1.0, f64::min)
    );
}

#[test]
fn the_swap_pass_mends_a_greedy_trap() {
    // Greedy takes the big middle set first and then can add only a little; the
    // two side sets together cover everything.
    let instance = Instance {
        weights: vec![10; 6],
        sets: vec![vec![1, 2, 3, 4], vec![0, 1, 2], vec![3, 4, 5]],
        positions: vec![[0.0, 0.0], [100.0, 0.0], [200.0, 0.0]],
        min_spacing_m: 0.0,
    };
    let found = greedy_with_swap(&instance, 2);
    assert_eq!(found.covered, 60);
    let mut picked: Vec<usize> = found.picks.iter().map(|p| p.candidate).collect();
    picked.sort_unstable();
    assert_eq!(picked, vec![1, 2]);
}

#[test]
fn candidates_stand_every_50_m_and_at_every_node() {
    let line = |points: Vec<[f64; 2]>, ends, private| GraphLine {
        points,
        ends,
        private,
        bridge: false,
        tunnel: false,
        layer: 0,
        ferry: false,
    };
    let graph = WalkGraph::from_lines(vec![
        line(
            vec![[0.0, 0.0], [120.0, 0.0], [120.0, 110.0]],
            [0, 1],
            false,
        ),
        line(vec![[120.0, 110.0], [300.0, 110.0]], [1, 2], true),
    ]);
    let found = node_candidates(&graph, 50.0, |_| true);
    // The nodes of the public edge, then 50 and 100 along it and 150 and 200 (30 m up
    // the bend); 220 is 10 m from the end and dropped. The private edge adds nothing.
    let want = [
        [0.0, 0.0],
        [120.0, 110.0],
        [50.0, 0.0],
        [100.0, 0.0],
        [120.0, 30.0],
        [120.0, 80.0],
    ];
    assert_eq!(found.len(), want.len(), "{found:?}");
    for (f, w) in found.iter().zip(want) {
        assert!(
            (f[0] - w[0]).abs() < 1e-9 && (f[1] - w[1]).abs() < 1e-9,
            "{f:?} against {w:?}"
        );
    }
    let west = node_candidates(&graph, 50.0, |p| p[0] < 60.0);
    assert_eq!(west.len(), 2);
}

#[test]
fn adjacent_gap_cells_dissolve_into_one_polygon_with_their_people() {
    use geo::Area;
    let centre = h3o::LatLng::new(37.53, 121.39)
        .unwrap()
        .to_cell(GAP_RESOLUTION);
    let ring: Vec<h3o::CellIndex> = centre.grid_disk(1);
    let far = h3o::LatLng::new(37.56, 121.42)
        .unwrap()
        .to_cell(GAP_RESOLUTION);
    let at = |c: h3o::CellIndex| {
        let ll = h3o::LatLng::from(c);
        Some([ll.lng(), ll.lat()])
    };
    let mut points: Vec<Option<[f64; 2]>> = ring.iter().map(|&c| at(c)).collect();
    points.push(at(far));
    points.push(at(far)); // covered
    points.push(at(centre)); // nobody lives there
    let population: Vec<u32> = (0..ring.len()).map(|_| 10).chain([7, 100, 0]).collect();
    let mut covered = vec![false; points.len()];
    covered[ring.len() + 1] = true;
    // The two middle buildings of the ring are near a service point in a straight line.
    let near: Vec<bool> = (0..points.len()).map(|b| b == 1 || b == 2).collect();
    let demand = Demand {
        points: &points,
        population: &population,
        covered: &covered,
        near_in_a_line: &near,
    };
    let found = gaps(&demand, GAP_RESOLUTION);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].population, 70);
    assert_eq!(found[0].cells.len(), 7);
    assert_eq!(found[0].area.0.len(), 1, "seven hexagons dissolve into one");
    assert!(found[0].area.0[0].interiors().is_empty());
    let one = gaps::hexagon(centre).unsigned_area();
    assert!((found[0].area.unsigned_area() / one - 7.0).abs() < 1e-3);
    assert_eq!(found[0].detour_excluded, 20);
    assert_eq!((found[1].population, found[1].buildings), (7, 1));
    assert_eq!(found[1].detour_excluded, 0);
    let parents = gaps(&demand, h3o::Resolution::Seven);
    let total: u64 = parents.iter().map(|g| g.population).sum();
    assert_eq!(total, 77);
}
