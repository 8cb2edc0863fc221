package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.Allocations;
import dev.nncore.testing.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every kernel against one double-precision reference, on shapes around every block and tile edge. */
class KernelTest {

    /**
     * m, k, n: 1x1, a lone row, tall, wide, k and n just around the blocks (k 256, n 512, vectors of 8 or 16, tiles of
     * 2, 3, 4 and 6 rows, scratch blocks of 480 rows when n > 512, B packed from 48 rows in row blocks of 192).
     */
    private static final int[][] SHAPES = {{1, 1, 1}, {1, 784, 128}, {1, 5, 17}, {1000, 3, 2}, {2, 1, 700}, {3, 300, 600},
        {5, 513, 1025}, {7, 256, 512}, {4, 257, 511}, {9, 64, 64}, {6, 31, 65}, {64, 784, 10}, {13, 255, 129},
        {961, 7, 530}, {481, 258, 513}, {52, 300, 130}, {101, 17, 64}, {47, 20, 64}};

    @Test
    void theVectorKernelIsTestedToo() {
        // surefire passes --add-modules jdk.incubator.vector, and the CI machines have FMA: all three kernels are here,
        // unless a run turns fused multiply-add off (CI's third pass, -Dnncore.fma=false)
        boolean fmaOff = "false".equals(System.getProperty("nncore.fma"));
        assertThat(FusedMultiplyAdd.FAST).isEqualTo(!fmaOff);
        // the Vector API kernel's name gives the preferred vector width: 512-bit on AVX-512, 256-bit on AVX2
        assertThat(MatrixOps.availableKernels()).extracting(MatrixOps.Kernel::name).map(name -> name.replaceAll("\\d+-bit, [456]x[24] tiles", "N-bit"))
                .containsExactlyElementsOf(fmaOff ? List.of("plain Java, separate multiply and add")
                        : List.of("plain Java, fused multiply-add", "plain Java, separate multiply and add", "Vector API (N-bit)"));
        // CI runs the suite on the Vector API kernel, with -Dnncore.kernel=plain, with -Dnncore.fma=false, and on 256-bit vectors
        String expected = fmaOff ? "plain Java, separate" : "plain".equals(System.getProperty("nncore.kernel")) ? "plain Java, fused"
                : "Vector API";
        assertThat(MatrixOps.kernelName()).startsWith(expected);
    }

