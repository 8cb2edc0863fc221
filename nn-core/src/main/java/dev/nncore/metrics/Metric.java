package dev.nncore.metrics;

import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.Locale;
import java.util.function.ToDoubleBiFunction;

/**
 * A Keras metric: a name, as Keras's {@code History} and {@code evaluate} report it, and a value computed from the
 * targets and the predictions of a whole dataset, in Keras's argument order {@code (y_true, y_pred)}.
 * <p>Definitions (all in float64 on the float32 inputs):
 * <ul>
 *   <li>{@code accuracy}: resolved as Keras's {@code compile(metrics=["accuracy"])} does from the shapes: one
 *   prediction column gives {@code binary_accuracy}; one target column with several prediction columns gives
 *   {@code sparse_categorical_accuracy}; otherwise {@code categorical_accuracy}.</li>
 *   <li>{@code binary_accuracy}: the share of elements where {@code (y_pred > threshold) == y_true}, threshold 0.5.</li>
 *   <li>{@code categorical_accuracy}: argmax of y_pred = argmax of y_true (first index on ties);
 *   {@code sparse_categorical_accuracy}: argmax of y_pred = the class index in y_true.</li>
 *   <li>{@code top_k_categorical_accuracy} (k = 5): the true class is in the top k, counted as TensorFlow's
 *   {@code in_top_k} does: fewer than k classes have a strictly larger prediction (so ties at the boundary count).</li>
 *   <li>{@code precision}, {@code recall}: Keras's {@code Precision()}/{@code Recall()} over every element
 *   ({@code y_pred > 0.5} is positive, a non-zero target is positive), {@code tp / (tp + fp)} and
 *   {@code tp / (tp + fn)}, 0 when the denominator is 0.</li>
 *   <li>{@code f1_score}: Keras 3's {@code F1Score(average)} with its threshold {@code None}: every class whose
 *   prediction equals the row's maximum (and is not 0) is predicted; per class {@code p = tp / (tp + fp + e)},
 *   {@code r = tp / (tp + fn + e)}, {@code f1 = 2 p r / (p + r + e)} with Keras's {@code e = 1e-7}; micro sums the
 *   counts over classes first, macro averages the classes, weighted weighs them by {@code support / (sum + e)}.
 *   Class-index targets are one-hot encoded first. scikit-learn's {@code f1_score} has no {@code e}: the two differ by
 *   about 1e-7; {@link ClassificationReport} uses scikit-learn's.</li>
 *   <li>{@code auc}: Keras's {@code AUC(num_thresholds=200, curve="ROC"|"PR", summation_method="interpolation")}
 *   over every element: thresholds {@code -1e-7, 1/199, ..., 198/199, 1 + 1e-7} (float32), {@code y_pred > t}
 *   positive; ROC by the trapezoidal rule on (FPR, TPR), PR by Davis and Goadrich's interpolation as Keras's
 *   {@code interpolate_pr_auc}. With one class only in y_true Keras's rates are 0 and so is the AUC.
 *   {@link #aucExact} is scikit-learn's {@code roc_auc_score} (ties count one half) or
 *   {@code average_precision_score}, which throw for one class only, as scikit-learn does.</li>
 *   <li>{@code mae}, {@code mse}, {@code root_mean_squared_error}: over every element; {@code r2_score}:
 *   scikit-learn's {@code r2_score} with {@code multioutput="uniform_average"}, a constant column scoring 1 if
 *   predicted exactly and 0 otherwise ({@code force_finite=True}).</li>
 * </ul>
 * <pre>{@code
 * Matrix yTrue = Matrix.of(new float[][] {{0, 1}, {1, 0}, {1, 0}});
 * Matrix yPred = Matrix.of(new float[][] {{0.2f, 0.8f}, {0.6f, 0.4f}, {0.3f, 0.7f}});
 * double accuracy = Metric.accuracy().compute(yTrue, yPred);   // 2 of 3 rows right: 0.6667
 * String name = Metric.fromKerasName("acc").name();             // "accuracy"
 * }</pre>
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Metric {

    /** How {@link #f1Score} combines the classes. */
    public enum Average {
        /** Count true and false positives over all classes, then take F1 once. */
        MICRO,
        /** The plain mean of the classes' F1. */
        MACRO,
        /** The mean of the classes' F1 weighted by their support. */
        WEIGHTED
    }

    /** The curve under which {@link #auc} measures the area. */
    public enum Curve {
        /** Receiver operating characteristic: true positive rate against false positive rate. */
        ROC,
        /** Precision against recall. */
        PR
    }

    /** Keras's {@code backend.epsilon()}. */
    static final double EPSILON = 1e-7;

    private final String name;
    private final ToDoubleBiFunction<Matrix, Matrix> value;

    private Metric(String name, ToDoubleBiFunction<Matrix, Matrix> value) {
        this.name = name;
        this.value = value;
    }

    /** @return the name Keras records, e.g. {@code "accuracy"} or {@code "f1_score"} */
    public String name() {
        return name;
    }

    /**
     * @param newName the name to record instead, e.g. {@code "pr_auc"}
     * @return this metric under that name
     */
    public Metric named(String newName) {
        Checks.notNull(newName, "newName");
        return new Metric(newName, value);
    }

    /**
     * @param yTrue the targets, one row per sample; not modified
     * @param yPred the predictions, one row per sample; not modified
     * @return the metric's value over all rows
     * @throws IllegalArgumentException if the shapes do not fit the metric
     */
    public double compute(Matrix yTrue, Matrix yPred) {
        Classes.sameRows(yTrue, yPred);
        return value.applyAsDouble(yTrue, yPred);
    }

    /**
     * Keras's name for a metric: {@code accuracy}/{@code acc}, {@code binary_accuracy}, {@code categorical_accuracy},
     * {@code sparse_categorical_accuracy}, {@code top_k_categorical_accuracy}, {@code precision}, {@code recall},
     * {@code f1_score} (macro), {@code auc}, {@code mae}/{@code mean_absolute_error}, {@code mse}/
     * {@code mean_squared_error}, {@code rmse}/{@code root_mean_squared_error}, {@code r2_score}.
     *
     * @param kerasName the name, case-insensitive
     * @return the metric
     * @throws IllegalArgumentException for any other name, listing these
     */
    public static Metric fromKerasName(String kerasName) {
        Checks.notNull(kerasName, "kerasName");
        return switch (kerasName.toLowerCase(Locale.ROOT)) {
            case "accuracy", "acc" -> accuracy();
            case "binary_accuracy" -> binaryAccuracy(0.5);
            case "categorical_accuracy" -> categoricalAccuracy();
            case "sparse_categorical_accuracy" -> sparseCategoricalAccuracy();
            case "top_k_categorical_accuracy" -> topKCategoricalAccuracy(5);
            case "precision" -> precision();
            case "recall" -> recall();
            case "f1_score" -> f1Score(Average.MACRO);
            case "auc" -> auc();
            case "mae", "mean_absolute_error" -> meanAbsoluteError();
            case "mse", "mean_squared_error" -> meanSquaredError();
            case "rmse", "root_mean_squared_error" -> rootMeanSquaredError();
            case "r2_score" -> r2Score();
            default -> throw new IllegalArgumentException("unknown metric '" + kerasName + "'; nn-core has accuracy, "
                    + "binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy, "
                    + "precision, recall, f1_score, auc, mae, mse, rmse, r2_score");
        };
    }

    /** @return {@code accuracy}, resolved from the shapes as Keras's {@code metrics=["accuracy"]} */
    public static Metric accuracy() {
        return new Metric("accuracy", (t, p) -> {
            if (p.cols() == 1) {
                return binaryAccuracyOf(t, p, 0.5);
            }
            return t.cols() == 1 ? sparseAccuracyOf(t, p) : categoricalAccuracyOf(t, p);
        });
    }

    /**
     * @param threshold a prediction above it counts as 1
     * @return {@code binary_accuracy}
     */
    public static Metric binaryAccuracy(double threshold) {
        return new Metric("binary_accuracy", (t, p) -> binaryAccuracyOf(t, p, threshold));
    }

    /** @return {@code categorical_accuracy}, for one-hot targets */
    public static Metric categoricalAccuracy() {
        return new Metric("categorical_accuracy", Metric::categoricalAccuracyOf);
    }

    /** @return {@code sparse_categorical_accuracy}, for one column of class indices */
    public static Metric sparseCategoricalAccuracy() {
        return new Metric("sparse_categorical_accuracy", Metric::sparseAccuracyOf);
    }

    /**
     * @param k how many of the largest predictions may hold the true class (Keras's default is 5)
     * @return {@code top_k_categorical_accuracy}, for one-hot targets
     */
    public static Metric topKCategoricalAccuracy(int k) {
        Checks.positive(k, "k");
        return new Metric("top_k_categorical_accuracy", (t, p) -> {
            Classes.sameShape(t, p, "top_k_categorical_accuracy");
            int[] truth = Classes.fromTargets(t);
            int hits = 0;
            for (int r = 0; r < truth.length; r++) {
                float target = p.get(r, truth[r]);
                int larger = 0;
                for (int j = 0; j < p.cols(); j++) {
                    larger += p.get(r, j) > target ? 1 : 0;
                }
                hits += larger < k ? 1 : 0;
            }
            return (double) hits / truth.length;
        });
    }

    /** @return Keras's {@code Precision()}: {@code tp / (tp + fp)} over every element, threshold 0.5 */
    public static Metric precision() {
        return new Metric("precision", (t, p) -> {
            long[] counts = binaryCounts(t, p, "precision");
            return counts[0] + counts[1] == 0 ? 0 : (double) counts[0] / (counts[0] + counts[1]);
        });
    }

    /** @return Keras's {@code Recall()}: {@code tp / (tp + fn)} over every element, threshold 0.5 */
    public static Metric recall() {
        return new Metric("recall", (t, p) -> {
            long[] counts = binaryCounts(t, p, "recall");
            return counts[0] + counts[2] == 0 ? 0 : (double) counts[0] / (counts[0] + counts[2]);
        });
    }

    /**
     * @param average how to combine the classes
     * @return Keras 3's {@code F1Score(average=...)}, named {@code f1_score}
     */
    public static Metric f1Score(Average average) {
        Checks.notNull(average, "average");
        return new Metric("f1_score", (t, p) -> f1(t, p, average));
    }

    /** @return Keras's {@code AUC()}: ROC, 200 thresholds, interpolation, named {@code auc} */
    public static Metric auc() {
        return auc(Curve.ROC, 200);
    }

    /**
     * @param curve ROC or PR
     * @param thresholds Keras's {@code num_thresholds}, at least 3 (Keras's default is 200)
     * @return Keras's {@code AUC(num_thresholds, curve)}, named {@code auc}
     */
    public static Metric auc(Curve curve, int thresholds) {
        Checks.notNull(curve, "curve");
        if (thresholds < 3) {
            throw new IllegalArgumentException("auc needs at least 3 thresholds, got " + thresholds);
        }
        return new Metric("auc", (t, p) -> Auc.keras(t, p, curve, thresholds));
    }

    /**
     * @param curve ROC ({@code roc_auc_score}) or PR ({@code average_precision_score})
     * @return scikit-learn's exact area over every element, named {@code auc}
     */
    public static Metric aucExact(Curve curve) {
        Checks.notNull(curve, "curve");
        return new Metric("auc", (t, p) -> curve == Curve.ROC ? Auc.exactRoc(t, p) : Auc.averagePrecision(t, p));
    }

    /** @return {@code mae}, the mean absolute error over every element */
    public static Metric meanAbsoluteError() {
        return new Metric("mae", (t, p) -> meanOf(t, p, "mae", false));
    }

    /** @return {@code mse}, the mean squared error over every element */
    public static Metric meanSquaredError() {
        return new Metric("mse", (t, p) -> meanOf(t, p, "mse", true));
    }

    /** @return Keras's {@code RootMeanSquaredError()}, named {@code root_mean_squared_error} */
    public static Metric rootMeanSquaredError() {
        return new Metric("root_mean_squared_error", (t, p) -> Math.sqrt(meanOf(t, p, "root_mean_squared_error", true)));
    }

    /** @return scikit-learn's {@code r2_score}, uniform average over the output columns */
    public static Metric r2Score() {
        return new Metric("r2_score", (t, p) -> {
            Classes.sameShape(t, p, "r2_score");
            double total = 0;
            for (int j = 0; j < t.cols(); j++) {
                double mean = 0;
                for (int r = 0; r < t.rows(); r++) {
                    mean += t.get(r, j);
                }
                mean /= t.rows();
                double residual = 0;
                double spread = 0;
                for (int r = 0; r < t.rows(); r++) {
                    double error = (double) t.get(r, j) - p.get(r, j);
                    double deviation = t.get(r, j) - mean;
                    residual += error * error;
                    spread += deviation * deviation;
                }
                total += spread == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / spread;
            }
            return total / t.cols();
        });
    }

    private static double binaryAccuracyOf(Matrix t, Matrix p, double threshold) {
        Classes.sameShape(t, p, "binary_accuracy");
        long right = 0;
        for (int r = 0; r < t.rows(); r++) {
            for (int j = 0; j < t.cols(); j++) {
                right += (p.get(r, j) > threshold ? 1f : 0f) == t.get(r, j) ? 1 : 0;
            }
        }
        return (double) right / ((long) t.rows() * t.cols());
    }

    private static double categoricalAccuracyOf(Matrix t, Matrix p) {
        Classes.sameShape(t, p, "categorical_accuracy");
        return agreement(Classes.fromTargets(t), p);
    }

    private static double sparseAccuracyOf(Matrix t, Matrix p) {
        if (t.cols() != 1) {
            throw new IllegalArgumentException("sparse_categorical_accuracy needs one column of class indices in y_true, got "
                    + t.shape());
        }
        return agreement(Classes.fromTargets(t), p);
    }

    private static double agreement(int[] truth, Matrix p) {
        int right = 0;
        float[][] predicted = MatrixAccess.rows(p);   // read only
        for (int r = 0; r < truth.length; r++) {
            right += Classes.argmax(predicted[r]) == truth[r] ? 1 : 0;
        }
        return (double) right / truth.length;
    }

    /** {tp, fp, fn} over every element, threshold 0.5, a non-zero target positive. */
    private static long[] binaryCounts(Matrix t, Matrix p, String metric) {
        Classes.sameShape(t, p, metric);
        long[] counts = new long[3];
        for (int r = 0; r < t.rows(); r++) {
            for (int j = 0; j < t.cols(); j++) {
                boolean predicted = p.get(r, j) > 0.5f;
                boolean actual = t.get(r, j) != 0;
                if (predicted && actual) {
                    counts[0]++;
                } else if (predicted) {
                    counts[1]++;
                } else if (actual) {
                    counts[2]++;
                }
            }
        }
        return counts;
    }

    private static double f1(Matrix t, Matrix p, Average average) {
        int classes = p.cols();
        float[][] truth = new float[t.rows()][];
        if (t.cols() == 1 && classes > 1) {
            int[] indices = Classes.fromTargets(t);
            for (int r = 0; r < truth.length; r++) {
                if (indices[r] >= classes) {
                    throw new IllegalArgumentException("y_true row " + r + " is class " + indices[r] + " but y_pred has "
                            + classes + " columns");
                }
                truth[r] = new float[classes];
                truth[r][indices[r]] = 1;
            }
        } else {
            Classes.sameShape(t, p, "f1_score");
            truth = MatrixAccess.rows(t);   // read only: no copy of the targets
        }
        double[] tp = new double[classes];
        double[] fp = new double[classes];
        double[] fn = new double[classes];
        double[] support = new double[classes];
        float[][] predictions = MatrixAccess.rows(p);   // read only
        for (int r = 0; r < truth.length; r++) {
            float[] row = predictions[r];
            float max = row[Classes.argmax(row)];
            for (int j = 0; j < classes; j++) {
                double predicted = row[j] >= max && Math.abs(row[j]) > 1e-9 ? 1 : 0;
                tp[j] += predicted * truth[r][j];
                fp[j] += predicted * (1 - truth[r][j]);
                fn[j] += (1 - predicted) * truth[r][j];
                support[j] += truth[r][j];
            }
        }
        if (average == Average.MICRO) {
            return f1Of(sum(tp), sum(fp), sum(fn));
        }
        double result = 0;
        double supportSum = sum(support);
        for (int j = 0; j < classes; j++) {
            double f1 = f1Of(tp[j], fp[j], fn[j]);
            result += average == Average.MACRO ? f1 / classes : f1 * (support[j] / (supportSum + EPSILON));
        }
        return result;
    }

    private static double f1Of(double tp, double fp, double fn) {
        double precision = tp / (tp + fp + EPSILON);
        double recall = tp / (tp + fn + EPSILON);
        return 2 * (precision * recall / (precision + recall + EPSILON));
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }

    private static double meanOf(Matrix t, Matrix p, String metric, boolean square) {
        Classes.sameShape(t, p, metric);
        double total = 0;
        for (int r = 0; r < t.rows(); r++) {
            for (int j = 0; j < t.cols(); j++) {
                double error = (double) p.get(r, j) - t.get(r, j);
                total += square ? error * error : Math.abs(error);
            }
        }
        return total / ((double) t.rows() * t.cols());
    }

    @Override
    public String toString() {
        return "Metric[" + name + "]";
    }
}
