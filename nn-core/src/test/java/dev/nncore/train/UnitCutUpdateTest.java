package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.Gaussian;
import java.util.ArrayList;
import java.util.List;
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
}
