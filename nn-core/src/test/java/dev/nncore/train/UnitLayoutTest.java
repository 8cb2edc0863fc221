package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitLayoutTest {

    /** A 3-5-2 network's tensors in Keras order, each value unique: kernel, bias, kernel, bias. */
    private static List<float[][]> network() {
        List<float[][]> tensors = new ArrayList<>();
        int[][] shapes = {{3, 5}, {1, 5}, {5, 2}, {1, 2}};
        float value = 1;
        for (int[] shape : shapes) {
            float[][] tensor = new float[shape[0]][shape[1]];
            for (float[] row : tensor) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = value++;
                }
            }
            tensors.add(tensor);
        }
        return tensors;
    }

    @Test
    void splitsTheFirstKernelAndBiasIntoColumnParts() {
        List<float[][]> network = network();
        UnitLayout layout = UnitLayout.cut(4, 0, true, new int[] {0, 2, 5});
        List<float[][]> run = layout.copy(network);

        assertThat(layout.runCount()).isEqualTo(6);
        assertThat(run.get(0)).isDeepEqualTo(new float[][] {{1, 2}, {6, 7}, {11, 12}});
        assertThat(run.get(1)).isDeepEqualTo(new float[][] {{3, 4, 5}, {8, 9, 10}, {13, 14, 15}});
        assertThat(run.get(2)).isDeepEqualTo(new float[][] {{16, 17}});
        assertThat(run.get(3)).isDeepEqualTo(new float[][] {{18, 19, 20}});
        // the uncut tensors are copies too: the run never writes to the network's arrays
        assertThat(run.get(4)).isDeepEqualTo(network.get(2)).isNotSameAs(network.get(2));
        assertThat(run.get(5)).isDeepEqualTo(network.get(3)).isNotSameAs(network.get(3));
        assertThat(run.get(4)[0]).isNotSameAs(network.get(2)[0]);
        for (int r = 0; r < 6; r++) {
            assertThat(layout.networkIndex(r)).isEqualTo(new int[] {0, 0, 1, 1, 2, 3}[r]);
        }
        // each part's rows are arrays of their own, never a row of the network's tensor
        for (float[] row : run.get(0)) {
            for (float[] original : network.get(0)) {
                assertThat(row).isNotSameAs(original);
            }
        }
    }

    @Test
    void joinRebuildsTheNetworkOrderExactly() {
        List<float[][]> network = network();
        UnitLayout layout = UnitLayout.cut(4, 0, true, new int[] {0, 2, 5});
        List<float[][]> run = layout.copy(network);
        run.get(1)[2][0] = -7;   // kernel row 2, unit 2
        run.get(3)[0][2] = -9;   // bias, unit 4

        List<float[][]> joined = layout.joined(run);

        assertThat(joined.get(0)[2]).containsExactly(11, 12, -7, 14, 15);
        assertThat(joined.get(1)[0]).containsExactly(16, 17, 18, 19, -9);
        assertThat(joined.get(2)).isDeepEqualTo(network.get(2)).isNotSameAs(network.get(2));
        assertThat(network.get(0)[2][2]).isEqualTo(13); // the network's own arrays are untouched
    }

    @Test
    void loadWritesNetworkValuesIntoTheRunsOwnArrays() {
        UnitLayout layout = UnitLayout.cut(4, 0, true, new int[] {0, 2, 5});
        List<float[][]> run = layout.copy(network());
        float[] keptRow = run.get(1)[0];
        List<float[][]> replacement = network();
        replacement.get(0)[0][4] = 100;
        replacement.get(2)[1][1] = 200;

        layout.load(replacement, run);

        assertThat(run.get(1)[0]).isSameAs(keptRow).containsExactly(3, 4, 100);
        assertThat(run.get(4)[1][1]).isEqualTo(200);
    }

    @Test
    void aCutLaterInTheListShiftsTheTensorsAfterIt() {
        // 3-5-2 cut at its second kernel (5 -> 2 has 2 units: parts of 1), without its bias
        UnitLayout layout = UnitLayout.cut(4, 2, false, new int[] {0, 1, 2});
        List<float[][]> run = layout.copy(network());

        assertThat(layout.runCount()).isEqualTo(5);
        assertThat(run.get(2)).isDeepEqualTo(new float[][] {{21}, {23}, {25}, {27}, {29}});
        assertThat(run.get(3)).isDeepEqualTo(new float[][] {{22}, {24}, {26}, {28}, {30}});
        assertThat(run.get(4)).isDeepEqualTo(new float[][] {{31, 32}});
        assertThat(layout.networkIndex(4)).isEqualTo(3);
        assertThat(layout.joined(run)).usingRecursiveComparison().isEqualTo(network());
    }

    @Test
    void flagsAndTrainableLayoutsFollowTheCut() {
        UnitLayout layout = UnitLayout.cut(4, 0, true, new int[] {0, 2, 5});
        assertThat(layout.flags(List.of(true, true, false, true))).containsExactly(true, true, true, true, false, true);

        // the gradients and slots hold the trainable tensors only: the cut keeps its place among them
        UnitLayout trainable = layout.trainableOnly(List.of(true, false, true, true));
        assertThat(trainable.runCount()).isEqualTo(4);
        assertThat(trainable.networkIndex(1)).isEqualTo(0);
        assertThat(trainable.networkIndex(2)).isEqualTo(1);
        assertThat(layout.trainableOnly(List.of(false, false, true, true)).isCut()).isFalse();
    }

    @Test
    void uncutCopiesEveryTensorRowByRow() {
        List<float[][]> network = network();
        UnitLayout layout = UnitLayout.uncut(4);
        List<float[][]> run = layout.copy(network);
        for (int t = 0; t < 4; t++) {
            assertThat(run.get(t)).isDeepEqualTo(network.get(t)).isNotSameAs(network.get(t));
            for (int r = 0; r < run.get(t).length; r++) {
                assertThat(run.get(t)[r]).isNotSameAs(network.get(t)[r]);
            }
            assertThat(layout.networkIndex(t)).isEqualTo(t);
        }
    }

    @Test
    void handedOverJoinsTheCutTensorsAndKeepsTheRunsOtherArrays() {
        List<float[][]> network = network();
        UnitLayout layout = UnitLayout.cut(4, 0, true, new int[] {0, 2, 5});
        List<float[][]> run = layout.copy(network);
        run.get(0)[1][1] = -3;   // kernel row 1, unit 1
        run.get(3)[0][0] = -4;   // bias, unit 2

        List<float[][]> handed = layout.handedOver(run);

        assertThat(handed).hasSize(4);
        assertThat(handed.get(0)[1]).containsExactly(6, -3, 8, 9, 10);
        assertThat(handed.get(1)[0]).containsExactly(16, 17, -4, 19, 20);
        assertThat(handed.get(2)).isSameAs(run.get(4));
        assertThat(handed.get(3)).isSameAs(run.get(5));
        assertThat(layout.joined(run)).usingRecursiveComparison().isEqualTo(handed);
    }

    @Test
    void badShapesAreNamed() {
        assertThatThrownBy(() -> UnitLayout.cut(4, 3, true, new int[] {0, 2, 5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no tensor 3 and its bias among 4");
        assertThatThrownBy(() -> UnitLayout.cut(4, 0, true, new int[] {0, 5}))
                .hasMessageContaining("at least two parts");
        assertThatThrownBy(() -> UnitLayout.cut(4, 0, true, new int[] {0, 3, 3}))
                .hasMessageContaining("must increase");
        UnitLayout layout = UnitLayout.cut(4, 0, true, new int[] {0, 2, 6});
        assertThatThrownBy(() -> layout.copy(network()))
                .hasMessage("tensor 0 has rows of 5 values, the cut 6 units");
        assertThatThrownBy(() -> layout.joined(List.of()))
                .hasMessage("expected 6 tensors in the run's order, got 0");
    }
}
