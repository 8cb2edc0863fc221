package dev.nncore.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Metrics on hand-worked cases (most are the examples in Keras's and scikit-learn's own docstrings) and on a larger
 * case computed by {@code reference/metrics/make_metrics.py}, a float64 numpy implementation of the published
 * formulas written apart from nn-core.
 */
class MetricTest {

    private static Matrix m(float[][] rows) {
        return Matrix.of(rows);
    }

    @Test
    void binaryAccuracyKerasDocstring() {
        // keras.metrics.BinaryAccuracy: [[1],[1],[0],[0]] vs [[0.98],[1],[0],[0.6]] -> 0.75 (0.6 > 0.5 is wrong)
        Matrix t = Matrix.column(1, 1, 0, 0);
        Matrix p = Matrix.column(0.98f, 1, 0, 0.6f);
        assertThat(Metric.binaryAccuracy(0.5).compute(t, p)).isEqualTo(0.75);
        assertThat(Metric.accuracy().compute(t, p)).isEqualTo(0.75);   // one output column: binary
    }

    @Test
    void categoricalAndSparseAccuracyKerasDocstring() {
        // CategoricalAccuracy: argmax [1, 1] vs true [2, 1] -> 0.5; SparseCategoricalAccuracy with [[2], [1]] the same
        Matrix p = m(new float[][] {{0.1f, 0.9f, 0.8f}, {0.05f, 0.95f, 0}});
        Matrix oneHot = m(new float[][] {{0, 0, 1}, {0, 1, 0}});
        Matrix sparse = Matrix.column(2, 1);
        assertThat(Metric.categoricalAccuracy().compute(oneHot, p)).isEqualTo(0.5);
        assertThat(Metric.sparseCategoricalAccuracy().compute(sparse, p)).isEqualTo(0.5);
        assertThat(Metric.accuracy().compute(oneHot, p)).isEqualTo(0.5);
        assertThat(Metric.accuracy().compute(sparse, p)).isEqualTo(0.5);
        // TopKCategoricalAccuracy(k=1) docstring: 0.5
        assertThat(Metric.topKCategoricalAccuracy(1).compute(oneHot, p)).isEqualTo(0.5);
        assertThat(Metric.topKCategoricalAccuracy(2).compute(oneHot, p)).isEqualTo(1.0);
    }

    @Test
    void topKCountsTiesAtTheBoundaryAsTensorFlowsInTopK() {
        // three equal scores: no class is strictly larger than the target's, so it is "in the top 1"
        Matrix t = m(new float[][] {{0, 0, 1}});
        Matrix p = m(new float[][] {{0.5f, 0.5f, 0.5f}});
        assertThat(Metric.topKCategoricalAccuracy(1).compute(t, p)).isEqualTo(1.0);
        // categorical accuracy takes the first maximum: class 0, wrong
        assertThat(Metric.categoricalAccuracy().compute(t, p)).isEqualTo(0.0);
    }

    @Test
    void precisionAndRecallKerasDocstring() {
        // keras.metrics.Precision: [0,1,1,1] vs [1,0,1,1]: tp 2, fp 1 -> 2/3; Recall: tp 2, fn 1 -> 2/3
        Matrix t = Matrix.column(0, 1, 1, 1);
        Matrix p = Matrix.column(1, 0, 1, 1);
        assertThat(Metric.precision().compute(t, p)).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(Metric.recall().compute(t, p)).isCloseTo(2.0 / 3, within(1e-15));
        // nothing predicted positive: Keras's divide_no_nan gives 0
        assertThat(Metric.precision().compute(t, Matrix.column(0, 0, 0, 0))).isEqualTo(0.0);
    }

