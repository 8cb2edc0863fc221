package dev.nncore.benchmarks;

import dev.nncore.math.Matrix;
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
 * {@code Matrix.multiply} against a naive i-j-k triple loop in the same run, square n x n x n.
 * GFLOP/s = 2 n^3 / (time in ns).
 *
 * <pre>
 * java -jar nn-benchmarks/target/benchmarks.jar MatMulBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
public class MatMulBenchmark {

    @Param({"64", "128", "256", "512", "1024"})
    int size;

    Matrix a;
    Matrix b;
    float[][] aRows;
    float[][] bRows;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        aRows = randomRows(size, size, random);
        bRows = randomRows(size, size, random);
        a = Matrix.of(aRows);
        b = Matrix.of(bRows);
    }

    /** The textbook loop: the innermost loop walks down a column of B, one cache line per element. */
    @Benchmark
    public float[][] naiveBaseline() {
        int n = aRows.length;
        int m = bRows[0].length;
        int inner = bRows.length;
        float[][] c = new float[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                float sum = 0;
                for (int k = 0; k < inner; k++) {
                    sum += aRows[i][k] * bRows[k][j];
                }
                c[i][j] = sum;
            }
        }
        return c;
    }

    @Benchmark
    public Matrix multiply() {
        return a.multiply(b);
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
