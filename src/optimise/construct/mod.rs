//! Construction: splitting the instance into independent groups (`decompose`) and the
//! first plan of each (`greedy`, which propagates the links after every placement).

pub(crate) mod decompose;
pub(crate) mod greedy;
