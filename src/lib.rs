//! `stagger` plans an official-statistics release calendar so that one
//! infrastructure failure delays the fewest releases at once.
//!
//! The data flows one way:
//!
//! ```text
//! io (read + locate errors) → model (releases, failure points, graph)
//!   → calendar (working days) → exposure (peak, clash pairs)
//!   → optimise (bounds, construction, search, exact MILP, verification)
//!   → report / io (schedule CSV, iCalendar, charts, HTML)
//! ```
//!
//! The `app` module holds one function per command of the `stagger` binary;
//! the binary itself only parses flags and calls them.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable
    )
)]

pub mod app;
pub mod calendar;
pub mod error;
pub mod exposure;
pub mod generate;
pub mod io;
pub mod limits;
pub mod model;
pub mod notice;
pub mod optimise;
pub mod report;
pub mod risk;
pub mod rules;

pub use error::{Error, ExitCode};
