#!/usr/bin/env python3
"""Independent exact reference for the `stagger` engine (HiGHS through highspy).

Reads the JSON that `stagger model [input options] [planning options] --out FILE`
writes and solves the engine's lexicographic objective exactly, one MILP per stage,
each stage with the earlier stages fixed at the value it reached:

  1. peak exposure: max over components c and cells (window-end days d) of the
     summed per-component weights of the items placed on days d-w(c)+1 ..= d;
  2. clash pairs: sum over the same cells of n(n-1)/2, n the releases there
     (a block of releases published together counts its per-component count);
  3. moves: 1 per single item off its proposed day (always when `proposed` is null),
     block.moves[k] for a block on candidate k;
  4. total shift: sum of the chosen candidates' shift.

`max_moves` is a hard budget and every link (before, after, min_days) is hard:
day_numbers[day(after)] - day_numbers[day(before)] >= min_days.

The model is written from docs/objective.md and docs/engine.md (objective) and
src/optimise/instance.rs (field meanings), not from the engine's MILP code:
  * x[i,k] binary, one per candidate of every item with more than one candidate;
    sum_k x[i,k] = 1;
  * peak: an integer P (in units of the gcd of all weights), load(c,d) <= P;
  * clash pairs: per cell, convex piecewise-linear cost of the count through
    "segments" s_t in [0,1] (t = 0..M-1, cost = fixed count + t) with
    sum_t s_t >= variable count; increasing marginal costs make the LP fill the
    cheap segments first, so the cost is exactly C(n,2) - C(fixed,2) at integers;
  * links as cumulative precedence rows: for every candidate day T of `after`,
    P(after <= T) <= P(before <= T - min_days) (exact for 0/1 x, tighter LP than
    comparing expected days);
  * moves and shift are linear in x.
Every stage objective is integral, so a gap below 1 proves optimality
(mip_abs_gap = 0.99). Each solution is rounded (largest x per item) and re-evaluated
exactly in integers; the evaluated values are the ones reported.

`--check-plan schedule.csv` evaluates a plan written by `stagger plan` (its `date`
column, with `proposed_date` as a cross-check of the moves) against the same model:
peak, pairs, moves, shift, every candidate, block, link and the move budget.
`--engine-json plan.json` (the output of `stagger plan --json`) adds the engine's
stage values and "proven" claims to the comparison and flags every claim the exact
optimum contradicts.

Usage:
  python3 scripts/exact_reference.py MODEL.json [--time-limit 300] [--threads 1]
      [--check-plan schedule.csv] [--engine-json plan.json] [--no-solve]
      [--stages 4] [--json-out FILE] [--verbose]
"""

import argparse
import csv
import json
import math
import sys
import time
from fractions import Fraction

STAGES = ["peak", "clash_pairs", "moves", "total_shift"]


