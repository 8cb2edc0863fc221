package dev.nncore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.internal.Kernels;
import dev.nncore.math.Matrix;
import dev.nncore.math.MatrixOps;
import dev.nncore.train.TrainingResult;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The check {@code fitBesideRawSteps} makes before it times anything: fit's trained weights against its raw steps'.
 * It once threw in every two-thread fork of the Vector API kernel, unnoticed until the README's run (fit had started
 * cutting batches by units), so it is run here on the configurations the README measures: surefire gives this module
 * two threads and the Vector API kernel.
 */
class FitBesideRawStepsCheckTest {

    private static TrainingStepBenchmark bench(int hidden) {
        TrainingStepBenchmark bench = new TrainingStepBenchmark();
        bench.hidden = hidden;
        bench.batch = 64;
        bench.shuffle = true;
        bench.epochs = 1;
        bench.setup();
        return bench;
    }

    /** One raw epoch from the network's weights, as {@code fitBesideRawSteps} runs it. */
    private static TrainingStepBenchmark.FreshSteps rawEpoch(TrainingStepBenchmark bench) {
        TrainingStepBenchmark.FreshSteps steps = new TrainingStepBenchmark.FreshSteps();
        steps.freshArrays(bench);
        steps.restartFrom(bench.initialWeights);
        bench.stepsEpoch(steps);
        return steps;
    }

    private static TrainingResult fitWithCut(TrainingStepBenchmark bench, boolean cut) {
        return withUnitCut(cut, bench::fitEpoch);
    }

    /** {@code body} with {@code nncore.noUnitCut} set to {@code !cut}, then the property as it was. */
    private static <T> T withUnitCut(boolean cut, Supplier<T> body) {
        String before = System.getProperty("nncore.noUnitCut");
        System.setProperty("nncore.noUnitCut", String.valueOf(!cut));
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty("nncore.noUnitCut");
            } else {
                System.setProperty("nncore.noUnitCut", before);
            }
        }
    }

    private static void assumeTwoVectorThreads() {
        Assumptions.assumeTrue(Kernels.threads() >= 2, "surefire gives this module two threads");
        Assumptions.assumeTrue(MatrixOps.kernelName().contains("Vector"), "surefire adds jdk.incubator.vector");
    }

    /** Whether any weight of fit's differs in any bit from the raw steps'. */
    private static boolean anyBitDiffers(TrainingResult fit, List<float[][]> raw) {
        List<Matrix> trained = fit.network().getWeights();
        for (int t = 0; t < raw.size(); t++) {
            float[][] rows = trained.get(t).toArray();
            for (int r = 0; r < rows.length; r++) {
                if (!java.util.Arrays.equals(rows[r], raw.get(t)[r])) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void fitPassesItsOwnCheckWhereItCutsByUnits() {
        assumeTwoVectorThreads();
        TrainingStepBenchmark bench = bench(128);
        TrainingResult fit = fitWithCut(bench, true);
        TrainingStepBenchmark.FreshSteps steps = rawEpoch(bench);

        assertThat(TrainingStepBenchmark.FreshSteps.fitCutsByUnits(bench)).isTrue();
        // the cut groups the output layer's sums by part: other last bits than the uncut raw steps', within 1e-4
        assertThat(anyBitDiffers(fit, steps.weights)).as("fit cut the batch by units").isTrue();
        assertThatCode(() -> steps.checkSameAs(fit, bench)).doesNotThrowAnyException();
    }

    @Test
    void withoutTheCutFitTrainsTheRawStepsBitForBit() {
        TrainingStepBenchmark bench = bench(128);
        // the check reads the property too: fit, the raw steps and the check all run with the cut off
        withUnitCut(false, () -> {
            TrainingResult fit = bench.fitEpoch();
            TrainingStepBenchmark.FreshSteps steps = rawEpoch(bench);

            assertThat(TrainingStepBenchmark.FreshSteps.fitCutsByUnits(bench)).isFalse();
            assertThat(anyBitDiffers(fit, steps.weights)).isFalse();
            assertThatCode(() -> steps.checkSameAs(fit, bench)).doesNotThrowAnyException();
            return null;
        });
    }

    /** 64 units on two threads are under the cut's 64 a part: the benchmark's rule and the library's agree on no cut. */
    @Test
    void underSixtyFourUnitsAPartFitDoesNotCutAndTheCheckWantsEveryBit() {
        assumeTwoVectorThreads();
        TrainingStepBenchmark bench = bench(64);
        TrainingResult fit = fitWithCut(bench, true);
        TrainingStepBenchmark.FreshSteps steps = rawEpoch(bench);

        assertThat(TrainingStepBenchmark.FreshSteps.fitCutsByUnits(bench)).isFalse();
        assertThat(anyBitDiffers(fit, steps.weights)).isFalse();
        steps.weights.get(2)[0][3] = Math.nextUp(steps.weights.get(2)[0][3]);
        assertThatThrownBy(() -> steps.checkSameAs(fit, bench)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tensor 2, row 0");
    }

    @Test
    void theCheckRefusesWeightsFurtherThanTheCutsBound() {
        TrainingStepBenchmark bench = bench(128);
        TrainingResult fit = fitWithCut(bench, true);
        TrainingStepBenchmark.FreshSteps steps = rawEpoch(bench);
        steps.weights.get(0)[500][17] += 2e-4f;

        assertThatThrownBy(() -> steps.checkSameAs(fit, bench)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tensor 0, row 500");
    }
}
