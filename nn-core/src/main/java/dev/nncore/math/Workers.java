package dev.nncore.math;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The threads that share a large product with its caller: {@code -Dnncore.threads=N} in all (the caller counts as
 * one, so {@code N - 1} workers; default the available processors, at most {@value #MAX_THREADS}). The workers are
 * daemon threads named {@code nncore-worker-1}, ..., started when the first product large enough to split arrives,
 * and kept for the life of the process.
 *
 * <p>A caller first claims the whole team; if another caller holds it, it computes all rows itself, so callers never
 * wait for each other. It cuts the rows of {@code out} into one part per thread at multiples of {@value #ROW_CHUNK}
 * rows (every row tile of the kernels, 2, 3, 4 and 6 rows, stays whole; {@value #SMALL_ROW_CHUNK} for small parts, see
 * {@link #SMALL_PART_ROWS}), posts a part to each worker, computes the first part itself, then takes back any part
 * whose worker has not started it (a worker that the system has not scheduled costs the caller nothing but that
 * part's time) and waits for the others. An affine product for which the kernel asks it
 * ({@link MatrixOps.Kernel#columnSplit}: the Vector API kernel's few-row products) is cut by columns instead, at
 * multiples of the kernel's unit, each part computing every row of its columns, with the same hand-over. Each element's
 * arithmetic does not depend on the part it is in, so the result has the same bits for every thread count.
 *
 * <p>A worker waiting for a part spins and then parks: for {@value #SPIN_NANOS} ns, or, when its recent parts came
 * soon after each other, for twice the longest of those gaps (at most {@value #MAX_SPIN_NANOS} ns), so that the parts
 * of a training step, posted every few hundred microseconds where the layers are wide, find it spinning. A caller waiting
 * for a worker that has started its part spins up to {@value #MAX_SPIN_NANOS} ns before it parks (one that has not
 * started is taken back at once, see above). Waking a parked thread costs far more than a hand-over between spinning
 * ones: on the project's earlier 2-core machine a park and unpark cost the caller 8 us and the worker 6 us more
 * before it started; on its Zen 5 VM a parked worker started about 100 us after its part was posted. An idle worker
 * costs nothing once parked. After its first microseconds a spin yields, so that on a loaded machine the thread
 * waited for, or any other, runs in its place.
 * Nothing is allocated per product. An exception thrown by the kernel in a worker is rethrown to the caller, after
 * every part has finished: no work goes on past the call that posted it.
 */
final class Workers {

    /** Rows per unit of a split: a multiple of every row tile height of the kernels (2, 3, 4 and 6). */
    static final int ROW_CHUNK = 12;
    /**
     * Parts of fewer rows than this are cut at multiples of {@link #SMALL_ROW_CHUNK} instead: the Vector API kernel
     * multiplies them in tiles of 4 rows, and a batch of 64 is split 32/32 rather than 36/28. Measured in thread CPU
     * time on 64x784x128 (the first product of a training step on batch 64): the larger part took 68 us against
     * 77 us (the whole product 114 us on one thread), and on the plain kernel, whose 3-row tiles then leave 2 rows
     * over, 140 us against 152 us (the whole 272 us).
     */
    static final int SMALL_PART_ROWS = 48;
    /** Rows per unit of a split into parts of fewer than {@link #SMALL_PART_ROWS} rows. */
    static final int SMALL_ROW_CHUNK = 4;
    /** More threads than this are not started, whatever {@code nncore.threads} says. */
    static final int MAX_THREADS = 256;
    /** Spinning before parking, for a worker waiting for a part when its parts come seldom. */
    static final long SPIN_NANOS = 200_000;
    /**
     * The longest spin: a worker whose parts come in quick succession, and a caller waiting for a worker that is
     * computing its part. Measured on the Zen 5 VM (784-2048-10, batch 64, two threads, where a step's serial work
     * between its forward and gradient parts takes about 250 us; timers in a copy of {@code fit}): with the 200 us spin
     * 95 % of the gradient parts found the worker parked and started 105 us late on average, with this one 14 %, 30 us
     * late. A step there takes 3-4 ms, and {@code fit}'s epochs/s moved by more than that from fork to fork.
     */
    static final long MAX_SPIN_NANOS = 2_000_000;
    /** Pause instructions at the start of a wait, before it yields. */
    static final int PAUSES = 128;

    /** Threads that share a product, the caller included: {@code -Dnncore.threads}, else the available processors. */
    static final int THREADS = threads(System.getProperty("nncore.threads"), Runtime.getRuntime().availableProcessors());

    private final Worker[] workers;
    /** Held by the one caller whose parts the workers run. */
    private final AtomicBoolean claimed = new AtomicBoolean();

    Workers(int workerCount) {
        this(workerCount, true);
    }

    /**
     * {@code start} false leaves the threads unstarted: every part posted is taken back by its caller (for tests). A
     * thread that the system refuses to start (no memory for its stack, say) is left out, and its part computed by the
     * caller.
     */
    Workers(int workerCount, boolean start) {
        Worker[] all = new Worker[workerCount];
        int started = 0;
        for (int w = 0; w < workerCount; w++) {
            all[w] = new Worker(w + 1);
            if (start) {
                try {
                    all[w].start();
                } catch (OutOfMemoryError | RuntimeException e) {
                    break;
                }
                started++;
            }
        }
        workers = java.util.Arrays.copyOf(all, start ? started : workerCount);
    }

    /** @return the worker threads, for tests */
    java.util.List<Thread> threads() {
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (Worker worker : workers) {
            threads.add(worker.thread);
        }
        return threads;
    }

    /**
     * @param property the value of {@code nncore.threads}, or null
     * @param processors the default
     * @return {@code property} as a count from 1 to {@value #MAX_THREADS}, or {@code processors} if it is not a number
     */
    static int threads(String property, int processors) {
        int threads = processors;
        if (property != null) {
            try {
                threads = Integer.parseInt(property.trim());
            } catch (NumberFormatException e) {
                threads = processors; // a malformed setting must not stop the library from loading
            }
        }
        return Math.max(1, Math.min(MAX_THREADS, threads));
    }

    /** The process's team, started on first use: {@link #THREADS} - 1 workers (one where a test asks for two). */
    static Workers shared() {
        return Shared.TEAM;
    }

    private static final class Shared {
        static final Workers TEAM = new Workers(Math.max(1, THREADS - 1));
    }

    /**
     * Computes {@code operation} over all rows of {@code out} on up to {@code threads} threads, this one included: on
     * this thread alone if the team is busy with another caller's product or there are too few rows to split.
     */
    void run(MatrixOps.Kernel kernel, int operation, float[][] a, float[][] b, float[] bias, float[][] out, int threads) {
        int m = out.length;
        if (operation == MatrixOps.AFFINE && m > 0) {
            int unit = kernel.columnSplit(m, out[0].length);
            if (unit > 0) {
                runColumns(kernel, a, b, bias, out, threads, unit);
                return;
            }
        }
        int parts = Math.min(Math.min(threads, workers.length + 1), (m + SMALL_ROW_CHUNK - 1) / SMALL_ROW_CHUNK);
        split(kernel, operation, a, b, bias, out, parts, m, 0);
    }

    /**
     * Runs {@code task}'s parts {@code 0 .. parts - 1}, part 0 on this thread and each other part on a worker, and
     * returns when all have finished; all on this thread, in order, if the team is busy with another caller or has too
     * few workers. Whichever thread runs a part, it computes the same thing, so the result does not depend on where
     * the parts ran.
     */
    void runParts(dev.nncore.internal.Kernels.Parts task, int parts) {
        if (parts < 2 || parts > workers.length + 1 || !claimed.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                task.run(p);
            }
            return;
        }
        try {
            Thread caller = Thread.currentThread();
            for (int p = 1; p < parts; p++) {
                workers[p - 1].postTask(caller, task, p);
            }
            Throwable failure = null;
            try {
                task.run(0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int w = 0; w < parts - 1; w++) {
                failure = workers[w].finish(failure, null, 0, null, null, null, null);
            }
            rethrow(failure);
        } finally {
            claimed.set(false);
        }
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /**
     * An affine product split by columns instead: each part computes every row for columns cut at multiples of
     * {@code unit} (a kernel's strip of packed B); on this thread alone if there are fewer than two units of columns.
     */
    void runColumns(MatrixOps.Kernel kernel, float[][] a, float[][] b, float[] bias, float[][] out, int threads, int unit) {
        int n = out.length == 0 ? 0 : out[0].length;
        int parts = Math.min(Math.min(threads, workers.length + 1), n / unit);
        split(kernel, MatrixOps.AFFINE_COLUMNS, a, b, bias, out, parts, n, unit);
    }

    /**
     * {@code operation} over {@code total} rows, or columns for {@link MatrixOps#AFFINE_COLUMNS}, in {@code parts}
     * parts cut by {@link #bound(int, int, int)} for rows ({@code unit} 0) or {@link #columnBound} at multiples of
     * {@code unit}.
     */
    private void split(MatrixOps.Kernel kernel, int operation, float[][] a, float[][] b, float[] bias, float[][] out,
            int parts, int total, int unit) {
        if (parts < 2 || !claimed.compareAndSet(false, true)) {
            MatrixOps.rows(kernel, operation, a, b, bias, out, 0, total);
            return;
        }
        try {
            Thread caller = Thread.currentThread();
            int posted = 0;
            for (int p = 1; p < parts; p++) {
                int from = unit == 0 ? bound(total, p, parts) : columnBound(total, p, parts, unit);
                int to = unit == 0 ? bound(total, p + 1, parts) : columnBound(total, p + 1, parts, unit);
                if (from < to) {
                    workers[posted++].post(caller, kernel, operation, a, b, bias, out, from, to);
                }
            }
            Throwable failure = null;
            try {
                int own = unit == 0 ? bound(total, 1, parts) : columnBound(total, 1, parts, unit);
                if (own > 0) {
                    MatrixOps.rows(kernel, operation, a, b, bias, out, 0, own);
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int w = 0; w < posted; w++) {
                failure = workers[w].finish(failure, kernel, operation, a, b, bias, out);
            }
            rethrow(failure);
        } finally {
            claimed.set(false);
        }
    }

    /**
     * The first row of part {@code p} of {@code parts}: {@code m p / parts} rounded to the nearest multiple of
     * {@link #ROW_CHUNK}, or of {@link #SMALL_ROW_CHUNK} when the parts have fewer than {@link #SMALL_PART_ROWS} rows.
     */
    static int bound(int m, int p, int parts) {
        if (p >= parts) {
            return m;
        }
        int unit = unit(m, parts);
        long twice = 2L * m * p + (long) parts * unit;
        return Math.min(m, (int) (twice / (2L * parts * unit)) * unit);
    }

    /** The first column of part {@code p} of {@code parts}: {@code n p / parts} rounded to the nearest multiple of {@code unit}. */
    static int columnBound(int n, int p, int parts, int unit) {
        if (p >= parts) {
            return n;
        }
        long twice = 2L * n * p + (long) parts * unit;
        return Math.min(n, (int) (twice / (2L * parts * unit)) * unit);
    }

    private static int unit(int m, int parts) {
        return m >= SMALL_PART_ROWS * parts ? ROW_CHUNK : SMALL_ROW_CHUNK;
    }

    /**
     * One turn of a wait that has gone round {@code spins} times since {@code start}: a pause instruction for the first
     * {@value #PAUSES} turns (a hand-over between busy threads takes well under a microsecond), then a yield until
     * {@code limit} nanoseconds have passed, so that a thread the system queued on this core (on a loaded machine, often
     * the very worker being waited for) runs instead of the spin; false when it is time to park.
     */
    static boolean spin(int spins, long start, long limit) {
        if (spins < PAUSES) {
            Thread.onSpinWait();
            return true;
        }
        if (System.nanoTime() - start < limit) {
            Thread.yield();
            return true;
        }
        return false;
    }

    /**
     * How long a worker spins for its next part when the longest recent gap between its parts (see
     * {@link #longestGap}) is {@code gap} nanoseconds: twice that, from {@link #SPIN_NANOS} to {@link #MAX_SPIN_NANOS};
     * {@link #SPIN_NANOS} if it is unknown (negative) or longer than the longest spin (a worker used now and then).
     */
    static long spinAfter(long gap) {
        return gap >= 0 && gap <= MAX_SPIN_NANOS ? Math.min(MAX_SPIN_NANOS, Math.max(SPIN_NANOS, 2 * gap)) : SPIN_NANOS;
    }

    /**
     * The longest recent gap after a part that came {@code gap} nanoseconds after the one before (negative: unknown),
     * the longest so far having been {@code longest}: the larger of the two, the older one fading by an eighth per
     * part, so that the longest of a step's few different gaps (the serial work between its parts) sets the spin for
     * all of them; unknown again after a gap longer than any spin.
     */
    static long longestGap(long longest, long gap) {
        if (gap < 0 || gap > MAX_SPIN_NANOS) {
            return -1;
        }
        return Math.max(gap, longest - longest / 8);
    }

    /**
     * A thread that runs the parts posted to it. {@link #state} goes IDLE to POSTED (the caller, after writing the
     * job's fields), then to RUNNING (the worker, which only then reads them) and DONE (the worker), and back to IDLE
     * (the caller); or POSTED straight back to IDLE when the caller takes the part back.
     */
    private static final class Worker implements Runnable {
        private static final int IDLE = 0;
        private static final int POSTED = 1;
        private static final int RUNNING = 2;
        private static final int DONE = 3;

        private final Thread thread;
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger(IDLE);
        /** Set by this worker just before it parks, so that a caller unparks it only then. */
        private volatile boolean parked;
        /** Set by the caller just before it parks waiting for this worker's part. */
        private volatile boolean callerParked;

        // The job: written by the caller before POSTED, read by this worker after it moves POSTED to RUNNING.
        private Thread caller;
        private MatrixOps.Kernel kernel;
        private int operation;
        private float[][] a;
        private float[][] b;
        private float[] bias;
        private float[][] out;
        private int from;
        private int to;
        /** A task's part instead of a product's, when not null. */
        private dev.nncore.internal.Kernels.Parts task;
        /** What the kernel threw, read by the caller after DONE. */
        private Throwable failure;
        /** When the caller posted the part: written before POSTED, read by this worker after it. */
        private long postedAt;
        /** When this worker finished its last part (its own field). */
        private long doneAt = Long.MIN_VALUE;
        /** {@link #longestGap} over this worker's parts so far (its own field); its wait spins {@link #spinAfter} it. */
        private long longest = -1;

        Worker(int number) {
            // Nothing of the first caller's is kept: no inheritable thread-locals, no context class loader.
            thread = new Thread(null, this, "nncore-worker-" + number, 0, false);
            thread.setDaemon(true);
            thread.setPriority(Thread.NORM_PRIORITY);
            thread.setContextClassLoader(null);
        }

        void start() {
            thread.start();
        }

        void post(Thread caller, MatrixOps.Kernel kernel, int operation, float[][] a, float[][] b, float[] bias, float[][] out,
                int from, int to) {
            this.caller = caller;
            this.kernel = kernel;
            this.operation = operation;
            this.a = a;
            this.b = b;
            this.bias = bias;
            this.out = out;
            this.from = from;
            this.to = to;
            publish();
        }

        void postTask(Thread caller, dev.nncore.internal.Kernels.Parts task, int part) {
            this.caller = caller;
            this.task = task;
            this.from = part;
            publish();
        }

        private void publish() {
            postedAt = System.nanoTime();
            state.set(POSTED);
            if (parked) {
                java.util.concurrent.locks.LockSupport.unpark(thread);
            }
        }

        /** Runs the posted product rows or task part. */
        private static void compute(dev.nncore.internal.Kernels.Parts task, MatrixOps.Kernel kernel, int operation,
                float[][] a, float[][] b, float[] bias, float[][] out, int from, int to) {
            if (task != null) {
                task.run(from);
            } else {
                MatrixOps.rows(kernel, operation, a, b, bias, out, from, to);
            }
        }

        /**
         * Waits for this worker's part, or takes it back and computes it here if the worker has not started it (only
         * drops it if {@code failure} is already set), and returns the first failure of the product.
         */
        Throwable finish(Throwable failure, MatrixOps.Kernel kernel, int operation, float[][] a, float[][] b, float[] bias,
                float[][] out) {
            if (state.compareAndSet(POSTED, IDLE)) {
                int rowsFrom = from;
                int rowsTo = to;
                dev.nncore.internal.Kernels.Parts part = task;
                clear();
                if (failure == null) {
                    try {
                        compute(part, kernel, operation, a, b, bias, out, rowsFrom, rowsTo);
                    } catch (RuntimeException | Error e) {
                        return e;
                    }
                }
                return failure;
            }
            // the worker has started: its part ends within about the caller's own, so wait spinning rather than be woken
            long start = System.nanoTime();
            for (int spins = 0; state.get() != DONE; spins = Math.min(spins + 1, PAUSES)) {
                if (!spin(spins, start, MAX_SPIN_NANOS)) {
                    callerParked = true;
                    if (state.get() != DONE) {
                        java.util.concurrent.locks.LockSupport.park(this);
                    }
                    callerParked = false;
                }
            }
            Throwable thrown = this.failure;
            this.failure = null;
            state.set(IDLE);
            if (failure == null) {
                return thrown;
            }
            if (thrown != null && thrown != failure) {
                failure.addSuppressed(thrown);
            }
            return failure;
        }

        private void clear() {
            caller = null;
            task = null;
            kernel = null;
            a = null;
            b = null;
            bias = null;
            out = null;
        }

        @Override
        public void run() {
            while (true) {
                awaitPost();
                if (!state.compareAndSet(POSTED, RUNNING)) {
                    continue; // the caller took the part back
                }
                Thread waiting = caller;
                longest = longestGap(longest, doneAt == Long.MIN_VALUE ? -1 : postedAt - doneAt);
                try {
                    compute(task, kernel, operation, a, b, bias, out, from, to);
                } catch (Throwable e) {
                    failure = e;
                }
                doneAt = System.nanoTime();
                clear();
                state.set(DONE);
                if (callerParked) {
                    java.util.concurrent.locks.LockSupport.unpark(waiting);
                }
            }
        }

        private void awaitPost() {
            long spinLimit = spinAfter(longest);
            long start = System.nanoTime();
            for (int spins = 0; state.get() != POSTED; spins = Math.min(spins + 1, PAUSES)) {
                if (!spin(spins, start, spinLimit)) {
                    parked = true;
                    if (state.get() != POSTED) {
                        java.util.concurrent.locks.LockSupport.park(this);
                    }
                    parked = false;
                    Thread.interrupted(); // an interrupt must not turn the wait into a spin
                }
            }
        }
    }
}
