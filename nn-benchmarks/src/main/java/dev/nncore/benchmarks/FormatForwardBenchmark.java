package dev.nncore.benchmarks;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.keras.Keras;
import dev.nncore.math.Matrix;
import dev.nncore.onnx.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
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
 * The forward pass of one 784-128-10 ReLU/softmax network on a batch of 64, loaded from a {@code .keras} file and
 * from an {@code .onnx} file in the same run: both readers build the same Dense layers, so the figures should agree
 * within noise.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java --add-modules jdk.incubator.vector -jar nn-benchmarks/target/benchmarks.jar FormatForward -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
public class FormatForwardBenchmark {

    @Param({"keras", "onnx"})
    String format;

    Network network;
    Matrix x;

    @Setup
    public void setUp() throws IOException {
        Network built = Network.builder(784).dense(128, Activation.RELU).dense(10, Activation.SOFTMAX).seed(1).build();
        Path folder = Files.createTempDirectory("format-forward");
        if (format.equals("keras")) {
            Path file = folder.resolve("mlp.keras");
            Keras.save(built, file);
            network = Keras.load(file);
        } else {
            Path file = folder.resolve("mlp.onnx");
            Onnx.save(built, file);
            network = Onnx.load(file);
        }
        Random random = new Random(2);
        float[][] rows = new float[64][784];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextFloat();
            }
        }
        x = Matrix.of(rows);
    }

    @Benchmark
    public Matrix forward() {
        return network.forward(x);
    }
}
