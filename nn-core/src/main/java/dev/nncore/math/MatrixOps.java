package dev.nncore.math;

/**
 * The float32 kernels behind {@link Matrix} and the layers, at the level of plain arrays: the fast call that
 * writes into a buffer the caller supplies, where {@link Matrix#multiply(Matrix)} is the simple call that
 * allocates its result.
 *
 * <pre>{@code
 * float[][] a = {{1, 2}, {3, 4}};
 * float[][] b = {{5}, {6}};
 * float[][] out = new float[2][1];
 * MatrixOps.multiply(a, b, out);                                   // out = {{17}, {39}}
 * MatrixOps.affine(a, b, new float[] {0.5f}, out);                  // out = {{17.5}, {39.5}}
 * }</pre>
 *
 * <p>Arrays are row-major ({@code a[row][col]}); inputs are never modified and {@code out} is overwritten. An
 * {@code out} that shares a row array with an input is rejected, because the kernels read inputs while writing.
 * Each output element is the sum over {@code k} in increasing order, and the bias is added after the sum, as
 * Keras's {@code matmul} then {@code bias_add} does. {@link #multiplyTransposedA} and {@link #multiplyTransposedB}
 * compute {@code aᵀ · b} and {@code a · bᵀ} (backprop's products) without a transposed copy, with the same bits.
 *
 * <p>Three kernels, one chosen when this class loads ({@link #kernelName()} says which):
 * <ul>
 * <li>when the JVM runs with {@code --add-modules jdk.incubator.vector}, an explicit SIMD kernel on the Vector API;
 * <li>otherwise a cache-blocked plain-Java kernel that C2 auto-vectorises, on {@link Math#fma} (one rounding per
 * multiply-add, the Vector API kernel's arithmetic, so the two give the same bits);
 * <li>and where fused multiply-add is not fast on this JVM (a CPU without it, or {@code -XX:-UseFMA}; measured
 * once at start-up), the plain kernel with a separate multiply and add, whose results may differ in the last bit.
 * </ul>
 * {@code -Dnncore.kernel=plain} forces the plain kernel, {@code -Dnncore.fma=false} the separate multiply and add.
 * The Vector API kernel's register tiles follow the vector width: 5 rows by 4 vectors at 512 bits (AVX-512's 32
 * registers), 6 by 2 below (AVX2's 16) on JDK 17, and 4 by 2 there on later JDKs, whose compiler spills the 6x2
 * tile's accumulators (measured on JDK 21 and 25); {@code -Dnncore.vectorTiles=5x4}, {@code 6x2} or {@code 4x2}
 * forces one. The bits are the same either way.
 * Without the incubator module the plain kernel is used silently. Any of them gives the same bits for a row
 * whatever the batch it sits in, its block position or the thread count.
 *
 * <p>Products of {@value #PARALLEL_THRESHOLD_DEFAULT} multiply-adds or more ({@code m·k·n}, about 40 us on one core) are
 * split by rows of {@code out} between the calling thread and worker threads, which are daemon threads named
 * {@code nncore-worker-1} and so on, started on the first such product and kept for the life of the process; smaller
 * products, and a lone row ({@link #affine(float[], float[][], float[], float[])}), stay on the calling thread. On the
 * Vector API kernel, an affine product of fewer than 96 rows with at least two 4-vector strips of columns (a training
 * batch of 64) is split by columns instead, in whole strips, so that each thread packs its own strips and multiplies
 * every row in the packed tiles (halves of 32 rows would fall below the kernel's packing threshold of 48 rows with
 * 5x4 tiles). Every element is computed by the same arithmetic whichever thread computes it, so the bits do not
 * depend on the thread count. While one caller's product is split, a product from another thread runs on that thread
 * alone, without waiting. To set the thread count, the caller included, start the JVM with
 * {@code -Dnncore.threads=N}; the default is {@link Runtime#availableProcessors()}, and {@code -Dnncore.threads=1}
 * pins every product to its calling thread (no worker is started). {@code -Dnncore.parallelThreshold=N} moves the
 * threshold; {@code -Dnncore.parallelThreshold=9223372036854775807} also keeps everything on the calling thread.
 *
 * <p>Thread-safe, and without state but the worker threads (and each thread's scratch for the kernels); callers own
 * their arrays.
 *
 * @since 0.1.0
 */
