package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.nncore.internal.Json;
import dev.nncore.testing.ReferenceCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every activation against independent float64 references: PyTorch 1.13 autograd in float64, checked against
 * 80-digit mpmath, with TensorFlow/Keras's derivative at each kink (see
 * {@code src/test/resources/reference/activations/README.md} and {@code generate.py} beside it).
 *
 * <p>Tolerances, {@code |actual - expected| <= atol + rtol * |expected|}:
 * <ul>
 *   <li>{@code apply}: 1e-6 + 1e-6. The inputs are exact floats and the value is computed in double and rounded
 *       once, which costs half an ulp (6e-8 relative); the rest is room for the double computation, none for a
 *       wrong formula. Where the true value overflows float32 (exp(88.8) = 3.7e38, exp(100)) the expected value is
 *       the float it rounds to, +Infinity.</li>
 *   <li>{@code apply64}: 1e-12 + 1e-12. The references are within 6e-14 relative of mpmath; this leaves room for
 *       {@code exp(x) - 1} instead of {@code expm1}, {@code 1 + erf} instead of {@code erfc} and the like (about
 *       1e-16 absolute), but not for a float32-grade approximation: gelu needs an erf good to ~1e-13, softplus
 *       must not overflow at 1000.</li>
 *   <li>{@code gradient}: 1e-5 + 1e-5, float32 results however they are computed; the same overflow rule.</li>
 * </ul>
 * No result may be NaN (no reference is), and an expected infinity must be matched exactly.
 */
class ActivationReferenceTest {

    private static final String RESOURCE = "reference/activations/activations.json";

    private static final double APPLY_ATOL = 1e-6;
    private static final double APPLY_RTOL = 1e-6;
    private static final double APPLY64_ATOL = 1e-12;
    private static final double APPLY64_RTOL = 1e-12;
    private static final double GRADIENT_ATOL = 1e-5;
    private static final double GRADIENT_RTOL = 1e-5;

    /** The names {@code Activation.fromKerasName} accepts, per the spec. */
    private static final Set<String> KERAS_NAMES = Set.of("linear", "relu", "relu6", "leaky_relu", "elu", "selu",
            "gelu", "silu", "swish", "softplus", "softsign", "hard_sigmoid", "hard_silu", "hard_swish", "exponential",
            "mish", "log_softmax", "sigmoid", "tanh", "softmax");

    /** The constants, by the Keras name of the function each one is. */
    private static final Map<String, Activation> CONSTANTS = Map.ofEntries(
            Map.entry("linear", Activation.LINEAR),
            Map.entry("relu", Activation.RELU),
            Map.entry("sigmoid", Activation.SIGMOID),
            Map.entry("tanh", Activation.TANH),
            Map.entry("softmax", Activation.SOFTMAX),
            Map.entry("relu6", Activation.RELU6),
            Map.entry("selu", Activation.SELU),
            Map.entry("silu", Activation.SILU),
            Map.entry("softplus", Activation.SOFTPLUS),
            Map.entry("softsign", Activation.SOFTSIGN),
            Map.entry("hard_sigmoid", Activation.HARD_SIGMOID),
            Map.entry("hard_silu", Activation.HARD_SILU),
            Map.entry("exponential", Activation.EXPONENTIAL),
            Map.entry("mish", Activation.MISH),
            Map.entry("log_softmax", Activation.LOG_SOFTMAX),
            Map.entry("gelu", Activation.GELU));

