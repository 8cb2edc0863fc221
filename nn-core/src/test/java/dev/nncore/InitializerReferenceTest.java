package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every initializer's sample mean and variance over 300 000 draws against the moments Keras 3's formulas give
 * ({@code reference/initializers/initializers.json}, numpy float64, {@code generate.py} beside it), within six
 * standard errors of the sampling (from the file's fourth moment); every draw inside the distribution's support; and
 * orthogonal kernels orthogonal to float32 rounding. A factor such as the 0.8796 correction, a fan mode or a scale
 * of 2 missing moves the variance by 10 % or more, dozens of standard errors.
 */
class InitializerReferenceTest {

    private static final int DRAWS = 300_000;

    @SuppressWarnings("unchecked")
    static Stream<Map<String, Object>> cases() {
        return ((List<Map<String, Object>>) Fixtures.json("/reference/initializers/initializers.json").get("cases")).stream();
    }

    static Initializer initializer(Map<String, Object> c) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) c.get("params");
        return switch ((String) c.get("name")) {
            case "variance_scaling" -> Initializer.varianceScaling(number(p, "scale"), (String) p.get("mode"),
                    (String) p.get("distribution"));
            case "random_normal" -> Initializer.randomNormal(number(p, "mean"), number(p, "stddev"));
            case "truncated_normal" -> Initializer.truncatedNormal(number(p, "mean"), number(p, "stddev"));
            case "random_uniform" -> Initializer.randomUniform(number(p, "minval"), number(p, "maxval"));
            case "orthogonal" -> Initializer.orthogonal(number(p, "gain"));
            default -> Initializer.fromKerasName((String) c.get("name"));
        };
    }

    private static double number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void momentsAndSupportMatchKerasFormulas(Map<String, Object> c) {
        Initializer initializer = initializer(c);
        @SuppressWarnings("unchecked")
        List<Number> shape = (List<Number>) c.get("shape");
        SplittableRandom random = new SplittableRandom(c.toString().hashCode());
        double[] values = new double[DRAWS];
        int count = 0;
        while (count < DRAWS) {
            float[][] drawn = shape.size() == 1 ? new float[][] {initializer.sample(shape.get(0).intValue(), random)}
                    : initializer.sample(shape.get(0).intValue(), shape.get(1).intValue(), random);
            for (float[] row : drawn) {
                for (int j = 0; j < row.length && count < DRAWS; j++) {
                    values[count++] = row[j];
                }
            }
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= DRAWS;
        double variance = 0;
        for (double v : values) {
            variance += (v - mean) * (v - mean);
        }
        variance /= DRAWS;
        double expectedVariance = number(c, "variance");
        double seMean = Math.sqrt(expectedVariance / DRAWS);
        double seVariance = Math.sqrt((number(c, "m4") - expectedVariance * expectedVariance) / DRAWS);
        String what = c.get("name") + " " + c.get("params") + " " + shape;
        assertThat(Math.abs(mean - number(c, "mean"))).as(what + " mean " + mean).isLessThanOrEqualTo(6 * seMean);
        assertThat(Math.abs(variance - expectedVariance)).as(what + " variance " + variance + " expected " + expectedVariance)
                .isLessThanOrEqualTo(6 * seVariance);
        if (c.get("low") != null) {
            float low = (float) number(c, "low");
            float high = (float) number(c, "high");
            for (double v : values) {
                assertThat(v).as(what + " support").isBetween((double) low, (double) high);
            }
        }
    }

    @ParameterizedTest(name = "orthogonal {0}x{1}, gain {2}")
    @MethodSource("orthogonalShapes")
    void orthogonalKernelsAreOrthogonal(int rows, int cols, double gain) {
        float[][] q = Initializer.orthogonal(gain).sample(rows, cols, new SplittableRandom(rows * 31L + cols));
        // the shorter side's vectors are orthonormal (times gain): Q^T Q for a tall kernel, Q Q^T for a wide one
        boolean tall = rows >= cols;
        int k = Math.min(rows, cols);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double dot = 0;
                for (int i = 0; i < Math.max(rows, cols); i++) {
                    dot += tall ? (double) q[i][a] * q[i][b] : (double) q[a][i] * q[b][i];
                }
                double expected = a == b ? gain * gain : 0;
                assertThat(Math.abs(dot - expected)).as("(%d, %d)", a, b).isLessThanOrEqualTo(2e-6 * gain * gain);
            }
        }
    }

    static Stream<Arguments> orthogonalShapes() {
        return Stream.of(Arguments.of(100, 40, 1.0), Arguments.of(40, 100, 2.0), Arguments.of(64, 64, 1.0),
                Arguments.of(1, 5, 1.0));
    }

    /** glorot_uniform draws exactly what nn-core drew before initializers were choosable: the seeds' networks hold. */
    @Test
    void glorotUniformAndZerosGiveTheDefaultDenseBitForBit() {
        Network plain = Network.builder(5).dense(7, Activation.RELU).dense(3, Activation.SOFTMAX).seed(11).build();
        Network chosen = Network.builder(5).dense(7, Activation.RELU, Initializer.GLOROT_UNIFORM, Initializer.ZEROS)
                .dense(3, Activation.SOFTMAX, Initializer.fromKerasName("GlorotUniform"), Initializer.fromKerasName("zeros"))
                .seed(11).build();
        assertThat(chosen.getWeights()).isEqualTo(plain.getWeights());
        Network he = Network.builder(5).dense(7, Activation.RELU, Initializer.HE_NORMAL, Initializer.constant(0.1))
                .dense(3, Activation.SOFTMAX).seed(11).build();
        assertThat(he.getWeights().get(1)).isEqualTo(Matrix.row(0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f));
        assertThat(he.getWeights().get(0)).isNotEqualTo(plain.getWeights().get(0));
        assertThat(Network.builder(5).dense(7, Activation.RELU, Initializer.HE_NORMAL, Initializer.ZEROS).seed(3).build()
                .getWeights()).isEqualTo(Network.builder(5).dense(7, Activation.RELU, Initializer.HE_NORMAL,
                Initializer.ZEROS).seed(3).build().getWeights());
    }

    @Test
    void kerasNamesClassNamesAndAliases() {
        for (Initializer initializer : Initializer.values()) {
            assertThat(Initializer.fromKerasName(initializer.kerasName())).isSameAs(initializer);
        }
        assertThat(Initializer.fromKerasName("HeNormal")).isSameAs(Initializer.HE_NORMAL);
        assertThat(Initializer.fromKerasName("GlorotUniform")).isSameAs(Initializer.GLOROT_UNIFORM);
        assertThat(Initializer.fromKerasName("normal")).isSameAs(Initializer.RANDOM_NORMAL);
        assertThat(Initializer.fromKerasName("Zeros")).isSameAs(Initializer.ZEROS);
        assertThat(Initializer.randomNormal(0, 0.05)).isEqualTo(Initializer.RANDOM_NORMAL);
        assertThat(Initializer.RANDOM_NORMAL.toString()).isEqualTo("random_normal{mean=0.0, stddev=0.05}");
        assertThatThrownBy(() -> Initializer.fromKerasName("identity")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown initializer 'identity'; nn-core knows glorot_uniform, glorot_normal, ");
        assertThatThrownBy(() -> Initializer.varianceScaling(1, "fan_sideways", "uniform"))
                .hasMessage("mode must be fan_in, fan_out or fan_avg, got 'fan_sideways'");
        assertThatThrownBy(() -> Initializer.ORTHOGONAL.sample(4, new SplittableRandom(1)))
                .hasMessage("orthogonal needs a 2-D weight such as a kernel, not a bias of 4");
    }
}