public final class MatrixOps {

    /** A float32 {@code out = a · b + bias} kernel over a range of rows; shapes are checked before it runs. */
    interface Kernel {
        void affine(float[][] a, float[][] b, float[] bias, float[][] out, int from, int to);

        /** {@code out = x · b + bias} for one row, allocating nothing. */
        void affineRow(float[] x, float[][] b, float[] bias, float[] out);

        /**
         * {@code out = a[:, kFrom:kTo] · b[kFrom:kTo, :] + bias} over every row, without copying those columns and rows:
         * the bits of {@link #affine} on such copies.
         */
        void affineSlice(float[][] a, float[][] b, float[] bias, float[][] out, int kFrom, int kTo);

        /** {@code out = aᵀ · b} over a range of rows of {@code out} (columns of {@code a}). */
        void multiplyTransposedA(float[][] a, float[][] b, float[][] out, int from, int to);

        /** {@code out = a · bᵀ} over a range of rows. */
        void multiplyTransposedB(float[][] a, float[][] b, float[][] out, int from, int to);

        String name();

        /**
         * B copied once into the layout this kernel's tiles read, for a B that will not change (a built layer's
         * weights), or null where this kernel reads B as given.
         */
        default float[] pack(float[][] b) {
            return null;
        }

        /**
         * {@code out = a · b + bias} over columns {@code colFrom <= j < colTo} of every row of out, {@code colFrom} a
         * multiple of {@link #columnSplit}'s unit: the same bits as {@link #affine}.
         */
        void affineColumns(float[][] a, float[][] b, float[] bias, float[][] out, int colFrom, int colTo);

        /**
         * The unit of columns at which an affine product of {@code rows} rows and {@code n} columns is better split over
         * threads by columns ({@link #affineColumns}) than by rows, or 0 to split it by rows.
         */
        default int columnSplit(int rows, int n) {
            return 0;
        }

        /** {@link #affine} given {@code packed = pack(b)}, b unchanged since: the same bits, without packing per call. */
        default void affinePacked(float[][] a, float[][] b, float[] packed, float[] bias, float[][] out, int from, int to) {
            affine(a, b, bias, out, from, to);
        }

        /**
         * Softmax of rows {@code from <= r < to} in place with the bits of the scalar {@code Softmax.apply(float[])},
         * where this kernel has a faster way for them; false, with nothing written, where it has not.
         */
        default boolean softmax(float[][] rows, int from, int to) {
            return false;
        }
    }

    /**
     * A kernel bound to one B and that B's packed copy: its {@link #affine} of that B runs {@link Kernel#affinePacked},
     * so that {@link #run} splits it over threads like any product. Everything else goes to the kernel as it is.
     */
    static final class Prepacked implements Kernel {
        final Kernel kernel;
        final float[][] b;
        /** {@code kernel.pack(b)}: null where the kernel reads B as given. */
        final float[] packed;

        Prepacked(Kernel kernel, float[][] b) {
            this.kernel = kernel;
            this.b = b;
            this.packed = kernel.pack(b);
        }

