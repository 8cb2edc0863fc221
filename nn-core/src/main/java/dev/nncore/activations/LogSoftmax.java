package dev.nncore.activations;

/**
 * {@code f(x)_j = x_j - max - log(sum_k e^(x_k - max))} over each row, finite where softmax would round to 0.
 * Gradient {@code dz_j = g_j - e^(a_j) sum_k g_k}, from the output alone.
 */
public final class LogSoftmax extends ActivationFunction {

    @Override
    public String kerasName() {
        return "log_softmax";
    }

    @Override
    public void apply(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float value : row) {
            max = Math.max(max, value);
        }
        double sum = 0;
        for (float value : row) {
            sum += Math.exp(value - max);
        }
        double shift = max + Math.log(sum);
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) (row[i] - shift);
        }
    }

    @Override
    public void apply(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : row) {
            max = Math.max(max, value);
        }
        double sum = 0;
        for (double value : row) {
            sum += Math.exp(value - max);
        }
        double shift = max + Math.log(sum);
        for (int i = 0; i < row.length; i++) {
            row[i] -= shift;
        }
    }

    @Override
    public void gradient(float[] z, float[] a, float[] upstream, float[] out) {
        double total = 0;
        for (float g : upstream) {
            total += g;
        }
        for (int j = 0; j < a.length; j++) {
            out[j] = (float) (upstream[j] - Math.exp(a[j]) * total);
        }
    }

    @Override
    public boolean needsInput() {
        return false;
    }
}
