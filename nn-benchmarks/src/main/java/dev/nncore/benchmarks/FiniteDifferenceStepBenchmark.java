package dev.nncore.benchmarks;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.train.FiniteDifferenceTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.TrainingResult;
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
 * One finite-difference training step of the tutorial's 2-2-1 XOR network on its four samples (full batch, central
 * differences: 2 forward passes per weight, 9 weights), through the public {@code fit}, beside the book's algorithm
 * written naively (a fresh copy of every weight list per nudge, as its Python does with {@code deepcopy}).
 *
 * <pre>
 * java -jar nn-benchmarks/target/benchmarks.jar FiniteDifferenceStepBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class FiniteDifferenceStepBenchmark {

    Network network;
    Matrix x;
    Matrix y;
    FiniteDifferenceTrainer trainer;
    float[][] xRows;
    float[][] yRows;
    float[][][] weights;

    @Setup
    public void setup() {
        network = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).seed(42).build();
        xRows = new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        yRows = new float[][] {{0}, {1}, {1}, {0}};
        x = Matrix.of(xRows);
        y = Matrix.of(yRows);
        trainer = FiniteDifferenceTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.01))
                .epochs(1).batchSize(4).shuffle(false).build();
        weights = new float[4][][];
        for (int i = 0; i < 4; i++) {
            weights[i] = network.getWeights().get(i).toArray();
        }
    }

    @Benchmark
    public TrainingResult nnCoreFitOneStep() {
        return trainer.fit(network, x, y);
    }

    /** The book's loop: for each weight, deep-copy all weights, nudge one, recompute the whole loss. */
    @Benchmark
    public float[][][] naiveBaseline() {
        float[][][] updated = deepCopy(weights);
        double h = 1e-4;
        for (int t = 0; t < weights.length; t++) {
            for (int r = 0; r < weights[t].length; r++) {
                for (int c = 0; c < weights[t][r].length; c++) {
                    float[][][] plus = deepCopy(weights);
                    plus[t][r][c] += (float) h;
                    float[][][] minus = deepCopy(weights);
                    minus[t][r][c] -= (float) h;
                    double gradient = (loss(plus) - loss(minus)) / (2 * h);
                    updated[t][r][c] -= (float) (0.01 * gradient);
                }
            }
        }
        return updated;
    }

    private double loss(float[][][] w) {
        double total = 0;
        for (int i = 0; i < xRows.length; i++) {
            float[] hidden = new float[2];
            for (int j = 0; j < 2; j++) {
                hidden[j] = Math.max(0f, xRows[i][0] * w[0][0][j] + xRows[i][1] * w[0][1][j] + w[1][0][j]);
            }
            double out = hidden[0] * w[2][0][0] + hidden[1] * w[2][1][0] + w[3][0][0];
            total += (out - yRows[i][0]) * (out - yRows[i][0]);
        }
        return total / xRows.length;
    }

    private static float[][][] deepCopy(float[][][] w) {
        float[][][] copy = new float[w.length][][];
        for (int t = 0; t < w.length; t++) {
            copy[t] = new float[w[t].length][];
            for (int r = 0; r < w[t].length; r++) {
                copy[t][r] = w[t][r].clone();
            }
        }
        return copy;
    }
}
