package dev.nncore.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code Adam} and {@code AdamW} ({@code keras/src/optimizers/adam.py}, {@code adamw.py}, which is Adam
 * with the shared {@code weight_decay}): {@code m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2)}; with amsgrad
 * {@code vHat = max(vHat, v)} is used for {@code v}; {@code w -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}
 * with {@code t = iterations + 1}. PyTorch's and TF.js's Adam add epsilon after the bias correction,
 * {@code sqrt(v / (1 - b2^t)) + eps}: the same with {@code eps = 0}.
 */
record AdamRule(String kerasClassName, double beta1, double beta2, double epsilon, boolean amsgrad)
        implements OptimizerRule {

    AdamRule {
        KerasConfig.fraction(beta1, "beta1");
        KerasConfig.fraction(beta2, "beta2");
        KerasConfig.atLeastZero(epsilon, "epsilon");
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("beta_1", beta1);
        map.put("beta_2", beta2);
        map.put("epsilon", epsilon);
        map.put("amsgrad", amsgrad);
        return map;
    }

    @Override
    public String describe() {
        return "beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + (amsgrad ? ", amsgrad=true" : "");
    }

    @Override
    public State start(List<float[][]> weights) {
        return amsgrad ? new AmsGrad(weights) : new Plain(weights);
    }

    /**
     * The hot path: no allocation; in float32, operation by operation in Keras's order
     * ({@code m += (g - m) * (1 - b1); v += (g * g - v) * (1 - b2); w -= m * alpha / (sqrt(v) + eps)}), so it gives
     * Keras's own bits, and the loop compiles to vector instructions.
     */
    private final class Plain extends RowState {
        private final List<float[][]> first;
        private final List<float[][]> second;
        private float alpha;
        private float keep1;
        private float keep2;
        private float eps;

        Plain(List<float[][]> weights) {
            first = OptimizerRule.filled(weights, 0);
            second = OptimizerRule.filled(weights, 0);
        }

        @Override
        void beginStep(double learningRate, long iterations) {
            alpha = alpha(learningRate, iterations);
            keep1 = (float) (1 - beta1);
            keep2 = (float) (1 - beta2);
            eps = (float) epsilon;
        }

        @Override
        void applyRows(int t, float[][] w, float[][] o, float[][] g, int from, int to) {
            float[][] m = first.get(t);
            float[][] v = second.get(t);
            for (int r = from; r < to; r++) {
                row(w[r], o[r], g[r], m[r], v[r], keep1, keep2, alpha, eps);
            }
        }

        @Override
        List<float[][]> variables() {
            return OptimizerRule.concat(List.of(first, second));
        }
    }

    /**
     * Keras's {@code alpha = lr * sqrt(1 - b2^t) / (1 - b1^t)} in float32, with {@code t = iterations + 1} and the
     * powers of the float32 betas.
     */
    private float alpha(double learningRate, long iterations) {
        float step = iterations + 1;
        float power1 = (float) Math.pow((float) beta1, step);
        float power2 = (float) Math.pow((float) beta2, step);
        return (float) learningRate * (float) Math.sqrt(1 - power2) / (1 - power1);
    }

    /** One row of {@link Plain}'s update: a loop of its own over plain arrays, which C2 compiles to vectors. */
    private static void row(float[] w, float[] o, float[] g, float[] m, float[] v, float keep1, float keep2, float alpha,
            float eps) {
        for (int c = 0; c < w.length; c++) {
            float gradient = g[c];
            float mean = m[c] + (gradient - m[c]) * keep1;
            float square = v[c] + (gradient * gradient - v[c]) * keep2;
            m[c] = mean;
            v[c] = square;
            o[c] = w[c] - mean * alpha / ((float) Math.sqrt(square) + eps);
        }
    }

    private final class AmsGrad extends State {
        private final List<float[][]> first;
        private final List<float[][]> second;
        private final List<float[][]> maxSecond;

        AmsGrad(List<float[][]> weights) {
            first = OptimizerRule.filled(weights, 0);
            second = OptimizerRule.filled(weights, 0);
            maxSecond = OptimizerRule.filled(weights, 0);
        }

        @Override
        void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
            long step = iterations + 1;
            double correctedRate = learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
            for (int t = 0; t < weights.size(); t++) {
                float[][] w = weights.get(t);
                float[][] o = updated.get(t);
                float[][] g = gradients.get(t);
                float[][] m = first.get(t);
                float[][] v = second.get(t);
                float[][] vHat = maxSecond.get(t);
                for (int r = 0; r < w.length; r++) {
                    for (int c = 0; c < w[r].length; c++) {
                        double gradient = g[r][c];
                        double mean = beta1 * m[r][c] + (1 - beta1) * gradient;
                        double square = beta2 * v[r][c] + (1 - beta2) * gradient * gradient;
                        m[r][c] = (float) mean;
                        v[r][c] = (float) square;
                        double largest = Math.max(vHat[r][c], square);
                        vHat[r][c] = (float) largest;
                        o[r][c] = (float) (w[r][c] - correctedRate * mean / (Math.sqrt(largest) + epsilon));
                    }
                }
            }
        }

        @Override
        List<float[][]> variables() {
            return OptimizerRule.concat(List.of(first, second, maxSecond));
        }
    }
}
