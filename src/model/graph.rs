//! Failure points (websites, CMS, database servers, caches, hosting, DNS, teams)
//! and the acyclic "relies on" graph between them.

use std::collections::{BTreeSet, HashMap};

use super::ModelError;

/// One piece of shared infrastructure whose failure delays every release that relies on it.
#[derive(Debug, Clone, PartialEq)]
pub struct FailurePoint {
    /// Unique id.
    pub id: String,
    /// Human name (defaults to the id).
    pub name: String,
    /// Free-text kind: website, cms, database, cache, hosting, dns, team, …
    pub kind: String,
    /// Ids of the failure points this one relies on.
    pub depends_on: Vec<String>,
    /// Expected failures per year, if given.
    pub failures_per_year: Option<f64>,
    /// Consecutive working days one failure can affect (default 1).
    pub outage_days: u32,
    /// Typical minutes to restore, if given.
    pub recovery_minutes: Option<f64>,
    /// 1-based line in the input file.
    pub line: usize,
}

impl FailurePoint {
    /// A failure point with just an id and kind (defaults elsewhere); handy in tests.
    pub fn new(id: &str, kind: &str, depends_on: &[&str]) -> Self {
        FailurePoint {
            id: id.to_string(),
            name: id.to_string(),
            kind: kind.to_string(),
            depends_on: depends_on.iter().map(|s| s.to_string()).collect(),
            failures_per_year: None,
            outage_days: 1,
            recovery_minutes: None,
            line: 0,
        }
    }
}

/// The failure points and the acyclic graph of what each relies on.
///
/// Nothing quadratic is stored: what a failure point relies on transitively is walked
/// on demand ([`Infrastructure::closure_of`]), in time proportional to the answer, so
/// a 10,000-deep chain is read in linear time.
#[derive(Debug, Clone)]
pub struct Infrastructure {
    points: Vec<FailurePoint>,
    index: HashMap<String, usize>,
    /// edges[i]: indices of the failure points `i` relies on directly.
    edges: Vec<Vec<usize>>,
}

impl Infrastructure {
    /// Builds the graph, checking that every dependency exists and that there is no cycle.
    /// Ids must already be unique.
    pub fn new(points: Vec<FailurePoint>) -> Result<Self, ModelError> {
        let index: HashMap<String, usize> = points
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let mut edges = Vec::with_capacity(points.len());
        for p in &points {
            let mut e = Vec::new();
            for d in &p.depends_on {
                match index.get(d) {
                    Some(&j) => e.push(j),
                    None => return Err(ModelError::UnknownFailurePoint { id: d.clone() }),
                }
            }
            edges.push(e);
        }
        if let Some(cycle) = find_cycle(&edges) {
            return Err(ModelError::Cycle {
                cycle: cycle.iter().map(|&i| points[i].id.clone()).collect(),
            });
        }
        Ok(Infrastructure {
            points,
            index,
            edges,
        })
    }

    /// An infrastructure without failure points.
    pub fn empty() -> Self {
        Infrastructure {
            points: Vec::new(),
            index: HashMap::new(),
            edges: Vec::new(),
        }
    }

    /// All failure points in input order.
    pub fn points(&self) -> &[FailurePoint] {
        &self.points
    }

    /// The index of the failure point with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The failure point at `index`.
    pub fn point(&self, index: usize) -> &FailurePoint {
        &self.points[index]
    }

    /// Sorted indices of the given ids and everything they rely on; unknown ids are skipped.
    /// Takes time proportional to the answer (times its logarithm).
    pub fn closure_of(&self, ids: &[String]) -> Vec<usize> {
        let starts: Vec<usize> = ids.iter().filter_map(|id| self.index_of(id)).collect();
        self.reachable(&starts, true).into_iter().collect()
    }

    /// The members of `points` that another member relies on, directly or not (in a
    /// chain website → CMS → database: the CMS and the database). Linear in the part
    /// of the graph below `points`.
    pub fn relied_on_within(&self, points: &[usize]) -> BTreeSet<usize> {
        let below = self.reachable(points, false);
        points
            .iter()
            .copied()
            .filter(|p| below.contains(p))
            .collect()
    }

