package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.internal.Kernels;
import dev.nncore.testing.Gaussian;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The optimizer's update of a run cut by units, each part's tensors on its own thread: one thread's bits. */
class UnitCutUpdateTest {

    /** A 30-24-5 Dense pair's tensors, Gaussian, from seeds {@code seed} to {@code seed + 3}. */
    private static List<float[][]> tensors(long seed) {
        int[][] shapes = {{30, 24}, {1, 24}, {24, 5}, {1, 5}};
        List<float[][]> out = new ArrayList<>();
        for (int t = 0; t < shapes.length; t++) {
            out.add(Gaussian.rows(shapes[t][0], shapes[t][1], seed + t));
        }
        return out;
    }

    private static Optimizer optimizer(String name) {
        return switch (name) {
            case "sgd" -> Optimizer.sgd(0.1, 0.9, true);
            case "adam" -> Optimizer.adam(0.01);
            default -> Optimizer.rmsprop(0.01);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam", "rmsprop"})
    void cutUpdateHasTheUncutBits(String name) {
        int[] bounds = {0, 8, 24};
        UnitLayout layout = UnitLayout.cut(4, 0, true, bounds);
        List<float[][]> whole = tensors(1);
        List<float[][]> run = layout.copy(tensors(1));
        OptimizerRun uncut = optimizer(name).start(whole);
        OptimizerRun cut = optimizer(name).start(run);
        cut.cutByUnits(0, true, 4, bounds);
        for (int step = 0; step < 5; step++) {
            List<float[][]> gradients = tensors(100 + 10 * step);
            List<float[][]> runGradients = layout.copy(gradients);
            uncut.apply(whole, gradients);
            cut.apply(run, runGradients);
        }
        List<float[][]> joined = layout.joined(run);
        for (int t = 0; t < 4; t++) {
            assertThat(joined.get(t)).as("tensor %d", t).isDeepEqualTo(whole.get(t));
        }
    }

    /**
     * The update run by the backward pass's parts ({@code cutUpdateParts}, each part's tensors right after its
     * gradients) leaves the cut tensors to them and has the bits of the update run as a round of its own, here into a
     * second set of rows as {@code fit} writes it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam", "rmsprop"})
    void theUpdateInTheBackwardPassHasTheBitsOfItsOwnRound(String name) {
        int[] bounds = {0, 8, 24};
        UnitLayout layout = UnitLayout.cut(4, 0, true, bounds);
        List<float[][]> own = layout.copy(tensors(1));
        List<float[][]> inParts = layout.copy(tensors(1));
        List<float[][]> ownNext = layout.copy(tensors(50));
        List<float[][]> inPartsNext = layout.copy(tensors(50));
        List<float[][]> ownGradients = layout.copy(tensors(100));
        List<float[][]> inPartsGradients = layout.copy(tensors(100));
        OptimizerRun byRound = optimizer(name).start(own);
        OptimizerRun byParts = optimizer(name).start(inParts);
        byRound.cutByUnits(0, true, 4, bounds);
        byParts.cutByUnits(0, true, 4, bounds);
        Kernels.Parts parts = byParts.cutUpdateParts(inParts, inPartsNext, inPartsGradients);
        assertThat(parts).isNotNull();
        for (int step = 0; step < 5; step++) {
            List<float[][]> gradients = layout.copy(tensors(100 + 10 * step));
            for (int t = 0; t < gradients.size(); t++) {
                for (int r = 0; r < gradients.get(t).length; r++) {
                    System.arraycopy(gradients.get(t)[r], 0, ownGradients.get(t)[r], 0, gradients.get(t)[r].length);
                    System.arraycopy(gradients.get(t)[r], 0, inPartsGradients.get(t)[r], 0, gradients.get(t)[r].length);
                }
            }
            byRound.apply(own, ownNext, ownGradients);
            byParts.beginCutStep();
            parts.run(1); // the worker's part may come first
            parts.run(0);
            byParts.apply(inParts, inPartsNext, inPartsGradients);
            for (int t = 0; t < own.size(); t++) {
                assertThat(inPartsNext.get(t)).as("step %d, tensor %d", step, t).isDeepEqualTo(ownNext.get(t));
            }
            swap(own, ownNext);
            swap(inParts, inPartsNext);
        }
    }

    /** Not armed for the step (its loss was not finite), the parts leave every tensor alone. */
    @Test
    void unarmedPartsUpdateNothing() {
        int[] bounds = {0, 8, 24};
        UnitLayout layout = UnitLayout.cut(4, 0, true, bounds);
        List<float[][]> weights = layout.copy(tensors(1));
        List<float[][]> next = layout.copy(tensors(50));
        List<float[][]> gradients = layout.copy(tensors(100));
        OptimizerRun run = optimizer("adam").start(weights);
        run.cutByUnits(0, true, 4, bounds);
        Kernels.Parts parts = run.cutUpdateParts(weights, next, gradients);
        run.beginCutStep();
        run.cancelCutStep();
        parts.run(0);
        parts.run(1);
        List<float[][]> untouched = layout.copy(tensors(50));
        for (int t = 0; t < next.size(); t++) {
            assertThat(next.get(t)).isDeepEqualTo(untouched.get(t));
        }
    }

    /** Clipping needs every gradient first, weight decay writes the weights first: those update in a round of their own. */
    @Test
    void clippingWeightDecayOrNoCutKeepTheRound() {
        List<float[][]> weights = tensors(1);
        int[] bounds = {0, 8, 24};
        for (Optimizer optimizer : List.of(Optimizer.adam(0.01).clipValue(1), Optimizer.adam(0.01).clipNorm(1),
                Optimizer.adam(0.01).globalClipNorm(1), Optimizer.adam(0.01).weightDecay(0.004))) {
            OptimizerRun run = optimizer.start(weights);
            run.cutByUnits(0, true, 4, bounds);
            assertThat(run.cutUpdateParts(weights, weights, weights)).as(optimizer.toString()).isNull();
        }
        assertThat(Optimizer.adam(0.01).start(weights).cutUpdateParts(weights, weights, weights)).as("not cut").isNull();
    }

    /** Exchanges the two sets' rows, as {@code LastFinite.swap} does after a step. */
    private static void swap(List<float[][]> current, List<float[][]> next) {
        for (int t = 0; t < current.size(); t++) {
            float[][] a = current.get(t);
            float[][] b = next.get(t);
            for (int r = 0; r < a.length; r++) {
                float[] held = a[r];
                a[r] = b[r];
                b[r] = held;
            }
        }
    }
}
