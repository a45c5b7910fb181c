#!/usr/bin/env python3
"""Checks scripts/exact_reference.py against brute force on tiny random instances.

Run with `python3 scripts/test_exact_reference.py` (needs `highspy`; not run by CI).
The brute force below has its own evaluation of the objective, written straight
from docs/objective.md, so the reference's model and evaluation are both checked.
"""

import csv
import io
import itertools
import json
import os
import random
import sys
import tempfile
import unittest
from contextlib import redirect_stdout, redirect_stderr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exact_reference as ref  # noqa: E402


def random_instance(rng):
    """A tiny instance in the JSON shape `stagger model` writes."""
    n_days = rng.randint(2, 6)
    n_comp = rng.randint(1, 3)
    components = [{"window": rng.choice([1, 1, 2, 3]), "risk": 0.0} for _ in range(n_comp)]
    items = []
    for _ in range(rng.randint(1, 6)):
        days = sorted(rng.sample(range(n_days), rng.randint(1, min(3, n_days))))
        comps = sorted(rng.sample(range(n_comp), rng.randint(0, n_comp)))
        r = rng.random()
        if r < 0.6:
            proposed = rng.choice(days)
        elif r < 0.8:
            proposed = rng.randrange(n_days)
        else:
            proposed = None
        cands = [{"day": d, "shift": 0 if d == proposed else rng.randint(1, 4)} for d in days]
        if rng.random() < 0.25 and comps:
            releases = rng.randint(2, 3)
            counts = [rng.randint(1, releases) for _ in comps]
            weights = [n * rng.choice([500, 1000, 2000]) for n in counts]
            moves = [0 if d == proposed else rng.randint(1, releases) for d in days]
            block = {"releases": releases, "counts": counts, "weights": weights, "moves": moves}
            weight = max(weights)
        else:
            block = None
            weight = rng.choice([0, 500, 1000, 1000, 2000, 3000])
        items.append({"weight": weight, "components": comps, "candidates": cands,
                      "proposed": proposed, "block": block})
    links = []
    if len(items) >= 2:
        for _ in range(rng.randint(0, 3)):
            a, b = rng.sample(range(len(items)), 2)
            links.append({"before": a, "after": b, "min_days": rng.randint(-1, 4)})
    if rng.random() < 0.5:
        day_numbers = []
        v = 0
        for _ in range(n_days):
            day_numbers.append(v)
            v += rng.randint(1, 3)
    else:
        day_numbers = []
    max_moves = rng.randint(0, len(items)) if rng.random() < 0.3 else None
    return {"instance": {"n_days": n_days, "components": components, "items": items,
                        "links": links, "day_numbers": day_numbers},
            "max_moves": max_moves, "objective": "default"}


def brute_value(data, days):
    """Objective (peak, pairs, moves, shift) of days per item, or None if a rule breaks."""
    inst = data["instance"]
    dn = inst["day_numbers"] or list(range(inst["n_days"]))
    for l in inst["links"]:
        if dn[days[l["after"]]] - dn[days[l["before"]]] < l["min_days"]:
            return None
    peak = pairs = moves = shift = 0
    for it, d in zip(inst["items"], days):
        k = [c["day"] for c in it["candidates"]].index(d)
        shift += it["candidates"][k]["shift"]
        if it["block"]:
            moves += it["block"]["moves"][k]
        else:
            moves += 0 if it["proposed"] == d else 1
    if data["max_moves"] is not None and moves > data["max_moves"]:
        return None
    for c, comp in enumerate(inst["components"]):
        w = comp["window"]
        for end in range(inst["n_days"] + w - 1):
            n = load = 0
            for it, d in zip(inst["items"], days):
                if c in it["components"] and end - w + 1 <= d <= end:
                    j = it["components"].index(c)
                    if it["block"]:
                        n += it["block"]["counts"][j]
                        load += it["block"]["weights"][j]
                    else:
                        n += 1
                        load += it["weight"]
            peak = max(peak, load)
            pairs += n * (n - 1) // 2
    return (peak, pairs, moves, shift)


def brute_force(data):
    best = None
    choices = [[c["day"] for c in it["candidates"]] for it in data["instance"]["items"]]
    for days in itertools.product(*choices):
        v = brute_value(data, days)
        if v is not None and (best is None or v < best):
            best = v
    return best


def solve(data):
    inst = ref.Instance(data)
    r = ref.Reference(inst)
    reports, ks = r.solve(time_limit=30)
    return inst, reports, ks


