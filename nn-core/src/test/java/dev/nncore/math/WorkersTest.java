package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nncore.testing.Allocations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The split of large products between the caller and the worker threads: the same bits for any thread count on every
 * kernel and product, kernel exceptions rethrown to the caller with no work left running, callers that never wait for
 * each other, daemon threads, and no allocation per product.
 */
class WorkersTest {

    private static final int[] OPERATIONS = {MatrixOps.AFFINE, MatrixOps.TRANSPOSED_A, MatrixOps.TRANSPOSED_B};

    /** m, k, n of out = a · b: row counts on and off the 12-row units, a batch of 64 and 256, wide and narrow. */
    private static final int[][] SHAPES = {{13, 40, 30}, {24, 300, 70}, {25, 17, 64}, {64, 784, 128}, {100, 257, 513},
        {256, 784, 10}, {301, 300, 70}, {1000, 3, 2}, {49, 70, 600}};

    @Test
    void aWorkerSpinsTwiceTheGapBetweenItsPartsWithinItsBounds() {
        // a part posted 300 us after the last one ended: the next wait spins 600 us, which bridges the same gap again
        assertThat(Workers.spinAfter(300_000)).isEqualTo(600_000);
        // short gaps keep the shortest spin, and no spin outlasts the longest
        assertThat(Workers.spinAfter(1_000)).isEqualTo(Workers.SPIN_NANOS);
        assertThat(Workers.spinAfter(Workers.MAX_SPIN_NANOS)).isEqualTo(Workers.MAX_SPIN_NANOS);
        // a worker used now and then (a gap longer than any spin, or none yet) goes back to the shortest
        assertThat(Workers.spinAfter(Workers.MAX_SPIN_NANOS + 1)).isEqualTo(Workers.SPIN_NANOS);
        assertThat(Workers.spinAfter(-1)).isEqualTo(Workers.SPIN_NANOS);
    }

    @Test
    void theLongestOfAStepsGapsSetsTheSpinForAllOfThem() {
        // a step's parts come after gaps of 300, 40 and 60 us: the 300 us gap, remembered, keeps a spin that bridges it
        long longest = -1;
        for (int step = 0; step < 5; step++) {
            for (long gap : new long[] {300_000, 40_000, 60_000}) {
                longest = Workers.longestGap(longest, gap);
                assertThat(Workers.spinAfter(longest)).as("after a gap of " + gap).isGreaterThan(300_000);
            }
        }
        // it fades by an eighth a part once the long gaps stop
        assertThat(Workers.longestGap(800_000, 10_000)).isEqualTo(700_000);
        // an idle spell (a gap longer than any spin) forgets it
        assertThat(Workers.longestGap(300_000, Workers.MAX_SPIN_NANOS + 1)).isEqualTo(-1);
        assertThat(Workers.longestGap(-1, 50_000)).isEqualTo(50_000);
    }

