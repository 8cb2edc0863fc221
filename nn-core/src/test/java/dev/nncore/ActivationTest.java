package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationTest {

    @Test
    void kerasNamesGoBothWays() {
        for (Activation activation : Activation.values()) {
            assertThat(Activation.fromKerasName(activation.kerasName())).isSameAs(activation);
        }
        assertThat(Activation.RELU.kerasName()).isEqualTo("relu");
        assertThat(Activation.fromKerasName("Softmax")).isSameAs(Activation.SOFTMAX);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Activation.fromKerasName("relux")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown activation 'relux'; nn-core knows linear, relu, sigmoid, tanh, softmax, relu6, selu, gelu");
        assertThatThrownBy(() -> Activation.fromKerasName(null)).hasMessageContaining("Unknown activation 'null'");
    }

    @Test
    void valuesMatchTheirDefinitions() {
        assertThat(Activation.LINEAR.apply(-3f, 2.5f)).containsExactly(-3f, 2.5f);
        assertThat(Activation.RELU.apply(-1.3f, 0f, 1.2f)).containsExactly(0f, 0f, 1.2f);
        // sigmoid(0) = 1/2; sigmoid(ln 3) = 3/4; tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6
        assertThat(Activation.SIGMOID.apply(0f, (float) Math.log(3))[1]).isCloseTo(0.75f, within(1e-7f));
        assertThat(Activation.SIGMOID.apply(0f)[0]).isEqualTo(0.5f);
        assertThat(Activation.TANH.apply((float) Math.log(2))[0]).isCloseTo(0.6f, within(1e-7f));
        // softmax(ln 1, ln 2, ln 5) = (1, 2, 5) / 8
        float[] p = Activation.SOFTMAX.apply(0f, (float) Math.log(2), (float) Math.log(5));
        assertThat(p[0]).isCloseTo(0.125f, within(1e-7f));
        assertThat(p[1]).isCloseTo(0.25f, within(1e-7f));
        assertThat(p[2]).isCloseTo(0.625f, within(1e-7f));
    }

    @Test
    void saturatesWithoutNanForLargeInputs() {
        assertThat(Activation.SIGMOID.apply(1000f, -1000f, 89f, -110f)).containsExactly(1f, 0f, 1f, 0f);
        assertThat(Activation.SIGMOID.apply(-89f)[0]).isEqualTo((float) Math.exp(-89)); // subnormal, not flushed to 0
        assertThat(Activation.TANH.apply(1000f, -1000f)).containsExactly(1f, -1f);
        float[] p = Activation.SOFTMAX.apply(1000f, 1000f, -1000f);
        assertThat(p).containsExactly(0.5f, 0.5f, 0f);
        assertThat(Activation.SOFTMAX.apply(Float.MAX_VALUE, 0f)).containsExactly(1f, 0f);
    }

    @Test
    void softmaxRowsSumToOne() {
        float[] p = Activation.SOFTMAX.apply(3.2f, -7f, 0.01f, 12f, 1000f);
        double sum = 0;
        for (float v : p) {
            sum += v;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void softmaxInFloatStaysWithinAFewUlpOfTheDoubleFormula() {
        // the float32 softmax (FloatExp, the difference to the max taken exactly) against the same formula in double
        java.util.SplittableRandom random = new java.util.SplittableRandom(18);
        int worst = 0;
        for (int width : new int[] {1, 2, 3, 10, 100, 1000}) {
            for (double scale : new double[] {0.01, 1, 5, 30}) {
                for (int trial = 0; trial < 50; trial++) {
                    float[] row = new float[width];
                    double[] exact = new double[width];
                    for (int j = 0; j < width; j++) {
                        row[j] = (float) (random.nextGaussian() * scale);
                        exact[j] = row[j];
                    }
                    Activation.SOFTMAX.function().apply(row);
                    Activation.SOFTMAX.function().apply(exact);
                    for (int j = 0; j < width; j++) { // every term, down to subnormal ones (scale 30)
                        worst = Math.max(worst, Math.abs(Float.floatToIntBits(row[j])
                                - Float.floatToIntBits((float) exact[j])));
                    }
                }
            }
        }
        assertThat(worst).isBetween(1, 4);
    }

    @Test
    void aSoftmaxOverOneValueIsOneOrNaNAsTheFormulaGives() {
        for (float x : new float[] {0f, -0f, 3.5f, -1e30f, Float.MAX_VALUE, Float.MIN_VALUE}) {
            assertThat(Activation.SOFTMAX.apply(x)).as("softmax(%s)", x).containsExactly(1f);
        }
        for (float x : new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}) {
            double[] wide = {x};
            Activation.SOFTMAX.function().apply(wide); // the formula in double: e^(x - x) is NaN here
            assertThat(wide[0]).isNaN();
            assertThat(Activation.SOFTMAX.apply(x)[0]).as("softmax(%s)", x).isNaN();
        }
    }

    /**
     * Elementwise activations widen a row to float64 a chunk at a time (for speed); the bits must be those of each
     * element's own float64 value rounded once, and each gradient element's {@code upstream * f'(z)}, across chunks.
     */
    @Test
    void elementwiseRowsHaveTheBitsOfEachElementsOwnFormula() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        float[] specials = {0f, -0f, 1e-30f, -1e-30f, 88f, -88f, 1000f, -1000f, Float.MIN_VALUE, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        int width = 2500; // past two chunks
        float[] z = new float[width];
        float[] upstream = new float[width];
        for (int j = 0; j < width; j++) {
            z[j] = j < specials.length ? specials[j] : (float) (random.nextGaussian() * (j % 3 == 0 ? 30 : 2));
            upstream[j] = (float) random.nextGaussian();
        }
        List<Activation> all = new java.util.ArrayList<>(List.of(Activation.values()));
        all.addAll(List.of(Activation.leakyRelu(0.1), Activation.elu(0.7), Activation.gelu(true),
                Activation.relu(6.0, 0.1, 0.5), Activation.hardSigmoidKeras2()));
        int checked = 0;
        for (Activation activation : all) {
            if (!(activation.function() instanceof dev.nncore.activations.Elementwise f)
                    || activation.equals(Activation.RELU) || activation.equals(Activation.LINEAR)) {
                continue; // plain relu and linear have rows of their own (relu'(0) is +0.0 whatever the upstream's sign)
            }
            float[] a = z.clone();
            f.apply(a);
            float[] gradient = new float[width];
            f.gradient(f.needsInput() ? z : null, a, upstream, gradient);
            for (int j = 0; j < width; j++) {
                float value = (float) f.value(z[j]);
                float slope = (float) (upstream[j] * f.derivative(f.needsInput() ? z[j] : 0, a[j]));
                assertThat(Float.floatToIntBits(a[j])).as("%s(%s)", activation, z[j]).isEqualTo(Float.floatToIntBits(value));
                assertThat(Float.floatToIntBits(gradient[j])).as("%s'(%s)", activation, z[j])
                        .isEqualTo(Float.floatToIntBits(slope));
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void nanPropagatesAndNeverThrows() {
        assertThat(Activation.RELU.apply(Float.NaN)[0]).isNaN();
        assertThat(Activation.SIGMOID.apply(Float.NaN)[0]).isNaN();
        assertThat(Activation.TANH.apply(Float.NaN)[0]).isNaN();
        assertThat(Activation.SOFTMAX.apply(1f, Float.NaN)).containsOnly(Float.NaN);
    }

    @Test
    void reluMapsNegativeZeroToZero() {
        assertThat(Float.floatToIntBits(Activation.RELU.apply(-0f)[0])).isEqualTo(Float.floatToIntBits(0f));
    }

    @Test
    void applyToAMatrixWorksRowByRowAndLeavesTheInputAlone() {
        Matrix logits = Matrix.of(new float[][] {{0, 0}, {1000, 0}});
        Matrix p = Activation.SOFTMAX.apply(logits);
        assertThat(p).isEqualTo(Matrix.of(new float[][] {{0.5f, 0.5f}, {1, 0}}));
        assertThat(logits.get(1, 0)).isEqualTo(1000f);
        float[] row = {-1, 1};
        Activation.RELU.apply(row);
        assertThat(row).containsExactly(-1, 1);
    }
}
