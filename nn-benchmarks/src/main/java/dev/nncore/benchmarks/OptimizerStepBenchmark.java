package dev.nncore.benchmarks;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.TrainingResult;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of Keras 3's optimizer options: a fit of ten batches of 64 on a 784-128-10 ReLU/softmax network with plain
 * Adam (the baseline) and with AdamW (weight decay 0.004) and gradients clipped to norm 1, in
 * the same run. The bar: the second at most 10 % slower. Both include {@code fit}'s checks and copies, the
 * same in each.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -jar nn-benchmarks/target/benchmarks.jar OptimizerStep -f 2 -wi 5 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
public class OptimizerStepBenchmark {

    static final int BATCH = 64;
    static final int BATCHES = 10;

    Network network;
    Matrix x;
    Matrix y;
    BackpropTrainer adam;
    BackpropTrainer adamWClipped;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        network = Network.builder(784).dense(128, Activation.RELU).dense(10, Activation.SOFTMAX).seed(42).build();
        float[][] xRows = new float[BATCH * BATCHES][784];
        float[][] yRows = new float[BATCH * BATCHES][10];
        for (int i = 0; i < xRows.length; i++) {
            for (int k = 0; k < 784; k++) {
                xRows[i][k] = (float) random.nextDouble();
            }
            yRows[i][random.nextInt(10)] = 1;
        }
        x = Matrix.of(xRows);
        y = Matrix.of(yRows);
        adam = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.adam())
                .batchSize(BATCH).shuffle(false).build();
        adamWClipped = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
                .optimizer(Optimizer.adamW(0.001).clipNorm(1.0)).batchSize(BATCH).shuffle(false).build();
    }

    /** The baseline: plain Adam. */
    @Benchmark
    public TrainingResult adam() {
        return adam.fit(network, x, y);
    }

    /** AdamW with clipping: one more pass over the weights and two over the gradients per step. */
    @Benchmark
    public TrainingResult adamWClipped() {
        return adamWClipped.fit(network, x, y);
    }
}