class BruteForce(unittest.TestCase):
    def test_optimum_matches_brute_force(self):
        rng = random.Random(12)
        feasible = infeasible = with_links = with_blocks = 0
        for case in range(300):
            data = random_instance(rng)
            want = brute_force(data)
            inst, reports, ks = solve(data)
            if want is None:
                infeasible += 1
                self.assertTrue(
                    reports[0].get("status") == "infeasible" or reports[0].get("value") is None,
                    f"case {case}: brute force finds no plan, reference says {reports}")
                continue
            feasible += 1
            with_links += bool(data["instance"]["links"])
            with_blocks += any(it["block"] for it in data["instance"]["items"])
            got = tuple(r["value"] for r in reports)
            self.assertEqual(got, want, f"case {case}: {json.dumps(data)}")
            self.assertTrue(all(r["proven"] for r in reports), f"case {case}: {reports}")
            # The returned plan has exactly these values under the brute-force evaluation.
            days = [it["days"][k] for it, k in zip(inst.items, ks)]
            self.assertEqual(brute_value(data, days), want, f"case {case}")
        # The generator exercises every feature.
        self.assertGreater(feasible, 150)
        self.assertGreater(infeasible, 5)
        self.assertGreater(with_links, 50)
        self.assertGreater(with_blocks, 30)

    def test_evaluation_matches_brute_force(self):
        rng = random.Random(7)
        for case in range(300):
            data = random_instance(rng)
            inst = ref.Instance(data)
            ks = [rng.randrange(len(it["days"])) for it in inst.items]
            days = [it["days"][k] for it, k in zip(inst.items, ks)]
            ev = inst.evaluate(ks)
            want = brute_value(data, days)
            if want is None:
                self.assertTrue(ev["broken"], f"case {case}: a rule is broken but not reported")
            else:
                self.assertEqual(tuple(ref.values_of(ev)), want, f"case {case}")
                self.assertEqual(ev["broken"], [], f"case {case}")


class CheckPlan(unittest.TestCase):
    """`--check-plan` maps schedule.csv rows to items and finds broken rules."""

    def model(self):
        # Axis of 4 dates; item 0 = release a (may go days 0..2, proposed 1),
        # item 1 = block of b1, b2 (days 1..3, proposed 2), item 2 = c fixed on day 3.
        # Link: item 1 at least 2 calendar days after item 0. One component.
        return {
            "axis": ["2027-01-04", "2027-01-05", "2027-01-06", "2027-01-08"],
            "item_releases": [["a"], ["b1", "b2"], ["c"]],
            "max_moves": None, "objective": "default",
            "instance": {
                "n_days": 4, "day_numbers": [0, 1, 2, 4],
                "components": [{"window": 1, "risk": 0.0}],
                "links": [{"before": 0, "after": 1, "min_days": 2}],
                "items": [
                    {"weight": 1000, "components": [0], "proposed": 1, "block": None,
                     "candidates": [{"day": 0, "shift": 1}, {"day": 1, "shift": 0},
                                    {"day": 2, "shift": 1}]},
                    {"weight": 2000, "components": [0], "proposed": 2,
                     "block": {"releases": 2, "counts": [2], "weights": [2000], "moves": [2, 0, 2]},
                     "candidates": [{"day": 1, "shift": 2}, {"day": 2, "shift": 0},
                                    {"day": 3, "shift": 2}]},
                    {"weight": 1000, "components": [0], "proposed": 3, "block": None,
                     "candidates": [{"day": 3, "shift": 0}]},
                ]}}

    def run_main(self, rows, extra=()):
        with tempfile.TemporaryDirectory() as tmp:
            mpath = os.path.join(tmp, "model.json")
            spath = os.path.join(tmp, "schedule.csv")
            jpath = os.path.join(tmp, "out.json")
            with open(mpath, "w") as f:
                json.dump(self.model(), f)
            with open(spath, "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["id", "date", "proposed_date"])
                w.writerows(rows)
            buf = io.StringIO()
            with redirect_stdout(buf), redirect_stderr(io.StringIO()):
                code = ref.main([mpath, "--check-plan", spath, "--json-out", jpath, *extra])
            with open(jpath) as f:
                return code, json.load(f)

    def test_a_good_plan(self):
        # a on day 0 (moved, shift 1), block on day 2 (home), c on day 3.
        code, out = self.run_main([["a", "2027-01-04", "2027-01-05"],
                                   ["b1", "2027-01-06", "2027-01-06"],
                                   ["b2", "2027-01-06", "2027-01-06"],
                                   ["c", "2027-01-08", "2027-01-08"]])
        self.assertEqual(code, 0)
        self.assertEqual(out["plan"]["problems"], [])
        self.assertEqual(out["plan"]["values"], [2000, 1, 1, 1])
        # The optimum: same plan (a on day 1 would break the link or share a day).
        self.assertEqual([s["value"] for s in out["stages"]], [2000, 1, 1, 1])

    def test_broken_link_block_and_candidate(self):
        code, out = self.run_main([["a", "2027-01-05", "2027-01-05"],
                                   ["b1", "2027-01-06", "2027-01-06"],
                                   ["b2", "2027-01-08", "2027-01-06"],
                                   ["c", "2027-01-07", "2027-01-08"]], ["--no-solve"])
        problems = " | ".join(out["plan"]["problems"])
        self.assertIn("not one day", problems)
        self.assertIn("not one of its candidate days", problems)
        code, out = self.run_main([["a", "2027-01-05", "2027-01-05"],
                                   ["b1", "2027-01-06", "2027-01-06"],
                                   ["b2", "2027-01-06", "2027-01-06"],
                                   ["c", "2027-01-08", "2027-01-08"]], ["--no-solve"])
        self.assertEqual(len(out["plan"]["problems"]), 1)
        self.assertIn("gap 1 < 2", out["plan"]["problems"][0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
