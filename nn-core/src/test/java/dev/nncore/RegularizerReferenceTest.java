package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regularizer penalties and gradients, and constraints, against {@code reference/regularizers/regularizers.json}
 * (Keras 3's formulas in torch float64 with autograd, numpy float64 for constraints; {@code generate.py} beside it).
 * Penalties are summed in double from float32-exact weights (1e-12 relative); gradients and constrained weights are
 * float64 values rounded once to float32 (2^-23 relative).
 */
class RegularizerReferenceTest {

    /** Keras's epsilon() as the float32 it is, widened. */
    private static final double EPS = 1e-7f;

    @SuppressWarnings("unchecked")
    private static Stream<Map<String, Object>> section(String name) {
        return ((List<Map<String, Object>>) Fixtures.json("/reference/regularizers/regularizers.json").get(name)).stream();
    }

    static Stream<Map<String, Object>> regularizers() {
        return section("regularizers");
    }

    static Stream<Map<String, Object>> constraints() {
        return section("constraints");
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("regularizers")
    void penaltyAndGradientMatchTheFloat64Reference(Map<String, Object> c) {
        Regularizer regularizer = Regularizer.fromKeras((String) c.get("class_name"), (Map<String, Object>) c.get("config"));
        float[][] weight = Fixtures.floats2d(c.get("weight"));
        double expected = ((Number) c.get("penalty_f64")).doubleValue();
        assertThat(regularizer.penalty(weight)).as(regularizer.toString()).isCloseTo(expected, within(1e-12 * Math.abs(expected)));
        float[][] gradient = new float[weight.length][weight[0].length];
        regularizer.addGradient(weight, 1.0, gradient);
        Fixtures.assertClose(Matrix.of(gradient), Fixtures.doubles2d(c.get("grad_f64")), 1e-12, 0x1p-23, regularizer + " gradient");
        assertThat(regularizer.config()).isEqualTo(c.get("config"));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("constraints")
    void constraintsMatchTheFloat64Reference(Map<String, Object> c) {
        Constraint constraint = Constraint.fromKeras((String) c.get("class_name"), (Map<String, Object>) c.get("config"));
        float[][] weight = Fixtures.floats2d(c.get("weight"));
        float[][] copy = Fixtures.floats2d(c.get("weight"));
        constraint.applyInPlace(copy, (Boolean) c.get("one_dimensional"));
        Fixtures.assertClose(Matrix.of(copy), Fixtures.doubles2d(c.get("constrained_f64")), 1e-12, 0x1p-23, constraint.toString());
        if (!(Boolean) c.get("one_dimensional")) {
            assertThat(constraint.apply(weight)).isDeepEqualTo(copy);
        }
    }

    @Test
    void knownCasesAndErrors() {
        float[][] kernel = {{1, -2}, {3, 0}};
        assertThat(Regularizer.l2(0.01).penalty(kernel)).isCloseTo(0.14, within(1e-15));
        float[][] gradient = new float[2][2];
        Regularizer.l2(0.01).addGradient(kernel, 1.0, gradient);
        assertThat(gradient).isDeepEqualTo(new float[][] {{0.02f, -0.04f}, {0.06f, 0}});
        assertThat(Constraint.maxNorm(2, 0).apply(new float[][] {{3, 0}, {4, 1}}))
                .isDeepEqualTo(new float[][] {{(float) (3 * (2 / (5 + EPS))), 0}, {(float) (4 * (2 / (5 + EPS))), (float) (1 / (1 + EPS))}});
        assertThat(Regularizer.fromKeras("l1_l2", Map.of("l1", 0.5))).isEqualTo(Regularizer.l1l2(0.5, 0));
        assertThat(Regularizer.fromKeras("L2", Map.of())).isEqualTo(Regularizer.l2(0.01));
        assertThat(Constraint.fromKeras("max_norm", Map.of("max_value", 3, "axis", List.of(0)))).isEqualTo(Constraint.maxNorm(3, 0));
        assertThatThrownBy(() -> Regularizer.fromKeras("L3", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown regularizer 'L3'; nn-core knows L1, L2, L1L2 and OrthogonalRegularizer");
        assertThatThrownBy(() -> Regularizer.orthogonal(0.01, "rows").penalty(new float[][] {{1, 2, 3}}))
                .hasMessage("OrthogonalRegularizer (mode rows) needs at least 2 rows, got a 1x3 weight");
        assertThatThrownBy(() -> Dense.withoutBias(kernel, Activation.LINEAR).withRegularizers(null, Regularizer.l2(1), null))
                .hasMessage("Dense \"dense\" has no bias (use_bias=False), so it takes no bias_regularizer");
    }

    @Test
    void denseKeepsItsSettingsThroughRenamingAndEquality() {
        Dense plain = Dense.of(new float[][] {{1, -2}, {3, -4}}, new float[] {5, -6}, Activation.RELU);
        Dense regularised = plain.withRegularizers(Regularizer.l2(0.01), Regularizer.l1(0.1), null)
                .withConstraints(Constraint.nonNeg(), null).withInitializers(Initializer.HE_NORMAL, Initializer.ONES);
        assertThat(regularised).isNotEqualTo(plain);
        Dense renamed = regularised.named("hidden");
        assertThat(renamed.kernelRegularizer()).contains(Regularizer.l2(0.01));
        assertThat(renamed.biasRegularizer()).contains(Regularizer.l1(0.1));
        assertThat(renamed.kernelConstraint()).contains(Constraint.nonNeg());
        assertThat(renamed.kernelInitializer()).isEqualTo(Initializer.HE_NORMAL);
        assertThat(plain.kernelInitializer()).isEqualTo(Initializer.GLOROT_UNIFORM);
        assertThat(regularised.withRegularizers(null, null, null).withConstraints(null, null)
                .withInitializers(Initializer.GLOROT_UNIFORM, Initializer.ZEROS)).isEqualTo(plain)
                .hasSameHashCodeAs(plain);
    }
}