class Instance:
    """The engine instance of `stagger model`, in plain Python lists."""

    def __init__(self, data):
        inst = data["instance"] if "instance" in data else data
        self.n_days = int(inst["n_days"])
        self.windows = [max(1, int(c["window"])) for c in inst["components"]]
        dn = inst.get("day_numbers") or []
        self.day_numbers = [int(v) for v in dn] if dn else list(range(self.n_days))
        if len(self.day_numbers) < self.n_days:
            self.day_numbers += list(range(len(self.day_numbers), self.n_days))
        self.items = []
        for it in inst["items"]:
            block = it.get("block")
            comps = [int(c) for c in it["components"]]
            if block:
                loads = [(c, int(block["counts"][j]), int(block["weights"][j]))
                         for j, c in enumerate(comps)]
            else:
                loads = [(c, 1, int(it["weight"])) for c in comps]
            days = [int(c["day"]) for c in it["candidates"]]
            shifts = [int(c["shift"]) for c in it["candidates"]]
            proposed = it.get("proposed")
            if block:
                moves = [int(m) for m in block["moves"]]
            else:
                moves = [0 if proposed is not None and d == proposed else 1 for d in days]
            self.items.append({"days": days, "shifts": shifts, "moves": moves,
                               "loads": loads, "proposed": proposed})
        self.links = [(int(l["before"]), int(l["after"]), int(l["min_days"]))
                      for l in inst.get("links", [])]
        self.max_moves = data.get("max_moves") if "instance" in data else None
        self.objective = data.get("objective", "default")
        self.axis = data.get("axis")
        self.item_releases = data.get("item_releases")

    def evaluate(self, ks):
        """Exact objective of candidate indices `ks` (one per item) and every rule broken."""
        nc = len(self.windows)
        count = [[0] * self.n_days for _ in range(nc)]
        load = [[0] * self.n_days for _ in range(nc)]
        moves = shift = 0
        for it, k in zip(self.items, ks):
            d = it["days"][k]
            for c, n, w in it["loads"]:
                count[c][d] += n
                load[c][d] += w
            moves += it["moves"][k]
            shift += it["shifts"][k]
        peak = pairs = 0
        for c in range(nc):
            w = self.windows[c]
            run_n = run_l = 0
            for end in range(self.n_days + w - 1):
                if end < self.n_days:
                    run_n += count[c][end]
                    run_l += load[c][end]
                if end - w >= 0:
                    run_n -= count[c][end - w]
                    run_l -= load[c][end - w]
                peak = max(peak, run_l)
                pairs += run_n * (run_n - 1) // 2
        broken = []
        for b, a, m in self.links:
            gap = (self.day_numbers[self.items[a]["days"][ks[a]]]
                   - self.day_numbers[self.items[b]["days"][ks[b]]])
            if gap < m:
                broken.append(f"link item {b} -> item {a}: gap {gap} < {m} days")
        if self.max_moves is not None and moves > self.max_moves:
            broken.append(f"{moves} moves exceed the budget of {self.max_moves}")
        return {"peak": peak, "clash_pairs": pairs, "moves": moves,
                "total_shift": shift, "broken": broken}


def values_of(ev):
    return [ev[s] for s in STAGES]


# ---------------------------------------------------------------------------
# The MILP
# ---------------------------------------------------------------------------


