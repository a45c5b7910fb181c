//! Failure risk in numbers (issue 5).
