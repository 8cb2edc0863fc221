package dev.nncore.train;

import dev.nncore.Loss;
import java.util.List;

/**
 * One epoch's batches as {@code fit} steps through them: each batch's loss and gradients, the optimizer's update, the
 * running loss and accuracy, the listeners' batch calls. A method of its own per batch because {@code fit}'s loop runs
 * once per call: the JIT compiles a method after a few hundred calls but a loop only after tens of thousands of
 * turns, so in a loop the batch's own work would stay interpreted for most of a long fit.
 */
final class EpochPass {

    private final TrainingLoop.Epochs epochs;
    private final StepKernel kernel;
    private final OptimizerRun update;
    private final LastFinite lastFinite;
    private final List<float[][]> trainable;
    private final List<float[][]> gradients;
    private final Loss loss;
    private final boolean accuracy;
    private final List<float[]> predictions;
    private final List<float[]> targets;
    private final boolean keepsOutputs;
    private final TrainingListener[] listeners;
    private final boolean terminateOnNaN;
    private final TrainingRun run;

    /** Whether the backward pass updates the tensors cut by units ({@link OptimizerRun#cutUpdateParts}). */
    private final boolean updatesInParts;
    private double lossSum;
    private double correct;
    private int seen;

    EpochPass(TrainingLoop.Epochs epochs, StepKernel kernel, OptimizerRun update, LastFinite lastFinite,
            List<float[][]> trainable, List<float[][]> gradients, Loss loss, boolean accuracy, List<float[]> predictions,
            List<float[]> targets, boolean keepsOutputs, TrainingListener[] listeners, TrainingRun run) {
        this.epochs = epochs;
        this.kernel = kernel;
        this.update = update;
        this.lastFinite = lastFinite;
        this.trainable = trainable;
        this.gradients = gradients;
        this.loss = loss;
        this.accuracy = accuracy;
        this.predictions = predictions;
        this.targets = targets;
        this.keepsOutputs = keepsOutputs;
        this.listeners = listeners;
        this.terminateOnNaN = java.util.Arrays.stream(listeners).anyMatch(TerminateOnNaN.class::isInstance);
        this.run = run;
        dev.nncore.internal.Kernels.Parts parts = update.cutUpdateParts(trainable, lastFinite.updated(), gradients);
        this.updatesInParts = parts != null && kernel.updateInParts(parts);
    }

    /** Starts an epoch's sums. */
    void start() {
        lossSum = 0;
        correct = 0;
        seen = 0;
    }

    /**
     * Steps on the current batch (0-based {@code epoch} and {@code batch}).
     *
     * @return false when the epoch ends here: a batch's loss was not finite and {@link TerminateOnNaN} listens (the
     *     last finite weights are then back); without it such a batch throws {@link TrainingDivergedException}
     */
    boolean step(int epoch, int batch) {
        for (TrainingListener listener : listeners) {
            listener.onBatchBegin(run, epoch, batch);
        }
        float[][] batchX = epochs.x();
        float[][] batchY = epochs.y();
        if (updatesInParts) {
            update.beginCutStep();
        }
        double batchLoss = kernel.lossAndGradients(batchX, batchY, epochs.weights(), gradients);
        if (!Double.isFinite(batchLoss)) {
            update.cancelCutStep();
            if (!terminateOnNaN) {
                throw new TrainingDivergedException(epoch + 1, run.epochs(), batch + 1, epochs.batches(), batchLoss,
                        run.snapshot(lastFinite.weights()), run.history(), kernel.divergenceHint());
            }
            // Keras's TerminateOnNaN: the epoch ends here and the fit after it, with the last weights whose loss was
            // finite (those the exception would carry)
            lastFinite.restore();
            lossSum = batchLoss;
            seen = Math.max(seen, 1);
            for (TrainingListener listener : listeners) {
                listener.onBatchEnd(run, epoch, batch, batchLoss);
            }
            return false;
        }
        if (accuracy) {
            int[] labels = epochs.labels();
            correct += labels != null ? TrainingLoop.correct(kernel.outputs(), labels)
                    : TrainingLoop.correct(loss, kernel.outputs(), batchY);
        }
        if (keepsOutputs) {
            TrainingLoop.keep(kernel.outputs(), batchY, predictions, targets);
        }
        lastFinite.keepFixed();
        update.apply(trainable, lastFinite.updated(), gradients);
        lastFinite.swap();
        kernel.afterUpdate();
        lossSum += batchLoss * batchX.length;
        seen += batchX.length;
        for (TrainingListener listener : listeners) {
            listener.onBatchEnd(run, epoch, batch, lossSum / seen);
        }
        return true;
    }

    /** @return the epoch's mean loss so far (the non-finite loss itself after a terminating batch) */
    double meanLoss() {
        return lossSum / seen;
    }

    /** @return the epoch's accuracy so far */
    double accuracy() {
        return correct / seen;
    }
}
