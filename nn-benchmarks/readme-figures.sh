#!/usr/bin/env bash
# The JMH runs behind README.md's "Performance / Measured" tables, one after another on a quiet machine: each kernel
# (plain Java, Vector API) on one thread and on two, every nn-core figure beside the baseline its benchmark measures in
# the same fork (a naive loop, 50 raw steps for fit's epoch, one thread for two). JMH's text and JSON land in $OUT.
#
#   mvn -B -q install -DskipTests && bash nn-benchmarks/readme-figures.sh        # about 50 minutes on 2 cores
#
# JAVA=/path/to/java runs the same jar on another JDK (it is built for Java 17 and runs on later ones).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
OUT=${OUT:-nn-benchmarks/target/readme-figures}
JAR=nn-benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || mvn -B -q install -DskipTests
mkdir -p "$OUT"
VECTOR=--add-modules=jdk.incubator.vector
# The machine and the kernels the figures come from: the project's VMs have changed between AVX-512 and AVX2
# processors, and the Vector kernel's register tiles follow the vector width ("Vector API (256-bit, 6x2 tiles)").
{
  grep -m1 'model name' /proc/cpuinfo 2>/dev/null || true
  grep -m1 -E '^cpu family' /proc/cpuinfo 2>/dev/null || true
  echo "avx512f: $(grep -c -m1 avx512f /proc/cpuinfo 2>/dev/null || true), processors: $(nproc 2>/dev/null || echo '?')"
  "$JAVA" $VECTOR -jar nn-core/target/nn-core.jar info 2>/dev/null || true
} > "$OUT/machine.txt"
SHORT=(-w 1s -r 1s -prof gc)   # with -wi ${WI:-3} -i 4: WI=20 run ... warms up longer

run() { # name, forks, then JMH arguments
  local name=$1 forks=$2
  shift 2
  echo "== $name" >&2
  "$JAVA" -jar "$JAR" "$@" -f "$forks" -wi "${WI:-3}" -i 4 "${SHORT[@]}" -rf json -rff "$OUT/$name.json" > "$OUT/$name.txt"
  grep -E "^[A-Za-z]+Benchmark\.[A-Za-z0-9]+ " "$OUT/$name.txt" | grep -v ":gc\." >&2 || true
}

for kernel in plain vector; do
  args="-Dnncore.kernel=$kernel"
  [ "$kernel" = vector ] && args="$VECTOR"
  for threads in 1 2; do
    jvm="$args -Dnncore.threads=$threads"
    # two forks where a figure depends on where the JVM happens to place the packed arrays (cache-line alignment):
    # the products, and fit against its raw steps
    run "matmul-$kernel-t$threads" 2 'MatMulBenchmark.nnCore' -jvmArgsAppend "$jvm"
    run "forward-$kernel-t$threads" 1 'ForwardBenchmark.(sampleIntoBuffer|sampleAllocating|batch256IntoBuffer)$' \
      -p layers=2-2-1,784-128-10,784-512-10,784-2048-10 -jvmArgsAppend "$jvm"
    # six warm-up seconds: at W = 2048 on two threads, 250 steps a second, the first measured second after three still
    # ran tiles that C2 had not compiled yet (55 KB a step allocated by the Vector API's fallbacks, 22 B after)
    WI=6 run "step-$kernel-t$threads" 1 'TrainingStepBenchmark.nnCoreStep$' -p hidden=128,512,2048 -jvmArgsAppend "$jvm"
    # fit against its raw steps in three rounds of one fork each, so that the two alternate every half minute and
    # the machine's drift falls on both (JMH runs all of one benchmark's forks before the other's); the tables average them
    for round in 1 2 3; do
      run "epoch-$kernel-t$threads-r$round" 1 'TrainingStepBenchmark.(nnCoreStepsEpoch|nnCoreFitEpoch)$' -p hidden=128,512 \
        -jvmArgsAppend "$jvm"
    done
    # fit and its raw steps timed within the same calls: their ratio without the drift between forks; 20 s of warm-up,
    # as fit's loop method is compiled fully only after a few hundred calls, and three forks, as the ratio moves by
    # several percent from fork to fork
    WI=20 run "beside-$kernel-t$threads" 3 'TrainingStepBenchmark.fitBesideRawSteps$' -p hidden=128,512 -jvmArgsAppend "$jvm"
    # five epochs per call: fit's setup (its own copy of the weights, the update's second set) spread as in a real fit
    if [ "$threads" = 1 ]; then
      run "epoch5-$kernel-t$threads" 2 'TrainingStepBenchmark.(nnCoreStepsEpoch|nnCoreFitEpoch)$' -p hidden=128 -p epochs=5 \
        -jvmArgsAppend "$jvm"
    fi
    # batches of 256, which two threads cut into parts of 128 samples
    WI=6 run "step256-$kernel-t$threads" 1 'TrainingStepBenchmark.nnCoreStep$' -p hidden=32,128,512 -p batch=256 -jvmArgsAppend "$jvm"
    run "epoch256-$kernel-t$threads" 1 'TrainingStepBenchmark.(nnCoreStepsEpoch|nnCoreFitEpoch)$' -p batch=256 -jvmArgsAppend "$jvm"
    run "optimizer-$kernel-t$threads" 1 'OptimizerStepBenchmark' -jvmArgsAppend "$jvm"
  done
done
# The naive baselines do not depend on the kernel or the thread count: once.
run naive 1 'MatMulBenchmark.naiveBaseline|ForwardBenchmark.(sampleNaiveBaseline|batch256NaiveBaseline)|TrainingStepBenchmark.naiveBaseline' \
  -p layers=2-2-1,784-128-10 -jvmArgsAppend "-Dnncore.threads=1"
echo "results in $OUT" >&2