    @Test
    void everyKernelAndProductGivesTheSameBitsOnOneToFourThreads() {
        Random random = new Random(31);
        Workers three = new Workers(3);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            float[][] a = random(m, k, random);
            float[][] aT = transpose(a);
            float[][] b = random(k, n, random);
            float[][] bT = transpose(b);
            float[] bias = random(1, n, random)[0];
            for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
                for (int operation : OPERATIONS) {
                    float[][] left = operation == MatrixOps.TRANSPOSED_A ? aT : a;
                    float[][] right = operation == MatrixOps.TRANSPOSED_B ? bT : b;
                    float[] withBias = operation == MatrixOps.AFFINE ? bias : null;
                    float[][] one = new float[m][n];
                    MatrixOps.run(kernel, operation, left, right, withBias, one, 0, 1);
                    float[][] two = filled(m, n);
                    MatrixOps.run(kernel, operation, left, right, withBias, two, 0, 2);
                    String what = kernel.name() + " operation " + operation + " " + m + "x" + k + "x" + n;
                    assertThat(two).as(what + " on 2 threads").isEqualTo(one);
                    for (int threads = 2; threads <= 4; threads++) {
                        float[][] more = filled(m, n);
                        three.run(kernel, operation, left, right, withBias, more, threads);
                        assertThat(more).as(what + " on " + threads + " threads of a 3-worker team").isEqualTo(one);
                    }
                    float[][] alone = filled(m, n);
                    new Workers(1, false).run(kernel, operation, left, right, withBias, alone, 2);
                    assertThat(alone).as(what + " with every part taken back by the caller").isEqualTo(one);
                }
            }
        }
    }

    /**
     * Few-row affine products split by columns: the bits of one thread on every kernel, for every row count below two
     * packing thresholds, widths on and off the 4-vector strips (and a few columns past them), k on and off the blocks
     * of 256, with and without bias (alternate row counts), on the automatic split, on a forced column split (the plain
     * kernels split by rows on their own) and with the worker's part taken back by the caller.
     */
    @Test
    void fewRowProductsSplitByColumnsGiveTheBitsOfOneThread() {
        Random random = new Random(77);
        Workers two = new Workers(1);
        Workers unstarted = new Workers(1, false);
        for (int k : new int[] {1, 300, 784}) {
            for (int n : new int[] {128, 130, 200, 256, 1000}) {
                float[][] a = random(95, k, random);
                float[][] b = random(k, n, random);
                float[] bias = random(1, n, random)[0];
                for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
                    for (int m = 1; m <= 95; m++) {
                        float[][] rows = java.util.Arrays.copyOf(a, m);
                        float[] withBias = m % 2 == 0 ? bias : null;
                        float[][] one = new float[m][n];
                        MatrixOps.run(kernel, MatrixOps.AFFINE, rows, b, withBias, one, Long.MAX_VALUE, 1);
                        String what = kernel.name() + " " + m + "x" + k + "x" + n + (withBias == null ? "" : " with bias");
                        int unit = kernel.columnSplit(m, n);
                        float[][] auto = filled(m, n);
                        two.run(kernel, MatrixOps.AFFINE, rows, b, withBias, auto, 2);
                        assertThat(auto).as(what + " on 2 threads").isEqualTo(one);
                        float[][] columns = filled(m, n);
                        two.runColumns(kernel, rows, b, withBias, columns, 2, unit > 0 ? unit : 48);
                        assertThat(columns).as(what + " split by columns").isEqualTo(one);
                        float[][] alone = filled(m, n);
                        unstarted.runColumns(kernel, rows, b, withBias, alone, 2, unit > 0 ? unit : 48);
                        assertThat(alone).as(what + " split by columns, taken back by the caller").isEqualTo(one);
                    }
                }
            }
        }
    }

    @Test
    void columnPartsAreWholeUnitsThatCoverEveryColumnOnce() {
        for (int n = 1; n <= 600; n++) {
            for (int parts = 1; parts <= 4; parts++) {
                int previous = 0;
                for (int p = 1; p <= parts; p++) {
                    int bound = Workers.columnBound(n, p, parts, 64);
                    assertThat(bound).isBetween(previous, n);
                    assertThat(bound % 64 == 0 || bound == n).isTrue();
                    previous = bound;
                }
                assertThat(previous).isEqualTo(n);
            }
        }
        assertThat(Workers.columnBound(128, 1, 2, 64)).isEqualTo(64);
        assertThat(Workers.columnBound(200, 1, 2, 64)).isEqualTo(128);
        assertThat(Workers.columnBound(1000, 1, 2, 64)).isEqualTo(512);
    }

    @Test
    void theLibraryUsesTheSplitWithTheSameBitsAsOneThread() {
        Random random = new Random(5);
        float[][] a = random(256, 784, random);
        float[][] b = random(784, 128, random);
        float[][] viaLibrary = new float[256][128];
        MatrixOps.multiply(a, b, viaLibrary); // 25.7M multiply-adds: split on a machine of two or more processors
        MatrixOps.Kernel inUse = MatrixOps.availableKernels().stream().filter(k -> k.name().equals(MatrixOps.kernelName()))
                .findFirst().orElseThrow();
        float[][] one = new float[256][128];
        MatrixOps.run(inUse, MatrixOps.AFFINE, a, b, null, one, Long.MAX_VALUE, 1);
        assertThat(viaLibrary).isEqualTo(one);
    }

    @Test
    void partsAreWholeTilesThatCoverEveryRowOnce() {
        for (int m = 1; m <= 400; m++) {
            for (int parts = 1; parts <= 5; parts++) {
                int unit = m >= Workers.SMALL_PART_ROWS * parts ? Workers.ROW_CHUNK : Workers.SMALL_ROW_CHUNK;
                int previous = 0;
                assertThat(Workers.bound(m, 0, parts)).isZero();
                for (int p = 1; p <= parts; p++) {
                    int bound = Workers.bound(m, p, parts);
                    assertThat(bound).as("m %d part %d of %d", m, p, parts).isBetween(previous, m);
                    assertThat(bound % unit == 0 || bound == m).as("m %d part %d of %d ends at %d", m, p, parts, bound).isTrue();
                    assertThat(Math.abs(bound - (double) m * p / parts)).isLessThanOrEqualTo(unit / 2.0);
                    previous = bound;
                }
                assertThat(previous).isEqualTo(m);
            }
        }
        assertThat(Workers.bound(64, 1, 2)).isEqualTo(32);
        assertThat(Workers.bound(256, 1, 2)).isEqualTo(132);
        assertThat(Workers.bound(784, 1, 2)).isEqualTo(396);
    }

    @Test
    void theThreadCountSettingIsReadAsACountFromOne() {
        assertThat(Workers.threads(null, 2)).isEqualTo(2);
        assertThat(Workers.threads("1", 2)).isEqualTo(1);
        assertThat(Workers.threads(" 4 ", 2)).isEqualTo(4);
        assertThat(Workers.threads("0", 2)).isEqualTo(1);
        assertThat(Workers.threads("-3", 2)).isEqualTo(1);
        assertThat(Workers.threads("many", 3)).isEqualTo(3);
        assertThat(Workers.threads("100000", 2)).isEqualTo(Workers.MAX_THREADS);
        assertThat(MatrixOps.THREADS).isEqualTo(Workers.threads(System.getProperty("nncore.threads"),
                Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void workersAreNamedDaemonThreads() {
        List<Thread> threads = Workers.shared().threads();
        assertThat(threads).hasSize(Math.max(1, MatrixOps.THREADS - 1));
        for (int w = 0; w < threads.size(); w++) {
            assertThat(threads.get(w).getName()).isEqualTo("nncore-worker-" + (w + 1));
            assertThat(threads.get(w).isDaemon()).isTrue();
            assertThat(threads.get(w).isAlive()).isTrue();
        }
    }

    /** What a {@link HookedKernel} does before it multiplies rows from to to, told whether it runs on a worker. */
    private interface Hook {
        void before(boolean onWorker, int from, int to) throws Exception;
    }

    /** The first available kernel, with a hook before each {@code affine} over a range of rows. */
    private static final class HookedKernel implements MatrixOps.Kernel {
        private final MatrixOps.Kernel kernel = MatrixOps.availableKernels().get(0);
        private final Hook hook;
        private final boolean multiply;

        HookedKernel(Hook hook) {
            this(hook, true);
        }

        /** {@code multiply} false: the hook only, no arithmetic. */
        HookedKernel(Hook hook, boolean multiply) {
            this.hook = hook;
            this.multiply = multiply;
        }

        @Override
        public void affine(float[][] a, float[][] b, float[] bias, float[][] out, int from, int to) {
            try {
                hook.before(Thread.currentThread().getName().startsWith("nncore-worker-"), from, to);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            if (multiply) {
                kernel.affine(a, b, bias, out, from, to);
            }
        }

        @Override
        public void affineRow(float[] x, float[][] b, float[] bias, float[] out) {
            kernel.affineRow(x, b, bias, out);
        }

        @Override
        public void affineColumns(float[][] a, float[][] b, float[] bias, float[][] out, int colFrom, int colTo) {
            kernel.affineColumns(a, b, bias, out, colFrom, colTo);
        }

        @Override
        public void affineSlice(float[][] a, float[][] b, float[] bias, float[][] out, int kFrom, int kTo) {
            kernel.affineSlice(a, b, bias, out, kFrom, kTo);
        }

        @Override
        public void multiplyTransposedA(float[][] a, float[][] b, float[][] out, int from, int to) {
            kernel.multiplyTransposedA(a, b, out, from, to);
        }

        @Override
        public void multiplyTransposedB(float[][] a, float[][] b, float[][] out, int from, int to) {
            kernel.multiplyTransposedB(a, b, out, from, to);
        }

        @Override
        public String name() {
            return "hooked " + kernel.name();
        }
    }

    @Test
    void aKernelExceptionInAWorkerReachesTheCallerAndTheWorkerCarriesOn() {
        Random random = new Random(3);
        float[][] a = random(96, 50, random);
        float[][] b = random(50, 40, random);
        Workers team = new Workers(1);
        CountDownLatch workerStarted = new CountDownLatch(1);
        MatrixOps.Kernel failing = new HookedKernel((onWorker, from, to) -> {
            if (onWorker) {
                workerStarted.countDown();
                throw new IllegalStateException("kernel failed on rows " + from + " to " + to);
            }
            workerStarted.await(10, TimeUnit.SECONDS); // so that the worker, not the caller, runs the second part
        });
        assertThatThrownBy(() -> team.run(failing, MatrixOps.AFFINE, a, b, null, new float[96][40], 2))
                .isInstanceOf(IllegalStateException.class).hasMessage("kernel failed on rows 48 to 96");
        MatrixOps.Kernel plain = MatrixOps.availableKernels().get(0);
        float[][] expected = new float[96][40];
        MatrixOps.run(plain, MatrixOps.AFFINE, a, b, null, expected, 0, 1);
        float[][] after = filled(96, 40);
        team.run(plain, MatrixOps.AFFINE, a, b, null, after, 2);
        assertThat(after).isEqualTo(expected);
        assertThat(team.threads().get(0).isAlive()).isTrue();
    }

    @Test
    void aKernelExceptionInTheCallerWaitsForTheWorkerSoNothingRunsAfterTheCall() throws Exception {
        Random random = new Random(4);
        float[][] a = random(96, 50, random);
        float[][] b = random(50, 40, random);
        Workers team = new Workers(1);
        float[][] out = filled(96, 40);
        CountDownLatch workerStarted = new CountDownLatch(1);
        MatrixOps.Kernel failing = new HookedKernel((onWorker, from, to) -> {
            if (onWorker) {
                workerStarted.countDown();
                Thread.sleep(300); // then writes its rows
            } else {
                workerStarted.await(10, TimeUnit.SECONDS);
                throw new IllegalStateException("kernel failed on rows " + from + " to " + to);
            }
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> team.run(failing, MatrixOps.AFFINE, a, b, null, out, 2))
                .isInstanceOf(IllegalStateException.class).hasMessage("kernel failed on rows 0 to 48");
        assertThat(System.nanoTime() - start).as("the caller waited for the worker's part").isGreaterThan(250_000_000L);
        float[][] snapshot = new float[96][];
        for (int r = 0; r < 96; r++) {
            snapshot[r] = out[r].clone();
        }
        assertThat(snapshot[95][0]).as("the worker's rows were written before the call returned").isNotNaN();
        Thread.sleep(100);
        assertThat(out).as("nothing written after the call returned").isEqualTo(snapshot);
    }

    @Test
    void aCallerNeverWaitsForAnotherCallersProduct() throws Exception {
        Random random = new Random(6);
        float[][] a = random(96, 50, random);
        float[][] b = random(50, 40, random);
        Workers team = new Workers(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch workerBlocked = new CountDownLatch(1);
        MatrixOps.Kernel blocking = new HookedKernel((onWorker, from, to) -> {
            if (onWorker) {
                workerBlocked.countDown();
                release.await();
            } else {
                workerBlocked.await(10, TimeUnit.SECONDS); // so that the worker, not the caller, runs the second part
            }
        });
        MatrixOps.Kernel plain = MatrixOps.availableKernels().get(0);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = pool.submit(() -> team.run(blocking, MatrixOps.AFFINE, a, b, null, new float[96][40], 2));
            assertThat(workerBlocked.await(10, TimeUnit.SECONDS)).isTrue();
            float[][] expected = new float[96][40];
            MatrixOps.run(plain, MatrixOps.AFFINE, a, b, null, expected, 0, 1);
            float[][] second = new float[96][40];
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> team.run(plain, MatrixOps.AFFINE, a, b, null, second, 2)); // the team is busy: all rows here
            assertThat(second).isEqualTo(expected);
            assertThat(first.isDone()).as("the first caller still waits for its worker").isFalse();
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void manyCallersAtOnceGetOneThreadsBits() throws Exception {
        Random random = new Random(9);
        float[][] a = random(200, 300, random);
        float[][] b = random(300, 90, random);
        float[][] expected = new float[200][90];
        List<MatrixOps.Kernel> kernels = MatrixOps.availableKernels();
        MatrixOps.Kernel kernel = kernels.get(kernels.size() - 1);
        MatrixOps.run(kernel, MatrixOps.AFFINE, a, b, null, expected, 0, 1);
        Workers team = new Workers(2);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicInteger products = new AtomicInteger();
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int threads = 2 + t % 2;
                callers.add(pool.submit(() -> {
                    float[][] out = new float[200][90];
                    for (int i = 0; i < 200; i++) {
                        team.run(kernel, MatrixOps.AFFINE, a, b, null, out, threads);
                        if (!java.util.Arrays.deepEquals(out, expected)) {
                            throw new AssertionError("a product differs from one thread's");
                        }
                        java.util.Arrays.fill(out[i % 200], Float.NaN);
                        products.incrementAndGet();
                    }
                    return null;
                }));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (Future<?> caller : callers) {
                    caller.get();
                }
            });
        } finally {
            pool.shutdownNow();
        }
        assertThat(products.get()).isEqualTo(1200);
    }

    /** The split itself allocates nothing: no task, latch or future per product, on the caller or on the worker. */
    @Test
    void aSplitProductAllocatesNothing() throws Exception {
        float[][] a = new float[96][8];
        float[][] b = new float[8][8];
        float[][] out = new float[96][8];
        AtomicInteger workerParts = new AtomicInteger();
        AtomicInteger callerParts = new AtomicInteger();
        AtomicInteger ranOnWorker = new AtomicInteger();
        // A kernel that does no arithmetic, so that only the split's own allocation is counted, whatever the JIT's state.
        // The caller's part waits (up to 1 ms) for the worker to start its own, or the caller would take it back each time.
        MatrixOps.Kernel counting = new HookedKernel((onWorker, from, to) -> {
            if (onWorker) {
                ranOnWorker.incrementAndGet();
                workerParts.incrementAndGet();
                return;
            }
            int calls = callerParts.incrementAndGet();
            long deadline = System.nanoTime() + 1_000_000;
            while (workerParts.get() < calls && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            workerParts.set(calls);
        }, false);
        Workers team = new Workers(1);
        long worker = team.threads().get(0).getId();
        long caller = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            team.run(counting, MatrixOps.AFFINE, a, b, null, out, 2);
        }
        // The fewest of three windows: one run saw a one-off 4.4 KB on the caller in its only window (most likely a
        // recompilation, whose interpreted frames allocate what compiled code does not); an allocation per product
        // shows in every window. 16 bytes per product would already be 160 KB; the reflective calls themselves take a
        // few hundred bytes.
        AtomicInteger products = new AtomicInteger();
        int ranBefore = ranOnWorker.get();
        long bytes = Allocations.fewest(3, 4096, () -> {
            for (int i = 0; i < 10_000; i++) {
                team.run(counting, MatrixOps.AFFINE, a, b, null, out, 2);
            }
            products.addAndGet(10_000);
        }, caller, worker);
        assertThat(bytes).as("bytes the caller and the worker allocated in the quietest 10,000 products").isLessThan(4096);
        assertThat(ranOnWorker.get() - ranBefore).as("products of %d whose second part the worker ran", products.get())
                .isGreaterThan(products.get() / 2);
    }

    private static float[][] filled(int rows, int cols) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            java.util.Arrays.fill(row, Float.NaN);
        }
        return values;
    }

    private static float[][] transpose(float[][] m) {
        float[][] t = new float[m[0].length][m.length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                t[c][r] = m[r][c];
            }
        }
        return t;
    }

    private static float[][] random(int rows, int cols, Random random) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return values;
    }
}
