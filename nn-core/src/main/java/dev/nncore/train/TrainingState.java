package dev.nncore.train;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What a fit must keep to be resumed bit for bit, as {@link BackupAndRestore} saves it: the weights, the optimizer's
 * state, how far the data has been read (replayed through the same shuffling stream) and the layers' random draws.
 */
final class TrainingState {

    final List<float[][]> weights;
    final OptimizerRun optimizer;
    private final TrainingLoop.Epochs data;
    private final SplittableRandom shuffling;
    final ReplayableRandom layers;
    private int dataStarts;
    private int dataPosition;
    private boolean dataInProgress;
    private int completedEpoch = -1;

    TrainingState(List<float[][]> weights, OptimizerRun optimizer, TrainingLoop.Epochs data,
            SplittableRandom shuffling, ReplayableRandom layers) {
        this.weights = weights;
        this.optimizer = optimizer;
        this.data = data;
        this.shuffling = shuffling;
        this.layers = layers;
    }

    void startData() {
        data.start(shuffling);
        dataStarts++;
        dataPosition = 0;
    }

    boolean nextBatch() {
        boolean more = data.next();
        if (more) {
            dataPosition++;
        }
        return more;
    }

    /** Reads the data again as far as a saved fit had: the same shuffles, from the same seed, and the same batches. */
    void replayData(int starts, int position, boolean inProgress) {
        for (int i = 0; i < starts; i++) {
            startData();
        }
        for (int i = 0; i < position; i++) {
            nextBatch();
        }
        dataInProgress = inProgress;
    }

    void dataInProgress(boolean value) {
        dataInProgress = value;
    }

    boolean dataInProgress() {
        return dataInProgress;
    }

    int dataStarts() {
        return dataStarts;
    }

    int dataPosition() {
        return dataPosition;
    }

    void epochDone(int epoch) {
        completedEpoch = epoch;
    }

    void completedEpoch(int epoch) {
        completedEpoch = epoch;
    }

    int completedEpoch() {
        return completedEpoch;
    }
}
