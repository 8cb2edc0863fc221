package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.testing.ReferenceCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer and option against {@code reference/optimizers/optimizers.json}: PyTorch float64 where PyTorch has
 * the same update, else a numpy float64 transcription of Keras 3 (itself checked against PyTorch by
 * {@code generate.py}). The optimizer is built from the case's Keras config, so {@link Optimizer#fromKerasConfig}
 * is exercised too.
 */
class OptimizerStepsTest {

    private static final ReferenceCase REFERENCE = ReferenceCase.load("reference/optimizers/optimizers.json");

    static Stream<Arguments> cases() {
        return REFERENCE.list("cases").stream().map(c -> Arguments.of(((Map<?, ?>) c).get("name"), c));
    }

    /**
     * Weights and slots are float32 and each element's update is computed in double and rounded once, so each step
     * adds up to half an ulp of |w| (6e-8 at |w| < 1) per rounding, and the float32 slots feed back into later
     * steps. Ten steps stay far below 1e-6 + 1e-5 |w|; an error in a formula (a missing bias correction, epsilon in the
     * wrong place, a wrong order of decay and update) moves the weights by 1e-4 or more.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneAndTenStepsMatchTheReference(String name, Map<?, ?> reference) {
        @SuppressWarnings("unchecked")
        Optimizer optimizer = Optimizer.fromKerasConfig((String) reference.get("class_name"),
                (Map<String, ?>) reference.get("config"));
        List<float[][]> weights = new ArrayList<>();
        for (Object tensor : REFERENCE.list("initial_weights")) {
            weights.add(floats((List<?>) tensor));
        }
        OptimizerRun update = optimizer.start(weights);
        List<?> gradients = REFERENCE.list("gradients");
        for (int step = 0; step < 10; step++) {
            List<float[][]> g = new ArrayList<>();
            for (Object tensor : (List<?>) gradients.get(step)) {
                g.add(floats((List<?>) tensor));
            }
            update.apply(weights, g);
            if (step == 0) {
                assertClose(name + " after 1 step", weights, (List<?>) reference.get("after_1"));
            }
        }
        assertClose(name + " after 10 steps", weights, (List<?>) reference.get("after_10"));
        if (reference.containsKey("after_10_finalized")) {
            update.finish(weights);
            assertClose(name + " EMA weights at the end of fit", weights, (List<?>) reference.get("after_10_finalized"));
        }
        assertThat(update.iterations()).isEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configRoundTrips(String name, Map<?, ?> reference) {
        @SuppressWarnings("unchecked")
        Map<String, ?> config = (Map<String, ?>) reference.get("config");
        Optimizer optimizer = Optimizer.fromKerasConfig((String) reference.get("class_name"), config);
        assertThat(optimizer.kerasClassName()).isEqualTo(reference.get("class_name"));
        assertThat(Optimizer.fromKerasConfig(optimizer.kerasClassName(), optimizer.kerasConfig())).isEqualTo(optimizer);
        Map<String, Object> written = optimizer.kerasConfig();
        assertThat(written.keySet()).containsExactlyInAnyOrderElementsOf(config.keySet());
        for (String key : config.keySet()) {
            Object expected = config.get(key);
            Object actual = written.get(key);
            if (expected instanceof Number e && actual instanceof Number a) {
                assertThat(a.doubleValue()).as(name + " " + key).isEqualTo(e.doubleValue());
            } else if (!(expected instanceof Map)) {
                assertThat(actual).as(name + " " + key).isEqualTo(expected);
            }
        }
    }

    @Test
    void optionsCheckTheirArguments() {
        assertThatThrownBy(() -> Optimizer.sgd().clipNorm(1).clipValue(1))
                .hasMessage("only one of clipNorm, clipValue and globalClipNorm can be set (as in Keras); SGD(learningRate="
                        + "0.01, momentum=0.0, clipNorm=1.0) already clips, so clipValue cannot be added");
        assertThatThrownBy(() -> Optimizer.adam().clipNorm(-1)).hasMessage("clipNorm must be a finite number above 0, got -1.0");
        assertThatThrownBy(() -> Optimizer.adam().weightDecay(Double.NaN))
                .hasMessage("weightDecay must be a finite number >= 0, got NaN");
        assertThatThrownBy(() -> Optimizer.adam().ema(1.5)).hasMessage("ema momentum must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> Optimizer.rmsprop(0.1, 0.9, 1.0, 1e-7, false))
                .hasMessage("momentum must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> Optimizer.fromKerasConfig("Adamm", Map.of()))
                .hasMessage("unknown optimizer \"Adamm\"; known: SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax,"
                        + " Nadam, Lion, Ftrl");
        assertThatThrownBy(() -> Optimizer.fromKerasConfig("Adam", Map.of("beta_1", "0.9")))
                .hasMessage("Adam config \"beta_1\" must be a number, got 0.9");
        assertThatThrownBy(() -> Optimizer.fromKerasConfig("Adam", Map.of("gradient_accumulation_steps", 4)))
                .hasMessage("Adam config \"gradient_accumulation_steps\" is 4; nn-core supports only null");
    }

    @Test
    void namesDefaultsAndToString() {
        assertThat(Optimizer.adamW(1e-3).weightDecay(0.004).clipNorm(1.0).ema(0.99)).hasToString(
                "AdamW(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7, weightDecay=0.004, clipNorm=1.0, ema=0.99)");
        assertThat(Optimizer.adamW(1e-3)).isEqualTo(Optimizer.adamW(1e-3).weightDecay(0.004));
        assertThat(Optimizer.rmsprop()).isEqualTo(Optimizer.rmsprop(0.001, 0.9, 0, 1e-7, false));
        assertThat(List.of(Optimizer.sgd(), Optimizer.adam(), Optimizer.adamW(0.001), Optimizer.rmsprop(), Optimizer.adagrad(),
                Optimizer.adadelta(), Optimizer.adamax(), Optimizer.nadam(), Optimizer.lion(), Optimizer.ftrl()))
                .extracting(Optimizer::kerasName)
                .containsExactly("sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "lion", "ftrl");
        assertThat(Optimizer.sgd().kerasConfig()).containsEntry("name", "SGD").containsEntry("learning_rate", 0.01);
        assertThat(Optimizer.fromKerasConfig("sgd", Map.of())).isEqualTo(Optimizer.sgd());
        assertThat(Optimizer.fromKerasConfig("adam", Map.of())).isEqualTo(Optimizer.adam());
    }

    /** The brief's and the class Javadoc's example, verbatim. */
    @Test
    void classExample() {
        Optimizer plain = Optimizer.sgd(0.01);
        Optimizer adam = Optimizer.adam();                  // Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7)
        Optimizer tuned = Optimizer.adamW(1e-3).weightDecay(0.004).clipNorm(1.0).ema(0.99)
                .withSchedule(LearningRateSchedule.cosineDecay(1e-3, 10_000, 0.0));
        Map<String, Object> config = tuned.kerasConfig();  // {name=adamw, learning_rate={class_name=CosineDecay, ...}, ...}

        assertThat(plain.learningRate()).isEqualTo(0.01);
        assertThat(adam).hasToString("Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7)");
        assertThat(config).containsEntry("name", "adamw").containsEntry("clipnorm", 1.0).containsEntry("use_ema", true);
        assertThat(((Map<?, ?>) config.get("learning_rate")).get("class_name")).isEqualTo("CosineDecay");
        assertThat(Optimizer.fromKerasConfig("AdamW", config)).isEqualTo(tuned);
    }

