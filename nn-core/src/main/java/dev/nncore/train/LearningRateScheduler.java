package dev.nncore.train;

import dev.nncore.internal.Checks;

/**
 * Sets the learning rate at the start of each epoch from a function of the epoch and the current rate, Keras's
 * {@code LearningRateScheduler} callback: before epoch {@code e} (from 0) the running optimizer's rate becomes
 * {@code schedule.rate(e, currentRate)}, and the epoch's {@link TrainingRun#logs() logs} get {@code learning_rate}.
 * For a rate that changes with every update rather than every epoch, give the optimizer a
 * {@link LearningRateSchedule} instead.
 *
 * <pre>{@code
 * LearningRateScheduler decay = LearningRateScheduler.of((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1));
 * BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.01)).listener(decay).build();
 * }</pre>
 *
 * <p>Stateless; fails, as Keras does, with an optimizer that follows a {@link LearningRateSchedule}.
 *
 * @since 0.2.0
 */
public final class LearningRateScheduler implements TrainingListener {

    /** A learning rate per epoch, Keras's {@code schedule(epoch, lr)}. */
    @FunctionalInterface
    public interface EpochSchedule {
        /**
         * @param epoch the epoch about to start, from 0
         * @param learningRate the current rate
         * @return the rate for this epoch, a finite number above 0
         */
        double rate(int epoch, double learningRate);
    }

    private final EpochSchedule schedule;

    private LearningRateScheduler(EpochSchedule schedule) {
        this.schedule = Checks.notNull(schedule, "schedule");
    }

    /**
     * @param schedule the rate for each epoch
     * @return the callback
     */
    public static LearningRateScheduler of(EpochSchedule schedule) {
        return new LearningRateScheduler(schedule);
    }

    @Override
    public void onEpochBegin(TrainingRun run, int epoch) {
        double rate = schedule.rate(epoch, run.learningRate());
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("the schedule gave learning rate " + rate + " for epoch " + epoch
                    + "; it must be a finite number above 0");
        }
        run.setLearningRate(rate);
    }

    @Override
    public void onEpochEnd(TrainingRun run, int epoch) {
        run.logs().put("learning_rate", run.learningRate());
    }

    /** @return {@code LearningRateScheduler[...]} */
    @Override
    public String toString() {
        return "LearningRateScheduler[" + schedule + "]";
    }
}
