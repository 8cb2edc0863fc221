package dev.nncore.train;

import java.util.Map;

/**
 * A learning rate as a function of the optimizer's step, Keras's {@code LearningRateSchedule}: the step is the
 * number of updates made before this one (Keras's {@code optimizer.iterations}, from 0), counted over the whole fit,
 * not per epoch. A lambda is a schedule of your own; the factories are Keras's, with its names, defaults and
 * formulas ({@code keras/src/optimizers/schedules/learning_rate_schedule.py}).
 *
 * <pre>{@code
 * LearningRateSchedule halving = LearningRateSchedule.exponentialDecay(0.1, 100, 0.5, true);
 * double lr = halving.at(250);                         // 0.1 * 0.5^2 = 0.025
 * LearningRateSchedule mine = step -> step < 1000 ? 1e-3 : 1e-4;
 * Optimizer adam = Optimizer.adam().withSchedule(mine);
 * }</pre>
 *
 * <p>A schedule should be a pure function of the step; the built-in ones are immutable and thread-safe.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * @param step updates made so far, from 0
     * @return the learning rate of the next update
     */
    double at(long step);

    /** @return Keras's class name, e.g. {@code "ExponentialDecay"}; null for a schedule of your own */
    default String kerasClassName() {
        return null;
    }

    /** @return Keras's {@code get_config()} of the schedule; empty for a schedule of your own */
    default Map<String, Object> kerasConfig() {
        return Map.of();
    }

    /**
     * Keras's {@code ExponentialDecay}: {@code initial * decayRate^(step / decaySteps)}, the exponent floored when
     * {@code staircase}. PyTorch's {@code ExponentialLR(gamma)} is this with {@code decaySteps = 1} counted in
     * epochs.
     * <pre>{@code
     * LearningRateSchedule.exponentialDecay(0.1, 10, 0.96, false).at(5);   // 0.1 * 0.96^0.5
     * }</pre>
     *
     * @param initialLearningRate the rate at step 0, finite and above 0
     * @param decaySteps at least 1
     * @param decayRate finite and above 0
     * @param staircase whether to decay in whole steps of {@code decaySteps}
     * @return the schedule
     */
    static LearningRateSchedule exponentialDecay(double initialLearningRate, long decaySteps, double decayRate,
            boolean staircase) {
        return new Schedules.ExponentialDecay(initialLearningRate, decaySteps, decayRate, staircase);
    }

    /**
     * Keras's {@code InverseTimeDecay}: {@code initial / (1 + decayRate * step / decaySteps)}, the quotient
     * {@code step / decaySteps} floored when {@code staircase}.
     * <pre>{@code
     * LearningRateSchedule.inverseTimeDecay(0.1, 1, 0.5, false).at(2);    // 0.1 / 2
     * }</pre>
     *
     * @param initialLearningRate the rate at step 0
     * @param decaySteps at least 1
     * @param decayRate finite and at least 0
     * @param staircase whether to decay in whole steps of {@code decaySteps}
     * @return the schedule
     */
    static LearningRateSchedule inverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate,
            boolean staircase) {
        return new Schedules.InverseTimeDecay(initialLearningRate, decaySteps, decayRate, staircase);
    }

    /**
     * Keras's {@code PiecewiseConstantDecay}: {@code values[0]} while {@code step <= boundaries[0]},
     * {@code values[i]} while {@code boundaries[i-1] < step <= boundaries[i]}, and the last value after the last
     * boundary.
     * <pre>{@code
     * LearningRateSchedule.piecewiseConstantDecay(new long[] {100, 200}, new double[] {1.0, 0.5, 0.1}).at(150); // 0.5
     * }</pre>
     *
     * @param boundaries increasing steps; not modified
     * @param values one more than the boundaries; not modified
     * @return the schedule
     */
    static LearningRateSchedule piecewiseConstantDecay(long[] boundaries, double[] values) {
        return new Schedules.PiecewiseConstantDecay(boundaries, values);
    }

    /**
     * Keras's {@code PolynomialDecay}: {@code (initial - end) * (1 - s / decaySteps)^power + end} with
     * {@code s = min(step, decaySteps)}; with {@code cycle}, {@code decaySteps} is instead multiplied by
     * {@code ceil(step / decaySteps)} (at least 1). PyTorch's {@code PolynomialLR} is this with {@code end = 0}.
     * <pre>{@code
     * LearningRateSchedule.polynomialDecay(0.1, 100, 0.0001, 1.0, false).at(50);   // 0.05005
     * }</pre>
     *
     * @param initialLearningRate the rate at step 0
     * @param decaySteps at least 1
     * @param endLearningRate the rate from {@code decaySteps} on (Keras's default 0.0001)
     * @param power finite (Keras's default 1.0)
     * @param cycle whether to start again from a lower peak after {@code decaySteps}
     * @return the schedule
     */
    static LearningRateSchedule polynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate,
            double power, boolean cycle) {
        return new Schedules.PolynomialDecay(initialLearningRate, decaySteps, endLearningRate, power, cycle);
    }

    /**
     * Keras's {@code CosineDecay} without warm-up: {@code initial * ((1 - alpha) * 0.5 * (1 + cos(pi * s /
     * decaySteps)) + alpha)} with {@code s = min(step, decaySteps)}. PyTorch's {@code CosineAnnealingLR} is this
     * with {@code eta_min = alpha * initial} up to {@code T_max}, but goes back up after it where Keras stays.
     * <pre>{@code
     * LearningRateSchedule.cosineDecay(0.1, 1000, 0.0).at(500);   // 0.05
     * }</pre>
     *
     * @param initialLearningRate the rate at step 0
     * @param decaySteps at least 1
     * @param alpha the final rate as a fraction of the initial one, in {@code [0, 1]}
     * @return the schedule
     */
    static LearningRateSchedule cosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        return new Schedules.CosineDecay(initialLearningRate, decaySteps, alpha, Double.NaN, 0);
    }

    /**
     * Keras's {@code CosineDecay(warmup_target, warmup_steps)}: a linear rise from {@code initial} to
     * {@code warmupTarget} over {@code warmupSteps}, then the cosine decay from {@code warmupTarget} over
     * {@code decaySteps}.
     * <pre>{@code
     * LearningRateSchedule.cosineDecay(0.0, 1000, 0.0, 1e-3, 100).at(50);   // 5e-4, half way up
     * }</pre>
     *
     * @param initialLearningRate the rate at step 0
     * @param decaySteps at least 1
     * @param alpha the final rate as a fraction of {@code warmupTarget}, in {@code [0, 1]}
     * @param warmupTarget the rate reached after the warm-up, finite and at least 0
     * @param warmupSteps at least 0
     * @return the schedule
     */
    static LearningRateSchedule cosineDecay(double initialLearningRate, long decaySteps, double alpha,
            double warmupTarget, long warmupSteps) {
        if (!Double.isFinite(warmupTarget) || warmupTarget < 0) {
            throw new IllegalArgumentException("warmupTarget must be a finite number >= 0, got " + warmupTarget);
        }
        return new Schedules.CosineDecay(initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps);
    }

    /**
     * Keras's {@code CosineDecayRestarts} (SGDR): cosine decays over {@code firstDecaySteps}, then over periods
     * {@code tMul} times longer, each restart's peak {@code mMul} times the last. PyTorch's
     * {@code CosineAnnealingWarmRestarts(T_0, T_mult, eta_min = alpha * initial)} is this with {@code mMul = 1} and
     * a whole {@code tMul}.
     * <pre>{@code
     * LearningRateSchedule.cosineDecayRestarts(0.1, 100, 2.0, 1.0, 0.0).at(100);   // 0.1, the first restart
     * }</pre>
     *
     * @param initialLearningRate the rate at step 0
     * @param firstDecaySteps at least 1
     * @param tMul growth of each period, finite and above 0 (Keras's default 2.0)
     * @param mMul factor of each restart's peak, finite and at least 0 (Keras's default 1.0)
     * @param alpha the least rate as a fraction of the initial one, in {@code [0, 1]}
     * @return the schedule
     */
    static LearningRateSchedule cosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul,
            double mMul, double alpha) {
        return new Schedules.CosineDecayRestarts(initialLearningRate, firstDecaySteps, tMul, mMul, alpha);
    }

    /**
     * A schedule from Keras's serialized form, {@code {"class_name": "ExponentialDecay", "config": {...}}} as in an
     * optimizer's {@code learning_rate}.
     * <pre>{@code
     * LearningRateSchedule s = LearningRateSchedule.fromKerasConfig("ExponentialDecay",
     *         Map.of("initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5, "staircase", false));
     * }</pre>
     *
     * @param className Keras's class name
     * @param config the {@code config} dict
     * @return the schedule
     * @throws IllegalArgumentException for an unknown class or a missing or bad key
     */
    static LearningRateSchedule fromKerasConfig(String className, Map<String, ?> config) {
        return Schedules.fromKerasConfig(className, config);
    }
}
