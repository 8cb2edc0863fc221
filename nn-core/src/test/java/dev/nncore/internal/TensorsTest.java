package dev.nncore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorsTest {

    /** The class's Javadoc example: the copy holds the values in arrays of its own, row by row. */
    @Test
    void copiesHoldTheValuesInArraysOfTheirOwn() {
        float[][] original = {{1, 2}, {3, 4}};
        List<float[][]> mine = Tensors.copies(List.of(original, new float[][] {{5}}));
        assertThat(mine.get(0)).isDeepEqualTo(original).isNotSameAs(original);
        assertThat(mine.get(0)[1]).isNotSameAs(original[1]);
        mine.get(0)[0][0] = 9;
        assertThat(original[0][0]).isEqualTo(1f);
        assertThat(mine.get(1)).isDeepEqualTo(new float[][] {{5}});
        mine.add(new float[0][]); // modifiable, as a fit's second set of weights is built on it
        assertThat(mine).hasSize(3).isInstanceOf(ArrayList.class);
    }
}
