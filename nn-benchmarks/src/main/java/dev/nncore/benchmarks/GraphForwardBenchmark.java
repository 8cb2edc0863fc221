package dev.nncore.benchmarks;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.Node;
import java.util.List;
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
 * Graphs against chains, one sample and a batch of 256 into caller buffers, 784-128-10 (relu, softmax):
 * {@code chain} is the Sequential network (the baseline); {@code chainBuiltAsGraph} the same layers built with
 * {@link Node} and {@code Network.functional} (it is recognised as a chain); {@code graphExecutor} the same layers with
 * the hidden layer as a second output, which takes the graph executor (slots, per-node buffers); {@code residual} adds a
 * Dense(128) block with an {@code Add} skip. Each is 0 bytes per call with {@code -prof gc}.
 *
 * <pre>
 * java -jar nn-benchmarks/target/benchmarks.jar GraphForwardBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class GraphForwardBenchmark {

    Network chain;
    Network chainBuiltAsGraph;
    Network graphExecutor;
    Network residual;
    float[] sample;
    float[] output;
    float[][][] sampleIn;
    float[][][] twoOutputs;
    float[][] batch;
    float[][] batchOutput;
    float[][][] batchIn;
    float[][][] twoBatchOutputs;

    @Setup
    public void setup() {
        chain = Network.builder(784).dense(128, Activation.RELU).dense(10, Activation.SOFTMAX).seed(42).build();
        Node input = Node.input("pixels", 784);
        Node hidden = input.dense(128, Activation.RELU);
        Node probabilities = hidden.dense(10, Activation.SOFTMAX);
        chainBuiltAsGraph = Network.functional(List.of(input), List.of(probabilities), 42);
        graphExecutor = Network.functional(List.of(input), List.of(probabilities, hidden), 42);
        Node skip = Node.add(hidden, hidden.dense(128, Activation.RELU));
        residual = Network.functional(List.of(input), List.of(skip.dense(10, Activation.SOFTMAX)), 42);
        if (!chainBuiltAsGraph.isSequential() || graphExecutor.isSequential()) {
            throw new IllegalStateException("the variants do not take the paths they are named for");
        }
        SplittableRandom random = new SplittableRandom(7);
        sample = MatMulBenchmark.randomRows(1, 784, random)[0];
        output = new float[10];
        sampleIn = new float[][][] {{sample}};
        twoOutputs = new float[][][] {new float[1][10], new float[1][128]};
        batch = MatMulBenchmark.randomRows(256, 784, random);
        batchOutput = new float[256][10];
        batchIn = new float[][][] {batch};
        twoBatchOutputs = new float[][][] {new float[256][10], new float[256][128]};
    }

    @Benchmark
    public float[] sampleChain() {
        return chain.forward(sample, output);
    }

    @Benchmark
    public float[] sampleChainBuiltAsGraph() {
        return chainBuiltAsGraph.forward(sample, output);
    }

    @Benchmark
    public float[][][] sampleGraphExecutor() {
        graphExecutor.forwardAll(sampleIn, twoOutputs);
        return twoOutputs;
    }

    @Benchmark
    public float[] sampleResidual() {
        return residual.forward(sample, output);
    }

    @Benchmark
    public float[][] batch256Chain() {
        chain.forward(batch, batchOutput);
        return batchOutput;
    }

    @Benchmark
    public float[][] batch256ChainBuiltAsGraph() {
        chainBuiltAsGraph.forward(batch, batchOutput);
        return batchOutput;
    }

    @Benchmark
    public float[][][] batch256GraphExecutor() {
        graphExecutor.forwardAll(batchIn, twoBatchOutputs);
        return twoBatchOutputs;
    }

    @Benchmark
    public float[][] batch256Residual() {
        residual.forward(batch, batchOutput);
        return batchOutput;
    }
}