        @Override
        public void affine(float[][] a, float[][] b, float[] bias, float[][] out, int from, int to) {
            if (packed != null && b == this.b) {
                kernel.affinePacked(a, b, packed, bias, out, from, to);
            } else {
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

        /** Prepacked strips serve the tiles from 4 rows, so a split by rows loses nothing: columns only without them. */
        @Override
        public int columnSplit(int rows, int n) {
            return packed != null ? 0 : kernel.columnSplit(rows, n);
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
            return kernel.name();
        }
    }

    /**
     * Products of this many multiply-adds or more are split over threads, 2^21 (about 40 us on one core, at 128^3). Chosen
     * by measurement on the project's 2-core machines (Vector API kernel, thread CPU time, as the machines were shared;
     * the whole product on one thread, then the slower of its two parts split over two, averaged over calls): 96^3
     * (2^19.8) 18.7 us and 11.2 us, 128^3 38.2 us and 20.8 us, 64x784x128 (a training step's first product on batch 64)
     * 128.0 us and 77.9 us, 256x784x128 (a batch of 256 through 784-128-10) 376.7 us and 222.6 us, 1024^3 17.4 ms and
     * 10.1 ms. A worker that has gone to sleep costs the caller 8 us to wake and starts 6 us late, so below about 2^21
     * a split loses whenever the worker was asleep; above, it gains either way. At 2^24 the training step on batch 64
     * stayed on one thread. The same threshold holds for the split by columns of few-row products
     * ({@link Kernel#columnSplit}). On two threads (JMH, Vector API kernel, quiet machine), 64x784x128 took 96 to 99 us
     * split 32/32 by rows and 84 to 91 us split by columns, and a training step of 784-512-10 on batch 64 went from 680
     * to 770 steps/s to 840 to 960.
     */
    static final long PARALLEL_THRESHOLD_DEFAULT = 1L << 21;
    /** Threads that share a large product, the caller included; 1 keeps every product on the calling thread. */
    static final int THREADS = Workers.THREADS;
    /** One thread needs no threshold: the never-reached one makes the single-thread path one comparison. */
    private static final long PARALLEL_THRESHOLD = THREADS < 2 ? Long.MAX_VALUE
            : Long.getLong("nncore.parallelThreshold", PARALLEL_THRESHOLD_DEFAULT);
    /**
     * The threshold for nn-core's own unpacked products ({@link dev.nncore.internal.Kernels}), which are a trainer's: its
     * weights change every step on the calling core, so the other core reads them afresh each time, and a training step
     * of 784-128-10 on batch 64 (products of 6.4M) ran 6 % slower on two threads split from 2^21 (2,865 to 2,893 steps/s
     * against 3,056 to 3,070 on one), and 1 to 8 % faster held on one thread up to 2^23 (3,110 to 3,292). From 2^23 (784-512-10,
     * products of 25.7M) the split gains. That is the Vector API kernel's; the plain kernel, three times slower per
     * product, gains from 2^21 in training too (1,816 steps/s on two threads against 1,315 on one), and keeps it.
     * Inference on a built layer's packed kernel and the public API keep 2^21.
     */
    static final long STEP_PARALLEL_THRESHOLD_DEFAULT = 1L << 23;

    /** The plain kernel with fused multiply-adds; used only where {@link FusedMultiplyAdd#FAST}. */
    private static final Kernel PLAIN_FUSED = new PlainKernel(new FusedTiles(), "plain Java, fused multiply-add");
    /** The plain kernel for JVMs without a fast fused multiply-add. */
    private static final Kernel PLAIN_SEPARATE = new PlainKernel(new SeparateTiles(), "plain Java, separate multiply and add");
    private static final Kernel PLAIN = FusedMultiplyAdd.FAST ? PLAIN_FUSED : PLAIN_SEPARATE;
    /** The Vector API kernel fuses too, and without a fast FMA its lanes fall back to the same slow path. */
    private static final Kernel VECTOR = FusedMultiplyAdd.FAST ? loadVectorKernel() : null;
    private static final Kernel KERNEL = "plain".equals(System.getProperty("nncore.kernel")) || VECTOR == null ? PLAIN : VECTOR;
    private static final long STEP_PARALLEL_THRESHOLD = THREADS < 2 ? Long.MAX_VALUE
            : Long.getLong("nncore.parallelThreshold", KERNEL == VECTOR ? STEP_PARALLEL_THRESHOLD_DEFAULT
                    : PARALLEL_THRESHOLD_DEFAULT);

    static {
        dev.nncore.internal.Kernels.install(new dev.nncore.internal.Kernels.Bridge() {
            @Override
            public int threads() {
                return THREADS;
            }

            @Override
            public long parallelThreshold() {
                return PARALLEL_THRESHOLD;
            }

            @Override
            public void runParts(dev.nncore.internal.Kernels.Parts task, int parts) {
                if (THREADS < 2) {
                    for (int p = 0; p < parts; p++) {
                        task.run(p);
                    }
                } else {
                    Workers.shared().runParts(task, parts);
                }
            }

            @Override
            public void affine(float[][] a, float[][] b, float[] bias, float[][] out) {
                run(KERNEL, a, b, bias, out, STEP_PARALLEL_THRESHOLD);
            }

            @Override
            public void affineRow(float[] x, float[][] b, float[] bias, float[] out) {
                KERNEL.affineRow(x, b, bias, out);
            }

            @Override
            public boolean softmax(float[][] rows, int from, int to) {
                return KERNEL.softmax(rows, from, to);
            }

            @Override
            public Object pack(float[][] b) {
                return new Prepacked(KERNEL, b);
            }

            @Override
            public void affinePacked(float[][] a, Object packed, float[] bias, float[][] out) {
                Prepacked prepacked = (Prepacked) packed;
                run(prepacked, a, prepacked.b, bias, out);
            }

            @Override
            public void multiplyTransposedA(float[][] a, float[][] b, float[][] out) {
                run(KERNEL, TRANSPOSED_A, a, b, null, out, STEP_PARALLEL_THRESHOLD);
            }

            @Override
            public void affineSlice(float[][] a, float[][] b, float[] bias, float[][] out, int kFrom, int kTo) {
                KERNEL.affineSlice(a, b, bias, out, kFrom, kTo);
            }

            @Override
            public void multiplyTransposedA(float[][] a, float[][] b, float[][] out, int from, int to) {
                KERNEL.multiplyTransposedA(a, b, out, from, to);
            }

            @Override
            public void multiplyTransposedB(float[][] a, float[][] b, float[][] out) {
                run(KERNEL, TRANSPOSED_B, a, b, null, out, STEP_PARALLEL_THRESHOLD);
            }
        });
    }

    private MatrixOps() {
    }

    /**
     * The Vector API kernel, if the JVM has {@code jdk.incubator.vector}; else null. A named module reads only what
     * it requires, and nn-core cannot require an incubator module, so the read edge is added here at run time.
     */
    private static Kernel loadVectorKernel() {
        java.util.Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (vector.isEmpty()) {
            return null;
        }
        try {
            MatrixOps.class.getModule().addReads(vector.get());
            return (Kernel) Class.forName("dev.nncore.math.VectorKernel").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null; // a JVM whose incubator API differs: the plain kernel is always correct
        }
    }

    /**
     * @return the kernel in use: {@code "Vector API (512-bit, 5x4 tiles)"} and the like, {@code "plain Java, fused multiply-add"},
     *     or {@code "plain Java, separate multiply and add"}
     */
    public static String kernelName() {
        return KERNEL.name();
    }

    /**
     * Every kernel this JVM can run fast, plain first, and the plain kernel without fusion always (it is correct
     * everywhere, only slower); for tests that hold each to the same reference.
     */
    static java.util.List<Kernel> availableKernels() {
        java.util.List<Kernel> kernels = new java.util.ArrayList<>();
        if (FusedMultiplyAdd.FAST) {
            kernels.add(PLAIN_FUSED);
        }
        kernels.add(PLAIN_SEPARATE);
        if (VECTOR != null) {
            kernels.add(VECTOR);
        }
        return java.util.List.copyOf(kernels);
    }

    /** Runs {@code kernel} over all rows, split between threads when the product is large. */
    static void run(Kernel kernel, float[][] a, float[][] b, float[] bias, float[][] out) {
        run(kernel, a, b, bias, out, PARALLEL_THRESHOLD);
    }

    /** {@link #run(Kernel, float[][], float[][], float[], float[][])} with an explicit threshold. */
    static void run(Kernel kernel, float[][] a, float[][] b, float[] bias, float[][] out, long threshold) {
        run(kernel, AFFINE, a, b, bias, out, threshold);
    }

    /** The products {@link #run(Kernel, int, float[][], float[][], float[], float[][], long)} splits over threads. */
    static final int AFFINE = 0;
    static final int TRANSPOSED_A = 1;
    static final int TRANSPOSED_B = 2;
    /** {@link #AFFINE} over a range of columns of every row ({@link Kernel#affineColumns}): a part of a column split. */
    static final int AFFINE_COLUMNS = 3;

    /** {@code operation} ({@link #AFFINE}, {@link #TRANSPOSED_A} or {@link #TRANSPOSED_B}) over all rows of out. */
    static void run(Kernel kernel, int operation, float[][] a, float[][] b, float[] bias, float[][] out, long threshold) {
        run(kernel, operation, a, b, bias, out, threshold, THREADS);
    }

    /**
     * {@code operation} over all rows of out, split over {@code threads} threads (the caller and the workers of
     * {@link Workers}) when it takes {@code threshold} multiply-adds or more.
     */
    static void run(Kernel kernel, int operation, float[][] a, float[][] b, float[] bias, float[][] out, long threshold,
            int threads) {
        int m = out.length;
        if (operation == TRANSPOSED_A && m >= NARROW_MIN_ROWS && b[0].length > 0 && b[0].length < NARROW_COLUMNS) {
            transposedANarrow(kernel, a, b, out, threshold, threads);
            return;
        }
        if ((long) m * b.length * b[0].length < threshold || threads < 2) {
            rows(kernel, operation, a, b, bias, out, 0, m);
            return;
        }
        Workers.shared().run(kernel, operation, a, b, bias, out, threads);
    }

    /**
     * {@code aᵀ · b} with fewer columns than this ({@code b}'s, such as a 10-class output layer's delta) and at least
     * {@link #NARROW_MIN_ROWS} rows runs as {@code (bᵀ · a)ᵀ}: the kernels' tiles run along rows of {@value} or more
     * columns, and a 10-column product falls to their narrow paths. Measured on one thread, the kernel gradient of a
     * 512-10 layer on batch 64, direct against turned round (its copy included): 19.8 us against 10.3 on the Vector
     * API kernel, 77.6 against 19.0 on the plain one; 4.6 against 2.3 and 16.0 against 5.5 at 128-10.
     */
    static final int NARROW_COLUMNS = 16;
    /** Rows from which a narrow {@code aᵀ · b} is turned round (see {@link #NARROW_COLUMNS}). */
    static final int NARROW_MIN_ROWS = 64;
    /**
     * Per thread, the turned-round products' results, one array per shape seen, the last eight shapes: an array of
     * arrays searched by index, since iterating a list allocates an iterator that C2 does not always remove (32 bytes a
     * call on the plain kernel).
     */
    private static final ThreadLocal<float[][][]> TURNED = ThreadLocal.withInitial(() -> new float[8][][]);

    /**
     * {@code out = aᵀ · b} as the transpose of {@code bᵀ · a}: each element is the same sum over the same p, in the same
     * order, so the bits are those of the direct product. The turned product (n rows) goes to a per-thread array kept
     * for its shape, so a training loop allocates nothing after its first batch.
     */
    private static void transposedANarrow(Kernel kernel, float[][] a, float[][] b, float[][] out, long threshold,
            int threads) {
        int m = out.length;
        int n = b[0].length;
        float[][] turned = turned(n, m);
        run(kernel, TRANSPOSED_A, b, a, null, turned, threshold, threads);
        for (int i = 0; i < m; i++) {
            float[] row = out[i];
            for (int j = 0; j < n; j++) {
                row[j] = turned[j][i];
            }
        }
    }

    private static float[][] turned(int rows, int columns) {
        float[][][] kept = TURNED.get();
        int slot = 0;
        for (; slot < kept.length && kept[slot] != null; slot++) {
            if (kept[slot].length == rows && kept[slot][0].length == columns) {
                return kept[slot];
            }
        }
        if (slot == kept.length) {
            System.arraycopy(kept, 1, kept, 0, kept.length - 1); // the oldest shape goes
            slot = kept.length - 1;
        }
        kept[slot] = new float[rows][columns];
        return kept[slot];
    }

    /**
     * {@code operation} over rows {@code from <= i < to} of out, on this thread; for {@link #AFFINE_COLUMNS}, over
     * columns {@code from <= j < to} of every row.
     */
    static void rows(Kernel kernel, int operation, float[][] a, float[][] b, float[] bias, float[][] out, int from,
            int to) {
        switch (operation) {
            case AFFINE -> kernel.affine(a, b, bias, out, from, to);
            case TRANSPOSED_A -> kernel.multiplyTransposedA(a, b, out, from, to);
            case AFFINE_COLUMNS -> kernel.affineColumns(a, b, bias, out, from, to);
            default -> kernel.multiplyTransposedB(a, b, out, from, to);
        }
    }

    /**
     * {@code out = a · b}.
     *
     * @param a left matrix, {@code m x k}; not modified
     * @param b right matrix, {@code k x n}; not modified
     * @param out result, {@code m x n}; overwritten
     * @throws IllegalArgumentException if shapes disagree or {@code out} shares a row with {@code a} or {@code b}
     */
    public static void multiply(float[][] a, float[][] b, float[][] out) {
        affine(a, b, null, out);
    }

    /**
     * {@code out = aᵀ · b}, reading {@code a} down its columns instead of copying its transpose: a Dense layer's
     * kernel gradient {@code inputᵀ · delta}. {@code out[i][j]} is the sum over {@code p} of {@code a[p][i] · b[p][j]},
     * in increasing {@code p}: the same bits as {@link #multiply} of the transposed copy.
     *
     * <pre>{@code
     * float[][] out = new float[2][1];
     * MatrixOps.multiplyTransposedA(new float[][] {{1, 2}, {3, 4}}, new float[][] {{5}, {6}}, out); // out = {{23}, {34}}
     * }</pre>
     *
     * @param a left matrix stored transposed, {@code k x m}; not modified
     * @param b right matrix, {@code k x n}; not modified
     * @param out result, {@code m x n}; overwritten
     * @throws IllegalArgumentException if shapes disagree or {@code out} shares a row with {@code a} or {@code b}
     * @since 0.2.0
     */
    public static void multiplyTransposedA(float[][] a, float[][] b, float[][] out) {
        checkTransposed(a, b, out, true);
        run(KERNEL, TRANSPOSED_A, a, b, null, out, PARALLEL_THRESHOLD);
    }

    /**
     * {@code out = a · bᵀ}, without a transposed copy of {@code b}: a Dense layer's input gradient
     * {@code delta · kernelᵀ}. {@code out[i][j]} is the sum over {@code p} of {@code a[i][p] · b[j][p]}, in increasing
     * {@code p}: the same bits as {@link #multiply} of the transposed copy. Blocks of {@code bᵀ} are packed into a
     * per-thread scratch as the kernels go, which is the same cost as the copy but needs no buffer the size of {@code b}.
     *
     * <pre>{@code
     * float[][] out = new float[1][2];
     * MatrixOps.multiplyTransposedB(new float[][] {{1, 2}}, new float[][] {{3, 4}, {5, 6}}, out); // out = {{11, 17}}
     * }</pre>
     *
     * @param a left matrix, {@code m x k}; not modified
     * @param b right matrix stored transposed, {@code n x k}; not modified
     * @param out result, {@code m x n}; overwritten
     * @throws IllegalArgumentException if shapes disagree or {@code out} shares a row with {@code a} or {@code b}
     * @since 0.2.0
     */
    public static void multiplyTransposedB(float[][] a, float[][] b, float[][] out) {
        checkTransposed(a, b, out, false);
        run(KERNEL, TRANSPOSED_B, a, b, null, out, PARALLEL_THRESHOLD);
    }

    /**
     * {@code out = a · b + bias}, the bias added to every row: a Dense layer before its activation.
     *
     * @param a inputs, {@code m x k}; not modified
     * @param b kernel, {@code k x n}; not modified
     * @param bias bias of length {@code n}, or {@code null} for none; not modified
     * @param out result, {@code m x n}; overwritten
     * @throws IllegalArgumentException if shapes disagree or {@code out} shares a row with an input
     */
    public static void affine(float[][] a, float[][] b, float[] bias, float[][] out) {
        checkShapes(a, b, bias, out);
        run(KERNEL, a, b, bias, out);
    }

    /**
     * {@code out = x · b + bias} for one row vector {@code x}.
     *
     * @param x the input row, length {@code k}; not modified
     * @param b kernel, {@code k x n}; not modified
     * @param bias bias of length {@code n}, or {@code null} for none; not modified
     * @param out result of length {@code n}; overwritten
     * @throws IllegalArgumentException if lengths disagree or {@code out} is {@code x} or a bias or kernel row
     */
    public static void affine(float[] x, float[][] b, float[] bias, float[] out) {
        checkKernel(b, bias);
        checkRow(x, out, b, bias, 0);
        affineRow(x, b, bias, out);
    }

    private static void affineRow(float[] x, float[][] b, float[] bias, float[] out) {
        KERNEL.affineRow(x, b, bias, out);
    }

    private static int checkShapes(float[][] a, float[][] b, float[] bias, float[][] out) {
        if (a == null || out == null) {
            throw new IllegalArgumentException("MatrixOps needs non-null arrays");
        }
        if (a.length != out.length) {
            throw new IllegalArgumentException("out has " + out.length + " rows, expected " + a.length + " (one per row of a)");
        }
        int inner = checkKernel(b, bias);
        for (int i = 0; i < a.length; i++) {
            checkRowLengths(a[i], out[i], b, bias, i);
        }
        int shared = rowSharedWith(b, out);
        if (shared >= 0) {
            throw new IllegalArgumentException("out row " + shared + " is also a row of b; pass a separate buffer");
        }
        return inner;
    }

    /**
     * The first row of {@code out} that is also a row of {@code input}, or -1. Comparing every pair took m x k reads, a
     * sixth of the time of a 512x512x512 product; here a filter of the input rows' identity hash codes (kept per
     * thread, cleared after) leaves the pairwise comparison to the rare out row whose code falls on a marked bit.
     */
    private static int rowSharedWith(float[][] input, float[][] out) {
        if ((long) input.length * out.length <= 1024) {
            for (int i = 0; i < out.length; i++) {
                if (isRowOf(out[i], input)) {
                    return i;
                }
            }
            return -1;
        }
        // At least 16 bits per input row: about one out row in 16 or fewer is compared in full.
        int bits = Integer.highestOneBit(Math.max(64, input.length * 16 - 1)) << 1;
        int mask = bits - 1;
        long[] filter = ROW_FILTER.get();
        if (filter.length < bits >>> 6) {
            filter = new long[bits >>> 6];
            ROW_FILTER.set(filter);
        }
        try {
            for (float[] row : input) {
                int h = System.identityHashCode(row) & mask;
                filter[h >>> 6] |= 1L << h;
            }
            for (int i = 0; i < out.length; i++) {
                int h = System.identityHashCode(out[i]) & mask;
                if ((filter[h >>> 6] & 1L << h) != 0 && isRowOf(out[i], input)) {
                    return i;
                }
            }
            return -1;
        } finally {
            for (float[] row : input) {
                filter[(System.identityHashCode(row) & mask) >>> 6] = 0;
            }
        }
    }

    private static boolean isRowOf(float[] row, float[][] rows) {
        for (float[] candidate : rows) {
            if (candidate == row) {
                return true;
            }
        }
        return false;
    }

    /** {@link #rowSharedWith}'s filter: a bit per identity hash code (modulo its size), all clear between calls. */
    private static final ThreadLocal<long[]> ROW_FILTER = ThreadLocal.withInitial(() -> new long[0]);

    /** Shapes of {@code aᵀ · b} ({@code transposedA}) or {@code a · bᵀ}; rectangular inputs, no shared rows. */
    private static void checkTransposed(float[][] a, float[][] b, float[][] out, boolean transposedA) {
        if (a == null || b == null || out == null) {
            throw new IllegalArgumentException("MatrixOps needs non-null arrays");
        }
        String aName = transposedA ? "a (stored transposed)" : "a";
        String bName = transposedA ? "b" : "b (stored transposed)";
        int aCols = checkRectangular(a, aName);
        int bCols = checkRectangular(b, bName);
        int m = transposedA ? aCols : a.length;
        int aInner = transposedA ? a.length : aCols;
        int bInner = transposedA ? b.length : bCols;
        int n = transposedA ? bCols : b.length;
        if (aInner != bInner) {
            throw new IllegalArgumentException(transposedA
                    ? "a has " + a.length + " rows but b has " + b.length + "; a^T b needs the same number"
                    : "a rows have " + aCols + " values but b rows have " + bCols + "; a b^T needs the same number");
        }
        if (out.length != m) {
            throw new IllegalArgumentException("out has " + out.length + " rows, expected " + m);
        }
        for (int i = 0; i < m; i++) {
            if (out[i] == null || out[i].length != n) {
                throw new IllegalArgumentException("out row " + i + " has " + (out[i] == null ? "no" : out[i].length)
                        + " values, expected " + n);
            }
        }
        // Only rows of out's length can alias one of out's rows, and few inputs have them; skip the rest cheaply.
        checkNoSharedRow(a, out, n);
        checkNoSharedRow(b, out, n);
    }

    private static int checkRectangular(float[][] m, String name) {
        if (m.length == 0 || m[0] == null || m[0].length == 0) {
            throw new IllegalArgumentException(name + " must have at least one row and one column");
        }
        int cols = m[0].length;
        for (int r = 1; r < m.length; r++) {
            if (m[r] == null || m[r].length != cols) {
                throw new IllegalArgumentException(name + " row " + r + " has " + (m[r] == null ? "no" : m[r].length)
                        + " values, expected " + cols + " like row 0");
            }
        }
        return cols;
    }

    private static void checkNoSharedRow(float[][] input, float[][] out, int n) {
        if (input[0].length != n) {
            return;
        }
        int shared = rowSharedWith(input, out);
        if (shared >= 0) {
            throw new IllegalArgumentException("out row " + shared + " is also an input row; pass a separate buffer");
        }
    }

    private static int checkKernel(float[][] b, float[] bias) {
        if (b == null || b.length == 0) {
            throw new IllegalArgumentException("b must have at least one row");
        }
        int n = b[0] == null ? 0 : b[0].length;
        for (int k = 0; k < b.length; k++) {
            if (b[k] == null || b[k].length != n || n == 0) {
                throw new IllegalArgumentException("b row " + k + " has " + (b[k] == null ? "no" : b[k].length)
                        + " values, expected " + n + " like row 0");
            }
        }
        if (bias != null && bias.length != n) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + n + " (b's columns)");
        }
        return b.length;
    }

    private static void checkRow(float[] x, float[] out, float[][] b, float[] bias, int row) {
        checkRowLengths(x, out, b, bias, row);
        if (isRowOf(out, b)) {
            throw new IllegalArgumentException("out row " + row + " is also a row of b; pass a separate buffer");
        }
    }

    /** {@link #checkRow} but for the rows of b, which {@link #checkShapes} compares all at once. */
    private static void checkRowLengths(float[] x, float[] out, float[][] b, float[] bias, int row) {
        if (x == null || x.length != b.length) {
            throw new IllegalArgumentException("a row " + row + " has " + (x == null ? "no" : x.length)
                    + " values, but b has " + b.length + " rows");
        }
        if (out == null || out.length != b[0].length) {
            throw new IllegalArgumentException("out row " + row + " has " + (out == null ? "no" : out.length)
                    + " values, expected " + b[0].length);
        }
        if (out == x || out == bias) {
            throw new IllegalArgumentException("out row " + row + " is also an input; pass a separate buffer");
        }
    }
}
