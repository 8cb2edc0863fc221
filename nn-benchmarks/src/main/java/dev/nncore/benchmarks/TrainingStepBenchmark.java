package dev.nncore.benchmarks;

import dev.nncore.Activation;
import dev.nncore.Backprop;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One backprop training step (forward, categorical cross-entropy gradient, backward, SGD update) of a 784-128-10
 * ReLU/softmax network on a batch of 64, three ways: nn-core's kernel as {@code fit} runs it every batch, the whole
 * public {@code fit} for one batch (its checks and copies included), and a naive textbook implementation.
 * Samples per second = 64 x the reported ops/s. {@code -p hidden=512,2048} widens the hidden layer, and
 * {@code -p batch=256} takes larger steps (samples per second = batch x ops/s), which two threads cut into parts.
 * {@link #nnCoreStep}, {@link #nnCoreStepsEpoch} and {@link #nnCoreFitEpoch} print beside each iteration how far apart
 * the cores were just before it ({@link CoreDistance}), which decides what a second thread gives on a VM
 * ({@code two-threads.sh}). {@link #unitSplitEpoch} and {@link #unitSplitStandardLayoutEpoch} run a prototype of a
 * split by hidden units ({@link UnitSplitPrototype}) over the same batches.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -jar nn-benchmarks/target/benchmarks.jar TrainingStep -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
public class TrainingStepBenchmark {

    static final int INPUTS = 784;
    static final int OUTPUTS = 10;
    /** Batches per epoch of the epoch benchmarks: 3,200 rows at batch 64. */
    static final int EPOCH_BATCHES = 50;
    static final float LEARNING_RATE = 0.01f;

    /** The hidden layer's width: 128 is the network the README quotes; 512 and 2048 are the wide layers of issue 18. */
    @Param({"128"})
    int hidden;

    /** Rows per step, and per batch of the epochs (which have 50 batches). */
    @Param({"64"})
    int batch;

    /** Whether {@link #nnCoreFitEpoch} shuffles its rows, as Keras's fit does by default ({@code -p shuffle=false}: in order). */
    @Param({"true"})
    boolean shuffle;

    /**
     * Epochs per call of the epoch benchmarks ({@code -p epochs=5}): one {@code fit} of that many epochs against as
     * many passes of raw steps, so that fit's setup per call (its own copy of the weights, a second set for the
     * update) is spread as in a real fit; samples per second = epochs x 50 x batch x ops/s.
     */
    @Param({"1"})
    int epochs;

    Network network;
    Matrix x;
    Matrix y;
    float[][] xRows;
    float[][] yRows;
    Backprop kernel;
    List<float[][]> weights;
    /** The network's weights, never trained: where {@link #fitBesideRawSteps}' raw steps start, as fit does. */
    List<float[][]> initialWeights;
    List<float[][]> gradients;
    BackpropTrainer oneStep;
    BackpropTrainer oneEpoch;
    Matrix epochX;
    Matrix epochY;
    float[][][] epochBatchX;
    float[][][] epochBatchY;
    NaiveNetwork naive;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        network = Network.builder(INPUTS).dense(hidden, Activation.RELU).dense(OUTPUTS, Activation.SOFTMAX).seed(42).build();
        xRows = new float[batch][INPUTS];
        yRows = new float[batch][OUTPUTS];
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < INPUTS; k++) {
                xRows[i][k] = (float) random.nextDouble();
            }
            yRows[i][random.nextInt(OUTPUTS)] = 1;
        }
        x = Matrix.of(xRows);
        y = Matrix.of(yRows);
        weights = new ArrayList<>();
        initialWeights = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            weights.add(weight.toArray());
            initialWeights.add(weight.toArray());
        }
        kernel = Backprop.of(network, Loss.CATEGORICAL_CROSSENTROPY, weights, new SplittableRandom(1));
        gradients = kernel.newGradients();
        oneStep = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.sgd(LEARNING_RATE))
                .epochs(1).batchSize(batch).shuffle(false).build();
        naive = new NaiveNetwork(network);
        int epochRows = EPOCH_BATCHES * batch;
        float[][] rowsX = new float[epochRows][INPUTS];
        float[][] rowsY = new float[epochRows][OUTPUTS];
        for (int i = 0; i < epochRows; i++) {
            for (int k = 0; k < INPUTS; k++) {
                rowsX[i][k] = (float) random.nextDouble();
            }
            rowsY[i][random.nextInt(OUTPUTS)] = 1;
        }
        // fit reads the very rows its raw steps read: with a copy (Matrix.of) the two sides held the data twice, 80 MB
        // at batch 256, and each side found its rows evicted by the other's (fit at 0.86-0.91 of its raw steps against
        // 0.94-0.97 on the same rows, alternated on the Zen 5 machine)
        epochX = Matrix.wrap(rowsX);
        epochY = Matrix.wrap(rowsY);
        epochBatchX = new float[EPOCH_BATCHES][][];
        epochBatchY = new float[EPOCH_BATCHES][][];
        // with shuffle, the raw steps read the rows in a shuffled order too, as fit does: rows scattered in memory
        // cost cache misses that are the data's order, not fit's overhead
        int[] order = new int[epochRows];
        java.util.Arrays.setAll(order, i -> i);
        if (shuffle) {
            SplittableRandom orderRandom = new SplittableRandom(7);
            for (int i = epochRows - 1; i > 0; i--) {
                int j = orderRandom.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        for (int b = 0; b < EPOCH_BATCHES; b++) {
            epochBatchX[b] = new float[batch][];
            epochBatchY[b] = new float[batch][];
            for (int i = 0; i < batch; i++) {
                epochBatchX[b][i] = rowsX[order[b * batch + i]];
                epochBatchY[b][i] = rowsY[order[b * batch + i]];
            }
        }
        oneEpoch = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.sgd(LEARNING_RATE))
                .epochs(epochs).batchSize(batch).shuffle(shuffle).seed(7).build();
    }

    /**
     * The raw steps of {@link #nnCoreStepsEpoch} on weights, gradients and kernel buffers that are new arrays before
     * every iteration, the weights' values carried over. Where an array starts against a 64-byte cache line decides
     * whether a vector load splits across two lines, and the JVM decides that afresh for every array: {@code fit}
     * allocates its own every call, so with arrays fixed for a whole fork the baseline would draw one such lottery per
     * fork (fork-to-fork spreads of 10 % at W = 128) against fit's average over hundreds of calls. A state of its own,
     * so that only that benchmark's iterations pay the copies (JMH's {@code gc.alloc.rate.norm} counts them there).
     */
    @State(Scope.Benchmark)
    public static class FreshSteps {
        Backprop kernel;
        List<float[][]> weights;
        List<float[][]> gradients;
        private Network network;

        @Setup(Level.Iteration)
        public void freshArrays(TrainingStepBenchmark bench) {
            network = bench.network;
            restartFrom(weights == null ? bench.weights : weights);
        }

        /**
         * New arrays holding {@code start}'s values, untimed, before each of {@link #fitBesideRawSteps}' raw epochs: as
         * fit starts every call from the network's weights in arrays of its own (and allocates its kernel's buffers),
         * so both sides draw the same alignment lottery and find the same cold memory in their first batch.
         */
        void restartFrom(List<float[][]> start) {
            List<float[][]> fresh = new ArrayList<>();
            for (float[][] weight : start) {
                float[][] copy = new float[weight.length][];
                for (int r = 0; r < weight.length; r++) {
                    copy[r] = weight[r].clone();
                }
                fresh.add(copy);
            }
            weights = fresh;
            kernel = Backprop.of(network, Loss.CATEGORICAL_CROSSENTROPY, weights, new SplittableRandom(1));
            gradients = kernel.newGradients();
        }

        /**
         * Throws unless fit's trained weights are these: bit for bit, or, where fit cuts the batch by hidden units
         * ({@link #fitCutsByUnits}), within 1e-4 of them, the bound {@code UnitCutFitTest} holds the cut to (its output
         * layer's sums are grouped by part, so the last bits differ from the raw steps', which do not cut).
         */
        void checkSameAs(TrainingResult fit, TrainingStepBenchmark bench) {
            boolean cut = fitCutsByUnits(bench);
            List<Matrix> trained = fit.network().getWeights();
            for (int t = 0; t < weights.size(); t++) {
                float[][] fitRows = trained.get(t).toArray();
                for (int r = 0; r < fitRows.length; r++) {
                    float[] raw = weights.get(t)[r];
                    if (!java.util.Arrays.equals(fitRows[r], raw) && !(cut && within(fitRows[r], raw, 1e-4f))) {
                        throw new IllegalStateException("fit and the raw steps trained different weights (tensor " + t
                                + ", row " + r + "): the baseline is not fit's own steps");
                    }
                }
            }
        }

        private static boolean within(float[] a, float[] b, float tolerance) {
            for (int c = 0; c < a.length; c++) {
                if (!(Math.abs(a[c] - b[c]) <= tolerance)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether fit cuts this benchmark's batches by the first layer's units ({@code UnitPair}): two threads or more
         * with 64 units each, the Vector API kernel, a batch under 128 rows, and the cut not turned off. This restates
         * the library's rule ({@code TrainingLoop.unitBounds}, private there) for this benchmark's 784-W-10 network; if
         * the two drift apart, the check throws, or holds a run to 1e-4 that it could have held to the bit.
         * {@code FitBesideRawStepsCheckTest} runs fit against the raw steps on both sides of the rule (128 and 64 units on
         * two threads), so a drift fails the build.
         */
        static boolean fitCutsByUnits(TrainingStepBenchmark bench) {
            int threads = dev.nncore.internal.Kernels.threads();
            return threads >= 2 && bench.hidden / threads >= 64 && bench.batch < 128
                    && dev.nncore.math.MatrixOps.kernelName().contains("Vector") && !Boolean.getBoolean("nncore.noUnitCut");
        }
    }

    /**
     * 50 raw steps over 50 batches (3,200 rows at batch 64), one epoch's worth of {@link #nnCoreStep}, {@link #epochs}
     * times, on {@link FreshSteps}' arrays: the baseline {@link #nnCoreFitEpoch} is held to. Samples per second =
     * epochs x 50 x batch x ops/s.
     */
    @Benchmark
    public List<float[][]> nnCoreStepsEpoch(FreshSteps steps, CoreDistance distance) {
        return stepsEpoch(steps);
    }

    List<float[][]> stepsEpoch(FreshSteps steps) {
        for (int e = 0; e < epochs; e++) {
            for (int b = 0; b < epochBatchX.length; b++) {
                steps.kernel.forward(epochBatchX[b], epochBatchY[b], true);
                steps.kernel.backward(epochBatchY[b], steps.gradients);
                sgd(steps.weights, steps.gradients, LEARNING_RATE);
            }
        }
        return steps.weights;
    }

    /**
     * The public {@code fit} for {@link #epochs} epochs over the same 50 batches' rows, shuffled: its checks, shuffle,
     * loss and accuracy bookkeeping, last-finite weights and result network included. Samples per second = epochs x 50
     * x batch x ops/s.
     */
    @Benchmark
    public TrainingResult nnCoreFitEpoch(CoreDistance distance) {
        return fitEpoch();
    }

    TrainingResult fitEpoch() {
        return oneEpoch.fit(network, epochX, epochY);
    }

    /**
     * The time of {@link #nnCoreFitEpoch} and of {@link #nnCoreStepsEpoch}, each summed over an iteration of
     * {@link #fitBesideRawSteps}, which runs both in every call. JMH prints them beside the score as
     * {@code fitBesideRawSteps:fitNanos} and {@code :rawNanos}; {@code rawNanos / fitNanos} is fit's speed against its
     * own steps measured within milliseconds of each other, free of the drift between forks run minutes apart (5-10 %
     * from hour to hour on the project's VMs, as large as the difference measured).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class EpochTimes {
        public long fitNanos;
        public long rawNanos;
        int calls;

        @Setup(Level.Iteration)
        public void reset() {
            fitNanos = 0;
            rawNanos = 0;
        }
    }

    /**
     * One {@link #nnCoreFitEpoch} and one {@link #nnCoreStepsEpoch} per call, in turn first, each timed into
     * {@link EpochTimes}. Before the raw epoch, untimed, its weights start again from the network's in new arrays
     * ({@link FreshSteps#restartFrom}), as fit's do: both then run the same arithmetic on the same batches (fit's shuffle
     * with seed 7 is the order the raw steps read) and end on the same bits, which the first call checks. Where fit cuts
     * the batch by hidden units (two threads on the Vector API kernel) the raw steps do not: the two then end within
     * 1e-4 of each other, and the ratio is fit's cut step against the library's uncut one. Weights trained
     * on for a whole fork drift into saturated outputs (other exponentials, the cross-entropy's clipping), a different
     * workload from fit's first epoch.
     *
     * <p>Warm up for 20 s or more ({@code -wi 20 -w 1s}): fit's own code around the batches runs once per call, a few
     * hundred calls in a short warm-up, and C2 compiles a method only after several hundred calls (measured, W = 128,
     * Vector API kernel, three forks each: 0.915 of the raw steps with 5 s of warm-up, 0.951 with 20 s). A user's
     * single long fit runs that code once; its batches' own method is compiled within the first few hundred batches.
     */
    @Warmup(iterations = 20)
    @Benchmark
    public TrainingResult fitBesideRawSteps(FreshSteps steps, EpochTimes times, Blackhole blackhole) {
        boolean fitFirst = (times.calls & 1) == 0;
        if (!fitFirst) {
            times.rawNanos += rawEpochNanos(steps, blackhole);
        }
        long start = System.nanoTime();
        TrainingResult result = fitEpoch();
        times.fitNanos += System.nanoTime() - start;
        if (fitFirst) {
            times.rawNanos += rawEpochNanos(steps, blackhole);
        }
        if (times.calls++ == 0 && epochs == 1) {
            steps.checkSameAs(result, this);
        }
        return result;
    }

    /** The raw steps from the network's weights on new arrays (made untimed), timed. */
    private long rawEpochNanos(FreshSteps steps, Blackhole blackhole) {
        steps.restartFrom(initialWeights);
        long start = System.nanoTime();
        blackhole.consume(stepsEpoch(steps));
        return System.nanoTime() - start;
    }

    /**
     * {@link UnitSplitPrototype}s over {@link #nnCoreStepsEpoch}'s batches, one part per thread (at least 64 units a part),
     * each checked against the library's step from the same weights before it is measured.
     */
    @State(Scope.Benchmark)
    public static class UnitSplit {
        UnitSplitPrototype ownArrays;
        UnitSplitPrototype standardLayout;

        @Setup
        public void build(TrainingStepBenchmark bench) {
            int parts = Math.max(1, Math.min(dev.nncore.internal.Kernels.threads(), bench.hidden / 64));
            ownArrays = checked(bench, new UnitSplitPrototype(bench.initialWeights, parts, bench.batch, LEARNING_RATE, false));
            standardLayout = checked(bench, new UnitSplitPrototype(bench.initialWeights, parts, bench.batch, LEARNING_RATE,
                    true));
        }

        /** Throws unless one step of {@code prototype} gives the library's loss and first kernel to float rounding. */
        private static UnitSplitPrototype checked(TrainingStepBenchmark bench, UnitSplitPrototype prototype) {
            FreshSteps library = new FreshSteps();
            library.network = bench.network;
            library.restartFrom(bench.initialWeights);
            float[][] x = bench.epochBatchX[0];
            float[][] y = bench.epochBatchY[0];
            double expected = library.kernel.forward(x, y, true);
            library.kernel.backward(y, library.gradients);
            sgd(library.weights, library.gradients, LEARNING_RATE);
            double loss = prototype.step(x, y);
            double worst = 0;
            for (int k = 0; k < INPUTS; k++) {
                float[] row = prototype.kernel1Row(k);
                for (int u = 0; u < row.length; u++) {
                    worst = Math.max(worst, Math.abs(row[u] - library.weights.get(0)[k][u]));
                }
            }
            if (Math.abs(loss - expected) > 1e-5 * Math.abs(expected) || worst > 1e-6) {
                throw new IllegalStateException("the prototype's step differs from the library's: loss " + loss + " against "
                        + expected + ", first kernel off by up to " + worst);
            }
            return prototype;
        }
    }

    /** The prototype's epoch: its 50 steps over the shuffled batches, its own arrays per part. */
    @Benchmark
    public double unitSplitEpoch(UnitSplit split, CoreDistance distance) {
        return prototypeEpoch(split.ownArrays);
    }

    /** The same with the first kernel also in the library's layout, one row array for both parts' columns. */
    @Benchmark
    public double unitSplitStandardLayoutEpoch(UnitSplit split, CoreDistance distance) {
        return prototypeEpoch(split.standardLayout);
    }

    private double prototypeEpoch(UnitSplitPrototype prototype) {
        double loss = 0;
        for (int e = 0; e < epochs; e++) {
            for (int b = 0; b < epochBatchX.length; b++) {
                loss += prototype.step(epochBatchX[b], epochBatchY[b]);
            }
        }
        return loss;
    }

    /** The step {@code fit} runs per batch: forward, backward, then the update (plain SGD here, as in the baseline). */
    @Benchmark
    public List<float[][]> nnCoreStep(CoreDistance distance) {
        kernel.forward(xRows, yRows, true);
        kernel.backward(yRows, gradients);
        sgd(weights, gradients, LEARNING_RATE);
        return weights;
    }

    static void sgd(List<float[][]> weights, List<float[][]> gradients, float learningRate) {
        for (int t = 0; t < weights.size(); t++) {
            float[][] w = weights.get(t);
            float[][] g = gradients.get(t);
            for (int r = 0; r < w.length; r++) {
                float[] wr = w[r];
                float[] gr = g[r];
                for (int c = 0; c < wr.length; c++) {
                    wr[c] -= learningRate * gr[c];
                }
            }
        }
    }

    /** The public API end to end: {@code fit} for one epoch of one batch, with its checks and copies. */
    @Benchmark
    public TrainingResult nnCoreFitOneBatch() {
        return oneStep.fit(network, x, y);
    }

    @Benchmark
    public NaiveNetwork naiveBaseline() {
        naive.step(xRows, yRows, LEARNING_RATE);
        return naive;
    }

    /**
     * The same step as a textbook writes it: fresh arrays every step, every sum an inner product over the reduced
     * index (so the kernel's columns and the batch are walked with a stride), the softmax/cross-entropy gradient
     * {@code (p - t) / N}.
     */
    public static final class NaiveNetwork {
        final float[][] kernel1;
        final float[] bias1;
        final float[][] kernel2;
        final float[] bias2;

        NaiveNetwork(Network network) {
            List<Matrix> w = network.getWeights();
            kernel1 = w.get(0).toArray();
            bias1 = w.get(1).getRow(0);
            kernel2 = w.get(2).toArray();
            bias2 = w.get(3).getRow(0);
        }

        void step(float[][] x, float[][] y, float learningRate) {
            int n = x.length;
            int width = bias1.length;
            float[][] hidden = new float[n][width];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < width; j++) {
                    float sum = bias1[j];
                    for (int k = 0; k < INPUTS; k++) {
                        sum += x[i][k] * kernel1[k][j];
                    }
                    hidden[i][j] = Math.max(sum, 0f);
                }
            }
            float[][] delta2 = new float[n][OUTPUTS];
            for (int i = 0; i < n; i++) {
                float[] logits = new float[OUTPUTS];
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < OUTPUTS; j++) {
                    float sum = bias2[j];
                    for (int k = 0; k < width; k++) {
                        sum += hidden[i][k] * kernel2[k][j];
                    }
                    logits[j] = sum;
                    max = Math.max(max, sum);
                }
                float total = 0;
                for (int j = 0; j < OUTPUTS; j++) {
                    logits[j] = (float) Math.exp(logits[j] - max);
                    total += logits[j];
                }
                for (int j = 0; j < OUTPUTS; j++) {
                    delta2[i][j] = (logits[j] / total - y[i][j]) / n;
                }
            }
            float[][] gradient2 = new float[width][OUTPUTS];
            float[] biasGradient2 = new float[OUTPUTS];
            for (int k = 0; k < width; k++) {
                for (int j = 0; j < OUTPUTS; j++) {
                    float sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += hidden[i][k] * delta2[i][j];
                    }
                    gradient2[k][j] = sum;
                }
            }
            for (int j = 0; j < OUTPUTS; j++) {
                for (int i = 0; i < n; i++) {
                    biasGradient2[j] += delta2[i][j];
                }
            }
            float[][] delta1 = new float[n][width];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < width; k++) {
                    float sum = 0;
                    for (int j = 0; j < OUTPUTS; j++) {
                        sum += delta2[i][j] * kernel2[k][j];
                    }
                    delta1[i][k] = hidden[i][k] > 0 ? sum : 0;
                }
            }
            float[][] gradient1 = new float[INPUTS][width];
            float[] biasGradient1 = new float[width];
            for (int k = 0; k < INPUTS; k++) {
                for (int j = 0; j < width; j++) {
                    float sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += x[i][k] * delta1[i][j];
                    }
                    gradient1[k][j] = sum;
                }
            }
            for (int j = 0; j < width; j++) {
                for (int i = 0; i < n; i++) {
                    biasGradient1[j] += delta1[i][j];
                }
            }
            for (int k = 0; k < INPUTS; k++) {
                for (int j = 0; j < width; j++) {
                    kernel1[k][j] -= learningRate * gradient1[k][j];
                }
            }
            for (int j = 0; j < width; j++) {
                bias1[j] -= learningRate * biasGradient1[j];
            }
            for (int k = 0; k < width; k++) {
                for (int j = 0; j < OUTPUTS; j++) {
                    kernel2[k][j] -= learningRate * gradient2[k][j];
                }
            }
            for (int j = 0; j < OUTPUTS; j++) {
                bias2[j] -= learningRate * biasGradient2[j];
            }
        }
    }
}
