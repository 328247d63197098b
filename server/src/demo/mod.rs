//! `redgrid gen-demo`: synthetic demo data generated deterministically from the real
//! district's shape and its real bus network. Same seed, same bytes, on any machine:
//! no hash-map iteration on output paths, no parallelism, trigonometry from `libm`.

pub mod district;
pub mod network;
mod rng;

pub use rng::SeededRng;
