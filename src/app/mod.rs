//! One function per command of the `stagger` binary.
