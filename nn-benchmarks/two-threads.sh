#!/usr/bin/env bash
# What a second thread gives the batch-64 training step and fit, told apart by how far apart the cores were: forks on
# one thread and on two alternate, every iteration labelled with the round trip of a cache line between two threads
# measured just before and after it (CoreDistance), and two-threads.py compares the two-thread iterations of each state
# with the one-thread iterations of the same state. On a VM whose host moves the vCPUs between nearby and distant
# cores, what a second thread gives follows the distance (and a one-thread figure moves with the host's state too).
#
#   mvn -B -q install -DskipTests && bash nn-benchmarks/two-threads.sh     # about 12 minutes on 2 cores
#   python3 nn-benchmarks/two-threads.py nn-benchmarks/target/two-threads
#
# ROUNDS=6 sets the rounds (a fork on each thread count), WI=3 the warm-up iterations, WIDTHS=128,512 the hidden layer's widths, BENCH=nnCoreFitEpoch
# the benchmarks (default nnCoreStep|nnCoreFitEpoch: the raw step with a serial SGD, and fit's epoch); extra arguments go
# to the JVM of every fork (the Vector API kernel by default; -Dnncore.kernel=plain for the plain one). JAR=path runs another
# build's benchmark jar.
# AGAINST=-Dnncore.noUnitCut=true compares an option instead of a thread count: every fork runs on two threads, the
# t1 forks with that option and the t2 forks without, and the table's columns say so.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
OUT=${OUT:-nn-benchmarks/target/two-threads}
JAR=${JAR:-nn-benchmarks/target/benchmarks.jar}
[ -f "$JAR" ] || mvn -B -q install -DskipTests
mkdir -p "$OUT"
jvm=${*:---add-modules=jdk.incubator.vector}
options() {
  if [ -n "${AGAINST:-}" ]; then
    if [ "$1" = 1 ]; then echo "-Dnncore.threads=2 $AGAINST"; else echo "-Dnncore.threads=2"; fi
  else
    echo "-Dnncore.threads=$1"
  fi
}
for round in $(seq 1 "${ROUNDS:-6}"); do
  for threads in 1 2; do
    echo "== round $round, $threads thread(s)" >&2
    "$JAVA" -jar "$JAR" "TrainingStepBenchmark.(${BENCH:-nnCoreStep|nnCoreFitEpoch})\$" -p hidden="${WIDTHS:-128,512}" \
      -f 1 -wi "${WI:-3}" -i 8 -w 1s -r 1s -jvmArgsAppend "$jvm $(options "$threads")" \
      -rf json -rff "$OUT/t$threads-r$round.json" > "$OUT/t$threads-r$round.txt"
  done
done
LABELS=${AGAINST:+"with $AGAINST,without"} python3 nn-benchmarks/two-threads.py "$OUT"
