package dev.nncore.train;

import dev.nncore.Network;
import dev.nncore.internal.SideBySide;
import dev.nncore.math.Matrix;
import java.util.List;

/**
 * Trains a network on data, Keras's {@code model.fit(x, y)}: {@link BackpropTrainer} (analytic gradients, fast) and
 * {@link FiniteDifferenceTrainer} (nudges each weight and watches the loss, the tutorial method) share this
 * interface and one training loop.
 *
 * <pre>{@code
 * Trainer trainer = BackpropTrainer.builder()
 *         .loss(Loss.MEAN_SQUARED_ERROR)
 *         .optimizer(Optimizer.adam(0.01))
 *         .epochs(10)
 *         .batchSize(32)
 *         .seed(42)
 *         .build();
 * Network start = Network.builder(1).dense(8, Activation.RELU).dense(1, Activation.LINEAR).seed(42).build();
 * TrainingResult result = trainer.fit(start, Matrix.column(0, 1, 2, 3), Matrix.column(5, 7, 9, 11));
 * }</pre>
 *
 * <p>Implementations are immutable and thread-safe: each {@code fit} owns its training state, so one trainer may
 * run several fits at once.
 *
 * @since 0.1.0
 */
public interface Trainer {

    /**
     * Trains a copy of {@code network} on {@code x} and {@code y}.
     *
     * @param network the starting network; not modified
     * @param x inputs, one row per sample, {@code network.inputs()} columns, all finite; not modified
     * @param y targets, one row per row of {@code x}, {@code network.outputs()} columns, all finite; not modified
     * @return the trained network and the history of the fit
     * @throws IllegalArgumentException before any training if the data does not fit the network or holds NaN or
     *     infinity; the message names the shapes or the row and column, e.g. {@code x has 150 rows but y has 149}
     * @throws TrainingDivergedException if the loss becomes NaN or infinite; it carries the last network whose loss
     *     was finite
     */
    TrainingResult fit(Network network, Matrix x, Matrix y);

    /**
     * Trains a copy of {@code network} with a weight per training row, Keras's {@code fit(x, y, sample_weight=w)}:
     * each row's loss is multiplied by its weight and the batch's sum divided by its size. With
     * {@code classWeight}, a row's weight is its sample weight times its class's.
     *
     * <pre>{@code
     * Trainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).seed(1).build();
     * Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(1).build();
     * Matrix x = Matrix.column(0, 1, 2, 3);
     * Matrix y = Matrix.column(5, 7, 9, 11);
     * float[] weights = {1, 1, 5, 1};                       // the third sample counts five times
     * TrainingResult result = trainer.fit(start, x, y, weights);
     * }</pre>
     *
     * @param network the starting network; not modified
     * @param x inputs, one row per sample; not modified
     * @param y targets, one row per row of {@code x}; not modified
     * @param sampleWeights one finite weight of at least 0 per row of {@code x}; not modified
     * @return the trained network and the history of the fit
     * @throws IllegalArgumentException if the weights do not fit the rows, or as {@link #fit(Network, Matrix, Matrix)}
     * @throws UnsupportedOperationException if this trainer does not weight samples
     */
    default TrainingResult fit(Network network, Matrix x, Matrix y, float[] sampleWeights) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not weight samples");
    }

    /**
     * Trains a copy of a graph network of several inputs and outputs, Keras's {@code model.fit([wide, deep],
     * [main, aux])}: the same as {@link #fit(Network, Matrix, Matrix)} on the inputs side by side and the targets
     * side by side, so shuffling and validation rows keep each sample's parts together.
     *
     * <pre>{@code
     * Node wide = Node.input("wide", 2);
     * Node deep = Node.input("deep", 3);
     * Node hidden = deep.dense(4, Activation.RELU);
     * Network model = Network.functional(List.of(wide, deep),
     *         List.of(Node.concatenate(wide, hidden).dense(1, Activation.LINEAR, "main"), hidden.dense(1, Activation.SIGMOID, "aux")), 7);
     * Trainer trainer = BackpropTrainer.builder()
     *         .losses(Map.of("main", Loss.MEAN_SQUARED_ERROR, "aux", Loss.BINARY_CROSSENTROPY)).seed(7).build();
     * TrainingResult result = trainer.fit(model,
     *         List.of(Matrix.of(new float[][] {{1, 2}, {3, 4}}), Matrix.of(new float[][] {{1, 0, 1}, {0, 1, 0}})),
     *         List.of(Matrix.column(0.5f, 1.5f), Matrix.column(1, 0)));
     * }</pre>
     *
     * @param network the starting network; not modified
     * @param inputs one matrix per input in {@link Network#inputNames()} order, the same number of rows
     * @param targets one matrix per output in {@link Network#outputNames()} order, as many rows
     * @return the trained network and the history of the fit
     * @throws IllegalArgumentException if a count, width or row count does not fit the network
     */
    default TrainingResult fit(Network network, List<Matrix> inputs, List<Matrix> targets) {
        if (network == null || inputs == null || targets == null) {
            throw new IllegalArgumentException("network, inputs and targets must not be null");
        }
        if (inputs.size() != network.inputNames().size() || targets.size() != network.outputNames().size()) {
            throw new IllegalArgumentException("expected " + network.inputNames().size() + " inputs " + network.inputNames()
                    + " and " + network.outputNames().size() + " targets " + network.outputNames() + ", got " + inputs.size()
                    + " and " + targets.size());
        }
        int[] inputWidths = new int[inputs.size()];
        for (int i = 0; i < inputWidths.length; i++) {
            inputWidths[i] = java.util.Arrays.stream(network.inputShape(i)).reduce(1, Math::multiplyExact);
        }
        int[] outputWidths = new int[targets.size()];
        for (int k = 0; k < outputWidths.length; k++) {
            outputWidths[k] = network.outputWidth(k);
        }
        return fit(network, SideBySide.of(inputs, "input", network.inputNames(), inputWidths),
                SideBySide.of(targets, "target", network.outputNames(), outputWidths));
    }

    /**
     * Trains a copy of {@code network} on batches read afresh every epoch, for data larger than memory (Keras's
     * {@code fit} on a generator): one batch is held at a time. The source's order is kept ({@code shuffle} does not
     * apply); validation needs {@code validationData}, since there are no last rows to hold out.
     *
     * @param network the starting network; not modified
     * @param batches the data, opened once per epoch
     * @return the trained network and the history of the fit
     * @throws IllegalArgumentException if a batch does not fit the network or holds NaN or infinity (naming the batch,
     *     its row and column), or if {@code validationSplit} is set
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     * @throws UnsupportedOperationException if this trainer reads matrices only (nn-core's trainers read both)
     */
    default TrainingResult fit(Network network, BatchSource batches) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " trains on matrices only");
    }
}