    private static List<Map<?, ?>> cases() {
        Map<String, Object> reference = Json.parseObject(ReferenceCase.text(RESOURCE));
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object c : (List<?>) reference.get("cases")) {
            out.add((Map<?, ?>) c);
        }
        return out;
    }

    @TestFactory
    Stream<DynamicNode> everyActivationMatchesTheFloat64Reference() {
        return cases().stream().<DynamicNode>map(c -> {
            String id = (String) c.get("id");
            List<DynamicNode> nodes = new ArrayList<>();
            variants(c).forEach((label, activation) -> nodes.add(dynamicContainer(label, Stream.of(
                    dynamicTest("apply (float32)", () -> checkApply(id + " " + label, activation.get(), c)),
                    dynamicTest("apply64", () -> checkApply64(id + " " + label, activation.get(), c)),
                    dynamicTest("gradient", () -> checkGradient(id + " " + label, activation.get(), c))))));
            if (Boolean.TRUE.equals(c.get("by_name"))) {
                String name = (String) c.get("name");
                nodes.add(dynamicTest("kerasName() is \"" + name + "\"",
                        () -> assertThat(Activation.fromKerasName(name).kerasName()).isEqualTo(name)));
            }
            return dynamicContainer(id, nodes);
        });
    }

    /**
     * The ways to obtain the case's function: by name (and alias) and as a constant when {@code by_name}, and with
     * its factory when it has parameters. Plain relu and relu6 are also the Keras ReLU layer with its defaults.
     */
    private static Map<String, Supplier<Activation>> variants(Map<?, ?> c) {
        String name = (String) c.get("name");
        Map<?, ?> params = (Map<?, ?>) c.get("params");
        Map<String, Supplier<Activation>> out = new LinkedHashMap<>();
        if (Boolean.TRUE.equals(c.get("by_name"))) {
            out.put("fromKerasName(\"" + name + "\")", () -> Activation.fromKerasName(name));
            for (Object alias : (List<?>) c.get("aliases")) {
                out.put("fromKerasName(\"" + alias + "\")", () -> Activation.fromKerasName((String) alias));
            }
            Activation constant = CONSTANTS.get(name);
            if (constant != null) {
                out.put("constant for " + name, () -> constant);
            }
        }
        if (!params.isEmpty()) {
            out.put("factory " + name + params, () -> factory(name, params));
        } else if (name.equals("relu")) {
            out.put("relu(null, 0, 0)", () -> Activation.relu(null, 0.0, 0.0));
        } else if (name.equals("relu6")) {
            out.put("relu(6, 0, 0)", () -> Activation.relu(6.0, 0.0, 0.0));
        }
        assertThat(out).as("case %s names no activation", c.get("id")).isNotEmpty();
        return out;
    }

    private static Activation factory(String name, Map<?, ?> params) {
        switch (name) {
            case "leaky_relu":
                return Activation.leakyRelu(number(params, "negative_slope"));
            case "elu":
                return Activation.elu(number(params, "alpha"));
            case "gelu":
                return Activation.gelu((Boolean) params.get("approximate"));
            case "relu": {
                Object max = params.get("max_value");
                Double maxValue = max == null ? null : Double.valueOf(((Number) max).doubleValue());
                return Activation.relu(maxValue, number(params, "negative_slope"), number(params, "threshold"));
            }
            case "hard_sigmoid":
                if ("keras2".equals(params.get("variant"))) {
                    return Activation.hardSigmoidKeras2();
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("no factory for " + name + " " + params);
    }

    private static double number(Map<?, ?> params, String key) {
        Object value = params.get(key);
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException("parameter " + key + " missing in " + params);
        }
        return ((Number) value).doubleValue();
    }

    private static void checkApply(String what, Activation activation, Map<?, ?> c) {
        double[][] rows = ReferenceCase.doubles((List<?>) c.get("rows"));
        double[][] expected = ReferenceCase.doubles((List<?>) c.get("output_f64"));
        SoftAssertions softly = new SoftAssertions();
        for (int r = 0; r < rows.length; r++) {
            float[] x = floats(rows[r]);
            float[] before = x.clone();
            float[] y = activation.apply(x);
            softly.assertThat(x).as("%s: apply changed its input, row %d", what, r).containsExactly(before);
            if (y == null || y.length != x.length) {
                softly.fail("%s: apply returned %s for a row of %d, row %d", what,
                        y == null ? "null" : y.length + " values", x.length, r);
                continue;
            }
            for (int j = 0; j < y.length; j++) {
                expectClose(softly, y[j], asFloat(expected[r][j]), APPLY_ATOL, APPLY_RTOL,
                        String.format("%s: apply, row %d [%d], x = %s", what, r, j, x[j]));
            }
        }
        softly.assertAll();
    }

    private static void checkApply64(String what, Activation activation, Map<?, ?> c) {
        double[][] rows = ReferenceCase.doubles((List<?>) c.get("rows"));
        double[][] expected = ReferenceCase.doubles((List<?>) c.get("output_f64"));
        SoftAssertions softly = new SoftAssertions();
        for (int r = 0; r < rows.length; r++) {
            double[] x = rows[r].clone();
            double[] y = activation.apply64(x);
            softly.assertThat(x).as("%s: apply64 changed its input, row %d", what, r).containsExactly(rows[r]);
            if (y == null || y.length != x.length) {
                softly.fail("%s: apply64 returned %s for a row of %d, row %d", what,
                        y == null ? "null" : y.length + " values", x.length, r);
                continue;
            }
            for (int j = 0; j < y.length; j++) {
                expectClose(softly, y[j], expected[r][j], APPLY64_ATOL, APPLY64_RTOL,
                        String.format("%s: apply64, row %d [%d], x = %s", what, r, j, x[j]));
            }
        }
        softly.assertAll();
    }

    private static void checkGradient(String what, Activation activation, Map<?, ?> c) {
        double[][] rows = ReferenceCase.doubles((List<?>) c.get("rows"));
        double[][] upstream = ReferenceCase.doubles((List<?>) c.get("upstream"));
        double[][] expected = ReferenceCase.doubles((List<?>) c.get("grad_f64"));
        SoftAssertions softly = new SoftAssertions();
        for (int r = 0; r < rows.length; r++) {
            float[] x = floats(rows[r]);
            float[] dy = floats(upstream[r]);
            float[] xBefore = x.clone();
            float[] dyBefore = dy.clone();
            float[] dx = activation.gradient(x, dy);
            softly.assertThat(x).as("%s: gradient changed its input, row %d", what, r).containsExactly(xBefore);
            softly.assertThat(dy).as("%s: gradient changed the upstream gradient, row %d", what, r)
                    .containsExactly(dyBefore);
            if (dx == null || dx.length != x.length) {
                softly.fail("%s: gradient returned %s for a row of %d, row %d", what,
                        dx == null ? "null" : dx.length + " values", x.length, r);
                continue;
            }
            for (int j = 0; j < dx.length; j++) {
                expectClose(softly, dx[j], asFloat(expected[r][j]), GRADIENT_ATOL, GRADIENT_RTOL,
                        String.format("%s: gradient, row %d [%d], x = %s, dL/dy = %s", what, r, j, x[j], dy[j]));
            }
        }
        softly.assertAll();
    }

    /** {@code |actual - expected| <= atol + rtol * |expected|}, no NaN, infinities exactly. */
    private static void expectClose(SoftAssertions softly, double actual, double expected, double atol, double rtol,
            String what) {
        if (Double.isNaN(expected)) {
            softly.assertThat(actual).as(what).isNaN();
        } else if (Double.isInfinite(expected)) {
            softly.assertThat(actual).as(what).isEqualTo(expected);
        } else {
            softly.assertThat(actual).as(what).isNotNaN()
                    .isCloseTo(expected, within(atol + rtol * Math.abs(expected)));
        }
    }

    /**
     * The expected value of a float32 result: the float64 reference itself, unless it lies beyond the float range,
     * where the correctly rounded float32 answer is the infinity it rounds to.
     */
    private static double asFloat(double expected) {
        float f = (float) expected;
        return Double.isFinite(expected) && Float.isInfinite(f) ? f : expected;
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    // ----- the reference file itself ------------------------------------------------------------------------------

    @Test
    void everyKerasNameAndEveryConstantHasACase() {
        Set<String> covered = new TreeSet<>();
        Set<String> ids = new TreeSet<>();
        for (Map<?, ?> c : cases()) {
            assertThat(ids.add((String) c.get("id"))).as("duplicate id %s", c.get("id")).isTrue();
            if (Boolean.TRUE.equals(c.get("by_name"))) {
                covered.add((String) c.get("name"));
                for (Object alias : (List<?>) c.get("aliases")) {
                    covered.add((String) alias);
                }
            }
        }
        assertThat(covered).containsExactlyInAnyOrderElementsOf(KERAS_NAMES);
        assertThat(covered).containsAll(CONSTANTS.keySet());
        assertThat(ids).contains("leaky_relu_0.01", "elu_0.5", "gelu_tanh", "relu_max6", "relu_slope0.1",
                "relu_threshold0.5", "relu_max6_slope0.1_threshold0.5", "hard_sigmoid_keras2");
    }

    @Test
    void referenceInputsAreFloat32AndShapesAgree() {
        for (Map<?, ?> c : cases()) {
            Object id = c.get("id");
            double[][] rows = ReferenceCase.doubles((List<?>) c.get("rows"));
            double[][] upstream = ReferenceCase.doubles((List<?>) c.get("upstream"));
            double[][] output = ReferenceCase.doubles((List<?>) c.get("output_f64"));
            double[][] grad = ReferenceCase.doubles((List<?>) c.get("grad_f64"));
            assertThat(upstream.length).as("%s rows", id).isEqualTo(rows.length);
            assertThat(output.length).as("%s rows", id).isEqualTo(rows.length);
            assertThat(grad.length).as("%s rows", id).isEqualTo(rows.length);
            for (int r = 0; r < rows.length; r++) {
                assertThat(upstream[r]).as("%s row %d", id, r).hasSameSizeAs(rows[r]);
                assertThat(output[r]).as("%s row %d", id, r).hasSameSizeAs(rows[r]);
                assertThat(grad[r]).as("%s row %d", id, r).hasSameSizeAs(rows[r]);
                for (int j = 0; j < rows[r].length; j++) {
                    assertThat((double) (float) rows[r][j]).as("%s x[%d][%d]", id, r, j).isEqualTo(rows[r][j]);
                    assertThat((double) (float) upstream[r][j]).as("%s dy[%d][%d]", id, r, j)
                            .isEqualTo(upstream[r][j]);
                    assertThat(output[r][j]).as("%s f[%d][%d]", id, r, j).isNotNaN();
                    assertThat(grad[r][j]).as("%s df[%d][%d]", id, r, j).isNotNaN();
                }
            }
            if (!"exponential".equals(id)) {
                assertThat(Arrays.stream(output).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite))
                        .as("%s values finite", id).isTrue();
                assertThat(Arrays.stream(grad).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite))
                        .as("%s gradients finite", id).isTrue();
            }
        }
    }
}
