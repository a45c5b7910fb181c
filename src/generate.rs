//! Synthetic but realistic release calendars for benchmarks.
