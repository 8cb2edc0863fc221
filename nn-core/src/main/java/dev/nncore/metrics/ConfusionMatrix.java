package dev.nncore.metrics;

import dev.nncore.internal.Checks;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts of (true class, predicted class) pairs, scikit-learn's {@code confusion_matrix}: row {@code i} is the true
 * class, column {@code j} the predicted one, so {@code get(i, j)} samples of class {@code i} were predicted as
 * {@code j}. Per-class precision, recall and F1 are scikit-learn's, 0 where a denominator is 0 (its
 * {@code zero_division} default).
 * <pre>{@code
 * ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, 2}, 3);
 * cm.get(0, 1);       // 1: one sample of class 0 predicted as 1
 * cm.accuracy();      // 0.75
 * cm.precision(1);    // 0.5
 * }</pre>
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ConfusionMatrix {

    private final long[][] counts;
    private final List<String> classNames;

    private ConfusionMatrix(long[][] counts, List<String> classNames) {
        this.counts = counts;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * @param trueClasses the true class of each sample, from 0 to {@code classes - 1}; not modified
     * @param predictedClasses the predicted class of each sample; not modified
     * @param classes the number of classes
     * @return the matrix, classes named {@code 0, 1, ...}
     */
    public static ConfusionMatrix of(int[] trueClasses, int[] predictedClasses, int classes) {
        Checks.notNull(trueClasses, "trueClasses");
        Checks.notNull(predictedClasses, "predictedClasses");
        Checks.positive(classes, "classes");
        if (trueClasses.length != predictedClasses.length) {
            throw new IllegalArgumentException(trueClasses.length + " true classes but " + predictedClasses.length
                    + " predicted ones");
        }
        long[][] counts = new long[classes][classes];
        for (int i = 0; i < trueClasses.length; i++) {
            int t = trueClasses[i];
            int p = predictedClasses[i];
            if (t < 0 || t >= classes || p < 0 || p >= classes) {
                throw new IllegalArgumentException("sample " + i + " has true class " + t + " and predicted class " + p
                        + "; both must be from 0 to " + (classes - 1));
            }
            counts[t][p]++;
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        return new ConfusionMatrix(counts, names);
    }

    /**
     * From targets (one-hot rows or one column of class indices) and predictions (argmax of each row, or
     * {@code p > 0.5} for one column).
     *
     * @param yTrue the targets; not modified
     * @param yPred the predictions; not modified
     * @return the matrix, with as many classes as the wider of the two (at least 2)
     */
    public static ConfusionMatrix of(Matrix yTrue, Matrix yPred) {
        Classes.sameRows(yTrue, yPred);
        int[] truth = Classes.fromTargets(yTrue);
        int classes = Math.max(2, Math.max(yTrue.cols(), yPred.cols()));
        for (int c : truth) {
            classes = Math.max(classes, c + 1);
        }
        return of(truth, Classes.fromPredictions(yPred), classes);
    }

    /**
     * @param names one name per class, in index order
     * @return this matrix with those class names, for {@link #toString()} and {@link ClassificationReport}
     */
    public ConfusionMatrix withClassNames(List<String> names) {
        Checks.notNull(names, "names");
        if (names.size() != counts.length) {
            throw new IllegalArgumentException(names.size() + " class names for " + counts.length + " classes");
        }
        return new ConfusionMatrix(counts, names);
    }

    /** @return the number of classes */
    public int classes() {
        return counts.length;
    }

    /** @return the class names in index order */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * @param trueClass the row
     * @param predictedClass the column
     * @return how many samples of {@code trueClass} were predicted as {@code predictedClass}
     */
    public long get(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }

    /** @return the counts, {@code [true][predicted]}, a copy */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** @return the number of samples */
    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long v : row) {
                total += v;
            }
        }
        return total;
    }

    /** @return the share of samples on the diagonal */
    public double accuracy() {
        long right = 0;
        for (int c = 0; c < counts.length; c++) {
            right += counts[c][c];
        }
        return total() == 0 ? 0 : (double) right / total();
    }

    /**
     * @param c a class
     * @return how many samples are of class {@code c}
     */
    public long support(int c) {
        long sum = 0;
        for (long v : counts[c]) {
            sum += v;
        }
        return sum;
    }

    private long predicted(int c) {
        long sum = 0;
        for (long[] row : counts) {
            sum += row[c];
        }
        return sum;
    }

    /**
     * @param c a class
     * @return of the samples predicted as {@code c}, the share that are; 0 if none were predicted
     */
    public double precision(int c) {
        long predicted = predicted(c);
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    /**
     * @param c a class
     * @return of the samples of class {@code c}, the share predicted as {@code c}; 0 if there are none
     */
    public double recall(int c) {
        long support = support(c);
        return support == 0 ? 0 : (double) counts[c][c] / support;
    }

    /**
     * @param c a class
     * @return {@code 2 tp / (2 tp + fp + fn)}, scikit-learn's F1; 0 if that denominator is 0
     */
    public double f1(int c) {
        double denominator = predicted(c) + support(c);
        return denominator == 0 ? 0 : 2.0 * counts[c][c] / denominator;
    }

    /**
     * The counts with the class names, true classes down, predicted across:
     * <pre>
     *             predicted
     * true        setosa  versicolor  virginica
     * setosa          10           0          0
     * </pre>
     */
    @Override
    public String toString() {
        int width = 9;
        for (String name : classNames) {
            width = Math.max(width, name.length());
        }
        for (long[] row : counts) {
            for (long v : row) {
                width = Math.max(width, Long.toString(v).length());
            }
        }
        StringBuilder text = new StringBuilder(String.format("%-" + width + "s  predicted%n", ""));
        text.append(String.format("%-" + width + "s", "true"));
        for (String name : classNames) {
            text.append("  ").append(String.format("%" + width + "s", name));
        }
        text.append(System.lineSeparator());
        for (int i = 0; i < counts.length; i++) {
            text.append(String.format("%-" + width + "s", classNames.get(i)));
            for (long v : counts[i]) {
                text.append("  ").append(String.format("%" + width + "d", v));
            }
            text.append(System.lineSeparator());
        }
        return text.toString();
    }
}