class Reference:
    """The lexicographic MILP of an instance on one HiGHS object, stage by stage."""

    def __init__(self, inst, threads=1, verbose=False):
        import highspy
        import numpy as np

        self.np = np
        self.hs = highspy
        self.inst = inst
        self.h = highspy.Highs()
        h = self.h
        h.setOptionValue("output_flag", bool(verbose))
        h.setOptionValue("threads", int(threads))
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.99)
        h.setOptionValue("random_seed", 0)
        self.inf = highspy.kHighsInf
        items = inst.items
        # Global gcd of the weights: loads are multiples of it.
        g = 0
        for it in items:
            for _, _, w in it["loads"]:
                g = math.gcd(g, w)
        self.g = g or 1
        # Columns: x[i,k] for items with several candidates.
        self.col = []  # per item: list of column indices, or None when fixed
        n = 0
        for it in items:
            if len(it["days"]) > 1:
                self.col.append(list(range(n, n + len(it["days"]))))
                n += len(it["days"])
            else:
                self.col.append(None)
        self.n_x = n
        if n:
            h.addVars(n, np.zeros(n), np.ones(n))
            h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                    np.ones(n, dtype=np.uint8))
        self.n_cols = n
        rows = _Rows()
        for i, it in enumerate(items):
            if self.col[i] is not None:
                rows.add(self.col[i], [1.0] * len(self.col[i]), 1.0, 1.0)
        self.infeasible = []
        self._add_links(rows)
        if inst.max_moves is not None:
            fixed = sum(it["moves"][0] for i, it in enumerate(items) if self.col[i] is None)
            idx, val = [], []
            for i, it in enumerate(items):
                if self.col[i] is not None:
                    for j, m in enumerate(it["moves"]):
                        if m:
                            idx.append(self.col[i][j])
                            val.append(float(m))
            if fixed > inst.max_moves:
                self.infeasible.append("fixed items alone exceed the move budget")
            rows.add(idx, val, -self.inf, float(inst.max_moves - fixed))
        self._flush(rows)
        self._cells()
        self.P = None
        self.seg_cols = []
        self.pairs_const = 0

    # -- construction helpers ------------------------------------------------

    def _flush(self, rows):
        if rows.n:
            np = self.np
            self.h.addRows(rows.n, np.array(rows.lo), np.array(rows.hi), len(rows.idx),
                           np.array(rows.start, dtype=np.int32),
                           np.array(rows.idx, dtype=np.int32), np.array(rows.val))

    def _add_links(self, rows):
        inst = self.inst
        dn = inst.day_numbers
        for b, a, m in inst.links:
            ib, ia = inst.items[b], inst.items[a]
            bd = [dn[d] for d in ib["days"]]
            ad = [dn[d] for d in ia["days"]]
            if self.col[a] is None and self.col[b] is None:
                if ad[0] - bd[0] < m:
                    self.infeasible.append(f"fixed items {b} -> {a} break their link")
                continue
            for t in sorted(set(ad)):
                lhs = [k for k, v in enumerate(ad) if v <= t]
                rhs = [k for k, v in enumerate(bd) if v <= t - m]
                if len(rhs) == len(bd):
                    continue  # always met
                idx, val = [], []
                lo_const = 0.0  # constant on the left-hand side
                if self.col[a] is None:
                    lo_const += 1.0
                else:
                    idx += [self.col[a][k] for k in lhs]
                    val += [1.0] * len(lhs)
                if self.col[b] is None:
                    lo_const -= float(len(rhs))  # fixed before: 0 or 1 on the right
                else:
                    idx += [self.col[b][k] for k in rhs]
                    val += [-1.0] * len(rhs)
                # sum lhs - sum rhs <= 0  ->  expr <= -const
                if not idx:
                    if lo_const > 0:
                        self.infeasible.append(f"link {b} -> {a} cannot be met")
                    continue
                rows.add(idx, val, -self.inf, -lo_const)

    def _cells(self):
        """Per component and cell: fixed count/load and the variable terms."""
        inst = self.inst
        nc = len(inst.windows)
        per_day = [[[] for _ in range(inst.n_days)] for _ in range(nc)]
        fixed_n = [[0] * inst.n_days for _ in range(nc)]
        fixed_l = [[0] * inst.n_days for _ in range(nc)]
        for i, it in enumerate(inst.items):
            for c, n, w in it["loads"]:
                if self.col[i] is None:
                    d = it["days"][0]
                    fixed_n[c][d] += n
                    fixed_l[c][d] += w
                else:
                    for k, d in enumerate(it["days"]):
                        per_day[c][d].append((i, self.col[i][k], n, w))
        self.cells = []  # (c, end, fixed count, fixed load, [(item, col, n, w)])
        for c in range(nc):
            w = inst.windows[c]
            for end in range(inst.n_days + w - 1):
                lo, hi = max(0, end - w + 1), min(end, inst.n_days - 1)
                terms = []
                fn = fl = 0
                for d in range(lo, hi + 1):
                    terms += per_day[c][d]
                    fn += fixed_n[c][d]
                    fl += fixed_l[c][d]
                if terms or fn:
                    self.cells.append((c, end, fn, fl, terms))

    # -- stages ----------------------------------------------------------------

    def _run(self, time_limit, start):
        h = self.h
        np = self.np
        h.setOptionValue("time_limit", float(time_limit) if time_limit else self.inf)
        if start is not None:
            h.setSolution(len(start), np.array(list(start.keys()), dtype=np.int32),
                          np.array(list(start.values()), dtype=float))
        t0 = time.perf_counter()
        h.run()
        secs = time.perf_counter() - t0
        status = h.getModelStatus()
        info = h.getInfo()
        has_sol = info.primal_solution_status == 2
        sol = list(h.getSolution().col_value) if has_sol else None
        return status, info, sol, secs

    def _round(self, sol):
        ks = []
        for i, it in enumerate(self.inst.items):
            cols = self.col[i]
            if cols is None:
                ks.append(0)
            else:
                ks.append(max(range(len(cols)), key=lambda k: (sol[cols[k]], -k)))
        return ks

    def _start_from(self, ks):
        """A complete start vector (x, P, segments) for candidate choice `ks`."""
        start = {}
        for i, cols in enumerate(self.col):
            if cols is not None:
                for k, c in enumerate(cols):
                    start[c] = 1.0 if k == ks[i] else 0.0
        if self.P is not None:
            start[self.P] = float(self.P_fixed)
        chosen = set()
        for i, cols in enumerate(self.col):
            if cols is not None:
                chosen.add(cols[ks[i]])
        for cols, (_, _, fn, _, terms) in zip(self.seg_cols, self.seg_cells):
            v = sum(n for _, col, n, _ in terms if col in chosen)
            for t, col in enumerate(cols):
                start[col] = 1.0 if t < v else 0.0
        return start

    def solve(self, time_limit=None, n_stages=4, log=None):
        """Runs the stages; returns a list of stage reports and the final plan."""
        inst = self.inst
        np = self.np
        h = self.h
        reports = []
        if self.infeasible:
            return [{"stage": "model", "status": "infeasible", "why": self.infeasible}], None
        ks = None
        if self.n_x == 0:
            ks = [0] * len(inst.items)
            ev = inst.evaluate(ks)
            for s in STAGES[:n_stages]:
                reports.append({"stage": s, "value": ev[s], "bound": ev[s], "proven": not ev["broken"],
                                "seconds": 0.0, "status": "fixed"})
            return reports, ks

        # Stage 1: peak.
        fixed_peak = 0
        for (_, _, _, fl, terms) in self.cells:
            fixed_peak = max(fixed_peak, fl)
        max_w = max([w for it in inst.items for _, _, w in it["loads"]] or [0])
        lb_units = max(fixed_peak, max_w) // self.g
        h.addVars(1, np.array([float(lb_units)]), np.array([self.inf]))
        self.P = self.n_cols
        self.n_cols += 1
        h.changeColsIntegrality(1, np.array([self.P], dtype=np.int32), np.array([1], dtype=np.uint8))
        rows = _Rows()
        for (_, _, _, fl, terms) in self.cells:
            if not terms:
                continue
            if fl + sum(w for _, _, _, w in terms) <= lb_units * self.g:
                continue  # can never exceed the trivial bound
            idx = [col for _, col, _, _ in terms] + [self.P]
            val = [w / self.g for _, _, _, w in terms] + [-1.0]
            rows.add(idx, val, -self.inf, -fl / self.g)
        self._flush(rows)
        self._set_cost({self.P: 1.0})
        res = self._stage("peak", time_limit, None, log, scale=self.g)
        reports.append(res)
        if res.get("ks") is None:
            return reports, None
        ks = res.pop("ks")
        self.P_fixed = res["value"] // self.g
        h.changeColsBounds(1, np.array([self.P], dtype=np.int32),
                           np.array([float(lb_units)]), np.array([float(self.P_fixed)]))
        if n_stages < 2:
            return reports, ks

        # Stage 2: clash pairs, cells capped by the peak.
        cap = res["value"]
        self._add_segments(cap)
        costs = {}
        for cols, (_, _, fn, _, _) in zip(self.seg_cols, self.seg_cells):
            for t, col in enumerate(cols):
                costs[col] = float(fn + t)
        self._set_cost(costs)
        res = self._stage("clash_pairs", time_limit, self._start_from(ks), log,
                          offset=self.pairs_const)
        reports.append(res)
        if res.get("ks") is None:
            return reports, ks
        ks = res.pop("ks")
        idx = list(costs.keys())
        rows = _Rows()
        rows.add(idx, [costs[c] for c in idx], -self.inf, float(res["value"] - self.pairs_const))
        self._flush(rows)
        if n_stages < 3:
            return reports, ks

        # Stage 3: moves.
        costs = {}
        for i, it in enumerate(inst.items):
            if self.col[i] is not None:
                for k, m in enumerate(it["moves"]):
                    if m:
                        costs[self.col[i][k]] = float(m)
        fixed_moves = sum(it["moves"][0] for i, it in enumerate(inst.items) if self.col[i] is None)
        self._set_cost(costs)
        res = self._stage("moves", time_limit, self._start_from(ks), log, offset=fixed_moves)
        reports.append(res)
        if res.get("ks") is None:
            return reports, ks
        ks = res.pop("ks")
        rows = _Rows()
        idx = list(costs.keys())
        rows.add(idx, [costs[c] for c in idx], -self.inf, float(res["value"] - fixed_moves))
        self._flush(rows)
        if n_stages < 4:
            return reports, ks

        # Stage 4: total shift.
        costs = {}
        for i, it in enumerate(inst.items):
            if self.col[i] is not None:
                for k, s in enumerate(it["shifts"]):
                    if s:
                        costs[self.col[i][k]] = float(s)
        fixed_shift = sum(it["shifts"][0] for i, it in enumerate(inst.items) if self.col[i] is None)
        self._set_cost(costs)
        res = self._stage("total_shift", time_limit, self._start_from(ks), log, offset=fixed_shift)
        reports.append(res)
        if res.get("ks") is not None:
            ks = res.pop("ks")
        return reports, ks

    def _set_cost(self, costs):
        np = self.np
        c = np.zeros(self.n_cols)
        for col, v in costs.items():
            c[col] = v
        self.h.changeColsCost(self.n_cols, np.arange(self.n_cols, dtype=np.int32), c)

    def _add_segments(self, cap):
        """Convex pairs cost per cell; at most the counts the peak cap allows."""
        np = self.np
        self.seg_cols = []
        self.seg_cells = []
        self.pairs_const = 0
        rows = _Rows()
        new_cols = 0
        pending = []
        for cell in self.cells:
            c, end, fn, fl, terms = cell
            self.pairs_const += fn * (fn - 1) // 2
            if not terms:
                continue
            by_item = {}
            for i, col, n, w in terms:
                by_item[i] = max(by_item.get(i, 0), n)
            m = sum(by_item.values())
            # The cap bounds the count: each variable release adds at least
            # min(w/n) to the load.
            ratios = [Fraction(w, n) for _, _, n, w in terms if n > 0]
            rmin = min(ratios) if ratios else None
            if rmin is not None and rmin > 0:
                m = min(m, int((Fraction(cap - fl) / rmin)))
            m = max(m, 0)
            if fn + m < 2 or m == 0:
                continue  # never two releases in this cell beyond the constant part
            cols = list(range(self.n_cols + new_cols, self.n_cols + new_cols + m))
            new_cols += m
            self.seg_cols.append(cols)
            self.seg_cells.append(cell)
            pending.append((cols, terms))
        if new_cols:
            self.h.addVars(new_cols, np.zeros(new_cols), np.ones(new_cols))
            self.n_cols += new_cols
        for cols, terms in pending:
            idx = cols + [col for _, col, _, _ in terms]
            val = [1.0] * len(cols) + [-float(n) for _, _, n, _ in terms]
            rows.add(idx, val, 0.0, self.inf)
        self._flush(rows)

    def _stage(self, name, time_limit, start, log, scale=1, offset=0):
        rep = self._stage_once(name, time_limit, start, log, scale, offset)
        if rep.pop("mismatch", False):
            # HiGHS 1.16 sometimes returns, after a MIP start, columns that presolve
            # removed with the start's values while its objective counts them at
            # their best value (seen on tiny instances, scripts/test_exact_reference.py).
            # Solve the stage again without the start.
            if log:
                log(f"{name}: HiGHS solution and objective disagree after the start; solving again without it")
            first = rep["seconds"]
            self.h.clearSolver()
            rep = self._stage_once(name, time_limit, None, log, scale, offset)
            rep["seconds"] = round(rep["seconds"] + first, 3)
            if rep.pop("mismatch", False):
                raise RuntimeError(f"{name}: HiGHS objective and the evaluated plan disagree")
        return rep

    def _stage_once(self, name, time_limit, start, log, scale, offset):
        status, info, sol, secs = self._run(time_limit, start)
        hs = self.hs
        rep = {"stage": name, "seconds": round(secs, 3),
               "status": self.h.modelStatusToString(status)}
        if status == hs.HighsModelStatus.kInfeasible:
            rep.update(value=None, bound=None, proven=True, ks=None)
            if log:
                log(f"{name}: infeasible ({secs:.1f} s)")
            return rep
        if sol is None:
            rep.update(value=None, bound=None, proven=False, ks=None)
            if log:
                log(f"{name}: no solution ({rep['status']}, {secs:.1f} s)")
            return rep
        ks = self._round(sol)
        ev = self.inst.evaluate(ks)
        if ev["broken"]:
            raise RuntimeError(f"{name}: rounded HiGHS solution breaks a rule: {ev['broken']}")
        value = ev[name]
        raw = info.objective_function_value * scale + offset
        optimal = status == hs.HighsModelStatus.kOptimal
        # Optimal: the plan must have exactly the objective HiGHS reports. Otherwise
        # an incumbent may carry slack (P above the peak), never the other way round.
        if value > raw + 0.5 * scale or (optimal and abs(value - raw) > 0.5 * scale):
            rep.update(value=value, bound=None, proven=False, ks=ks, mismatch=True)
            return rep
        dual = info.mip_dual_bound
        if dual is None or not math.isfinite(dual):
            bound = None
        else:
            bound = min(int(math.ceil(dual - 1e-6)) * scale + offset, value)
        rep.update(value=value, bound=bound, proven=optimal and bound == value, ks=ks)
        if log:
            log(f"{name}: {value} (bound {bound}, {'proven' if bound == value else 'not proven'}, "
                f"{rep['status']}, {secs:.1f} s)")
        return rep


