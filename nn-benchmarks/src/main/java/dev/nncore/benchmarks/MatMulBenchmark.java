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
 * float32 {@code C = A · B} on one thread: nn-core's kernel writing into a buffer ({@code MatrixOps.multiply}) beside a
 * naive i-j-k triple loop, in the same run and fork. Shapes {@code MxKxN}: squares n = 64 to 1024 and the dense
 * layers of a 784-128 network (batch 64 and 256, and one sample). GFLOP/s = 2 M K N / (time in ns).
 *
 * <p>The kernel is the plain-Java one unless the JVM runs with {@code --add-modules jdk.incubator.vector}:
 * <pre>
 * java -jar nn-benchmarks/target/benchmarks.jar MatMulBenchmark                                        # plain
 * java -jar nn-benchmarks/target/benchmarks.jar MatMulBenchmark -jvmArgsAppend "--add-modules=jdk.incubator.vector"
 * </pre>
 * Row-splitting over threads is switched off ({@code nncore.parallelThreshold}) so the figures are per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dnncore.parallelThreshold=9223372036854775807")
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatMulBenchmark {

    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "64x784x128", "256x784x256",
        "1x784x128"})
    String shape;

    float[][] a;
    float[][] b;
    float[][] out;

    @Setup
    public void setup() {
        String[] sizes = shape.split("x");
        int m = Integer.parseInt(sizes[0]);
        int k = Integer.parseInt(sizes[1]);
        int n = Integer.parseInt(sizes[2]);
        SplittableRandom random = new SplittableRandom(42);
        a = randomRows(m, k, random);
        b = randomRows(k, n, random);
        out = new float[m][n];
    }

    /** The textbook loop: its innermost loop walks down a column of B, a cache line per element, and stays scalar. */
    @Benchmark
    public float[][] naiveBaseline() {
        int m = a.length;
        int n = b[0].length;
        int inner = b.length;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0;
                for (int k = 0; k < inner; k++) {
                    sum += a[i][k] * b[k][j];
                }
                out[i][j] = sum;
            }
        }
        return out;
    }

    @Benchmark
    public float[][] nnCore() {
        MatrixOps.multiply(a, b, out);
        return out;
    }

    static float[][] randomRows(int rows, int cols, SplittableRandom random) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        return values;
    }
}
