//! Router tests against the fixture district, through `oneshot` with no socket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod authorisation;
mod basemap;
mod common;
mod dispatch;
mod limits;
mod locate;
mod ogc;
mod plan;
mod reach;
mod search;
mod service;
mod session;
mod tiles;
