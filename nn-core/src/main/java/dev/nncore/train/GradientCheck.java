package dev.nncore.train;

import dev.nncore.Layer;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.Checks;
import dev.nncore.internal.DataChecks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares the analytic gradients of {@link Network#gradients} with central finite differences of the loss and
 * reports the worst disagreement and where it is: the check to run when a gradient is in doubt.
 *
 * <pre>{@code
 * Network network = Network.builder(3).dense(4, Activation.TANH).dense(2, Activation.SOFTMAX).seed(5).build();
 * Matrix x = Matrix.of(new float[][] {{0.5f, -1, 2}, {1, 0.25f, -0.5f}});
 * Matrix y = Matrix.of(new float[][] {{1, 0}, {0, 1}});
 * GradientCheck check = GradientCheck.of(network, x, y, Loss.CATEGORICAL_CROSSENTROPY);
 * boolean fine = check.isWithin(1e-3);           // true
 * String where = check.toString();               // worst relative error 1.8e-06 at layer 0 ("dense") bias[0][1]: ...
 * }</pre>
 *
 * <p>It checks every trainable weight, at inference (as {@link Network#gradients} differentiates): Dropout passes
 * values through and BatchNormalization uses its moving statistics.
 *
 * <p>The numeric side is {@code (L(w + h) - L(w - h)) / 2h} per weight, with the forward pass and the loss in
 * float64 on the network's float32 weights, so it is exact to ~1e-9 for the default {@code h = 1e-5} (truncation
 * ~h^2, rounding ~1e-16 / h); the analytic side is float32. The relative error of a weight is
 * {@code |analytic - numeric| / max(|analytic|, |numeric|, 1e-4)}: gradients below 1e-4 are judged on their
 * absolute error, so float32 rounding in a near-zero gradient does not read as a failure. Expect ~1e-6 for a
 * correct gradient; a kink (ReLU or |x| at 0, a clip bound) within {@code h} of a sample may show a large error
 * for that weight alone.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class GradientCheck {

    private static final double FLOOR = 1e-4;

    private final double worstRelativeError;
    private final int layer;
    private final String layerName;
    private final String weightKind;
    private final int row;
    private final int column;
    private final double analytic;
    private final double numeric;
    private final int weightsChecked;

    private GradientCheck(double worstRelativeError, int layer, String layerName, String weightKind, int row, int column,
            double analytic, double numeric, int weightsChecked) {
        this.worstRelativeError = worstRelativeError;
        this.layer = layer;
        this.layerName = layerName;
        this.weightKind = weightKind;
        this.row = row;
        this.column = column;
        this.analytic = analytic;
        this.numeric = numeric;
        this.weightsChecked = weightsChecked;
    }

    /**
     * Checks every weight with the default step, 1e-5.
     *
     * @param network the network; not modified
     * @param x inputs, all finite; not modified
     * @param y targets, all finite; not modified
     * @param loss the loss
     * @return the report
     * @throws IllegalArgumentException if the data does not fit the network or holds NaN or infinity
     */
    public static GradientCheck of(Network network, Matrix x, Matrix y, Loss loss) {
        return of(network, x, y, loss, 1e-5);
    }

    /**
     * Checks every weight.
     *
     * @param network the network; not modified
     * @param x inputs, all finite; not modified
     * @param y targets, all finite; not modified
     * @param loss the loss
     * @param step the nudge {@code h}, a finite number above 0
     * @return the report
     * @throws IllegalArgumentException if the data does not fit the network or holds NaN or infinity
     */
    public static GradientCheck of(Network network, Matrix x, Matrix y, Loss loss, double step) {
        DataChecks.checkShapes(network, x, y, "x", "y");
        DataChecks.checkFinite(x, "x");
        DataChecks.checkFinite(y, "y");
        Checks.notNull(loss, "loss");
        Checks.positive(step, "step");
        List<Matrix> analyticGradients = network.gradients(x, y, loss);
        List<float[][]> weights = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            weights.add(MatrixAccess.rows(weight));
        }
        Float64Forward forward = new Float64Forward(network, loss);
        forward.load(weights);
        float[][] xRows = MatrixAccess.rows(x);
        float[][] yRows = MatrixAccess.rows(y);
        double worst = -1;
        int worstTensor = 0;
        int worstGradient = 0;
        int worstIndex = 0;
        double worstAnalytic = 0;
        double worstNumeric = 0;
        int checked = 0;
        double[][] working = forward.weights();
        int g = 0;
        for (int t = 0; t < working.length; t++) {
            if (!forward.isTrainable(t)) {
                continue;
            }
            float[][] gradient = MatrixAccess.rows(analyticGradients.get(g));
            int cols = gradient[0].length;
            double[] tensor = working[t];
            for (int index = 0; index < tensor.length; index++) {
                double original = tensor[index];
                tensor[index] = original + step;
                double plus = forward.loss(xRows, yRows, false);
                tensor[index] = original - step;
                double minus = forward.loss(xRows, yRows, false);
                tensor[index] = original;
                double numericSlope = (plus - minus) / (2 * step);
                double analyticSlope = gradient[index / cols][index % cols];
                double error = Math.abs(analyticSlope - numericSlope)
                        / Math.max(FLOOR, Math.max(Math.abs(analyticSlope), Math.abs(numericSlope)));
                if (Double.isNaN(error)) {
                    error = Double.POSITIVE_INFINITY;
                }
                checked++;
                if (error > worst) {
                    worst = error;
                    worstTensor = t;
                    worstGradient = g;
                    worstIndex = index;
                    worstAnalytic = analyticSlope;
                    worstNumeric = numericSlope;
                }
            }
            g++;
        }
        if (checked == 0) {
            throw new IllegalArgumentException(network + " has no trainable weights to check");
        }
        int cols = MatrixAccess.rows(analyticGradients.get(worstGradient))[0].length;
        int layer = 0;
        int first = 0;
        while (first + network.layers().get(layer).weightNames().size() <= worstTensor) {
            first += network.layers().get(layer).weightNames().size();
            layer++;
        }
        Layer worstLayer = network.layers().get(layer);
        return new GradientCheck(worst, layer, worstLayer.name(), worstLayer.weightNames().get(worstTensor - first),
                worstIndex / cols, worstIndex % cols, worstAnalytic, worstNumeric, checked);
    }

    /** @return the largest relative error over all weights (infinite if a gradient was NaN) */
    public double worstRelativeError() {
        return worstRelativeError;
    }

    /**
     * @param tolerance the largest acceptable relative error, e.g. 1e-3
     * @return whether every weight's relative error is at most {@code tolerance}
     */
    public boolean isWithin(double tolerance) {
        return worstRelativeError <= tolerance;
    }

    /** @return the index (from 0) of the layer holding the worst weight */
    public int layer() {
        return layer;
    }

    /** @return that layer's name, e.g. {@code "dense_1"} */
    public String layerName() {
        return layerName;
    }

    /** @return the worst weight's Keras name in its layer, e.g. {@code "kernel"}, {@code "bias"}, {@code "gamma"} */
    public String weightKind() {
        return weightKind;
    }

    /** @return the worst weight's row in its tensor (a kernel's input index; 0 for a bias) */
    public int row() {
        return row;
    }

    /** @return the worst weight's column in its tensor (the unit) */
    public int column() {
        return column;
    }

    /** @return the analytic gradient of the worst weight */
    public double analytic() {
        return analytic;
    }

    /** @return the numeric gradient of the worst weight */
    public double numeric() {
        return numeric;
    }

    /** @return the number of weights compared */
    public int weightsChecked() {
        return weightsChecked;
    }

    /** @return e.g. {@code worst relative error 2.1e-07 at layer 1 ("dense_1") kernel[3][0]: analytic 0.1234567, numeric 0.1234567 (37 weights)} */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "worst relative error %.2e at layer %d (\"%s\") %s[%d][%d]: analytic %.9g, numeric %.9g (%d weights)",
                worstRelativeError, layer, layerName, weightKind, row, column, analytic, numeric, weightsChecked);
    }
}
