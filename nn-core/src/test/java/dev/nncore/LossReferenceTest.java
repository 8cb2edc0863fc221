package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss against {@code reference/losses/losses.json}: PyTorch float64 where PyTorch has the same function,
 * else Keras 3's formula written in torch float64 ops and differentiated by torch autograd ({@code generate.py} beside
 * it). Inputs are float32-exact, so nn-core's double accumulation meets the float64 value to ~1e-15 (1e-12 allowed);
 * the gradient is the float64 derivative rounded once to float32, so within 2^-23 relative, plus 1e-12 absolute for
 * entries that are 0 in one and a few ulps of 0 in the other.
 */
class LossReferenceTest {

    @SuppressWarnings("unchecked")
    static Stream<Map<String, Object>> cases() {
        return ((List<Map<String, Object>>) Fixtures.json("/reference/losses/losses.json").get("cases")).stream();
    }

    /** The loss a case names, made through the public factories with the case's parameters. */
    static Loss loss(Map<String, Object> c) {
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) c.get("params");
        String name = (String) c.get("loss");
        boolean logits = Boolean.TRUE.equals(params.get("from_logits"));
        double smoothing = params.containsKey("label_smoothing") ? ((Number) params.get("label_smoothing")).doubleValue() : 0;
        return switch (name) {
            case "binary_crossentropy" -> Loss.binaryCrossentropy(logits, smoothing);
            case "categorical_crossentropy" -> Loss.categoricalCrossentropy(logits, smoothing);
            case "sparse_categorical_crossentropy" -> Loss.sparseCategoricalCrossentropy(logits);
            case "huber" -> Loss.huber(((Number) params.get("delta")).doubleValue());
            case "binary_focal_crossentropy" -> Loss.binaryFocalCrossentropy((Boolean) params.get("apply_class_balancing"),
                    ((Number) params.get("alpha")).doubleValue(), ((Number) params.get("gamma")).doubleValue(), logits, smoothing);
            default -> Loss.fromKerasName(name);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valueAndGradientMatchTheFloat64Reference(Map<String, Object> c) {
        Loss loss = loss(c);
        String name = (String) c.get("name");
        Matrix predicted = Fixtures.matrix(c.get("predictions"));
        Matrix target = Fixtures.matrix(c.get("targets"));
        double expected = ((Number) c.get("loss_f64")).doubleValue();
        assertThat(loss.value(predicted, target)).as(name).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
        double[] perSample = Fixtures.doubles1d(c.get("per_sample_loss_f64"));
        double[] actual = loss.perSample(predicted, target);
        for (int i = 0; i < perSample.length; i++) {
            assertThat(actual[i]).as("%s sample %d", name, i).isCloseTo(perSample[i], within(1e-12 * Math.max(1, Math.abs(perSample[i]))));
        }
        Fixtures.assertClose(loss.gradient(predicted, target), Fixtures.doubles2d(c.get("grad_wrt_predictions_f64")),
                1e-12, 0x1p-23, name + " gradient");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kerasNameAndParametersRoundTrip(Map<String, Object> c) {
        Loss loss = loss(c);
        assertThat(loss.kerasName()).isEqualTo(c.get("loss"));
        assertThat(Loss.fromKerasName(loss.kerasName()).kerasName()).isEqualTo(loss.kerasName());
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) c.get("params");
        for (Map.Entry<String, Object> entry : loss.parameters().entrySet()) {
            assertThat(params).as("%s parameter %s", c.get("name"), entry.getKey()).containsKey(entry.getKey());
        }
    }
}