    @Test
    void f1ScoreByHandWithATiedRow() {
        // rows predict class 0, 1, 2 and {0, 1} (tie: Keras's F1Score with threshold None predicts both)
        // class 0: tp 1, fp 1, fn 0 -> p 1/2, r 1, f1 2/3; class 1: tp 2 -> 1; class 2: tp 1 -> 1
        Matrix t = m(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}});
        Matrix p = m(new float[][] {{0.8f, 0.1f, 0.1f}, {0.2f, 0.5f, 0.3f}, {0.3f, 0.3f, 0.4f}, {0.4f, 0.4f, 0.2f}});
        double keras = 1e-6; // Keras's three 1e-7 epsilons move each value by under 1e-6
        assertThat(Metric.f1Score(Metric.Average.MACRO).compute(t, p)).isCloseTo((2.0 / 3 + 1 + 1) / 3, within(keras));
        // micro: tp 4, fp 1, fn 0 -> p 0.8, r 1, f1 1.6 / 1.8
        assertThat(Metric.f1Score(Metric.Average.MICRO).compute(t, p)).isCloseTo(1.6 / 1.8, within(keras));
        // weighted by support {1, 2, 1}: (2/3 + 2 + 1) / 4
        assertThat(Metric.f1Score(Metric.Average.WEIGHTED).compute(t, p)).isCloseTo((2.0 / 3 + 3) / 4, within(keras));
        // class indices as targets are one-hot encoded first
        assertThat(Metric.f1Score(Metric.Average.MACRO).compute(Matrix.column(0, 1, 2, 1), p))
                .isEqualTo(Metric.f1Score(Metric.Average.MACRO).compute(t, p));
    }

    @Test
    void aucKerasDocstringWithThreeThresholds() {
        // keras.metrics.AUC(num_thresholds=3): [0,0,1,1] vs [0,0.5,0.3,0.9] -> 0.75
        // thresholds {-1e-7, 0.5, 1+1e-7}: tp {2,1,0}, fp {2,0,0}; TPR {1, .5, 0}, FPR {1, 0, 0}: (1-0)(1+.5)/2
        Matrix t = Matrix.column(0, 0, 1, 1);
        Matrix p = Matrix.column(0, 0.5f, 0.3f, 0.9f);
        assertThat(Metric.auc(Metric.Curve.ROC, 3).compute(t, p)).isEqualTo(0.75);
        // exact: pairs (pos, neg): .3>0, .3<.5, .9>0, .9>.5 -> 3/4
        assertThat(Metric.aucExact(Metric.Curve.ROC).compute(t, p)).isEqualTo(0.75);
    }

    @Test
    void exactRocCountsTiesOneHalf() {
        // positives {0.5, 0.8}, negatives {0.5, 0.2}: 0.5 + 1 + 1 + 1 of 4 pairs
        Matrix t = Matrix.column(0, 1, 0, 1);
        Matrix p = Matrix.column(0.5f, 0.5f, 0.2f, 0.8f);
        assertThat(Metric.aucExact(Metric.Curve.ROC).compute(t, p)).isEqualTo(0.875);
    }

    @Test
    void averagePrecisionScikitLearnDocstring() {
        // sklearn.metrics.average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333...
        // thresholds 0.8 (R 1/2, P 1), 0.4 (R 1/2, P 1/2), 0.35 (R 1, P 2/3): 1/2 * 1 + 1/2 * 2/3
        Matrix t = Matrix.column(0, 0, 1, 1);
        Matrix p = Matrix.column(0.1f, 0.4f, 0.35f, 0.8f);
        assertThat(Metric.aucExact(Metric.Curve.PR).compute(t, p)).isCloseTo(5.0 / 6, within(1e-15));
    }

    @Test
    void oneClassOnlyGivesKerasZeroOrAScikitLearnStyleError() {
        Matrix allPositive = Matrix.column(1, 1, 1);
        Matrix p = Matrix.column(0.2f, 0.6f, 0.9f);
        // Keras: no negatives, so every false positive rate is 0 (divide_no_nan) and the area is 0
        assertThat(Metric.auc().compute(allPositive, p)).isEqualTo(0.0);
        assertThatThrownBy(() -> Metric.aucExact(Metric.Curve.ROC).compute(allPositive, p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only one class present in y_true (no negatives)");
        assertThatThrownBy(() -> Metric.aucExact(Metric.Curve.PR).compute(Matrix.column(0, 0, 0), p))
                .hasMessageContaining("only one class present in y_true (no positives)");
        // average precision with no negatives is defined: every threshold has precision 1
        assertThat(Metric.aucExact(Metric.Curve.PR).compute(allPositive, p)).isEqualTo(1.0);
        assertThatThrownBy(() -> Metric.auc().compute(allPositive, Matrix.column(0.2f, 1.5f, 0.9f)))
                .hasMessageContaining("auc needs predictions from 0 to 1, got 1.5 at row 1, column 0");
    }

    @Test
    void regressionByHand() {
        Matrix t = Matrix.column(1, 2, 3);
        Matrix p = Matrix.column(1, 2, 4);
        assertThat(Metric.meanAbsoluteError().compute(t, p)).isEqualTo(1.0 / 3);
        assertThat(Metric.meanSquaredError().compute(t, p)).isEqualTo(1.0 / 3);
        assertThat(Metric.rootMeanSquaredError().compute(t, p)).isEqualTo(Math.sqrt(1.0 / 3));
        // ss_res 1, ss_tot (1 + 0 + 1) = 2: r2 = 0.5
        assertThat(Metric.r2Score().compute(t, p)).isEqualTo(0.5);
        // a constant target: 1 if predicted exactly, else 0 (scikit-learn's force_finite)
        assertThat(Metric.r2Score().compute(Matrix.column(1, 1), Matrix.column(1, 1))).isEqualTo(1.0);
        assertThat(Metric.r2Score().compute(Matrix.column(1, 1), Matrix.column(1, 2))).isEqualTo(0.0);
    }

    @Test
    void namesAndErrors() {
        assertThat(Metric.fromKerasName("acc").name()).isEqualTo("accuracy");
        assertThat(Metric.fromKerasName("mse").name()).isEqualTo("mse");
        assertThat(Metric.fromKerasName("rmse").name()).isEqualTo("root_mean_squared_error");
        assertThat(Metric.auc(Metric.Curve.PR, 200).named("pr_auc").name()).isEqualTo("pr_auc");
        assertThatThrownBy(() -> Metric.fromKerasName("kappa"))
                .hasMessageStartingWith("unknown metric 'kappa'; nn-core has accuracy");
        assertThatThrownBy(() -> Metric.categoricalAccuracy().compute(Matrix.column(1, 0), Matrix.column(1)))
                .hasMessage("y_true has 2 rows but y_pred has 1");
        assertThatThrownBy(() -> Metric.meanSquaredError().compute(Matrix.column(1), Matrix.row(1, 2)))
                .hasMessage("mse needs y_true and y_pred of the same shape, got 1x1 and 1x2");
    }

    // ---- the larger case: 400 rows, 4 classes, predictions on a 0.01 grid (ties), class 3 never predicted

    private static Path resource(String name) {
        try {
            return Path.of(MetricTest.class.getResource("/reference/metrics/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Matrix[] halves(String file) throws IOException {
        List<String> lines = Files.readAllLines(resource(file));
        int width = lines.get(0).split(",").length / 2;
        float[][] t = new float[lines.size()][width];
        float[][] p = new float[lines.size()][width];
        for (int r = 0; r < lines.size(); r++) {
            String[] parts = lines.get(r).split(",");
            for (int j = 0; j < width; j++) {
                t[r][j] = Float.parseFloat(parts[j]);
                p[r][j] = Float.parseFloat(parts[width + j]);
            }
        }
        return new Matrix[] {Matrix.of(t), Matrix.of(p)};
    }

    static Map<String, String> expected() throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(resource("expected.txt"))) {
            values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return values;
    }

    @Test
    void matchesTheFloat64ReferenceOnALargerCase() throws IOException {
        Matrix[] data = halves("classification.csv");
        Matrix t = data[0];
        Matrix p = data[1];
        Map<String, String> e = expected();
        // both sides sum the same float32 inputs in float64; only the order of additions differs
        double tolerance = 1e-12;
        assertThat(Metric.categoricalAccuracy().compute(t, p)).isCloseTo(d(e, "categorical_accuracy"), within(tolerance));
        assertThat(Metric.topKCategoricalAccuracy(2).compute(t, p)).isCloseTo(d(e, "top_2_categorical_accuracy"), within(tolerance));
        assertThat(Metric.precision().compute(t, p)).isCloseTo(d(e, "precision"), within(tolerance));
        assertThat(Metric.recall().compute(t, p)).isCloseTo(d(e, "recall"), within(tolerance));
        assertThat(Metric.binaryAccuracy(0.5).compute(t, p)).isCloseTo(d(e, "binary_accuracy"), within(tolerance));
        assertThat(Metric.f1Score(Metric.Average.MACRO).compute(t, p)).isCloseTo(d(e, "f1_macro"), within(tolerance));
        assertThat(Metric.f1Score(Metric.Average.MICRO).compute(t, p)).isCloseTo(d(e, "f1_micro"), within(tolerance));
        assertThat(Metric.f1Score(Metric.Average.WEIGHTED).compute(t, p)).isCloseTo(d(e, "f1_weighted"), within(tolerance));
        assertThat(Metric.auc().compute(t, p)).isCloseTo(d(e, "auc_roc_keras"), within(tolerance));
        assertThat(Metric.auc(Metric.Curve.PR, 200).compute(t, p)).isCloseTo(d(e, "auc_pr_keras"), within(tolerance));
        assertThat(Metric.aucExact(Metric.Curve.ROC).compute(t, p)).isCloseTo(d(e, "auc_roc_exact"), within(tolerance));
        assertThat(Metric.aucExact(Metric.Curve.PR).compute(t, p)).isCloseTo(d(e, "auc_pr_exact"), within(tolerance));
        // Keras's interpolated PR area and scikit-learn's step-wise average precision are different numbers
        assertThat(Math.abs(d(e, "auc_pr_keras") - d(e, "auc_pr_exact"))).isGreaterThan(1e-3);

        Matrix[] regression = halves("regression.csv");
        assertThat(Metric.meanAbsoluteError().compute(regression[0], regression[1])).isCloseTo(d(e, "mae"), within(tolerance));
        assertThat(Metric.meanSquaredError().compute(regression[0], regression[1])).isCloseTo(d(e, "mse"), within(tolerance));
        assertThat(Metric.rootMeanSquaredError().compute(regression[0], regression[1])).isCloseTo(d(e, "rmse"), within(tolerance));
        assertThat(Metric.r2Score().compute(regression[0], regression[1])).isCloseTo(d(e, "r2"), within(tolerance));
    }

    @Test
    void confusionMatrixAndReportMatchTheReference() throws IOException {
        Matrix[] data = halves("classification.csv");
        ConfusionMatrix cm = ConfusionMatrix.of(data[0], data[1]).withClassNames(List.of("alpha", "beta", "gamma", "delta"));
        String[] rows = expected().get("confusion").split(";");
        for (int i = 0; i < rows.length; i++) {
            String[] counts = rows[i].split(",");
            for (int j = 0; j < counts.length; j++) {
                assertThat(cm.get(i, j)).as("row %d column %d", i, j).isEqualTo(Long.parseLong(counts[j]));
            }
        }
        assertThat(cm.precision(3)).isEqualTo(0.0);   // delta is never predicted
        assertThat(ClassificationReport.of(cm).toString()).isEqualTo(Files.readString(resource("report.txt")));
    }

    private static double d(Map<String, String> values, String key) {
        return Double.parseDouble(values.get(key));
    }
}
