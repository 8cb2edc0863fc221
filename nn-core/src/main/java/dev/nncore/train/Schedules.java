package dev.nncore.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's learning-rate schedules, {@code keras/src/optimizers/schedules/learning_rate_schedule.py}, in float64
 * (Keras computes them in float32). Made through {@link LearningRateSchedule}'s factories.
 */
final class Schedules {

    private Schedules() {
    }

    record ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
            implements LearningRateSchedule {
        ExponentialDecay {
            KerasConfig.positive(initialLearningRate, "initialLearningRate");
            positiveSteps(decaySteps, "decaySteps");
            KerasConfig.positive(decayRate, "decayRate");
        }

        @Override
        public double at(long step) {
            double p = (double) step / decaySteps;
            return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(p) : p);
        }

        @Override
        public String kerasClassName() {
            return "ExponentialDecay";
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return config("initial_learning_rate", initialLearningRate, "decay_steps", decaySteps, "decay_rate",
                    decayRate, "staircase", staircase);
        }
    }

    record InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
            implements LearningRateSchedule {
        InverseTimeDecay {
            KerasConfig.positive(initialLearningRate, "initialLearningRate");
            positiveSteps(decaySteps, "decaySteps");
            KerasConfig.atLeastZero(decayRate, "decayRate");
        }

        @Override
        public double at(long step) {
            double p = (double) step / decaySteps;
            return initialLearningRate / (1 + decayRate * (staircase ? Math.floor(p) : p));
        }

        @Override
        public String kerasClassName() {
            return "InverseTimeDecay";
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return config("initial_learning_rate", initialLearningRate, "decay_steps", decaySteps, "decay_rate",
                    decayRate, "staircase", staircase);
        }
    }

    record PiecewiseConstantDecay(long[] boundaries, double[] values) implements LearningRateSchedule {
        PiecewiseConstantDecay {
            if (boundaries == null || values == null) {
                throw new IllegalArgumentException("boundaries and values must not be null");
            }
            if (values.length != boundaries.length + 1) {
                throw new IllegalArgumentException("values must have one more entry than boundaries: got "
                        + boundaries.length + " boundaries " + Arrays.toString(boundaries) + " and " + values.length
                        + " values " + Arrays.toString(values));
            }
            for (int i = 1; i < boundaries.length; i++) {
                if (boundaries[i] <= boundaries[i - 1]) {
                    throw new IllegalArgumentException("boundaries must increase, got " + Arrays.toString(boundaries));
                }
            }
            for (double value : values) {
                KerasConfig.atLeastZero(value, "each value");
            }
            boundaries = boundaries.clone();
            values = values.clone();
        }

        @Override
        public double at(long step) {
            for (int i = 0; i < boundaries.length; i++) {
                if (step <= boundaries[i]) {
                    return values[i];
                }
            }
            return values[boundaries.length];
        }

        @Override
        public long[] boundaries() {
            return boundaries.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PiecewiseConstantDecay other && Arrays.equals(boundaries, other.boundaries)
                    && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(boundaries) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "PiecewiseConstantDecay[boundaries=" + Arrays.toString(boundaries) + ", values="
                    + Arrays.toString(values) + "]";
        }

        @Override
        public String kerasClassName() {
            return "PiecewiseConstantDecay";
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return config("boundaries", Arrays.stream(boundaries).boxed().toList(), "values",
                    Arrays.stream(values).boxed().toList());
        }
    }

    record PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate, double power,
            boolean cycle) implements LearningRateSchedule {
        PolynomialDecay {
            KerasConfig.positive(initialLearningRate, "initialLearningRate");
            positiveSteps(decaySteps, "decaySteps");
            KerasConfig.atLeastZero(endLearningRate, "endLearningRate");
            if (!Double.isFinite(power)) {
                throw new IllegalArgumentException("power must be finite, got " + power);
            }
        }

        @Override
        public double at(long step) {
            double steps = decaySteps;
            double s = step;
            if (cycle) {
                double multiplier = step == 0 ? 1 : Math.ceil(s / decaySteps);
                steps = decaySteps * multiplier;
            } else {
                s = Math.min(s, steps);
            }
            return (initialLearningRate - endLearningRate) * Math.pow(1 - s / steps, power) + endLearningRate;
        }

        @Override
        public String kerasClassName() {
            return "PolynomialDecay";
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return config("initial_learning_rate", initialLearningRate, "decay_steps", decaySteps,
                    "end_learning_rate", endLearningRate, "power", power, "cycle", cycle);
        }
    }

    /** {@code warmupTarget} NaN means no warm-up (Keras's {@code warmup_target=None}). */
    record CosineDecay(double initialLearningRate, long decaySteps, double alpha, double warmupTarget, long warmupSteps)
            implements LearningRateSchedule {
        CosineDecay {
            KerasConfig.atLeastZero(initialLearningRate, "initialLearningRate");
            positiveSteps(decaySteps, "decaySteps");
            unit(alpha);
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
            }
        }

        @Override
        public double at(long step) {
            if (Double.isNaN(warmupTarget)) {
                return decay(Math.min(step, decaySteps), initialLearningRate);
            }
            double s = Math.min(step, decaySteps + warmupSteps);
            if (s < warmupSteps) {
                return (warmupTarget - initialLearningRate) * (s / warmupSteps) + initialLearningRate;
            }
            return decay(s - warmupSteps, warmupTarget);
        }

        private double decay(double step, double from) {
            double cosine = 0.5 * (1 + Math.cos(Math.PI * step / decaySteps));
            return from * ((1 - alpha) * cosine + alpha);
        }

        @Override
        public String kerasClassName() {
            return "CosineDecay";
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return config("initial_learning_rate", initialLearningRate, "decay_steps", decaySteps, "alpha", alpha,
                    "warmup_target", Double.isNaN(warmupTarget) ? null : warmupTarget, "warmup_steps", warmupSteps);
        }
    }

    record CosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul, double mMul, double alpha)
            implements LearningRateSchedule {
        CosineDecayRestarts {
            KerasConfig.positive(initialLearningRate, "initialLearningRate");
            positiveSteps(firstDecaySteps, "firstDecaySteps");
            KerasConfig.positive(tMul, "tMul");
            KerasConfig.atLeastZero(mMul, "mMul");
            unit(alpha);
        }

        @Override
        public double at(long step) {
            double fraction = (double) step / firstDecaySteps;
            double restart;
            if (tMul == 1.0) {
                restart = Math.floor(fraction);
                fraction -= restart;
            } else {
                restart = Math.floor(Math.log(1 - fraction * (1 - tMul)) / Math.log(tMul));
                double sum = (1 - Math.pow(tMul, restart)) / (1 - tMul);
                fraction = (fraction - sum) / Math.pow(tMul, restart);
            }
            double cosine = 0.5 * Math.pow(mMul, restart) * (1 + Math.cos(Math.PI * fraction));
            return initialLearningRate * ((1 - alpha) * cosine + alpha);
        }

        @Override
        public String kerasClassName() {
            return "CosineDecayRestarts";
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return config("initial_learning_rate", initialLearningRate, "first_decay_steps", firstDecaySteps,
                    "t_mul", tMul, "m_mul", mMul, "alpha", alpha);
        }
    }

    static LearningRateSchedule fromKerasConfig(String className, Map<String, ?> map) {
        KerasConfig c = new KerasConfig(String.valueOf(className), map);
        String name = className == null ? "null" : className;
        return switch (name) {
            case "ExponentialDecay" -> new ExponentialDecay(c.number("initial_learning_rate", Double.NaN),
                    c.whole("decay_steps", 0), c.number("decay_rate", Double.NaN), c.flag("staircase", false));
            case "InverseTimeDecay" -> new InverseTimeDecay(c.number("initial_learning_rate", Double.NaN),
                    c.whole("decay_steps", 0), c.number("decay_rate", Double.NaN), c.flag("staircase", false));
            case "PiecewiseConstantDecay" -> new PiecewiseConstantDecay(
                    numbers(c.raw("boundaries"), "boundaries").stream().mapToLong(Number::longValue).toArray(),
                    numbers(c.raw("values"), "values").stream().mapToDouble(Number::doubleValue).toArray());
            case "PolynomialDecay" -> new PolynomialDecay(c.number("initial_learning_rate", Double.NaN),
                    c.whole("decay_steps", 0), c.number("end_learning_rate", 0.0001), c.number("power", 1.0),
                    c.flag("cycle", false));
            case "CosineDecay" -> new CosineDecay(c.number("initial_learning_rate", Double.NaN),
                    c.whole("decay_steps", 0), c.number("alpha", 0.0), c.number("warmup_target", Double.NaN),
                    c.whole("warmup_steps", 0));
            case "CosineDecayRestarts" -> new CosineDecayRestarts(c.number("initial_learning_rate", Double.NaN),
                    c.whole("first_decay_steps", 0), c.number("t_mul", 2.0), c.number("m_mul", 1.0),
                    c.number("alpha", 0.0));
            default -> throw new IllegalArgumentException("unknown learning rate schedule \"" + name + "\"; known: "
                    + "ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay, CosineDecay,"
                    + " CosineDecayRestarts");
        };
    }

    private static List<Number> numbers(Object value, String key) {
        if (!(value instanceof List<?> list) || !list.stream().allMatch(Number.class::isInstance)) {
            throw new IllegalArgumentException("PiecewiseConstantDecay config \"" + key + "\" must be a list of numbers,"
                    + " got " + value);
        }
        return list.stream().map(Number.class::cast).toList();
    }

    private static void positiveSteps(long steps, String name) {
        if (steps < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + steps);
        }
    }

    private static void unit(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
    }

    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
