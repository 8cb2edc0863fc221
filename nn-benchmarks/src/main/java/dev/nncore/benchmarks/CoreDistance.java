package dev.nncore.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How far apart the machine's cores are right now, measured around every iteration and printed beside its score:
 * the round trip of one cache line between the benchmark's thread and a second thread, which take turns writing an
 * {@code AtomicLong} for {@code -Dbench.roundTripMillis} milliseconds (default 100; 0 skips it), untimed, before the
 * iteration and again after it.
 *
 * <p>Every hand-over of a split step (a posted part, its partial sums, the flag that it is done) crosses that
 * distance. On the project's 2-vCPU VM it took 52-105 ns in some minutes, when the host ran the two vCPUs on nearby
 * cores, and 430-730 ns in others; what a second thread gives a batch-64 training step follows it. JMH reports it as
 * {@code <benchmark>:roundTripNanos} and {@code :roundTripAfterNanos}, one value per iteration in its JSON, so that
 * {@code two-threads.py} can compare two-thread iterations with one-thread ones measured in the same state of the
 * machine.
 *
 * <pre>
 * java -jar nn-benchmarks/target/benchmarks.jar 'TrainingStepBenchmark.nnCoreStep$' -f 1 -rf json
 * </pre>
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CoreDistance {

    /** Milliseconds of turns before each iteration. */
    static final long MILLIS = Long.getLong("bench.roundTripMillis", 100);

    /** The mean round trip just before the iteration, in nanoseconds; 0 when not measured. */
    public long roundTripNanos;
    /** The same just after it. */
    public long roundTripAfterNanos;
    private long before;

    /** Measures the round trip before the iteration (JMH zeroes the counters after this, so it is kept aside). */
    @Setup(Level.Iteration)
    public void measureBefore() throws InterruptedException {
        before = measure();
    }

    /** Measures it after the iteration, and reports both. */
    @TearDown(Level.Iteration)
    public void measureAfter() throws InterruptedException {
        roundTripNanos = before;
        roundTripAfterNanos = measure();
    }

    private static long measure() throws InterruptedException {
        return MILLIS <= 0 ? 0 : Math.round(roundTripNanos(MILLIS * 1_000_000L));
    }

    /**
     * The mean time of one round trip of a cache line between this thread and a new one, over {@code nanos}.
     *
     * @param nanos how long to take turns
     * @return nanoseconds per round trip
     */
    static double roundTripNanos(long nanos) throws InterruptedException {
        AtomicLong ball = new AtomicLong();
        Thread other = new Thread(() -> {
            long mine = 1; // this thread answers odd values with the next even one
            while (true) {
                long seen;
                while ((seen = ball.get()) != mine) {
                    if (seen < 0) {
                        return;
                    }
                }
                ball.set(mine + 1);
                mine += 2;
            }
        }, "core-distance");
        other.setDaemon(true);
        other.start();
        long value = 0;
        long trips = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            for (int i = 0; i < 100; i++) { // no pause in either spin: it would add its own 20-40 ns to each trip
                ball.set(value + 1);
                value += 2;
                while (ball.get() != value) {
                }
            }
            trips += 100;
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        ball.set(-1);
        other.join();
        return (double) elapsed / trips;
    }
}
