package dev.nncore.train;

import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.Checks;
import dev.nncore.internal.DataChecks;
import dev.nncore.internal.MatrixAccess;
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
        Checks.notNull(network, "network");
        DataChecks.checkShapes(network, x, y, "x", "y");
        DataChecks.checkFinite(x, "x");
        DataChecks.checkFinite(y, "y");
        float[][] xRows = MatrixAccess.rows(x);
        float[][] yRows = MatrixAccess.rows(y);
        int trainingRows = xRows.length;
        float[][] validationX = null;
        float[][] validationY = null;
        if (settings.validationX() != null) {
            DataChecks.checkShapes(network, settings.validationX(), settings.validationY(), "validation x", "validation y");
            DataChecks.checkFinite(settings.validationX(), "validation x");
            DataChecks.checkFinite(settings.validationY(), "validation y");
            validationX = MatrixAccess.rows(settings.validationX());
            validationY = MatrixAccess.rows(settings.validationY());
        } else if (settings.validationSplit() > 0) {
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
                for (int i = 0; i < xRows.length; i++) {
                    reorderedX[i] = xRows[rows[i]];
                    reorderedY[i] = yRows[rows[i]];
                }
                xRows = reorderedX;
                yRows = reorderedY;
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

        Loss loss = settings.loss();
        boolean accuracy = loss == Loss.CATEGORICAL_CROSSENTROPY || loss == Loss.BINARY_CROSSENTROPY;
        // metrics(...) beyond the accuracy recorded anyway; a user's "accuracy" with a cross-entropy is that one
        List<Metric> extra = settings.metrics().stream()
                .filter(m -> !(accuracy && m.name().equals(History.ACCURACY))).toList();
        History.Recorder recorder = new History.Recorder(accuracy, validationX != null,
                extra.stream().map(Metric::name).toList());
        List<float[]> epochPredictions = new ArrayList<>();
        List<float[]> epochTargets = new ArrayList<>();
        List<float[][]> weights = copies(network);
        List<float[][]> trainable = new ArrayList<>();
        List<Boolean> flags = network.trainable();
        for (int t = 0; t < weights.size(); t++) {
            if (flags.get(t)) {
                trainable.add(weights.get(t));
            }
        }
        List<float[][]> gradients = zerosLike(trainable);
        List<float[][]> lastFinite = zerosLike(weights);
        copy(weights, lastFinite);
        Optimizer.Update update = settings.optimizer().start(trainable);
        SplittableRandom random = settings.seed() == null ? new SplittableRandom() : new SplittableRandom(settings.seed());
        // Dropout masks and noise from their own stream, so that shuffling draws the same orders with or without them.
        SplittableRandom layerRandom = settings.seed() == null ? new SplittableRandom()
                : new SplittableRandom(settings.seed() ^ 0x6A09E667F3BCC909L);
        StepKernel kernel = kernels.make(network, weights, layerRandom);

        int batchSize = Math.min(settings.batchSize(), trainingRows);
        int batches = (trainingRows + batchSize - 1) / batchSize;
        int[] order = new int[trainingRows];
        Arrays.setAll(order, i -> i);
        float[][] fullX = new float[batchSize][];
        float[][] fullY = new float[batchSize][];
        int remainder = trainingRows - (batches - 1) * batchSize;
        float[][] lastX = new float[remainder][];
        float[][] lastY = new float[remainder][];

        TrainingRun run = new TrainingRun(network, weights, recorder, settings.epochs(), batches, trainingRows,
                validationX == null ? 0 : validationX.length);
        List<TrainingListener> listeners = settings.listeners();
        for (TrainingListener listener : listeners) {
            listener.onTrainBegin(run);
        }
        for (int epoch = 0; epoch < settings.epochs() && !run.stopRequested(); epoch++) {
            long started = System.nanoTime();
            for (TrainingListener listener : listeners) {
                listener.onEpochBegin(run, epoch);
            }
            if (settings.shuffle()) {
                for (int i = trainingRows - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
            }
            double lossSum = 0;
            double correct = 0;
            int seen = 0;
            for (int batch = 0; batch < batches; batch++) {
                int start = batch * batchSize;
                float[][] batchX = batch == batches - 1 ? lastX : fullX;
                float[][] batchY = batch == batches - 1 ? lastY : fullY;
                for (int i = 0; i < batchX.length; i++) {
                    batchX[i] = xRows[order[start + i]];
                    batchY[i] = yRows[order[start + i]];
                }
                double batchLoss = kernel.lossAndGradients(batchX, batchY, gradients);
                if (!Double.isFinite(batchLoss)) {
                    throw new TrainingDivergedException(epoch + 1, settings.epochs(), batch + 1, batches, batchLoss,
                            TrainingRun.snapshot(network, lastFinite), recorder.build(), kernel.divergenceHint());
                }
                if (accuracy) {
                    correct += correct(loss, kernel.outputs(), batchY);
                }
                if (!extra.isEmpty()) {
                    keep(kernel.outputs(), batchY, epochPredictions, epochTargets);
                }
                copy(weights, lastFinite);
                update.apply(trainable, gradients);
                lossSum += batchLoss * batchX.length;
                seen += batchX.length;
                for (TrainingListener listener : listeners) {
                    listener.onBatchEnd(run, epoch, batch, lossSum / seen);
                }
            }
            recorder.add(History.LOSS, lossSum / seen);
            if (accuracy) {
                recorder.add(History.ACCURACY, correct / seen);
            }
            record(extra, "", epochPredictions, epochTargets, recorder);
            if (validationX != null) {
                evaluate(kernel, loss, accuracy, validationX, validationY, batchSize, recorder, extra);
            }
            recorder.endEpoch(Duration.ofNanos(System.nanoTime() - started));
            for (TrainingListener listener : listeners) {
                listener.onEpochEnd(run, epoch);
            }
        }
        for (TrainingListener listener : listeners) {
            listener.onTrainEnd(run);
        }
        return new TrainingResult(TrainingRun.snapshot(network, weights), recorder.build());
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
    private static void keep(float[][] outputs, float[][] batchY, List<float[]> predictions, List<float[]> targets) {
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
        Matrix predicted = Matrix.of(predictions.toArray(float[][]::new));
        Matrix target = Matrix.of(targets.toArray(float[][]::new));
        for (Metric metric : metrics) {
            recorder.add(prefix + metric.name(), metric.compute(target, predicted));
        }
        predictions.clear();
        targets.clear();
    }

    /**
     * Keras's accuracy, summed over rows: categorical, 1 where the prediction's argmax (the first maximum, as
     * numpy's) is the target's; binary, the fraction of outputs where {@code p > 0.5} equals the target.
     */
    static double correct(Loss loss, float[][] predicted, float[][] target) {
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            float[] p = predicted[i];
            float[] t = target[i];
            if (loss == Loss.CATEGORICAL_CROSSENTROPY) {
                sum += argmax(p) == argmax(t) ? 1 : 0;
            } else {
                int hits = 0;
                for (int j = 0; j < p.length; j++) {
                    hits += (p[j] > 0.5f ? 1f : 0f) == t[j] ? 1 : 0;
                }
                sum += (double) hits / p.length;
            }
        }
        return sum;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }

    private static List<float[][]> copies(Network network) {
        List<float[][]> out = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            out.add(weight.toArray());
        }
        return out;
    }

    private static List<float[][]> zerosLike(List<float[][]> tensors) {
        List<float[][]> out = new ArrayList<>(tensors.size());
        for (float[][] tensor : tensors) {
            out.add(new float[tensor.length][tensor[0].length]);
        }
        return out;
    }

    private static void copy(List<float[][]> from, List<float[][]> to) {
        for (int t = 0; t < from.size(); t++) {
            float[][] source = from.get(t);
            float[][] target = to.get(t);
            for (int r = 0; r < source.length; r++) {
                System.arraycopy(source[r], 0, target[r], 0, source[r].length);
            }
        }
    }
}
