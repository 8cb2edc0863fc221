package dev.nncore.train;

import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.Checks;
import dev.nncore.internal.DataChecks;
import dev.nncore.internal.Kernels;
import dev.nncore.internal.NetworkAccess;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.internal.Tensors;
import dev.nncore.math.Matrix;
import dev.nncore.metrics.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The loop both trainers share, Keras's {@code fit}: check everything, split off validation rows, then per epoch
 * shuffle, step through the batches (loss and gradients, then the optimizer's update), evaluate, record, tell the
 * listeners.
 */
final class TrainingLoop {

    private TrainingLoop() {
    }

    static TrainingResult run(Settings settings, Network network, Matrix x, Matrix y, StepKernel.Factory kernels) {
        return run(settings, network, x, y, null, kernels);
    }

    /** As above, with a weight per row of {@code x} (or null), times each row's class weight. */
    static TrainingResult run(Settings settings, Network network, Matrix x, Matrix y, float[] sampleWeights,
            StepKernel.Factory kernels) {
        Checks.notNull(network, "network");
        checkOutputs(settings, network);
        if (network.outputNames().size() == 1) {
            DataChecks.checkShapes(network, x, y, "x", "y", settings.loss());
        } else {
            DataChecks.checkShapes(network, x, y, "x", "y");
        }
        DataChecks.checkFinite(x, "x");
        DataChecks.checkFinite(y, "y");
        float[][] xRows = MatrixAccess.rows(x);
        float[][] yRows = MatrixAccess.rows(y);
        float[] rowWeights = RowWeights.of(sampleWeights, settings.classWeight(), yRows);
        int trainingRows = xRows.length;
        float[][] validationX = checkedValidation(settings, network, true);
        float[][] validationY = checkedValidation(settings, network, false);
        if (validationX == null && settings.validationSplit() > 0) {
            // Keras: the last rows, before any shuffling, split at floor(n * (1 - validationSplit)).
            trainingRows = (int) Math.floor(xRows.length * (1 - settings.validationSplit()));
            if (trainingRows < 1 || trainingRows >= xRows.length) {
                throw new IllegalArgumentException("validationSplit " + settings.validationSplit() + " of " + xRows.length
                        + " rows leaves " + trainingRows + " rows for training and " + (xRows.length - trainingRows)
                        + " for validation; each needs at least one");
            }
            if (settings.validationSplitRows() != ValidationSplit.LAST) {
                // the training rows first, then the held-out ones; from a stream of its own, so the shuffles are
                // the same as with the last rows held out
                SplittableRandom splitRandom = settings.seed() == null ? new SplittableRandom()
                        : new SplittableRandom(settings.seed() ^ 0xBB67AE8584CAA73BL);
                int[] rows = settings.validationSplitRows() == ValidationSplit.STRATIFIED
                        ? stratified(yRows, settings.validationSplit(), splitRandom)
                        : shuffled(xRows.length, xRows.length - trainingRows, splitRandom);
                trainingRows = rows[rows.length - 1];
                float[][] reorderedX = new float[xRows.length][];
                float[][] reorderedY = new float[yRows.length][];
                float[] reorderedWeights = rowWeights == null ? null : new float[rowWeights.length];
                for (int i = 0; i < xRows.length; i++) {
                    reorderedX[i] = xRows[rows[i]];
                    reorderedY[i] = yRows[rows[i]];
                    if (reorderedWeights != null) {
                        reorderedWeights[i] = rowWeights[rows[i]];
                    }
                }
                xRows = reorderedX;
                yRows = reorderedY;
                rowWeights = reorderedWeights;
                if (trainingRows < 1 || trainingRows >= xRows.length) {
                    throw new IllegalArgumentException("validationSplit " + settings.validationSplit() + " "
                            + settings.validationSplitRows() + " of " + xRows.length + " rows leaves " + trainingRows
                            + " rows for training and " + (xRows.length - trainingRows) + " for validation; each needs"
                            + " at least one");
                }
            }
            validationX = Arrays.copyOfRange(xRows, trainingRows, xRows.length);
            validationY = Arrays.copyOfRange(yRows, trainingRows, yRows.length);
        }

        return train(settings, network, new RowEpochs(xRows, yRows, rowWeights, trainingRows, settings), validationX,
                validationY, kernels);
    }

    /** Each output's loss suits it (cross-entropy on probabilities). */
    private static void checkOutputs(Settings settings, Network network) {
        List<Loss> losses = settings.outputLosses().resolve(network, settings.loss());
        for (int k = 0; k < losses.size(); k++) {
            losses.get(k).checkOutputs(network, network.outputNames().get(k));
        }
    }

    /** {@code fit} on a {@link BatchSource}: the same loop, one batch in memory at a time. */
    static TrainingResult run(Settings settings, Network network, BatchSource source, StepKernel.Factory kernels) {
        Checks.notNull(network, "network");
        checkOutputs(settings, network);
        Checks.notNull(source, "batches");
        if (settings.validationSplit() > 0) {
            throw new IllegalArgumentException("validationSplit needs the rows in memory; with a BatchSource give"
                    + " validationData(x, y) instead");
        }
        return train(settings, network, new SourceEpochs(source, network, settings.loss()), checkedValidation(settings, network, true),
                checkedValidation(settings, network, false), kernels);
    }

    /** The validation data's rows (inputs or targets), checked against the network; null without validation data. */
    private static float[][] checkedValidation(Settings settings, Network network, boolean inputs) {
        if (settings.validationX() == null) {
            return null;
        }
        DataChecks.checkShapes(network, settings.validationX(), settings.validationY(), "validation x", "validation y",
                settings.loss());
        DataChecks.checkFinite(inputs ? settings.validationX() : settings.validationY(), inputs ? "validation x" : "validation y");
        return MatrixAccess.rows(inputs ? settings.validationX() : settings.validationY());
    }

    /** Where each epoch's batches come from; {@link #next} makes a batch current. */
    abstract static class Epochs {
        float[][] currentX;
        float[][] currentY;
        /** The current batch's row weights, or null when rows are not weighted. */
        float[] currentWeights;
        /** The current batch's classes (each target row's argmax), or null where the epochs do not know them. */
        int[] currentLabels;

        /** Starts an epoch: shuffles the rows, or opens the source. */
        abstract void start(SplittableRandom random);

        /** Makes the next batch current; false at the epoch's end. */
        abstract boolean next();

        /** Batches per epoch, or -1 while not known (a source before its first epoch ends). */
        abstract int batches();

        /** Training rows per epoch, or -1 while not known. */
        abstract int rows();

        /** @return whether the current pass has no batches left */
        abstract boolean exhausted();

        final float[][] x() {
            return currentX;
        }

        final float[][] y() {
            return currentY;
        }

        final float[] weights() {
            return currentWeights;
        }

        final int[] labels() {
            return currentLabels;
        }
    }

    /** The rows in memory, shuffled before each epoch as Keras does, into batch arrays reused from batch to batch. */
    private static final class RowEpochs extends Epochs {
        private final float[][] xRows;
        private final float[][] yRows;
        private final int rows;
        private final boolean shuffle;
        private final int batchSize;
        private final int batches;
        private final int[] order;
        private final float[][] fullX;
        private final float[][] fullY;
        private final float[][] lastX;
        private final float[][] lastY;
        private final float[] rowWeights;
        private final float[] fullWeights;
        private final float[] lastWeights;
        /** Each row's class, found once per fit for categorical accuracy (not every epoch); null otherwise. */
        private final int[] labels;
        private final int[] fullLabels;
        private final int[] lastLabels;
        private int batch;

        RowEpochs(float[][] xRows, float[][] yRows, float[] rowWeights, int rows, Settings settings) {
            this.xRows = xRows;
            this.yRows = yRows;
            this.rowWeights = rowWeights;
            this.rows = rows;
            this.shuffle = settings.shuffle();
            batchSize = Math.min(settings.batchSize(), rows);
            batches = (rows + batchSize - 1) / batchSize;
            order = new int[rows];
            Arrays.setAll(order, i -> i);
            fullX = new float[batchSize][];
            fullY = new float[batchSize][];
            int remainder = rows - (batches - 1) * batchSize;
            lastX = new float[remainder][];
            lastY = new float[remainder][];
            fullWeights = rowWeights == null ? null : new float[batchSize];
            lastWeights = rowWeights == null ? null : new float[remainder];
            labels = categoricalLabels(settings.loss(), yRows, rows);
            fullLabels = labels == null ? null : new int[batchSize];
            lastLabels = labels == null ? null : new int[remainder];
        }

        /** The argmax of each target row for categorical cross-entropy's accuracy, or null for any other loss. */
        private static int[] categoricalLabels(Loss loss, float[][] yRows, int rows) {
            if (!loss.kerasName().equals("categorical_crossentropy")) {
                return null;
            }
            int[] out = new int[rows];
            for (int r = 0; r < rows; r++) {
                out[r] = argmax(yRows[r]);
            }
            return out;
        }

        @Override
        void start(SplittableRandom random) {
            batch = 0;
            if (shuffle) {
                for (int i = rows - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
            }
        }

        @Override
        boolean next() {
            if (batch == batches) {
                return false;
            }
            int start = batch * batchSize;
            currentX = batch == batches - 1 ? lastX : fullX;
            currentY = batch == batches - 1 ? lastY : fullY;
            currentWeights = batch == batches - 1 ? lastWeights : fullWeights;
            currentLabels = batch == batches - 1 ? lastLabels : fullLabels;
            for (int i = 0; i < currentX.length; i++) {
                int row = order[start + i];
                currentX[i] = xRows[row];
                currentY[i] = yRows[row];
                if (currentWeights != null) {
                    currentWeights[i] = rowWeights[row];
                }
                if (currentLabels != null) {
                    currentLabels[i] = labels[row];
                }
            }
            batch++;
            return true;
        }

        @Override
        int batches() {
            return batches;
        }

        @Override
        boolean exhausted() {
            return batch == batches;
        }

        @Override
        int rows() {
            return rows;
        }
    }

    /** A {@link BatchSource}, opened once per epoch; each batch is checked as it arrives. */
    private static final class SourceEpochs extends Epochs {
        private final BatchSource source;
        private final Network network;
        private final Loss loss;
        private java.util.Iterator<BatchSource.Batch> batches;
        private int count;
        private int rowCount;
        private int knownBatches = -1;
        private int knownRows = -1;

        SourceEpochs(BatchSource source, Network network, Loss loss) {
            this.source = source;
            this.network = network;
            this.loss = loss;
        }

        @Override
        void start(SplittableRandom random) {
            if (batches != null) {
                knownBatches = count;
                knownRows = rowCount;
            }
            batches = Checks.notNull(source.open(), "the batch source's iterator");
            count = 0;
            rowCount = 0;
        }

        @Override
        boolean next() {
            if (!batches.hasNext()) {
                if (count == 0) {
                    throw new IllegalArgumentException("the batch source gave no batches for an epoch");
                }
                knownBatches = count;
                knownRows = rowCount;
                return false;
            }
            BatchSource.Batch batch = Checks.notNull(batches.next(), "a batch");
            String where = "batch " + (count + 1) + " x";
            DataChecks.checkShapes(network, batch.x(), batch.y(), where, "batch " + (count + 1) + " y", loss);
            DataChecks.checkFinite(batch.x(), where);
            DataChecks.checkFinite(batch.y(), "batch " + (count + 1) + " y");
            currentX = MatrixAccess.rows(batch.x());
            currentY = MatrixAccess.rows(batch.y());
            count++;
            rowCount += currentX.length;
            return true;
        }

        @Override
        int batches() {
            return knownBatches;
        }

        @Override
        boolean exhausted() {
            return batches == null || !batches.hasNext();
        }

        @Override
        int rows() {
            return knownRows;
        }
    }

    private static TrainingResult train(Settings settings, Network network, Epochs epochs, float[][] validationX,
            float[][] validationY, StepKernel.Factory kernels) {
        Loss loss = settings.loss();
        boolean oneOutput = network.outputNames().size() == 1;
        if (!oneOutput && !settings.metrics().isEmpty()) {
            throw new IllegalArgumentException("metrics are computed on one output, but this network has "
                    + network.outputNames().size() + " " + network.outputNames() + "; evaluate each output of forwardAll");
        }
        boolean accuracy = oneOutput && (loss.kerasName().endsWith("categorical_crossentropy")
                || loss.kerasName().equals("binary_crossentropy"));
        // metrics(...) beyond the accuracy recorded anyway; a user's "accuracy" with a cross-entropy is that one
        List<Metric> extra = settings.metrics().stream()
                .filter(m -> !(accuracy && m.name().equals(History.ACCURACY))).toList();
        History.Recorder recorder = new History.Recorder(accuracy, validationX != null,
                extra.stream().map(Metric::name).toList());
        List<float[]> epochPredictions = new ArrayList<>();
        List<float[]> epochTargets = new ArrayList<>();
        // the first layer's units cut between threads, each part's weights in arrays of its own for the whole run
        int[] unitBounds = unitBounds(network, kernels, epochs.rows() > 0
                ? Math.min(settings.batchSize(), epochs.rows()) : settings.batchSize());
        boolean firstBias = network.layers().get(0).weightNames().size() > 1;
        int tensors = network.trainable().size();
        UnitLayout layout = unitBounds == null ? UnitLayout.uncut(tensors)
                : UnitLayout.cut(tensors, 0, firstBias, unitBounds);
        // the fit's own arrays, each weight copied once from the network's
        List<float[][]> weights = layout.copy(NetworkAccess.weightArrays(network));
        List<float[][]> trainable = new ArrayList<>();
        List<Boolean> flags = layout.flags(network.trainable());
        for (int t = 0; t < weights.size(); t++) {
            if (flags.get(t)) {
                trainable.add(weights.get(t));
            }
        }
        UnitLayout trainableLayout = layout.trainableOnly(network.trainable());
        OptimizerRun update = settings.optimizer().start(trainable);
        if (layout.isCut()) {
            int parts = unitBounds.length - 1;
            update.cutByUnits(0, firstBias, firstBias ? 2 * parts : parts, unitBounds);
        }
        // Where the update writes the next weights over the gradients, the gradients start as the copy of the weights
        // LastFinite keeps (cloned rows: no zeroing pass before the copy, 400 KB at 784-128-10).
        boolean overGradients = update.mayWriteOverGradients();
        List<float[][]> gradients = overGradients ? Tensors.copies(trainable) : zerosLike(trainable);
        LastFinite lastFinite = new LastFinite(weights, flags, overGradients ? gradients : null);
        OptimizerState resumed = settings.optimizerState();
        if (resumed != null) {
            resumed.checkOptimizer(settings.optimizer());
            resumed.restoreInto(update, trainableLayout);
        }
        SplittableRandom random = settings.seed() == null ? new SplittableRandom() : new SplittableRandom(settings.seed());
        // Dropout masks and noise from their own stream, so that shuffling draws the same orders with or without them.
        SplittableRandom layerStream = settings.seed() == null ? new SplittableRandom()
                : new SplittableRandom(settings.seed() ^ 0x6A09E667F3BCC909L);
        // an array: iterating a List allocates an iterator per loop, twice a batch, where C2 does not remove it
        TrainingListener[] listeners = settings.listeners().toArray(TrainingListener[]::new);
        BackupAndRestore backup = null;
        for (TrainingListener listener : listeners) {
            if (listener instanceof BackupAndRestore found) {
                backup = found;
            }
        }
        // with a backup, the layers' draws are logged so that a resumed fit can replay them; the numbers are the same
        ReplayableRandom replayable = backup == null ? null : new ReplayableRandom(layerStream);
        StepKernel kernel = kernels.make(network, weights, replayable == null ? layerStream : replayable, layout);

        // validation in batches of the training batch size, as Keras's evaluate at the end of an epoch
        int batchSize = epochs.rows() > 0 ? Math.min(settings.batchSize(), epochs.rows()) : settings.batchSize();
        int steps = settings.stepsPerEpoch();
        TrainingRun run = new TrainingRun(network, weights, recorder, settings.epochs(),
                steps > 0 ? steps : epochs.batches(), epochs.rows(), validationX == null ? 0 : validationX.length);
        run.optimizer(update);
        run.layout(layout);
        TrainingState state = new TrainingState(weights, update, epochs, random, replayable);
        state.layout(layout, trainableLayout);
        int firstEpoch = settings.initialEpoch();
        if (resumed != null && backup == null && settings.seed() != null && steps == 0 && firstEpoch > 0) {
            // the shuffles of the epochs run before, drawn and dropped, so this fit reads the data as the uninterrupted
            // one would have
            state.replayData(firstEpoch, 0, false);
        }
        if (backup != null) {
            firstEpoch = Math.max(firstEpoch, backup.restore(state, settings));
        }
        for (TrainingListener listener : listeners) {
            listener.onTrainBegin(run);
        }
        EpochPass pass = new EpochPass(epochs, kernel, update, lastFinite, trainable, gradients, loss, accuracy,
                epochPredictions, epochTargets, !extra.isEmpty(), listeners, run);
        boolean dataInProgress = state.dataInProgress();
        for (int epoch = firstEpoch; epoch < settings.epochs() && !run.stopRequested(); epoch++) {
            long started = System.nanoTime();
            for (TrainingListener listener : listeners) {
                listener.onEpochBegin(run, epoch);
            }
            if (steps == 0 || !dataInProgress) {
                state.startData();
            }
            pass.start();
            for (int batch = 0; (steps == 0 || batch < steps) && state.nextBatch(); batch++) {
                if (!pass.step(epoch, batch)) {
                    break;
                }
            }
            dataInProgress = steps > 0 && !epochs.exhausted();
            state.dataInProgress(dataInProgress);
            if (steps == 0) {
                run.knownSize(epochs.batches(), epochs.rows());
            } else if (epochs.batches() > 0) {
                run.knownSize(steps, epochs.rows());
            }
            recorder.add(History.LOSS, pass.meanLoss());
            if (accuracy) {
                recorder.add(History.ACCURACY, pass.accuracy());
            }
            record(extra, "", epochPredictions, epochTargets, recorder);
            if (validationX != null && (epoch + 1) % settings.validationFreq() == 0) {
                evaluate(kernel, loss, accuracy, validationX, validationY, batchSize, recorder, extra);
            }
            recorder.endEpoch(Duration.ofNanos(System.nanoTime() - started));
            run.logs(recorder.lastEpoch());
            for (TrainingListener listener : listeners) {
                listener.onEpochEnd(run, epoch);
            }
            state.epochDone(epoch);
            if (backup != null) {
                backup.save(state, settings);
            }
        }
        update.finish(trainable);   // Keras's finalize_variable_values: EMA weights replace the weights
        for (TrainingListener listener : listeners) {
            listener.onTrainEnd(run);
        }
        return new TrainingResult(run.handOver(), recorder.build(),
                OptimizerState.of(settings.optimizer().kerasClassName(), update, trainableLayout));
    }

    private static void evaluate(StepKernel kernel, Loss loss, boolean accuracy, float[][] x, float[][] y,
            int batchSize, History.Recorder recorder, List<Metric> extra) {
        double lossSum = 0;
        double correct = 0;
        List<float[]> predictions = new ArrayList<>();
        List<float[]> targets = new ArrayList<>();
        for (int start = 0; start < x.length; start += batchSize) {
            int end = Math.min(start + batchSize, x.length);
            float[][] batchX = Arrays.copyOfRange(x, start, end);
            float[][] batchY = Arrays.copyOfRange(y, start, end);
            lossSum += kernel.loss(batchX, batchY) * batchX.length;
            if (accuracy) {
                correct += correct(loss, kernel.outputs(), batchY);
            }
            if (!extra.isEmpty()) {
                keep(kernel.outputs(), batchY, predictions, targets);
            }
        }
        recorder.add(History.VAL_LOSS, lossSum / x.length);
        if (accuracy) {
            recorder.add(History.VAL_ACCURACY, correct / x.length);
        }
        record(extra, "val_", predictions, targets, recorder);
    }

    /** Row indices, the {@code held} validation rows last, then (one past the end) the number of training rows. */
    private static int[] shuffled(int rows, int held, SplittableRandom random) {
        int[] order = new int[rows + 1];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] training = Arrays.copyOfRange(order, held, rows);
        Arrays.sort(training);   // the training rows in their original order, as with the last rows held out
        int[] validation = Arrays.copyOfRange(order, 0, held);
        Arrays.sort(validation);
        System.arraycopy(training, 0, order, 0, training.length);
        System.arraycopy(validation, 0, order, training.length, held);
        order[rows] = rows - held;
        return order;
    }

    /** As {@link #shuffled}, holding out {@code round(classRows * split)} rows of each class. */
    private static int[] stratified(float[][] y, double split, SplittableRandom random) {
        int[] classes = new int[y.length];
        int count = 0;
        for (int r = 0; r < y.length; r++) {
            classes[r] = y[r].length == 1 ? Math.round(y[r][0]) : argmax(y[r]);
            if (classes[r] < 0 || (y[r].length == 1 && y[r][0] != classes[r])) {
                throw new IllegalArgumentException("a stratified validationSplit needs classes in y: one-hot rows or one"
                        + " column of whole numbers from 0; row " + r + " is " + Arrays.toString(y[r]));
            }
            count = Math.max(count, classes[r] + 1);
        }
        boolean[] held = new boolean[y.length];
        int heldCount = 0;
        for (int c = 0; c < count; c++) {
            final int target = c;
            int[] members = java.util.stream.IntStream.range(0, y.length).filter(r -> classes[r] == target).toArray();
            for (int i = members.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = members[i];
                members[i] = members[j];
                members[j] = swap;
            }
            int take = (int) Math.round(members.length * split);
            for (int i = 0; i < take; i++) {
                held[members[i]] = true;
            }
            heldCount += take;
        }
        int[] order = new int[y.length + 1];
        int t = 0;
        int v = y.length - heldCount;
        for (int r = 0; r < y.length; r++) {
            if (held[r]) {
                order[v++] = r;
            } else {
                order[t++] = r;
            }
        }
        order[y.length] = y.length - heldCount;
        return order;
    }

    /** Copies a batch's predictions (the kernel reuses its buffers) and targets, one row per sample. */
    static void keep(float[][] outputs, float[][] batchY, List<float[]> predictions, List<float[]> targets) {
        for (int i = 0; i < batchY.length; i++) {
            predictions.add(outputs[i].clone());
            targets.add(batchY[i]);
        }
    }

    /** Each metric over the collected rows, recorded under its name with the prefix; the lists are then emptied. */
    private static void record(List<Metric> metrics, String prefix, List<float[]> predictions, List<float[]> targets,
            History.Recorder recorder) {
        if (metrics.isEmpty()) {
            return;
        }
        // the lists hold the epoch's own copies of the predictions and the data's target rows, read only here
        Matrix predicted = MatrixAccess.wrap(predictions.toArray(float[][]::new));
        Matrix target = MatrixAccess.wrap(targets.toArray(float[][]::new));
        for (Metric metric : metrics) {
            recorder.add(prefix + metric.name(), metric.compute(target, predicted));
        }
        predictions.clear();
        targets.clear();
    }

    /**
     * Keras's accuracy, summed over rows: categorical, 1 where the prediction's argmax (the first maximum, as
     * numpy's) is the target's (sparse: is the label); binary, the fraction of outputs where {@code p > 0.5} equals the
     * target ({@code z > 0} on logits, Keras's {@code BinaryAccuracy(threshold=0)} as its docs advise for from_logits).
     */
    static double correct(Loss loss, float[][] predicted, float[][] target) {
        // the loss decides once per batch, not per row: its name is a string, compared in full every time
        if (loss.sparseTargets()) {
            int hits = 0;
            for (int i = 0; i < target.length; i++) {
                hits += argmax(predicted[i]) == (int) target[i][0] ? 1 : 0;
            }
            return hits;
        }
        if (loss.kerasName().equals("categorical_crossentropy")) {
            int hits = 0;
            for (int i = 0; i < target.length; i++) {
                hits += argmax(predicted[i]) == argmax(target[i]) ? 1 : 0;
            }
            return hits;
        }
        float threshold = Boolean.TRUE.equals(loss.parameters().get("from_logits")) ? 0f : 0.5f; // sigmoid(z) > 0.5
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            float[] p = predicted[i];
            float[] t = target[i];
            int hits = 0;
            for (int j = 0; j < p.length; j++) {
                hits += (p[j] > threshold ? 1f : 0f) == t[j] ? 1 : 0;
            }
            sum += (double) hits / p.length;
        }
        return sum;
    }

    /** Categorical accuracy's hits, with each target row's class known: where the prediction's argmax is it. */
    static int correct(float[][] predicted, int[] labels) {
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            hits += argmax(predicted[i]) == labels[i] ? 1 : 0;
        }
        return hits;
    }

    private static int argmax(float[] values) {
        int best = 0;
        float max = values[0];
        for (int j = 1; j < values.length; j++) {
            float v = values[j];
            // written as selects, which C2 may compile to conditional moves: on a network's outputs the comparison
            // goes either way at random, so a branch here mispredicts often
            best = v > max ? j : best;
            max = v > max ? v : max;
        }
        return best;
    }

    /**
     * Where {@code fit} cuts the first layer's units between threads, or null for nowhere: a Sequential network whose
     * first two layers are Dense, every weight of theirs trainable, the first one's activation element by element, no
     * activity penalty on it, and rules on its weights that hold unit by unit ({@link WeightRules#holdByUnits}); two
     * threads or more with at least 64 units each; a batch too small to be cut by samples (under 128 rows) whose first
     * product reaches the products' threshold; the Vector API kernel, as on the plain one the cut gained nothing
     * measurable (0.95-0.98x at W = 256 and 512). {@code -Dnncore.noUnitCut=true} turns the cut off.
     */
    private static int[] unitBounds(Network network, StepKernel.Factory kernels, int batchSize) {
        if (!kernels.cutsByUnits() || Boolean.getBoolean("nncore.noUnitCut") || !vectorKernel() || !network.isSequential()
                || network.layers().size() < 2
                || !(network.layers().get(0) instanceof Dense first) || !(network.layers().get(1) instanceof Dense)
                || batchSize >= 128 || first.activityRegularizer().isPresent()
                || !WeightRules.of(network, true).holdByUnits(0, first.weightNames().size() > 1)) {
            return null;
        }
        String activation = first.activation().kerasName();
        if (activation.equals("softmax") || activation.equals("log_softmax")) {
            return null;
        }
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < network.layers().get(l).weightNames().size(); i++) {
                if (!network.layers().get(l).isTrainable(i)) {
                    return null;
                }
            }
        }
        int units = first.units();
        int parts = Math.min(Kernels.threads(), units / 64);
        if (parts < 2 || (double) batchSize * first.inputs() * units < Kernels.parallelThreshold()) {
            return null;
        }
        int[] bounds = new int[parts + 1];
        for (int p = 0; p <= parts; p++) {
            bounds[p] = Kernels.rowBound(units, p, parts);
        }
        return bounds;
    }

    /** @return whether the products run on the Vector API kernel, the only one the cut by units gains on */
    static boolean vectorKernel() {
        return dev.nncore.math.MatrixOps.kernelName().contains("Vector");
    }

    private static List<float[][]> zerosLike(List<float[][]> tensors) {
        List<float[][]> out = new ArrayList<>(tensors.size());
        for (float[][] tensor : tensors) {
            out.add(new float[tensor.length][tensor[0].length]);
        }
        return out;
    }
}
