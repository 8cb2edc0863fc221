package dev.nncore.benchmarks;

import dev.nncore.math.MatrixOps;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A Dense layer's backward products on one thread, {@code MxKxN}: the kernel gradient {@code inputᵀ · delta}
 * ({@code M} inputs, {@code K} samples, {@code N} units) and the input gradient {@code delta · kernelᵀ}
 * ({@code M} samples, {@code K} units, {@code N} inputs), each read in place ({@code MatrixOps.multiplyTransposedA/B})
 * beside the way the training pass did it before: a transposed copy into a buffer, then {@code MatrixOps.multiply}.
 * GFLOP/s = 2 M K N / (time in ns).
 *
 * <pre>
 * java -jar nn-benchmarks/target/benchmarks.jar BackwardProductBenchmark -jvmArgsAppend "--add-modules=jdk.incubator.vector"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dnncore.parallelThreshold=9223372036854775807")
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class BackwardProductBenchmark {

    /** 784-128-10 and 784-2048-10 on batch 64: the first layer's kernel gradient, the output layer's both products. */
    @Param({"784x64x128", "784x64x2048", "128x64x10", "64x10x128", "64x10x2048"})
    String shape;

    /** {@code K x M}: the left operand as stored (input rows for the kernel gradient). */
    float[][] left;
    /** {@code M x K}: the left operand as stored for {@code a · bᵀ} (delta rows). */
    float[][] leftRows;
    /** {@code K x N}: delta for the kernel gradient. */
    float[][] right;
    /** {@code N x K}: the kernel for the input gradient, stored {@code [inputs][units]}. */
    float[][] rightRows;
    float[][] leftTransposed;
    float[][] rightTransposed;
    float[][] out;

    @Setup
    public void setup() {
        String[] sizes = shape.split("x");
        int m = Integer.parseInt(sizes[0]);
        int k = Integer.parseInt(sizes[1]);
        int n = Integer.parseInt(sizes[2]);
        SplittableRandom random = new SplittableRandom(42);
        left = MatMulBenchmark.randomRows(k, m, random);
        leftRows = MatMulBenchmark.randomRows(m, k, random);
        right = MatMulBenchmark.randomRows(k, n, random);
        rightRows = MatMulBenchmark.randomRows(n, k, random);
        leftTransposed = new float[m][k];
        rightTransposed = new float[k][n];
        out = new float[m][n];
    }

    /** The kernel gradient as the pass computed it before: {@code inputᵀ} copied, then multiplied. */
    @Benchmark
    public float[][] transposedACopyBaseline() {
        transpose(left, leftTransposed);
        MatrixOps.multiply(leftTransposed, right, out);
        return out;
    }

    @Benchmark
    public float[][] transposedAInPlace() {
        MatrixOps.multiplyTransposedA(left, right, out);
        return out;
    }

    /** The input gradient as the pass computed it before: {@code kernelᵀ} copied, then multiplied. */
    @Benchmark
    public float[][] transposedBCopyBaseline() {
        transpose(rightRows, rightTransposed);
        MatrixOps.multiply(leftRows, rightTransposed, out);
        return out;
    }

    @Benchmark
    public float[][] transposedBInPlace() {
        MatrixOps.multiplyTransposedB(leftRows, rightRows, out);
        return out;
    }

    /** The copy the training pass used ({@code Scratch.transpose}). */
    static void transpose(float[][] matrix, float[][] out) {
        for (int r = 0; r < matrix.length; r++) {
            float[] row = matrix[r];
            for (int c = 0; c < row.length; c++) {
                out[c][r] = row[c];
            }
        }
    }
}