class _Rows:
    """Rows in compressed form for Highs.addRows."""

    def __init__(self):
        self.lo, self.hi, self.start, self.idx, self.val = [], [], [], [], []
        self.n = 0

    def add(self, idx, val, lo, hi):
        self.start.append(len(self.idx))
        self.idx += idx
        self.val += val
        self.lo.append(lo)
        self.hi.append(hi)
        self.n += 1


# ---------------------------------------------------------------------------
# Checking a plan
# ---------------------------------------------------------------------------


def plan_choice(inst, schedule_path):
    """Candidate index per item of the plan in schedule.csv, the problems found and
    the moves counted from `date` vs `proposed_date`."""
    if inst.axis is None or inst.item_releases is None:
        raise SystemExit("the model JSON has no axis/item_releases (write it with `stagger model`)")
    with open(schedule_path, newline="", encoding="utf-8") as f:
        rows = {r["id"].strip(): r for r in csv.DictReader(f)}
    pos = {d: p for p, d in enumerate(inst.axis)}
    problems = []
    ks = []
    csv_moves = 0
    for i, (it, ids) in enumerate(zip(inst.items, inst.item_releases)):
        dates = set()
        for rid in ids:
            r = rows.get(rid)
            if r is None:
                problems.append(f"release {rid} is missing from the plan")
                continue
            dates.add(r["date"].strip())
            if "proposed_date" in r and r["date"].strip() != r["proposed_date"].strip():
                csv_moves += 1
        if len(dates) != 1:
            problems.append(f"item {i} ({', '.join(ids)}): releases on {sorted(dates)}, not one day")
            ks.append(0)
            continue
        date = dates.pop()
        day = pos.get(date)
        if day is None or day not in it["days"]:
            problems.append(f"item {i} ({', '.join(ids)}): {date} is not one of its candidate days")
            ks.append(0)
            continue
        ks.append(it["days"].index(day))
    return ks, problems, csv_moves


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def fmt(v):
    return "-" if v is None else f"{v:,}" if isinstance(v, int) else str(v)