    /** The UpdateRule Javadoc's heavy-ball rule gives SGD(momentum=0.9)'s numbers. */
    @Test
    void customRuleWithSlots() {
        UpdateRule momentum = new UpdateRule() {
            @Override
            public int slots() {
                return 1;
            }

            @Override
            public void update(float[][] weight, float[][] gradient, float[][][] slots, double learningRate, long iterations) {
                float[][] velocity = slots[0];
                for (int r = 0; r < weight.length; r++) {
                    for (int c = 0; c < weight[r].length; c++) {
                        velocity[r][c] = (float) (0.9 * velocity[r][c] - learningRate * gradient[r][c]);
                        weight[r][c] += velocity[r][c];
                    }
                }
            }
        };
        Optimizer mine = Optimizer.custom("heavy_ball", 0.01, momentum).clipNorm(1.0);
        Optimizer builtIn = Optimizer.sgd(0.01, 0.9).clipNorm(1.0);
        List<float[][]> a = List.<float[][]>of(new float[][] {{1, -2}, {0.5f, 3}});
        List<float[][]> b = List.<float[][]>of(new float[][] {{1, -2}, {0.5f, 3}});
        OptimizerRun ua = mine.start(a);
        OptimizerRun ub = builtIn.start(b);
        for (int step = 0; step < 5; step++) {
            ua.apply(a, List.<float[][]>of(new float[][] {{2 * a.get(0)[0][0], 1}, {-3, 0.25f}}));
            ub.apply(b, List.<float[][]>of(new float[][] {{2 * b.get(0)[0][0], 1}, {-3, 0.25f}}));
        }
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                // the custom rule rounds the velocity to float32 before adding it; the built-in adds the double
                assertThat(a.get(0)[r][c]).isCloseTo(b.get(0)[r][c], org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
        assertThat(mine.kerasName()).isEqualTo("heavy_ball");
        assertThat(ua.variables()).hasSize(1);
    }

    @Test
    void aScheduleCannotBeOverwrittenButAFixedRateCan() {
        List<float[][]> w = List.<float[][]>of(new float[][] {{1}});
        OptimizerRun fixed = Optimizer.sgd(0.1).start(w);
        fixed.setLearningRate(0.5);
        fixed.apply(w, List.<float[][]>of(new float[][] {{1}}));
        assertThat(w.get(0)[0][0]).isEqualTo(0.5f);
        OptimizerRun scheduled = Optimizer.sgd().withSchedule(step -> 0.1).start(w);
        assertThatThrownBy(() -> scheduled.setLearningRate(0.5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be set (Keras refuses too)");
    }

    private static float[][] floats(List<?> rows) {
        double[][] values = ReferenceCase.doubles(rows);
        float[][] out = new float[values.length][];
        for (int r = 0; r < values.length; r++) {
            out[r] = new float[values[r].length];
            for (int c = 0; c < values[r].length; c++) {
                out[r][c] = (float) values[r][c];
            }
        }
        return out;
    }

    private static void assertClose(String what, List<float[][]> actual, List<?> expected) {
        for (int t = 0; t < actual.size(); t++) {
            double[][] e = ReferenceCase.doubles((List<?>) expected.get(t));
            for (int r = 0; r < e.length; r++) {
                for (int c = 0; c < e[r].length; c++) {
                    double a = actual.get(t)[r][c];
                    assertThat(Math.abs(a - e[r][c])).as("%s, tensor %d [%d][%d]: %s vs %s", what, t, r, c, a, e[r][c])
                            .isLessThanOrEqualTo(1e-6 + 1e-5 * Math.abs(e[r][c]));
                }
            }
        }
    }
}
