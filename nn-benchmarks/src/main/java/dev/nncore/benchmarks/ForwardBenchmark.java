package dev.nncore.benchmarks;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.List;
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
 * Forward passes: one sample (latency) through a 2-2-1 and a 784-128-10 network, allocating its result
 * ({@code forward(float...)}) and into a caller's buffer ({@code forward(in, out)}: 0 bytes per call with
 * {@code -prof gc}), and a batch of 256 through 784-128-10 (throughput: samples/s = 256 / time), each beside a naive
 * implementation that allocates every layer and loops i-j-k.
 *
 * <pre>
 * java -jar nn-benchmarks/target/benchmarks.jar ForwardBenchmark -prof gc
 * java -jar nn-benchmarks/target/benchmarks.jar ForwardBenchmark -jvmArgsAppend "--add-modules=jdk.incubator.vector"
 * java -jar nn-benchmarks/target/benchmarks.jar 'ForwardBenchmark.batch256IntoBuffer' -p layers=784-128-10 -p hidden=sigmoid,tanh
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForwardBenchmark {

    @Param({"2-2-1", "784-128-10"})
    String layers;

    /** The hidden layers' activation, by its Keras name ({@code -p hidden=sigmoid}); the naive baselines keep relu. */
    @Param({"relu"})
    String hidden;

    Network network;
    float[] sample;
    float[] output;
    float[][] batch;
    float[][] batchOutput;
    Matrix batchMatrix;
    float[][][] kernels;
    float[][] biases;

    @Setup
    public void setup() {
        String[] sizes = layers.split("-");
        Network.Builder builder = Network.builder(Integer.parseInt(sizes[0]));
        for (int i = 1; i < sizes.length; i++) {
            builder.dense(Integer.parseInt(sizes[i]), i == sizes.length - 1 ? Activation.SOFTMAX : Activation.fromKerasName(hidden));
        }
        network = builder.seed(42).build();
        SplittableRandom random = new SplittableRandom(7);
        sample = MatMulBenchmark.randomRows(1, network.inputs(), random)[0];
        output = new float[network.outputs()];
        batch = MatMulBenchmark.randomRows(256, network.inputs(), random);
        batchOutput = new float[256][network.outputs()];
        batchMatrix = Matrix.of(batch);
        List<Matrix> weights = network.getWeights();
        kernels = new float[weights.size() / 2][][];
        biases = new float[weights.size() / 2][];
        for (int l = 0; l < kernels.length; l++) {
            kernels[l] = weights.get(2 * l).toArray();
            biases[l] = weights.get(2 * l + 1).getRow(0);
        }
    }

    @Benchmark
    public float[] sampleAllocating() {
        return network.forward(sample);
    }

    @Benchmark
    public float[] sampleIntoBuffer() {
        return network.forward(sample, output);
    }

    @Benchmark
    public float[] sampleNaiveBaseline() {
        return naive(sample);
    }

    @Benchmark
    public float[][] batch256IntoBuffer() {
        network.forward(batch, batchOutput);
        return batchOutput;
    }

    @Benchmark
    public Matrix batch256Matrix() {
        return network.forward(batchMatrix);
    }

    @Benchmark
    public float[][] batch256NaiveBaseline() {
        float[][] out = new float[batch.length][];
        for (int r = 0; r < batch.length; r++) {
            out[r] = naive(batch[r]);
        }
        return out;
    }

    /** Layer by layer, a fresh array each, the sum over inputs innermost (a strided walk down a kernel column). */
    private float[] naive(float[] input) {
        float[] activations = input;
        for (int l = 0; l < kernels.length; l++) {
            float[][] kernel = kernels[l];
            float[] next = new float[biases[l].length];
            for (int j = 0; j < next.length; j++) {
                float sum = 0;
                for (int k = 0; k < activations.length; k++) {
                    sum += activations[k] * kernel[k][j];
                }
                next[j] = sum + biases[l][j];
            }
            if (l < kernels.length - 1) {
                for (int j = 0; j < next.length; j++) {
                    next[j] = Math.max(next[j], 0f);
                }
            } else {
                float max = Float.NEGATIVE_INFINITY;
                for (float v : next) {
                    max = Math.max(max, v);
                }
                float total = 0;
                for (int j = 0; j < next.length; j++) {
                    next[j] = (float) Math.exp(next[j] - max);
                    total += next[j];
                }
                for (int j = 0; j < next.length; j++) {
                    next[j] /= total;
                }
            }
            activations = next;
        }
        return activations;
    }
}
