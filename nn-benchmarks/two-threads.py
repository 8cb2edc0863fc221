#!/usr/bin/env python3
"""Two threads against one, by how far apart the cores were: the table behind README.md's two-thread figures.

    python3 nn-benchmarks/two-threads.py nn-benchmarks/target/two-threads [NEAR_NANOS]

Reads the JMH JSON files two-threads.sh writes (t1-r*.json on one thread, t2-r*.json on two). Every measured
iteration carries the round trip of a cache line between two threads taken just before it (CoreDistance's
roundTripNanos) and again just after it (roundTripAfterNanos); an iteration is "near" where both are below
NEAR_NANOS (default 250), "far" where both are not, and left out otherwise. For each benchmark and
width it prints the medians of the iterations' scores (ops/s) and their interquartile ranges, and the two-thread
median over the one-thread median in the same state. Only the Python standard library is used.
"""
import glob
import json
import os
import re
import statistics
import sys
from math import floor, log10

FOLDER = sys.argv[1]
# LABELS="with X,without": the t1 and t2 forks differ by an option, not by thread count (two-threads.sh's AGAINST)
ONE, TWO = os.environ["LABELS"].split(",") if os.environ.get("LABELS") else ("1 thread", "2 threads")
NEAR = float(sys.argv[2]) if len(sys.argv) > 2 else 250.0
# A one-thread figure in a state is used as the baseline from this many iterations: the machine's own speed moves
# with its state too (the plain kernel's one-thread fit ran 22 epochs/s in near iterations and 30 in far ones).
MIN_SAME_STATE = 5


def iterations():
    """(benchmark, hidden, threads, score, round trips before and after) for every measured iteration of every fork."""
    for path in sorted(glob.glob(os.path.join(FOLDER, "t[12]-r*.json"))):
        threads = int(re.match(r"t(\d)", os.path.basename(path)).group(1))
        with open(path) as f:
            text = f.read().strip()
        for result in json.loads(text) if text else []:
            name = result["benchmark"].rsplit(".", 1)[1]
            hidden = result.get("params", {}).get("hidden")
            scores = result["primaryMetric"]["rawData"]
            secondary = {key.split(":")[-1].lstrip("·"): metric["rawData"]
                         for key, metric in result.get("secondaryMetrics", {}).items()}
            if "roundTripNanos" not in secondary or "roundTripAfterNanos" not in secondary:
                sys.exit(f"{path}: {name} has no round trips; build the benchmarks with CoreDistance")
            for fork in zip(scores, secondary["roundTripNanos"], secondary["roundTripAfterNanos"]):
                for score, before, after in zip(*fork):
                    yield name, hidden, threads, score, before, after


def quartiles(values):
    if len(values) < 2:
        return values[0], values[0], values[0]
    low, median, high = statistics.quantiles(values, n=4)
    return low, median, high


def cell(values):
    if not values:
        return "-"
    low, median, high = quartiles(values)
    return f"{number(median)} ({number(low)}-{number(high)}, n={len(values)})"


def number(value):
    """Three significant figures at most, thousands separated: 4,240 and 33.9 and 7.25."""
    if not value:
        return "0"
    exponent = floor(log10(abs(value)))
    if exponent >= 2:
        return f"{round(value, 2 - exponent):,.0f}"
    return f"{value:.{2 - exponent}f}"


def main():
    rows = {}
    trips = {"near": [], "far": []}  # both round trips of every iteration in the state
    mixed = 0
    for name, hidden, threads, score, before, after in iterations():
        if (before < NEAR) != (after < NEAR):
            mixed += 1  # the machine changed state during the iteration: neither
            continue
        state = "near" if before < NEAR else "far"
        rows.setdefault((name, hidden), {}).setdefault((threads, state), []).append(score)
        trips[state] += [before, after]
    if not rows:
        sys.exit(f"no results in {FOLDER}")
    print(f"Round trips of a cache line before and after each iteration: near (< {NEAR:.0f} ns) "
          + (f"{min(trips['near']):.0f}-{max(trips['near']):.0f} ns in {len(trips['near']) // 2} iterations"
             if trips["near"] else "never")
          + ", far " + (f"{min(trips['far']):.0f}-{max(trips['far']):.0f} ns in {len(trips['far']) // 2}"
                        if trips["far"] else "never") + f"; {mixed} iterations changed state and are left out.")
    print()
    print(f"| benchmark, W | {ONE}, near | {ONE}, far | {TWO}, near | {TWO}, far "
          f"| {TWO} / {ONE}, near / far |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (name, hidden), cells in sorted(rows.items()):
        pooled = cells.get((1, "near"), []) + cells.get((1, "far"), [])

        def ratio(state):
            two = cells.get((2, state), [])
            one = cells.get((1, state), [])
            if len(one) < MIN_SAME_STATE:
                one = pooled  # too few one-thread iterations in this state: all of them, marked
            if not two or not one:
                return "-"
            mark = "" if one is not pooled else "*"
            return f"{statistics.median(two) / statistics.median(one):.2f}x{mark}"

        print(f"| {name}, {hidden} | {cell(cells.get((1, 'near'), []))} | {cell(cells.get((1, 'far'), []))} "
              f"| {cell(cells.get((2, 'near'), []))} | {cell(cells.get((2, 'far'), []))} "
              f"| {ratio('near')} / {ratio('far')} |")
    print()
    print(f"Ratios: the {TWO} median over the {ONE} median in the same state (* over all {ONE} "
          f"iterations, where fewer than {MIN_SAME_STATE} fell in that state).")


main()
