package dev.nncore.train;

import dev.nncore.internal.Checks;

/**
 * A listener made of lambdas, Keras's {@code LambdaCallback}: each {@code on...} method returns a copy with that hook
 * set; the hooks not set do nothing.
 *
 * <pre>{@code
 * List<Double> losses = new ArrayList<>();
 * LambdaCallback callback = LambdaCallback.create()
 *         .onEpochEnd((run, epoch) -> losses.add(run.logs().get("loss")))
 *         .onBatchBegin((run, epoch, batch) -> { })
 *         .onBatchEnd((run, epoch, batch, loss) -> { });
 * }</pre>
 *
 * <p>Immutable; as thread-safe as its lambdas.
 *
 * @since 0.2.0
 */
public final class LambdaCallback implements TrainingListener {

    /** A hook at the start or end of a fit. */
    @FunctionalInterface
    public interface TrainHook {
        /** @param run the fit */
        void call(TrainingRun run);
    }

    /** A hook at an epoch's start or end. */
    @FunctionalInterface
    public interface EpochHook {
        /**
         * @param run the fit
         * @param epoch the epoch, from 0
         */
        void call(TrainingRun run, int epoch);
    }

    /** A hook at a batch's start. */
    @FunctionalInterface
    public interface BatchHook {
        /**
         * @param run the fit
         * @param epoch the epoch, from 0
         * @param batch the batch, from 0
         */
        void call(TrainingRun run, int epoch, int batch);
    }

    /** A hook at a batch's end. */
    @FunctionalInterface
    public interface BatchEndHook {
        /**
         * @param run the fit
         * @param epoch the epoch, from 0
         * @param batch the batch, from 0
         * @param loss the epoch's mean loss so far
         */
        void call(TrainingRun run, int epoch, int batch, double loss);
    }

    private static final LambdaCallback EMPTY = new LambdaCallback(r -> { }, r -> { }, (r, e) -> { }, (r, e) -> { },
            (r, e, b) -> { }, (r, e, b, l) -> { });

    private final TrainHook trainBegin;
    private final TrainHook trainEnd;
    private final EpochHook epochBegin;
    private final EpochHook epochEnd;
    private final BatchHook batchBegin;
    private final BatchEndHook batchEnd;

    private LambdaCallback(TrainHook trainBegin, TrainHook trainEnd, EpochHook epochBegin, EpochHook epochEnd,
            BatchHook batchBegin, BatchEndHook batchEnd) {
        this.trainBegin = trainBegin;
        this.trainEnd = trainEnd;
        this.epochBegin = epochBegin;
        this.epochEnd = epochEnd;
        this.batchBegin = batchBegin;
        this.batchEnd = batchEnd;
    }

    /** @return a callback whose hooks do nothing */
    public static LambdaCallback create() {
        return EMPTY;
    }

    /**
     * @param hook called before the first epoch
     * @return a copy with this hook
     */
    public LambdaCallback onTrainBegin(TrainHook hook) {
        return new LambdaCallback(Checks.notNull(hook, "hook"), trainEnd, epochBegin, epochEnd, batchBegin, batchEnd);
    }

    /**
     * @param hook called after the last epoch
     * @return a copy with this hook
     */
    public LambdaCallback onTrainEnd(TrainHook hook) {
        return new LambdaCallback(trainBegin, Checks.notNull(hook, "hook"), epochBegin, epochEnd, batchBegin, batchEnd);
    }

    /**
     * @param hook called before each epoch
     * @return a copy with this hook
     */
    public LambdaCallback onEpochBegin(EpochHook hook) {
        return new LambdaCallback(trainBegin, trainEnd, Checks.notNull(hook, "hook"), epochEnd, batchBegin, batchEnd);
    }

    /**
     * @param hook called after each epoch, its logs complete
     * @return a copy with this hook
     */
    public LambdaCallback onEpochEnd(EpochHook hook) {
        return new LambdaCallback(trainBegin, trainEnd, epochBegin, Checks.notNull(hook, "hook"), batchBegin, batchEnd);
    }

    /**
     * @param hook called before each batch
     * @return a copy with this hook
     */
    public LambdaCallback onBatchBegin(BatchHook hook) {
        return new LambdaCallback(trainBegin, trainEnd, epochBegin, epochEnd, Checks.notNull(hook, "hook"), batchEnd);
    }

    /**
     * @param hook called after each batch's update
     * @return a copy with this hook
     */
    public LambdaCallback onBatchEnd(BatchEndHook hook) {
        return new LambdaCallback(trainBegin, trainEnd, epochBegin, epochEnd, batchBegin, Checks.notNull(hook, "hook"));
    }

    @Override
    public void onTrainBegin(TrainingRun run) {
        trainBegin.call(run);
    }

    @Override
    public void onTrainEnd(TrainingRun run) {
        trainEnd.call(run);
    }

    @Override
    public void onEpochBegin(TrainingRun run, int epoch) {
        epochBegin.call(run, epoch);
    }

    @Override
    public void onEpochEnd(TrainingRun run, int epoch) {
        epochEnd.call(run, epoch);
    }

    @Override
    public void onBatchBegin(TrainingRun run, int epoch, int batch) {
        batchBegin.call(run, epoch, batch);
    }

    @Override
    public void onBatchEnd(TrainingRun run, int epoch, int batch, double loss) {
        batchEnd.call(run, epoch, batch, loss);
    }
}