    @Test
    void everyKernelMatchesADoubleReferenceOnEveryShape() {
        Random random = new Random(5);
        for (int[] shape : SHAPES) {
            float[][] a = random(shape[0], shape[1], random);
            float[][] b = random(shape[1], shape[2], random);
            float[] bias = random(1, shape[2], random)[0];
            for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
                float[][] out = new float[shape[0]][shape[2]];
                kernel.affine(a, b, bias, out, 0, shape[0]);
                for (int i = 0; i < shape[0]; i++) {
                    for (int j = 0; j < shape[2]; j++) {
                        double expected = bias[j];
                        double magnitude = Math.abs(bias[j]);
                        for (int k = 0; k < shape[1]; k++) {
                            expected += (double) a[i][k] * b[k][j];
                            magnitude += Math.abs((double) a[i][k] * b[k][j]);
                        }
                        // float32 summation of k terms: error at most ~k * 2^-24 * sum |terms| (FMA only tightens it)
                        double bound = (shape[1] + 1) * 6e-8 * magnitude + 1e-30;
                        if (Math.abs(out[i][j] - expected) > bound) {
                            throw new AssertionError(kernel.name() + " " + shape[0] + "x" + shape[1] + "x" + shape[2] + " at ("
                                    + i + ", " + j + "): " + out[i][j] + ", expected " + expected + " within " + bound);
                        }
                    }
                }
            }
        }
    }

    /** A row's bits do not depend on the rows around it, the chunk it is computed in, or the thread. */
    @Test
    void rowsAreBitIdenticalWhateverTheChunkingBatchOrThreadCount() {
        Random random = new Random(8);
        float[][] a = random(301, 300, random);
        float[][] b = random(300, 70, random);
        for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
            float[][] whole = new float[301][70];
            kernel.affine(a, b, null, whole, 0, 301);
            float[][] chunked = new float[301][70];
            for (int from : new int[] {0, 3, 4, 7, 100, 101, 250}) {
                int to = from == 250 ? 301 : List.of(0, 3, 4, 7, 100, 101, 250).get(List.of(0, 3, 4, 7, 100, 101, 250).indexOf(from) + 1);
                kernel.affine(a, b, null, chunked, from, to);
            }
            assertThat(chunked).as(kernel.name()).isEqualTo(whole);
            float[][] threaded = new float[301][70];
            MatrixOps.run(kernel, MatrixOps.AFFINE, a, b, null, threaded, 0, 2); // threshold 0: always split, over 2 threads
            assertThat(threaded).as(kernel.name()).isEqualTo(whole);
            float[] single = new float[70];
            for (int i = 0; i < 301; i += 50) {
                kernel.affineRow(a[i], b, null, single);
                assertThat(single).as("%s row %d alone", kernel.name(), i).isEqualTo(whole[i]);
            }
        }
    }

    /**
     * A slice of the inner dimension ({@link MatrixOps.Kernel#affineSlice}) has the bits of the product of copies of
     * those columns of A and rows of B, and rows of a transposed-A product those of the whole: slices starting on and
     * off the kernels' k blocks (128, 256) and ending short of k, widths below, at and between vector strips, rows
     * below and above the packing threshold.
     */
    @Test
    void aSliceOfTheInnerDimensionAndARangeOfTransposedRowsGiveTheBitsOfCopies() {
        Random random = new Random(34);
        int[][] cases = {{64, 784, 128, 392, 784}, {64, 784, 128, 0, 392}, {5, 300, 17, 7, 300}, {50, 600, 530, 100, 457},
            {3, 257, 64, 1, 256}, {48, 513, 10, 128, 513}, {100, 64, 65, 60, 64}, {7, 20, 1, 0, 20}, {49, 1000, 100, 333, 777}};
        for (int[] c : cases) {
            int m = c[0];
            int inner = c[1];
            int n = c[2];
            int kFrom = c[3];
            int kTo = c[4];
            float[][] a = random(m, inner, random);
            float[][] b = random(inner, n, random);
            float[] bias = random(1, n, random)[0];
            float[][] aSlice = new float[m][];
            for (int i = 0; i < m; i++) {
                aSlice[i] = java.util.Arrays.copyOfRange(a[i], kFrom, kTo);
            }
            float[][] bSlice = java.util.Arrays.copyOfRange(b, kFrom, kTo);
            for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
                String shape = kernel.name() + " " + m + "x" + inner + "x" + n + " k " + kFrom + ".." + kTo;
                float[][] expected = new float[m][n];
                kernel.affine(aSlice, bSlice, bias, expected, 0, m);
                float[][] out = new float[m][n];
                for (float[] row : out) {
                    java.util.Arrays.fill(row, Float.NaN); // overwritten, not added to
                }
                kernel.affineSlice(a, b, bias, out, kFrom, kTo);
                assertThat(out).as(shape).isEqualTo(expected);
                kernel.affineSlice(a, b, null, out, kFrom, kTo);
                kernel.affine(aSlice, bSlice, null, expected, 0, m);
                assertThat(out).as(shape + " without a bias").isEqualTo(expected);

                // aᵀ b with a (m x inner) read as k x rows: rows kFrom..kTo of the (inner x n) result
                float[][] delta = random(m, n, random);
                float[][] whole = new float[inner][n];
                kernel.multiplyTransposedA(a, delta, whole, 0, inner);
                float[][] rows = new float[inner][n];
                kernel.multiplyTransposedA(a, delta, rows, kFrom, kTo);
                for (int i = 0; i < inner; i++) {
                    assertThat(rows[i]).as("%s transposed row %d", shape, i)
                            .isEqualTo(i >= kFrom && i < kTo ? whole[i] : new float[n]);
                }
            }
        }
    }

    /**
     * B packed once ({@link MatrixOps.Kernel#pack}) gives the bits of B packed per call, on every kernel, through
     * {@link MatrixOps.Prepacked} and the thread split as well: widths below one vector, between whole strips and at
     * them, k across and off the 256 blocks, rows below and above the 48 from which a per-call copy is made, and the
     * row tiles' leftovers (1 to 5 rows past the 6-row tiles).
     */
    @Test
    void packedWeightsGiveTheBitsOfUnpackedOnes() {
        Random random = new Random(21);
        int[] widths = {1, 10, 15, 16, 17, 63, 64, 65, 100, 128, 130, 192, 200, 512, 530};
        int[] inners = {1, 7, 255, 256, 257, 300, 513, 784};
        int[] rowCounts = {1, 3, 4, 5, 6, 7, 16, 17, 47, 48, 49, 53, 64, 193, 200};
        int shapes = 0;
        for (int n : widths) {
            for (int inner : inners) {
                int m = rowCounts[shapes++ % rowCounts.length];
                float[][] a = random(m, inner, random);
                float[][] b = random(inner, n, random);
                float[] bias = random(1, n, random)[0];
                for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
                    float[][] expected = new float[m][n];
                    kernel.affine(a, b, bias, expected, 0, m);
                    MatrixOps.Prepacked prepacked = new MatrixOps.Prepacked(kernel, b);
                    String shape = kernel.name() + " " + m + "x" + inner + "x" + n;
                    float[][] out = new float[m][n];
                    prepacked.affine(a, b, bias, out, 0, m);
                    assertThat(out).as(shape).isEqualTo(expected);
                    float[][] threaded = new float[m][n];
                    MatrixOps.run(prepacked, a, b, bias, threaded, 0);
                    assertThat(threaded).as(shape + " split over threads").isEqualTo(expected);
                    float[][] chunked = new float[m][n];
                    for (int from = 0; from < m; from += 12) {
                        prepacked.affine(a, b, bias, chunked, from, Math.min(m, from + 12));
                    }
                    assertThat(chunked).as(shape + " in chunks of 12 rows").isEqualTo(expected);
                }
            }
        }
    }

    /**
     * Only the Vector API kernel packs: B's whole strips, and the columns past the last whole vector padded to one; the
     * whole vectors between are read as given, so a B of whole vectors narrower than a strip is not packed.
     */
    @Test
    void onlyTheVectorKernelPacksAndOnlyStripsAndTheNarrowColumns() {
        for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
            int lanes = lanes(kernel);
            float[] wide = kernel.pack(new float[300][130]);
            float[] narrow = kernel.pack(new float[300][10]);
            float[] vectors = kernel.pack(new float[300][3 * Math.max(1, lanes)]);
            if (lanes > 0) {
                int strips = 130 / (4 * lanes); // 2 at 512 bits, 4 at 256
                assertThat(wide).hasSize(300 * strips * 4 * lanes + (130 % lanes > 0 ? 300 * lanes : 0));
                assertThat(narrow).hasSize(300 * lanes);
                assertThat(vectors).isNull();
            } else {
                assertThat(wide).isNull();
                assertThat(narrow).isNull();
                assertThat(vectors).isNull();
            }
        }
    }

    /** The fused plain kernel computes the Vector API kernel's chain of FMAs, so the two agree to the bit. */
    @Test
    void theFusedPlainKernelAndTheVectorKernelGiveTheSameBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FusedMultiplyAdd.FAST, "fused multiply-add is turned off in this run");
        List<MatrixOps.Kernel> kernels = MatrixOps.availableKernels();
        MatrixOps.Kernel fused = kernels.get(0);
        MatrixOps.Kernel vector = kernels.get(kernels.size() - 1);
        assertThat(fused.name()).isEqualTo("plain Java, fused multiply-add");
        assertThat(lanes(vector)).as(vector.name()).isPositive();
        Random random = new Random(13);
        for (int[] shape : SHAPES) {
            float[][] a = random(shape[0], shape[1], random);
            float[][] b = random(shape[1], shape[2], random);
            float[] bias = random(1, shape[2], random)[0];
            float[][] plainOut = new float[shape[0]][shape[2]];
            float[][] vectorOut = new float[shape[0]][shape[2]];
            fused.affine(a, b, bias, plainOut, 0, shape[0]);
            vector.affine(a, b, bias, vectorOut, 0, shape[0]);
            assertThat(plainOut).as("%dx%dx%d", shape[0], shape[1], shape[2]).isEqualTo(vectorOut);
            float[] plainRow = new float[shape[2]];
            float[] vectorRow = new float[shape[2]];
            fused.affineRow(a[0], b, bias, plainRow);
            vector.affineRow(a[0], b, bias, vectorRow);
            assertThat(plainRow).as("lone row %dx%d", shape[1], shape[2]).isEqualTo(vectorRow).isEqualTo(plainOut[0]);
        }
    }

    /** A product wider than a column block reuses this thread's scratch: after the first call it allocates nothing. */
    @Test
    void aWideProductAllocatesNothingAfterItsFirstCall() {
        Random random = new Random(21);
        float[][] a = random(300, 260, random);
        float[][] b = random(260, 1030, random);
        float[][] out = new float[300][1030];
        for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
            kernel.affine(a, b, null, out, 0, 300);
            // the scratch alone would be 1.5 MB per call, every round, if it were not reused; a few hundred bytes of
            // JIT or class loading may remain
            long bytes = Allocations.fewest(Allocations.UNTIL_COMPILED, 4096, () -> {
                for (int i = 0; i < 3; i++) {
                    kernel.affine(a, b, null, out, 0, 300);
                }
            }, Thread.currentThread().getId());
            assertThat(bytes).as("%s allocated %d bytes in 3 wide products", kernel.name(), bytes).isLessThan(4096);
        }
    }

    /** Where {@code Math.fma} is slow (HotSpot without {@code UseFMA}), the kernels that fuse are not chosen. */
    @Test
    void withoutAFastFusedMultiplyAddTheSeparateKernelRuns() throws Exception {
        String noFma = runInfo(List.of("-XX:-UseFMA", "--add-modules", "jdk.incubator.vector", "-cp", classes()));
        assertThat(noFma).contains("matrix kernel: plain Java, separate multiply and add");
        assertThat(runInfo(List.of("-Dnncore.fma=false", "-cp", classes())))
                .contains("matrix kernel: plain Java, separate multiply and add");
        assertThat(runInfo(List.of("-cp", classes()))).contains("matrix kernel: plain Java, fused multiply-add");
    }

    @Test
    void withoutTheIncubatorModuleThePlainKernelRunsSilently() throws Exception {
        assertThat(runInfo(List.of("-cp", classes()))).contains("matrix kernel: plain Java");
        String vector = runInfo(List.of("--add-modules", "jdk.incubator.vector", "-p", classes(), "-m", "dev.nncore/dev.nncore.cli.Main"));
        assertThat(vector).contains("matrix kernel: Vector API");
        String forced = runInfo(List.of("-Dnncore.kernel=plain", "--add-modules", "jdk.incubator.vector", "-cp", classes()));
        assertThat(forced).contains("matrix kernel: plain Java");
    }

    private static String classes() {
        return Path.of("target", "classes").toAbsolutePath().toString();
    }

    /** Runs the CLI's {@code info} in a JVM of its own with {@code options} (which name the class or module path). */
    private static String runInfo(List<String> options) {
        List<String> arguments = new ArrayList<>(options);
        if (!options.contains("-m")) {
            arguments.add("dev.nncore.cli.Main");
        }
        arguments.add("info");
        ChildJvm.Result result = ChildJvm.withOptions().run(arguments);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
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

    /** Floats per vector of the Vector API kernel, from its name ({@code "Vector API (512-bit, 5x4 tiles)"}: 16); 0 for the others. */
    private static int lanes(MatrixOps.Kernel kernel) {
        java.util.regex.Matcher bits = java.util.regex.Pattern.compile("^Vector API \\((\\d+)-bit, ").matcher(kernel.name());
        return bits.find() ? Integer.parseInt(bits.group(1)) / Float.SIZE : 0;
    }
}