ERROR_PREFIXES = ("INFEASIBLE PLAN", "VALUE MISMATCH", "FALSE CLAIM", "INVALID BOUND", "BELOW PROVEN")


def stage_gap(reports, engine, n):
    """Engine's excess over HiGHS at stage n in % of HiGHS's value, when every earlier
    stage has the same value in both (otherwise the stages do not compare): None."""
    vals = {r.get("stage"): r.get("value") for r in reports}
    for s in STAGES[:n]:
        if s not in engine or vals.get(s) is None or int(engine[s]["value"]) != vals[s]:
            return None
    s = STAGES[n]
    if s not in engine or vals.get(s) is None:
        return None
    e, h = int(engine[s]["value"]), vals[s]
    if h == 0:
        return 0.0 if e == 0 else float("inf")
    return 100.0 * (e - h) / h


def judge(reports, plan, engine):
    """Every disagreement between the engine and the reference, errors first-word tagged.

    Errors (exit code 1): the engine's plan breaks a rule of the model or is not a
    choice of candidates (INFEASIBLE PLAN); the engine reports stage values its own
    plan does not have under the reference's evaluation (VALUE MISMATCH); a stage value
    below a HiGHS-proven optimum or bound with the same earlier stages (BELOW PROVEN:
    a bug in one of the two); a "proven" stage above a HiGHS plan (FALSE CLAIM); a lower
    bound above a HiGHS plan (INVALID BOUND). Notes (no error): the engine above
    HiGHS's value (WORSE), below HiGHS's unproven value (BETTER), unproven where HiGHS
    proves an optimum equal to the engine's value (UNPROVEN OPTIMUM)."""
    verdicts = []
    if plan:
        for p in plan["problems"]:
            verdicts.append(f"INFEASIBLE PLAN: {p}")
    if not engine:
        return verdicts
    if plan:
        for n, s in enumerate(STAGES):
            if s in engine and int(engine[s]["value"]) != plan["values"][n]:
                verdicts.append(f"VALUE MISMATCH {s}: the engine reports {int(engine[s]['value'])}, "
                                f"its plan has {plan['values'][n]} under the reference")
    same_before = True  # the engine's earlier stages equal the values HiGHS fixed
    for s in STAGES:
        rep = next((r for r in reports if r.get("stage") == s), None)
        if s not in engine or not rep or rep.get("value") is None:
            break
        e = engine[s]
        ev_val, eb = int(e["value"]), int(e["lower_bound"])
        hv, hb = rep["value"], rep.get("bound")
        if not same_before:
            break
        if hb is not None and ev_val < hb:
            verdicts.append(f"BELOW PROVEN {s}: engine value {ev_val} below HiGHS's "
                            f"{'optimum' if rep.get('proven') else 'bound'} {hb}")
        if e["proven"] and ev_val > hv:
            verdicts.append(f"FALSE CLAIM {s}: engine claims {ev_val} proven optimal, HiGHS finds {hv}")
        if eb > hv:
            verdicts.append(f"INVALID BOUND {s}: engine lower bound {eb} above HiGHS's plan of {hv}")
        if ev_val > hv:
            verdicts.append(f"WORSE {s}: engine {ev_val}, HiGHS {hv} "
                            f"({'proven' if rep.get('proven') else 'not proven'})")
        elif ev_val < hv:
            verdicts.append(f"BETTER {s}: engine {ev_val}, HiGHS's unproven {hv}")
        elif rep.get("proven") and not e["proven"]:
            verdicts.append(f"UNPROVEN OPTIMUM {s}: engine {ev_val} is optimal (HiGHS proves it), "
                            f"engine bound {eb}")
        if ev_val != hv:
            same_before = False
    return verdicts



