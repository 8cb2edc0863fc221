package dev.nncore.metrics;

import dev.nncore.math.Matrix;
import java.util.Arrays;
import java.util.Comparator;

/** Areas under the ROC and precision-recall curves, Keras's thresholded forms and scikit-learn's exact ones. */
final class Auc {

    private Auc() {
    }

    /** Keras's AUC: confusion counts at float32 thresholds, then interpolation (ROC trapezoids, PR Davis-Goadrich). */
    static double keras(Matrix t, Matrix p, Metric.Curve curve, int n) {
        Classes.sameShape(t, p, "auc");
        float[] thresholds = new float[n];
        thresholds[0] = (float) (0.0 - Metric.EPSILON);
        for (int i = 1; i < n - 1; i++) {
            thresholds[i] = (float) (i / (double) (n - 1));
        }
        thresholds[n - 1] = (float) (1.0 + Metric.EPSILON);
        double[] tp = new double[n];
        double[] fp = new double[n];
        double[] tn = new double[n];
        double[] fn = new double[n];
        for (int r = 0; r < t.rows(); r++) {
            for (int j = 0; j < t.cols(); j++) {
                float score = checkedScore(p, r, j);
                boolean actual = t.get(r, j) != 0;
                for (int i = 0; i < n; i++) {
                    boolean predicted = score > thresholds[i];
                    if (predicted) {
                        if (actual) {
                            tp[i]++;
                        } else {
                            fp[i]++;
                        }
                    } else if (actual) {
                        fn[i]++;
                    } else {
                        tn[i]++;
                    }
                }
            }
        }
        if (curve == Metric.Curve.PR) {
            return interpolatePr(tp, fp, fn);
        }
        double area = 0;
        for (int i = 0; i < n - 1; i++) {
            double x0 = divideNoNan(fp[i], fp[i] + tn[i]);
            double x1 = divideNoNan(fp[i + 1], fp[i + 1] + tn[i + 1]);
            double y0 = divideNoNan(tp[i], tp[i] + fn[i]);
            double y1 = divideNoNan(tp[i + 1], tp[i + 1] + fn[i + 1]);
            area += (x0 - x1) * (y0 + y1) / 2;
        }
        return area;
    }

    /** Keras's {@code interpolate_pr_auc} (Davis and Goadrich 2006), term by term. */
    private static double interpolatePr(double[] tp, double[] fp, double[] fn) {
        double area = 0;
        for (int i = 0; i < tp.length - 1; i++) {
            double dtp = tp[i] - tp[i + 1];
            double p0 = tp[i] + fp[i];
            double p1 = tp[i + 1] + fp[i + 1];
            double slope = divideNoNan(dtp, Math.max(p0 - p1, 0));
            double intercept = tp[i + 1] - slope * p1;
            double ratio = p0 > 0 && p1 > 0 ? divideNoNan(p0, Math.max(p1, 0)) : 1;
            area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1] + fn[i + 1], 0));
        }
        return area;
    }

    private static double divideNoNan(double a, double b) {
        return b == 0 ? 0 : a / b;
    }

    private static float checkedScore(Matrix p, int r, int j) {
        float score = p.get(r, j);
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("auc needs predictions from 0 to 1, got " + score + " at row " + r
                    + ", column " + j + "; use a sigmoid or softmax output");
        }
        return score;
    }

    /** Scores and labels of every element, sorted by descending score. */
    private static double[][] sorted(Matrix t, Matrix p, String metric, boolean needsNegatives) {
        Classes.sameShape(t, p, metric);
        int count = t.rows() * t.cols();
        double[][] pairs = new double[count][];
        int k = 0;
        for (int r = 0; r < t.rows(); r++) {
            for (int j = 0; j < t.cols(); j++) {
                float score = p.get(r, j);
                if (!Float.isFinite(score)) {
                    throw new IllegalArgumentException(metric + " needs finite predictions, got " + score + " at row " + r
                            + ", column " + j);
                }
                pairs[k++] = new double[] {score, t.get(r, j) != 0 ? 1 : 0};
            }
        }
        Arrays.sort(pairs, Comparator.comparingDouble((double[] pair) -> pair[0]).reversed());
        double positives = 0;
        for (double[] pair : pairs) {
            positives += pair[1];
        }
        if (positives == 0 || (needsNegatives && positives == count)) {
            throw new IllegalArgumentException("only one class present in y_true (" + (positives == 0 ? "no positives"
                    : "no negatives") + "); " + metric + " is not defined in that case (scikit-learn raises the same)");
        }
        return pairs;
    }

    /** scikit-learn's {@code roc_auc_score}: trapezoids between distinct thresholds, so tied scores count one half. */
    static double exactRoc(Matrix t, Matrix p) {
        double[][] pairs = sorted(t, p, "roc_auc_score", true);
        double tp = 0;
        double fp = 0;
        double area = 0;
        int i = 0;
        while (i < pairs.length) {
            double previousTp = tp;
            double previousFp = fp;
            double score = pairs[i][0];
            while (i < pairs.length && pairs[i][0] == score) {
                tp += pairs[i][1];
                fp += 1 - pairs[i][1];
                i++;
            }
            area += (fp - previousFp) * (tp + previousTp) / 2;
        }
        return area / (tp * fp);
    }

    /** scikit-learn's {@code average_precision_score}: the sum over distinct thresholds of (R_n - R_n-1) P_n. */
    static double averagePrecision(Matrix t, Matrix p) {
        double[][] pairs = sorted(t, p, "average_precision_score", false);
        double positives = 0;
        for (double[] pair : pairs) {
            positives += pair[1];
        }
        double tp = 0;
        double seen = 0;
        double previousRecall = 0;
        double sum = 0;
        int i = 0;
        while (i < pairs.length) {
            double score = pairs[i][0];
            while (i < pairs.length && pairs[i][0] == score) {
                tp += pairs[i][1];
                seen++;
                i++;
            }
            double recall = tp / positives;
            sum += (recall - previousRecall) * (tp / seen);
            previousRecall = recall;
        }
        return sum;
    }
}
