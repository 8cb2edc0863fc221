package dev.nncore.train;

import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.internal.NetworkAccess;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * A fit in progress, as its {@link TrainingListener}s see it: its size, its history so far, the network as it is
 * now, and the two controls Keras gives a callback, {@code model.stop_training = True} ({@link #stop()}) and
 * {@code model.set_weights(...)} ({@link #setNetwork(Network)}).
 *
 * <pre>{@code
 * TrainingListener stopBelow = new TrainingListener() {
 *     @Override
 *     public void onEpochEnd(TrainingRun run, int epoch) {
 *         if (run.history().loss().get(epoch) < 0.01) {
 *             run.stop();                       // ends the fit after this epoch
 *         }
 *     }
 * };
 * }</pre>
 *
 * <p>Belongs to the fit's thread; valid only during the fit.
 *
 * @since 0.1.0
 */
public final class TrainingRun {

    private final Network architecture;
    private final List<float[][]> weights;
    /** How {@link #weights} are laid out against the network's order (cut by units, or not). */
    private UnitLayout layout;
    private final History.Recorder recorder;
    private final int epochs;
    private int batchesPerEpoch;
    private int trainingSamples;
    private final int validationSamples;
    private boolean stopRequested;
    private OptimizerRun optimizer;
    /** Set when the fit hands its weights to the network it returns. */
    private boolean ended;

    TrainingRun(Network architecture, List<float[][]> weights, History.Recorder recorder, int epochs, int batchesPerEpoch,
            int trainingSamples, int validationSamples) {
        this.architecture = architecture;
        this.weights = weights;
        this.layout = UnitLayout.uncut(weights.size());
        this.recorder = recorder;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.trainingSamples = trainingSamples;
        this.validationSamples = validationSamples;
    }

    /** @return the number of epochs the fit was asked for */
    public int epochs() {
        return epochs;
    }

    /**
     * @return batches per epoch: {@code ceil(trainingSamples / batchSize)}; -1 for a fit on a {@link BatchSource} until
     *     its first epoch has ended
     */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** @return the number of training rows (validation rows excluded); -1 for a {@link BatchSource} until counted */
    public int trainingSamples() {
        return trainingSamples;
    }

    /** @return the number of validation rows, 0 without validation */
    public int validationSamples() {
        return validationSamples;
    }

    /** @return the metrics this fit records, e.g. {@code [loss, accuracy, val_loss, val_accuracy]}; known from the start */
    public List<String> metricNames() {
        return recorder.names();
    }

    /** @return a snapshot of the epochs completed so far */
    public History history() {
        return recorder.build();
    }

    /** @return a new network with the weights as they are now */
    public Network network() {
        return snapshot(weights);
    }

    /** Sets how the run holds its weights, when the fit cuts a layer's units. */
    void layout(UnitLayout runLayout) {
        layout = runLayout;
    }

    /**
     * Replaces the weights being trained, Keras's {@code model.set_weights}; the optimizer's state is kept, as in Keras.
     *
     * @param network a network of the same architecture (sizes and activations) as the one being trained
     * @throws IllegalArgumentException if the architecture differs
     * @throws IllegalStateException once the fit has returned: its network holds the weights this run trained
     */
    public void setNetwork(Network network) {
        Checks.notNull(network, "network");
        if (ended) {
            throw new IllegalStateException("the fit has returned; setNetwork replaces the weights only while it runs");
        }
        List<Layer> mine = architecture.layers();
        List<Layer> theirs = network.layers();
        boolean same = mine.size() == theirs.size();
        for (int l = 0; same && l < mine.size(); l++) {
            Layer a = mine.get(l);
            Layer b = theirs.get(l);
            same = a.getClass() == b.getClass() && a.inputs() == b.inputs() && a.outputs() == b.outputs()
                    && java.util.Objects.equals(a.activation(), b.activation()) && a.weightNames().equals(b.weightNames());
        }
        if (!same) {
            throw new IllegalArgumentException("cannot train " + network + " in place of " + architecture
                    + "; setNetwork needs the same layers, sizes and activations");
        }
        List<Matrix> replacement = network.getWeights();
        if (layout.isCut()) {
            List<float[][]> sources = new ArrayList<>(replacement.size());
            for (Matrix m : replacement) {
                sources.add(MatrixAccess.rows(m));
            }
            layout.load(sources, weights);
            return;
        }
        for (int t = 0; t < weights.size(); t++) {
            float[][] source = MatrixAccess.rows(replacement.get(t));
            float[][] target = weights.get(t);
            for (int r = 0; r < target.length; r++) {
                System.arraycopy(source[r], 0, target[r], 0, target[r].length);
            }
        }
    }

    private java.util.Map<String, Double> logs = new java.util.LinkedHashMap<>();
    private int logsEpochs;

    void logs(java.util.Map<String, Double> epochLogs) {
        logs = epochLogs;
        logsEpochs = recorder.epochs();
    }

    /**
     * Keras's epoch {@code logs}: the metrics of the epoch that just ended (a {@code val_} metric only on epochs that
     * validated, see {@code validationFreq}), in {@link History}'s order. Callbacks may add entries, as Keras's do
     * ({@link ReduceLROnPlateau} adds {@code learning_rate}); listeners added later see them. Empty before the first
     * epoch ends.
     * <pre>{@code
     * TrainingListener printer = new TrainingListener() {
     *     @Override
     *     public void onEpochEnd(TrainingRun run, int epoch) {
     *         Double validation = run.logs().get("val_loss");   // null on an epoch without validation
     *     }
     * };
     * }</pre>
     *
     * @return the live, mutable map of this epoch
     */
    public java.util.Map<String, Double> logs() {
        if (recorder.epochs() != logsEpochs) {
            logs(recorder.lastEpoch());   // an epoch recorded without the loop (a test's scripted run)
        }
        return logs;
    }

    void optimizer(OptimizerRun update) {
        optimizer = update;
    }

    OptimizerRun optimizer() {
        return optimizer;
    }

    /**
     * The learning rate the optimizer will use for its next update: the fixed rate as last set, or the schedule's
     * rate at the current step. Keras's {@code model.optimizer.learning_rate}.
     *
     * @return the rate
     */
    public double learningRate() {
        return optimizer.learningRate();
    }

    /**
     * Changes the running optimizer's learning rate from the next update on, Keras's
     * {@code model.optimizer.learning_rate = value} (what ReduceLROnPlateau and LearningRateScheduler
     * do). The optimizer's slots are kept.
     * <pre>{@code
     * TrainingListener halveAtFive = new TrainingListener() {
     *     @Override
     *     public void onEpochBegin(TrainingRun run, int epoch) {
     *         if (epoch == 5) {
     *             run.setLearningRate(run.learningRate() / 2);
     *         }
     *     }
     * };
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @throws IllegalArgumentException if the rate is not a finite number above 0
     * @throws IllegalStateException if the optimizer follows a {@link LearningRateSchedule}, as Keras refuses too
     */
    public void setLearningRate(double learningRate) {
        optimizer.setLearningRate(learningRate);
    }

    /** @return the optimizer's updates so far in this fit, Keras's {@code optimizer.iterations} */
    public long iterations() {
        return optimizer.iterations();
    }

    /** Records the size of an epoch once a batch source has been read to its end. */
    void knownSize(int batches, int rows) {
        batchesPerEpoch = batches;
        trainingSamples = rows;
    }

    /** Ends the fit after the current epoch, as Keras's {@code model.stop_training = True}. */
    public void stop() {
        stopRequested = true;
    }

    /** @return whether {@link #stop()} was called */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * The fit's result: a network on the trained arrays themselves, not a copy. From here the run no longer writes to
     * them ({@link #setNetwork} refuses), so the network stays immutable.
     */
    Network handOver() {
        ended = true;
        return NetworkAccess.withOwnedWeights(architecture, layout.isCut() ? layout.handedOver(weights) : weights);
    }

    /** @return this run's network with a copy of {@code weights} (the last finite ones, for a diverged fit) */
    Network snapshot(List<float[][]> runWeights) {
        return snapshot(architecture, layout.isCut() ? layout.joined(runWeights) : runWeights);
    }

    /** A network with a copy of {@code weights}: {@code withWeights} makes the one copy, so they are wrapped for it. */
    static Network snapshot(Network architecture, List<float[][]> weights) {
        List<Matrix> views = new ArrayList<>(weights.size());
        for (float[][] tensor : weights) {
            views.add(MatrixAccess.wrap(tensor));
        }
        return architecture.withWeights(views);
    }
}
