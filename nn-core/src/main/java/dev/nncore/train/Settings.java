package dev.nncore.train;

import dev.nncore.Loss;
import dev.nncore.internal.Checks;
import dev.nncore.math.Matrix;
import dev.nncore.metrics.Metric;
import java.util.ArrayList;
import java.util.List;

/** The options both trainers share, fixed when a trainer is built. */
record Settings(Loss loss, Optimizer optimizer, int epochs, int batchSize, boolean shuffle, Long seed,
        double validationSplit, ValidationSplit validationSplitRows, Matrix validationX, Matrix validationY,
        List<TrainingListener> listeners, List<Metric> metrics, int initialEpoch, int stepsPerEpoch,
        int validationFreq, OutputLosses outputLosses, java.util.Map<Integer, Double> classWeight,
        OptimizerState optimizerState) {

    /** The options as the public builders collect them, with Keras's defaults; each setter checks its argument. */
    static final class Builder {
        private Loss loss;
        private Optimizer optimizer;
        private int epochs = 1;
        private int batchSize = 32;
        private boolean shuffle = true;
        private Long seed;
        private double validationSplit;
        private ValidationSplit validationSplitRows = ValidationSplit.LAST;
        private Matrix validationX;
        private Matrix validationY;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final List<Metric> metrics = new ArrayList<>();
        private OutputLosses outputLosses = OutputLosses.NONE;
        private java.util.Map<Integer, Double> classWeight = java.util.Map.of();

        void classWeight(java.util.Map<Integer, Double> value) {
            Checks.notNull(value, "classWeight");
            value.forEach((label, weight) -> {
                if (label == null || label < 0) {
                    throw new IllegalArgumentException("class_weight needs class indices of at least 0, got " + label);
                }
                if (weight == null || !(weight >= 0) || Double.isInfinite(weight)) {
                    throw new IllegalArgumentException("the weight of class " + label + " must be finite and at least 0, got "
                            + weight);
                }
            });
            classWeight = java.util.Map.copyOf(value);
        }
        private int initialEpoch;
        private OptimizerState optimizerState;
        private int stepsPerEpoch;

        void optimizerState(OptimizerState value) {
            optimizerState = Checks.notNull(value, "optimizerState");
        }
        private int validationFreq = 1;

        void initialEpoch(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("initialEpoch must be >= 0 (the epoch to start from, counted from 0),"
                        + " got " + value);
            }
            initialEpoch = value;
        }

        void stepsPerEpoch(int value) {
            stepsPerEpoch = Checks.positive(value, "stepsPerEpoch");
        }

        void validationFreq(int value) {
            validationFreq = Checks.positive(value, "validationFreq");
        }

        void loss(Loss value) {
            loss = Checks.notNull(value, "loss");
        }

        void losses(java.util.Map<String, Loss> byOutput) {
            Checks.notNull(byOutput, "losses");
            if (byOutput.isEmpty()) {
                throw new IllegalArgumentException("give a loss for at least one output, e.g. Map.of(\"main\", Loss.MEAN_SQUARED_ERROR)");
            }
            byOutput.forEach((name, value) -> {
                Checks.notNull(name, "output name");
                Checks.notNull(value, "loss of output " + name);
            });
            outputLosses = new OutputLosses(byOutput, outputLosses.weights());
            if (loss == null) {
                loss = byOutput.values().iterator().next();
            }
        }

        void lossWeights(java.util.Map<String, Double> byOutput) {
            Checks.notNull(byOutput, "lossWeights");
            byOutput.forEach((name, value) -> {
                Checks.notNull(name, "output name");
                if (value == null || !Double.isFinite(value)) {
                    throw new IllegalArgumentException("the loss weight of output " + name + " must be finite, got " + value);
                }
            });
            outputLosses = new OutputLosses(outputLosses.losses(), byOutput);
        }

        void optimizer(Optimizer value) {
            optimizer = Checks.notNull(value, "optimizer");
        }

        void epochs(int value) {
            epochs = Checks.positive(value, "epochs");
        }

        void batchSize(int value) {
            batchSize = Checks.positive(value, "batchSize");
        }

        void shuffle(boolean value) {
            shuffle = value;
        }

        void seed(long value) {
            seed = value;
        }

        void validationSplit(double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException("validationSplit must be in [0, 1) (the fraction of rows, taken from the end,"
                        + " held out for validation), got " + value);
            }
            validationSplit = value;
        }

        void validationSplitRows(ValidationSplit value) {
            validationSplitRows = Checks.notNull(value, "rows");
        }

        void validationData(Matrix x, Matrix y) {
            Checks.notNull(x, "validation x");
            Checks.notNull(y, "validation y");
            if (x.rows() != y.rows()) {
                throw new IllegalArgumentException("validation x has " + x.rows() + " rows but validation y has " + y.rows());
            }
            validationX = x;
            validationY = y;
        }

        void metric(Metric value) {
            Checks.notNull(value, "metric");
            String name = value.name();
            if (name.equals(History.LOSS) || name.startsWith("val_")
                    || metrics.stream().anyMatch(m -> m.name().equals(name))) {
                throw new IllegalArgumentException("metric name '" + name + "' is taken (by loss, a val_ key or another"
                        + " metric); give it another with Metric.named(...)");
            }
            metrics.add(value);
        }

        void listener(TrainingListener value) {
            listeners.add(Checks.notNull(value, "listener"));
        }

        Settings build(Optimizer defaultOptimizer) {
            if (loss == null) {
                throw new IllegalStateException("call loss(...) before build(), e.g. loss(Loss.MEAN_SQUARED_ERROR);"
                        + " Keras's compile needs a loss too");
            }
            if (validationSplit > 0 && validationX != null) {
                throw new IllegalStateException("set validationSplit(" + validationSplit + ") or validationData(x, y), not both");
            }
            return new Settings(loss, optimizer == null ? defaultOptimizer : optimizer, epochs, batchSize, shuffle, seed,
                    validationSplit, validationSplitRows, validationX, validationY, List.copyOf(listeners),
                    List.copyOf(metrics), initialEpoch, stepsPerEpoch, validationFreq, outputLosses,
                    classWeight, optimizerState);
        }
    }

    String describe() {
        return "loss=" + loss.kerasName() + ", optimizer=" + optimizer + ", epochs=" + epochs + ", batchSize=" + batchSize
                + ", shuffle=" + shuffle + ", seed=" + (seed == null ? "random" : seed)
                + (validationSplit > 0 ? ", validationSplit=" + validationSplit
                        + (validationSplitRows == ValidationSplit.LAST ? "" : " " + validationSplitRows) : "")
                + (validationX != null ? ", validationData=" + validationX.shape() : "")
                + (listeners.isEmpty() ? "" : ", listeners=" + listeners.size())
                + (metrics.isEmpty() ? "" : ", metrics=" + metrics.stream().map(Metric::name).toList())
                + (initialEpoch == 0 ? "" : ", initialEpoch=" + initialEpoch)
                + (stepsPerEpoch == 0 ? "" : ", stepsPerEpoch=" + stepsPerEpoch)
                + (validationFreq == 1 ? "" : ", validationFreq=" + validationFreq)
                + (outputLosses.losses().isEmpty() ? "" : ", losses=" + outputLosses.losses())
                + (outputLosses.weights().isEmpty() ? "" : ", lossWeights=" + outputLosses.weights())
                + (classWeight.isEmpty() ? "" : ", classWeight=" + new java.util.TreeMap<>(classWeight))
                + (optimizerState == null ? "" : ", from " + optimizerState);
    }
}
