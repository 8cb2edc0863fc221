#!/usr/bin/env python3
"""Two threads against one, by how far apart the cores were: the table behind README.md's two-thread figures.

    python3 nn-benchmarks/two-threads.py nn-benchmarks/target/two-threads [NEAR_NANOS]

Reads the JMH JSON files two-threads.sh writes (t1-r*.json on one thread, t2-r*.json on two). Every measured
iteration carries the round trip of a cache line between two threads taken just before it (CoreDistance's
roundTripNanos) and again just after it (roundTripAfterNanos); an iteration is "near" where both are below
NEAR_NANOS (default 250), "far" where both are not, and left out otherwise. For each benchmark and
width it prints the medians of the iterations' scores (ops/s) and their interquartile ranges, and the two-thread
median over the one-thread median of the whole run. Only the Python standard library is used.
"""
import glob
import json
import os
import re
import statistics
import sys

FOLDER = sys.argv[1]
NEAR = float(sys.argv[2]) if len(sys.argv) > 2 else 250.0


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
    return f"{median:,.0f} ({low:,.0f}-{high:,.0f}, n={len(values)})"


def main():
    rows = {}
    trips = {"near": [], "far": []}
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
    print(f"Round trip of a cache line before each iteration: near (< {NEAR:.0f} ns) "
          + (f"{min(trips['near']):.0f}-{max(trips['near']):.0f} ns in {len(trips['near'])} iterations"
             if trips["near"] else "never")
          + ", far " + (f"{min(trips['far']):.0f}-{max(trips['far']):.0f} ns in {len(trips['far'])}"
                        if trips["far"] else "never") + f"; {mixed} iterations changed state and are left out.")
    print()
    print("| benchmark, W | 1 thread, near | 1 thread, far | 2 threads, near | 2 threads, far | 2 / 1 thread, near / far |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (name, hidden), cells in sorted(rows.items()):
        one = cells.get((1, "near"), []) + cells.get((1, "far"), [])
        base = statistics.median(one) if one else None

        def ratio(state):
            two = cells.get((2, state), [])
            return f"{statistics.median(two) / base:.2f}x" if two and base else "-"

        print(f"| {name}, {hidden} | {cell(cells.get((1, 'near'), []))} | {cell(cells.get((1, 'far'), []))} "
              f"| {cell(cells.get((2, 'near'), []))} | {cell(cells.get((2, 'far'), []))} "
              f"| {ratio('near')} / {ratio('far')} |")


main()
