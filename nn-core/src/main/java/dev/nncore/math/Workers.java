package dev.nncore.math;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The threads that share a large product with its caller: {@value #MAX_THREADS} at most, {@code -Dnncore.threads=N}
 * in all (the caller counts as one, so {@code N - 1} workers; default the available processors). The workers are
 * daemon threads named {@code nncore-worker-1}, ..., started when the first product large enough to split arrives,
 * and kept for the life of the process.
 *
 * <p>A caller first claims the whole team; if another caller holds it, it computes all rows itself, so callers never
 * wait for each other. It cuts the rows of {@code out} into one chunk per thread at multiples of {@value #ROW_CHUNK}
 * rows (every row tile of the kernels, 2, 3, 4 and 6 rows, stays whole), posts a chunk to each worker, computes the
 * first chunk itself, then takes back any chunk whose worker has not started (a worker that the system has not
 * scheduled costs the caller nothing but that chunk's time) and waits for the others. Each element's arithmetic does
 * not depend on the chunk it is in, so the result has the same bits for every thread count.
 *
 * <p>A worker waiting for a chunk, and a caller waiting for a worker, spin for {@value #SPIN_NANOS} ns and then park:
 * the products of a forward pass or a training step follow each other within that time, so a worker in use is
 * handed its next chunk without the latency of waking a thread, and an idle one costs nothing. Nothing is allocated
 * per product. An exception thrown by the kernel in a worker is rethrown to the caller, after every chunk has
 * finished: no work goes on past the call that posted it.
 */
final class Workers {

    /** Rows per unit of a split: a multiple of every row tile height of the kernels (2, 3, 4 and 6). */
    static final int ROW_CHUNK = 12;
    /** More threads than this are not started, whatever {@code nncore.threads} says. */
    static final int MAX_THREADS = 256;
    /** Spinning before parking, for a worker waiting for a chunk and for a caller waiting for a worker. */
    static final long SPIN_NANOS = 50_000;

    /** Threads that share a product, the caller included: {@code -Dnncore.threads}, else the available processors. */
    static final int THREADS = threads(System.getProperty("nncore.threads"), Runtime.getRuntime().availableProcessors());

    private final Worker[] workers;
    /** Held by the one caller whose chunks the workers run. */
    private final AtomicBoolean claimed = new AtomicBoolean();

    Workers(int workerCount) {
        this(workerCount, true);
    }

    /** {@code start} false leaves the threads unstarted: every chunk posted is taken back by its caller (for tests). */
    Workers(int workerCount, boolean start) {
        workers = new Worker[workerCount];
        for (int w = 0; w < workerCount; w++) {
            workers[w] = new Worker(w + 1);
        }
        for (int w = 0; start && w < workerCount; w++) {
            workers[w].start();
        }
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
        int parts = Math.min(Math.min(threads, workers.length + 1), (m + ROW_CHUNK - 1) / ROW_CHUNK);
        if (parts < 2 || !claimed.compareAndSet(false, true)) {
            MatrixOps.rows(kernel, operation, a, b, bias, out, 0, m);
            return;
        }
        try {
            Thread caller = Thread.currentThread();
            int posted = 0;
            for (int p = 1; p < parts; p++) {
                int from = bound(m, p, parts);
                int to = bound(m, p + 1, parts);
                if (from < to) {
                    workers[posted++].post(caller, kernel, operation, a, b, bias, out, from, to);
                }
            }
            Throwable failure = null;
            try {
                MatrixOps.rows(kernel, operation, a, b, bias, out, 0, bound(m, 1, parts));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int w = 0; w < posted; w++) {
                failure = workers[w].finish(failure, kernel, operation, a, b, bias, out);
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        } finally {
            claimed.set(false);
        }
    }

    /** The first row of part {@code p} of {@code parts}: {@code m p / parts} rounded to a multiple of {@link #ROW_CHUNK}. */
    static int bound(int m, int p, int parts) {
        if (p >= parts) {
            return m;
        }
        long exact = (long) m * p;
        int chunks = (int) ((2 * exact + (long) parts * ROW_CHUNK) / (2L * parts * ROW_CHUNK)); // nearest
        return Math.min(m, chunks * ROW_CHUNK);
    }

    /**
     * A thread that runs the chunks posted to it. {@link #state} goes IDLE to POSTED (the caller, after writing the
     * job's fields), then to RUNNING (the worker, which only then reads them) and DONE (the worker), and back to IDLE
     * (the caller); or POSTED straight back to IDLE when the caller takes the chunk back.
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
        /** Set by the caller just before it parks waiting for this worker's chunk. */
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
        /** What the kernel threw, read by the caller after DONE. */
        private Throwable failure;

        Worker(int number) {
            thread = new Thread(this, "nncore-worker-" + number);
            thread.setDaemon(true);
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
            state.set(POSTED);
            if (parked) {
                java.util.concurrent.locks.LockSupport.unpark(thread);
            }
        }

        /**
         * Waits for this worker's chunk, or takes it back and computes it here if the worker has not started it (only
         * drops it if {@code failure} is already set), and returns the first failure of the product.
         */
        Throwable finish(Throwable failure, MatrixOps.Kernel kernel, int operation, float[][] a, float[][] b, float[] bias,
                float[][] out) {
            if (state.compareAndSet(POSTED, IDLE)) {
                int rowsFrom = from;
                int rowsTo = to;
                clear();
                if (failure == null) {
                    try {
                        MatrixOps.rows(kernel, operation, a, b, bias, out, rowsFrom, rowsTo);
                    } catch (RuntimeException | Error e) {
                        return e;
                    }
                }
                return failure;
            }
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (state.get() != DONE) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
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
                    continue; // the caller took the chunk back
                }
                Thread waiting = caller;
                try {
                    MatrixOps.rows(kernel, operation, a, b, bias, out, from, to);
                } catch (Throwable e) {
                    failure = e;
                }
                clear();
                state.set(DONE);
                if (callerParked) {
                    java.util.concurrent.locks.LockSupport.unpark(waiting);
                }
            }
        }

        private void awaitPost() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (state.get() != POSTED) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
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
