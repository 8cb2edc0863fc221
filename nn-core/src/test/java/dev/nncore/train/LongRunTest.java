package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * A thousand epochs on a slice of the digits data (150 rows, a 64-16-10 network: a few seconds), stopped by a
 * listener and resumed from the network it returned, and measured: what the fit's thread allocates per epoch must
 * not grow from the middle epochs to the late ones, and what stays on the heap must grow by no more than the
 * History's few numbers per epoch.
 */
class LongRunTest {

    private static final int EPOCHS = 1_000;
    private static final int ROWS = 150;
    private static final int RETAINED_FROM = 199;

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the least of three: a collection may finish concurrently with the reading
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    /** The first {@code rows} digits, pixels scaled to [0, 1], targets one-hot. */
    private static Matrix[] digits(int rows) throws IOException {
        float[][] x = new float[rows][];
        float[][] y = new float[rows][10];
        InputStream raw = LongRunTest.class.getClassLoader().getResourceAsStream("data/digits.csv.gz");
        assertThat(raw).isNotNull();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
            for (int r = 0; r < rows; r++) {
                String[] fields = reader.readLine().split(",");
                x[r] = new float[64];
                for (int c = 0; c < 64; c++) {
                    x[r][c] = Float.parseFloat(fields[c].trim()) / 16f;
                }
                y[r][(int) Float.parseFloat(fields[64].trim())] = 1;
            }
        }
        return new Matrix[] {Matrix.of(x), Matrix.of(y)};
    }

    /**
     * Bytes this thread allocates from one epoch's end to the next (the whole epoch: batches, metrics, history),
     * by HotSpot's per-thread allocation counter, {@code com.sun.management.ThreadMXBean}.
     */
    private static final class AllocationPerEpoch implements TrainingListener {
        // Reached by reflection, which needs no module read edge: the tests run inside module dev.nncore, which
        // reads neither java.management nor jdk.management.
        private final Object threads;
        private final Method allocated;
        private final long[] bytes = new long[EPOCHS];
        /** Heap in use after a full collection, at epoch {@link #RETAINED_FROM} and at the last epoch. */
        private final long[] retained = new long[2];
        private long last;

        AllocationPerEpoch() throws ReflectiveOperationException {
            threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        }

        private long allocatedBytes() {
            try {
                return (Long) allocated.invoke(threads);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onTrainBegin(TrainingRun run) {
            last = allocatedBytes();
        }

        @Override
        public void onEpochEnd(TrainingRun run, int epoch) {
            long now = allocatedBytes();
            bytes[epoch] = now - last;
            if (epoch == RETAINED_FROM || epoch == EPOCHS - 1) {
                retained[epoch == RETAINED_FROM ? 0 : 1] = usedHeapAfterGc();
            }
            last = allocatedBytes(); // the listener's own work not counted
        }

        long median(int from, int to) {
            long[] window = Arrays.copyOfRange(bytes, from, to);
            Arrays.sort(window);
            return window[window.length / 2];
        }

        long max(int from, int to) {
            return Arrays.stream(bytes, from, to).max().orElseThrow();
        }
    }

    private static BackpropTrainer trainer(int epochs, TrainingListener listener) {
        // Plain SGD keeps no state and the rows are not shuffled, so a stopped and resumed fit is the same
        // computation as one long fit, bit for bit.
        BackpropTrainer.Builder builder = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
                .optimizer(Optimizer.sgd(0.1)).epochs(epochs).batchSize(32).shuffle(false);
        if (listener != null) {
            builder.listener(listener);
        }
        return builder.build();
    }

    @Test
    void aThousandEpochsStopResumeAndKeepMemoryFlat() throws IOException {
        Matrix[] data = digits(ROWS);
        Network start = Network.builder(64).dense(16, Activation.RELU).dense(10, Activation.SOFTMAX).seed(7).build();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            AllocationPerEpoch allocation = new AllocationPerEpoch();
            TrainingResult full = trainer(EPOCHS, allocation).fit(start, data[0], data[1]);

            History history = full.history();
            assertThat(history.epochs()).isEqualTo(EPOCHS);
            assertThat(history.asMap()).containsOnlyKeys(History.LOSS, History.ACCURACY);
            assertThat(history.asMap().values()).allSatisfy(values -> assertThat(values).hasSize(EPOCHS));
            assertThat(history.epochTimes()).hasSize(EPOCHS);
            assertThat(history.loss().get(EPOCHS - 1)).isLessThan(history.loss().get(0) / 10);

            // No growth per epoch: the late epochs allocate no more than the middle ones, both long after JIT
            // warm-up. How much an epoch allocates depends on what the JIT managed to inline: about 340 bytes (the
            // History's numbers and the epoch's timing) when it removes the step's temporaries, about 43 KiB when
            // other code run earlier in the same JVM kept it from doing so; either way the same in every epoch.
            // Medians, because the History's lists grow by half now and then; the bound on the maximum allows for
            // one such copy. (64 bytes of slack: a late recompilation may box a number the earlier code did not.)
            long middle = allocation.median(400, 500);
            long late = allocation.median(EPOCHS - 100, EPOCHS);
            assertThat(late).as("median bytes per epoch, epochs 900-999 vs 400-499 (%d)", middle).isLessThanOrEqualTo(middle + 64);
            assertThat(allocation.max(EPOCHS - 100, EPOCHS)).as("most bytes in one late epoch").isLessThan(middle + (64 << 10));

            // Nothing kept per step: over 800 epochs (4,000 steps) the heap keeps only the History's numbers, well
            // under a MiB, where keeping one batch's activations per step would keep about 8 MiB.
            long growth = allocation.retained[1] - allocation.retained[0];
            assertThat(growth).as("heap kept from epoch 200 to 1000").isLessThan(1 << 20);

            // Stop after epoch 400 from a listener, then resume from the returned network for the other 600.
            TrainingListener stopAt400 = new TrainingListener() {
                @Override
                public void onEpochEnd(TrainingRun run, int epoch) {
                    if (epoch == 399) {
                        run.stop();
                    }
                }
            };
            TrainingResult stopped = trainer(EPOCHS, stopAt400).fit(start, data[0], data[1]);
            assertThat(stopped.history().epochs()).isEqualTo(400);
            TrainingResult resumed = trainer(EPOCHS - 400, null).fit(stopped.network(), data[0], data[1]);
            assertThat(resumed.network()).isEqualTo(full.network());
            List<Double> losses = new ArrayList<>(stopped.history().loss());
            losses.addAll(resumed.history().loss());
            assertThat(losses).isEqualTo(history.loss());
        });
    }
}
