package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.testing.ReferenceCase;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every schedule at chosen steps against {@code reference/optimizers/schedules.json} (PyTorch or numpy float64). */
class ScheduleReferenceTest {

    static Stream<Arguments> cases() {
        return ReferenceCase.load("reference/optimizers/schedules.json").list("cases").stream().map(c -> {
            Map<?, ?> spec = (Map<?, ?>) ((Map<?, ?>) c).get("learning_rate");
            return Arguments.of(spec.get("class_name") + " " + spec.get("config"), c);
        });
    }

    /** Both sides are float64 of the same closed form; 1e-12 leaves room for pow and cos rounding differences only. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void valuesMatchAtChosenSteps(String name, Map<?, ?> reference) {
        Map<?, ?> spec = (Map<?, ?>) reference.get("learning_rate");
        LearningRateSchedule schedule = LearningRateSchedule.fromKerasConfig((String) spec.get("class_name"),
                (Map<String, ?>) spec.get("config"));
        List<?> steps = (List<?>) reference.get("steps");
        List<?> values = (List<?>) reference.get("values");
        for (int i = 0; i < steps.size(); i++) {
            long step = ((Number) steps.get(i)).longValue();
            double expected = ((Number) values.get(i)).doubleValue();
            assertThat(schedule.at(step)).as("%s at step %d", name, step)
                    .isCloseTo(expected, within(1e-12 + 1e-12 * Math.abs(expected)));
        }
        assertThat(schedule.kerasClassName()).isEqualTo(spec.get("class_name"));
        assertThat(LearningRateSchedule.fromKerasConfig(schedule.kerasClassName(), schedule.kerasConfig()))
                .isEqualTo(schedule);
    }

    @Test
    void javadocExamples() {
        LearningRateSchedule halving = LearningRateSchedule.exponentialDecay(0.1, 100, 0.5, true);
        double lr = halving.at(250);                         // 0.1 * 0.5^2 = 0.025
        LearningRateSchedule mine = step -> step < 1000 ? 1e-3 : 1e-4;
        Optimizer adam = Optimizer.adam().withSchedule(mine);

        assertThat(lr).isCloseTo(0.025, within(1e-15));
        assertThat(adam.learningRate()).isEqualTo(1e-3);
        assertThat(LearningRateSchedule.exponentialDecay(0.1, 10, 0.96, false).at(5)).isCloseTo(0.1 * Math.sqrt(0.96), within(1e-15));
        assertThat(LearningRateSchedule.inverseTimeDecay(0.1, 1, 0.5, false).at(2)).isCloseTo(0.05, within(1e-15));
        assertThat(LearningRateSchedule.piecewiseConstantDecay(new long[] {100, 200}, new double[] {1.0, 0.5, 0.1}).at(150))
                .isEqualTo(0.5);
        assertThat(LearningRateSchedule.polynomialDecay(0.1, 100, 0.0001, 1.0, false).at(50)).isCloseTo(0.05005, within(1e-15));
        assertThat(LearningRateSchedule.cosineDecay(0.1, 1000, 0.0).at(500)).isCloseTo(0.05, within(1e-15));
        assertThat(LearningRateSchedule.cosineDecay(0.0, 1000, 0.0, 1e-3, 100).at(50)).isCloseTo(5e-4, within(1e-15));
        assertThat(LearningRateSchedule.cosineDecayRestarts(0.1, 100, 2.0, 1.0, 0.0).at(100)).isCloseTo(0.1, within(1e-15));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> LearningRateSchedule.exponentialDecay(0.1, 0, 0.5, false))
                .hasMessage("decaySteps must be at least 1, got 0");
        assertThatThrownBy(() -> LearningRateSchedule.piecewiseConstantDecay(new long[] {1, 2}, new double[] {1, 2}))
                .hasMessage("values must have one more entry than boundaries: got 2 boundaries [1, 2] and 2 values [1.0, 2.0]");
        assertThatThrownBy(() -> LearningRateSchedule.cosineDecay(0.1, 10, 1.5)).hasMessage("alpha must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> LearningRateSchedule.fromKerasConfig("StepDecay", Map.of()))
                .hasMessageStartingWith("unknown learning rate schedule \"StepDecay\"");
    }
}
