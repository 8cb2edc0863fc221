package dev.nncore.metrics;

import dev.nncore.internal.Checks;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * scikit-learn's {@code classification_report}: precision, recall, F1 and support per class, then accuracy and the
 * macro and weighted averages, laid out character for character as scikit-learn prints them (numbers rounded half
 * to even from their exact binary value, as Python's {@code format} does).
 * <pre>{@code
 * ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1}, 2)
 *         .withClassNames(List.of("cat", "dog"));
 * String report = ClassificationReport.of(cm).toString();
 * //               precision    recall  f1-score   support
 * //
 * //          cat       1.00      0.50      0.67         2
 * //          dog       0.67      1.00      0.80         2
 * //
 * //     accuracy                           0.75         4
 * //    macro avg       0.83      0.75      0.73         4
 * // weighted avg       0.83      0.75      0.73         4
 * }</pre>
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ClassificationReport {

    private final ConfusionMatrix matrix;
    private final int digits;

    private ClassificationReport(ConfusionMatrix matrix, int digits) {
        this.matrix = matrix;
        this.digits = digits;
    }

    /**
     * @param matrix the counts, with their class names
     * @return the report with 2 digits, scikit-learn's default
     */
    public static ClassificationReport of(ConfusionMatrix matrix) {
        return of(matrix, 2);
    }

    /**
     * @param matrix the counts, with their class names
     * @param digits digits after the point, 0 to 10
     * @return the report
     */
    public static ClassificationReport of(ConfusionMatrix matrix, int digits) {
        Checks.notNull(matrix, "matrix");
        if (digits < 0 || digits > 10) {
            throw new IllegalArgumentException("digits must be from 0 to 10, got " + digits);
        }
        return new ClassificationReport(matrix, digits);
    }

    /** @return the mean of the classes' precision (scikit-learn's {@code average="macro"}) */
    public double macroPrecision() {
        return macro(0);
    }

    /** @return the mean of the classes' recall */
    public double macroRecall() {
        return macro(1);
    }

    /** @return the mean of the classes' F1 */
    public double macroF1() {
        return macro(2);
    }

    /** @return the classes' F1 weighted by their support (scikit-learn's {@code average="weighted"}) */
    public double weightedF1() {
        return weighted(2);
    }

    private double value(int c, int which) {
        return which == 0 ? matrix.precision(c) : which == 1 ? matrix.recall(c) : matrix.f1(c);
    }

    private double macro(int which) {
        double sum = 0;
        for (int c = 0; c < matrix.classes(); c++) {
            sum += value(c, which);
        }
        return sum / matrix.classes();
    }

    private double weighted(int which) {
        double total = matrix.total();
        double sum = 0;
        for (int c = 0; c < matrix.classes(); c++) {
            sum += value(c, which) * matrix.support(c);
        }
        return total == 0 ? 0 : sum / total;
    }

    private String number(double value) {
        return new BigDecimal(value).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    @Override
    public String toString() {
        int width = "weighted avg".length();
        for (String name : matrix.classNames()) {
            width = Math.max(width, name.length());
        }
        width = Math.max(width, digits);
        StringBuilder report = new StringBuilder();
        report.append(pad("", width)).append(' ');
        for (String header : new String[] {"precision", "recall", "f1-score", "support"}) {
            report.append(' ').append(pad(header, 9));
        }
        report.append("\n\n");
        for (int c = 0; c < matrix.classes(); c++) {
            row(report, matrix.classNames().get(c), matrix.precision(c), matrix.recall(c), matrix.f1(c),
                    matrix.support(c), width);
        }
        report.append('\n');
        report.append(pad("accuracy", width)).append(' ').append(' ').append(pad("", 9)).append(' ').append(pad("", 9))
                .append(' ').append(pad(number(matrix.accuracy()), 9)).append(' ')
                .append(pad(Long.toString(matrix.total()), 9)).append('\n');
        row(report, "macro avg", macro(0), macro(1), macro(2), matrix.total(), width);
        row(report, "weighted avg", weighted(0), weighted(1), weighted(2), matrix.total(), width);
        return report.toString();
    }

    private void row(StringBuilder report, String name, double precision, double recall, double f1, long support,
            int width) {
        report.append(pad(name, width)).append(' ');
        for (double v : new double[] {precision, recall, f1}) {
            report.append(' ').append(pad(number(v), 9));
        }
        report.append(' ').append(pad(Long.toString(support), 9)).append('\n');
    }

    private static String pad(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
