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
    /** The run's layouts when the fit cuts a layer's units ({@link #layout}), else null: the network's order. */
    private UnitLayout weightLayout;
    private UnitLayout trainableLayout;

    TrainingState(List<float[][]> weights, OptimizerRun optimizer, TrainingLoop.Epochs data,
            SplittableRandom shuffling, ReplayableRandom layers) {
        this.weights = weights;
        this.optimizer = optimizer;
        this.data = data;
        this.shuffling = shuffling;
        this.layers = layers;
    }

    /** How {@link #weights} and the optimizer's slots are laid out, when the fit cuts a layer's units. */
    void layout(UnitLayout weightLayout, UnitLayout trainableLayout) {
        this.weightLayout = weightLayout.isCut() ? weightLayout : null;
        this.trainableLayout = trainableLayout.isCut() ? trainableLayout : null;
    }

    /** @return the weights in the network's order: the run's own arrays, or new joined ones for a cut run */
    List<float[][]> networkWeights() {
        return weightLayout != null ? weightLayout.joined(weights) : weights;
    }

    /** @return the optimizer's slots in the network's order: its own arrays, or new joined ones for a cut run */
    List<float[][]> networkSlots() {
        List<float[][]> slots = optimizer.variables();
        return trainableLayout != null ? trainableLayout.joinedGroups(slots) : slots;
    }

    /**
     * Copies what {@link #networkWeights} and {@link #networkSlots} returned, once filled from a backup, into the run's
     * arrays; nothing to do for an uncut run, whose arrays they were.
     */
    void loadNetworkOrder(List<float[][]> networkWeights, List<float[][]> networkSlots) {
        if (weightLayout != null) {
            weightLayout.load(networkWeights, weights);
        }
        if (trainableLayout != null) {
            trainableLayout.loadGroups(networkSlots, optimizer.variables());
        }
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
