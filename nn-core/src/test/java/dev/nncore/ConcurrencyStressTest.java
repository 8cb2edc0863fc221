package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nncore.keras.Keras;
import dev.nncore.math.Matrix;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.TrainingResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight threads share networks: some run {@code forward} in all its forms (one sample, a batch {@link Matrix}, into
 * caller buffers, batches large enough to be split with MatrixOps's worker threads, which callers that find them busy
 * compute alone, and from inside the fork-join pool), some {@code explain}, some train on the shared network and some
 * load the same {@code .keras} file. Every result must be
 * bit-identical to what one thread computed before, and the shared networks must not change. Every thread also
 * loads the shared file now and then, so loads overlap with each other and with everything else.
 */
class ConcurrencyStressTest {

    private static final int THREADS = 8;
    /** Each worker checks for at least this long (and at least {@link #MIN_ROUNDS} rounds). */
    private static final long WORK_NANOS = 1_500_000_000L;
    private static final int MIN_ROUNDS = 3;

    @TempDir
    Path temp;

    /** One shared network, its inputs, and what a single thread computed from them. */
    private record Case(Network network, float[][] samples, Matrix batch, float[][] outputs, Matrix batchOutput,
            String[] explanations) {

        static Case of(Network network, int rows, Random random) {
            float[][] samples = new float[rows][network.inputs()];
            for (float[] row : samples) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = (float) random.nextGaussian();
                }
            }
            float[][] outputs = new float[rows][];
            String[] explanations = new String[Math.min(rows, 4)];
            for (int r = 0; r < rows; r++) {
                outputs[r] = network.forward(samples[r]);
                if (r < explanations.length) {
                    explanations[r] = network.explain(samples[r]).toString();
                }
            }
            Matrix batch = Matrix.of(samples);
            return new Case(network, samples, batch, outputs, network.forward(batch), explanations);
        }
    }

    private static void same(float[] actual, float[] expected, String what) {
        if (!Arrays.equals(actual, expected)) {
            throw new AssertionError(what + ": " + Arrays.toString(actual) + " differs from one thread's " + Arrays.toString(expected));
        }
    }

    @Test
    void sharedNetworksGiveOneThreadsBitsWhileCopiesTrainAndFilesLoad() throws Exception {
        Random random = new Random(2026);
        Network video = Network.of(
                Dense.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}, new float[] {-1.3f, 0}, Activation.RELU),
                Dense.of(new float[][] {{-1.6f}, {0.8f}}, new float[] {0}, Activation.LINEAR));
        Network digits = Network.builder(64).dense(32, Activation.RELU).dense(10, Activation.SOFTMAX).seed(1).build();
        Network deep = Network.builder(5).dense(7, Activation.TANH).dense(7, Activation.TANH).dense(7, Activation.SIGMOID)
                .dense(3, Activation.SOFTMAX).seed(2).build();
        // 256 x 128 x 512 = 2^24 multiply-adds, over MatrixOps's threshold (2^21): the batch is split over threads
        Network wide = Network.builder(128).dense(512, Activation.RELU).dense(10, Activation.LINEAR).seed(3).build();
        List<Case> cases = List.of(Case.of(video, 8, random), Case.of(digits, 32, random), Case.of(deep, 16, random),
                Case.of(wide, 256, random));

        Network trained = Network.builder(64).dense(16, Activation.RELU).dense(10, Activation.SOFTMAX).seed(4).build();
        List<Matrix> trainedWeights = trained.getWeights();
        float[][] x = new float[96][64];
        float[][] y = new float[96][10];
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < 64; c++) {
                x[r][c] = random.nextFloat();
            }
            y[r][r % 10] = 1;
        }
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.adam(0.01))
                .epochs(15).batchSize(16).seed(5).build();
        TrainingResult expectedFit = trainer.fit(trained, Matrix.of(x), Matrix.of(y));

        Path file = temp.resolve("shared.keras");
        Keras.save(deep, file);
        Network expectedLoad = Keras.load(file);

        AtomicLong checks = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int role = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    long deadline = System.nanoTime() + WORK_NANOS;
                    for (int round = 0; round < MIN_ROUNDS || System.nanoTime() < deadline; round++) {
                        switch (role) {
                            case 0, 4 -> forwardOneByOne(cases, round);
                            case 1 -> forwardBatches(cases);
                            case 5 -> ForkJoinPool.commonPool().submit(() -> IntStream.range(0, 4).parallel()
                                    .forEach(i -> forwardBatches(cases))).get();
                            case 2, 6 -> explain(cases);
                            case 3 -> {
                                TrainingResult result = trainer.fit(trained, Matrix.of(x), Matrix.of(y));
                                assertThat(result.network()).isEqualTo(expectedFit.network());
                                assertThat(result.history().loss()).isEqualTo(expectedFit.history().loss());
                            }
                            default -> assertThat(Keras.load(file)).isEqualTo(expectedLoad);
                        }
                        if (round % 4 == role % 4) { // every thread also loads the shared file now and then
                            assertThat(Keras.load(file)).isEqualTo(expectedLoad);
                        }
                        checks.incrementAndGet();
                    }
                    return null;
                }));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                start.countDown();
                for (Future<?> worker : workers) {
                    worker.get();
                }
            });
        } finally {
            pool.shutdownNow();
        }
        assertThat(checks.get()).isGreaterThanOrEqualTo(THREADS * MIN_ROUNDS);
        assertThat(trained.getWeights()).as("the network trained from is unchanged").isEqualTo(trainedWeights);
        for (Case c : cases) {
            same(c.network().forward(c.samples()[0]), c.outputs()[0], "after the stress");
        }
    }

    private static void forwardOneByOne(List<Case> cases, int round) {
        for (Case c : cases) {
            float[] buffer = new float[c.network().outputs()];
            for (int r = 0; r < c.samples().length; r++) {
                float[] sample = c.samples()[r];
                if ((r + round) % 2 == 0) {
                    same(c.network().forward(sample), c.outputs()[r], "forward(float...)");
                } else {
                    same(c.network().forward(sample, buffer), c.outputs()[r], "forward(input, output)");
                }
            }
        }
    }

    private static void forwardBatches(List<Case> cases) {
        for (Case c : cases) {
            Matrix output = c.network().forward(c.batch());
            if (!output.equals(c.batchOutput())) {
                throw new AssertionError("forward(Matrix) of " + c.network() + " differs from one thread's");
            }
            float[][] into = new float[c.samples().length][c.network().outputs()];
            c.network().forward(c.samples(), into);
            for (int r = 0; r < into.length; r++) {
                same(into[r], c.outputs()[r], "forward(batch, output) row " + r + " of " + c.network());
                same(c.batchOutput().getRow(r), c.outputs()[r], "a batch row and the same sample alone");
            }
        }
    }

    private static void explain(List<Case> cases) {
        for (Case c : cases) {
            for (int r = 0; r < c.explanations().length; r++) {
                var explanation = c.network().explain(c.samples()[r]);
                same(explanation.output(), c.outputs()[r], "explain output");
                if (!explanation.toString().equals(c.explanations()[r])) {
                    throw new AssertionError("explanation of " + c.network() + " differs from one thread's");
                }
            }
        }
    }
}
