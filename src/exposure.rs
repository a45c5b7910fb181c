//! Exposure of failure points: peak, clash pairs and the clashes themselves.