def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", help="JSON written by `stagger model`")
    ap.add_argument("--time-limit", type=float, default=300.0,
                    help="seconds per stage (0: none); default 300")
    ap.add_argument("--threads", type=int, default=1, help="HiGHS threads (default 1)")
    ap.add_argument("--stages", type=int, default=4, choices=[1, 2, 3, 4])
    ap.add_argument("--check-plan", metavar="SCHEDULE_CSV",
                    help="evaluate this plan (stagger plan --out) against the model")
    ap.add_argument("--engine-json", metavar="PLAN_JSON",
                    help="the engine's `plan --json` output: compare its stages and proven claims")
    ap.add_argument("--no-solve", action="store_true", help="only check the plan")
    ap.add_argument("--json-out", metavar="FILE", help="write the results as JSON")
    ap.add_argument("--verbose", action="store_true", help="HiGHS log")
    args = ap.parse_args(argv)

    with open(args.model, encoding="utf-8") as f:
        data = json.load(f)
    inst = Instance(data)
    if inst.objective != "default":
        print(f"note: objective '{inst.objective}' in the model; this reference solves the "
              "default order (peak, pairs, moves, shift)", file=sys.stderr)
    out = {"items": len(inst.items), "links": len(inst.links), "n_days": inst.n_days,
           "components": len(inst.windows), "max_moves": inst.max_moves}
    print(f"instance: {len(inst.items)} items ({sum(1 for it in inst.items if len(it['days']) > 1)} "
          f"movable, {sum(len(it['days']) for it in inst.items)} candidates), {len(inst.links)} links, "
          f"{inst.n_days} days, {len(inst.windows)} components, max_moves {inst.max_moves}")

    plan = None
    if args.check_plan:
        ks, problems, csv_moves = plan_choice(inst, args.check_plan)
        ev = inst.evaluate(ks)
        problems += ev["broken"]
        plan = {"values": values_of(ev), "problems": problems, "csv_moves": csv_moves}
        if csv_moves != ev["moves"]:
            problems.append(f"moves from date vs proposed_date: {csv_moves}, from the model: {ev['moves']}")
        print(f"plan {args.check_plan}: peak {ev['peak']} (thousandths), pairs {ev['clash_pairs']}, "
              f"moves {ev['moves']}, shift {ev['total_shift']}; "
              f"{'all rules met' if not problems else str(len(problems)) + ' problem(s)'}")
        for p in problems[:20]:
            print(f"  problem: {p}")
        out["plan"] = plan

    engine = None
    if args.engine_json:
        with open(args.engine_json, encoding="utf-8") as f:
            ej = json.load(f)
        engine = {s["stage"]: s for s in ej.get("stages", [])}
        out["engine"] = {"stages": ej.get("stages"), "seconds": ej.get("seconds"),
                         "status": ej.get("status")}

    reports = []
    if not args.no_solve:
        ref = Reference(inst, threads=args.threads, verbose=args.verbose)
        t0 = time.perf_counter()
        reports, _ = ref.solve(args.time_limit or None, args.stages,
                               log=lambda s: print("  " + s, file=sys.stderr, flush=True))
        out["highs_seconds"] = round(time.perf_counter() - t0, 3)
        out["stages"] = reports

    # The table.
    print()
    print(f"{'stage':<12} {'HiGHS value':>12} {'bound':>12} {'proven':>7} {'s':>8}"
          + (f" {'plan':>12}" if plan else "")
          + (f" {'engine':>12} {'bound':>12} {'claims':>7} {'gap %':>7}" if engine else ""))
    verdicts = judge(reports, plan, engine)
    comparison = []
    for n, s in enumerate(STAGES):
        rep = next((r for r in reports if r.get("stage") == s), None)
        row = f"{s:<12} "
        if rep:
            row += f"{fmt(rep.get('value')):>12} {fmt(rep.get('bound')):>12} " \
                   f"{('yes' if rep.get('proven') else 'no'):>7} {rep.get('seconds', 0):>8.1f}"
        else:
            row += f"{'':>12} {'':>12} {'':>7} {'':>8}"
        if plan:
            row += f" {fmt(plan['values'][n]):>12}"
        cmp_row = {"stage": s}
        if engine and s in engine:
            e = engine[s]
            gap = stage_gap(reports, engine, n)
            cmp_row.update(engine=int(e["value"]), engine_bound=int(e["lower_bound"]),
                           engine_proven=bool(e["proven"]), gap_percent=gap)
            row += f" {fmt(int(e['value'])):>12} {fmt(int(e['lower_bound'])):>12} " \
                   f"{('yes' if e['proven'] else 'no'):>7} {('-' if gap is None else f'{gap:.2f}'):>7}"
        if rep:
            cmp_row.update(highs=rep.get("value"), highs_bound=rep.get("bound"),
                           highs_proven=bool(rep.get("proven")), highs_seconds=rep.get("seconds"))
        comparison.append(cmp_row)
        print(row)
    out["comparison"] = comparison
    out["verdicts"] = verdicts
    errors = [v for v in verdicts if v.startswith(ERROR_PREFIXES)]
    out["errors"] = len(errors)
    if plan or engine:
        print()
        print(f"engine against the reference: {len(errors)} error(s), {len(verdicts) - len(errors)} note(s)")
        for v in verdicts:
            print("  " + v)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