    /// Everything reachable from `starts`; the starts themselves only when
    /// `include_starts` or when reached along an edge.
    fn reachable(&self, starts: &[usize], include_starts: bool) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = if include_starts {
            starts.to_vec()
        } else {
            starts
                .iter()
                .flat_map(|&s| self.edges.get(s).into_iter().flatten().copied())
                .collect()
        };
        while let Some(n) = stack.pop() {
            if seen.insert(n) {
                stack.extend(self.edges.get(n).into_iter().flatten().copied());
            }
        }
        seen
    }
}

/// Finds a cycle in a directed graph given as adjacency lists; returns it as node
/// indices with the first node repeated at the end. Deterministic: the first cycle
/// met by a depth-first search from nodes in index order.
pub(crate) fn find_cycle(edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = edges.len();
    let mut mark = vec![Mark::New; n];
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        // Iterative DFS: stack of (node, next edge position).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Open;
        while let Some(&mut (node, ref mut pos)) = stack.last_mut() {
            if *pos < edges[node].len() {
                let next = edges[node][*pos];
                *pos += 1;
                match mark[next] {
                    Mark::New => {
                        mark[next] = Mark::Open;
                        stack.push((next, 0));
                    }
                    Mark::Open => {
                        let from = stack.iter().position(|&(v, _)| v == next).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[from..].iter().map(|&(v, _)| v).collect();
                        cycle.push(next);
                        return Some(cycle);
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closure_is_transitive_and_sorted() {
        let infra = Infrastructure::new(vec![
            FailurePoint::new("web", "website", &["cms"]),
            FailurePoint::new("cms", "cms", &["db"]),
            FailurePoint::new("db", "database", &[]),
            FailurePoint::new("team", "team", &[]),
        ])
        .unwrap();
        assert_eq!(infra.closure_of(&["web".into()]), vec![0, 1, 2]);
        assert_eq!(infra.closure_of(&["team".into(), "db".into()]), vec![2, 3]);
    }

    #[test]
    fn cycle_is_reported_in_order() {
        let err = Infrastructure::new(vec![
            FailurePoint::new("a", "x", &["b"]),
            FailurePoint::new("b", "x", &["c"]),
            FailurePoint::new("c", "x", &["a"]),
        ])
        .unwrap_err();
        assert_eq!(
            err,
            ModelError::Cycle {
                cycle: vec!["a".into(), "b".into(), "c".into(), "a".into()]
            }
        );
        assert_eq!(err.to_string(), "dependency cycle: a → b → c → a");
    }

    #[test]
    fn a_deep_chain_is_built_and_walked_in_linear_time() {
        // 100,000 points in a chain: a quadratic closure would take minutes and 40 GB.
        let n = 100_000;
        let ids: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
        let points: Vec<FailurePoint> = (0..n)
            .map(|i| {
                let deps: Vec<&str> = if i + 1 < n { vec![&ids[i + 1]] } else { vec![] };
                FailurePoint::new(&ids[i], "server", &deps)
            })
            .collect();
        let infra = Infrastructure::new(points).unwrap();
        assert_eq!(
            infra.closure_of(&[ids[n - 3].clone()]),
            vec![n - 3, n - 2, n - 1]
        );
        assert_eq!(infra.closure_of(&[ids[0].clone()]).len(), n);
        let members = [0, 5, n - 1];
        assert_eq!(
            infra
                .relied_on_within(&members)
                .into_iter()
                .collect::<Vec<_>>(),
            vec![5, n - 1]
        );
        // A cycle at the bottom of a deep chain is still found.
        let mut points: Vec<FailurePoint> = (0..n)
            .map(|i| {
                let next = &ids[(i + 1) % n];
                FailurePoint::new(&ids[i], "server", &[next.as_str()])
            })
            .collect();
        points[0].depends_on = vec![ids[1].clone()];
        assert!(matches!(
            Infrastructure::new(points),
            Err(ModelError::Cycle { .. })
        ));
    }

    #[test]
    fn self_loop_is_a_cycle() {
        let err = Infrastructure::new(vec![FailurePoint::new("a", "x", &["a"])]).unwrap_err();
        assert!(matches!(err, ModelError::Cycle { .. }));
    }

    #[test]
    fn unknown_dependency_is_reported() {
        let err = Infrastructure::new(vec![FailurePoint::new("a", "x", &["zz"])]).unwrap_err();
        assert_eq!(err, ModelError::UnknownFailurePoint { id: "zz".into() });
    }
}
