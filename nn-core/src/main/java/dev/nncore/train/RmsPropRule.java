package dev.nncore.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code RMSprop} ({@code keras/src/optimizers/rmsprop.py}): {@code s = rho s + (1 - rho) g^2}; centered,
 * also {@code a = rho a + (1 - rho) g} and the denominator {@code s - a^2 + eps}, else {@code s + eps};
 * {@code inc = lr g / sqrt(denominator)}; with momentum {@code m = momentum m + inc; w -= m}, else {@code w -= inc}.
 * Epsilon is inside the square root, as TensorFlow's; PyTorch's {@code RMSprop} adds it outside
 * ({@code sqrt(s) + eps}) and keeps its momentum buffer without the rate: the same with {@code eps = 0} and a constant
 * rate.
 */
record RmsPropRule(double rho, double momentum, double epsilon, boolean centered) implements OptimizerRule {

    RmsPropRule {
        KerasConfig.fraction(rho, "rho");
        KerasConfig.fraction(momentum, "momentum");
        KerasConfig.atLeastZero(epsilon, "epsilon");
    }

    @Override
    public String kerasClassName() {
        return "RMSprop";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rho", rho);
        map.put("momentum", momentum);
        map.put("epsilon", epsilon);
        map.put("centered", centered);
        return map;
    }

    @Override
    public String describe() {
        return "rho=" + rho + ", epsilon=" + epsilon + (momentum != 0 ? ", momentum=" + momentum : "")
                + (centered ? ", centered=true" : "");
    }

    @Override
    public State start(List<float[][]> weights) {
        return momentum == 0 && !centered ? new Plain(weights) : new Full(weights);
    }

    /**
     * Without momentum or centring, the common case: float32 operation by operation in Keras's order
     * ({@code s = rho * s + (1 - rho) * g^2; w -= lr * g / sqrt(s + eps)}), Keras's own bits, in a loop that C2
     * compiles to vectors.
     */
    private final class Plain extends RowState {
        private final List<float[][]> meanSquare;
        private float rate;

        Plain(List<float[][]> weights) {
            meanSquare = OptimizerRule.filled(weights, 0);
        }

        @Override
        void beginStep(double learningRate, long iterations) {
            rate = (float) learningRate;
        }

        @Override
        void applyRows(int t, float[][] w, float[][] o, float[][] g, int from, int to) {
            float[][] s = meanSquare.get(t);
            for (int r = from; r < to; r++) {
                row(w[r], o[r], g[r], s[r], (float) rho, (float) (1 - rho), rate, (float) epsilon);
            }
        }

        @Override
        List<float[][]> variables() {
            return meanSquare;
        }
    }

    /** One row of {@link Plain}'s update: a loop of its own over plain arrays, which C2 compiles to vectors. */
    private static void row(float[] w, float[] o, float[] g, float[] s, float rho, float keep, float rate, float eps) {
        for (int c = 0; c < w.length; c++) {
            float gradient = g[c];
            float square = rho * s[c] + keep * (gradient * gradient);
            s[c] = square;
            o[c] = w[c] - rate * gradient / (float) Math.sqrt(square + eps);
        }
    }

    private final class Full extends State {
        private final List<float[][]> meanSquare;
        private final List<float[][]> velocity;
        private final List<float[][]> meanGradient;

        Full(List<float[][]> weights) {
            meanSquare = OptimizerRule.filled(weights, 0);
            velocity = momentum > 0 ? OptimizerRule.filled(weights, 0) : null;
            meanGradient = centered ? OptimizerRule.filled(weights, 0) : null;
        }

        @Override
        void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
            for (int t = 0; t < weights.size(); t++) {
                float[][] w = weights.get(t);
                float[][] o = updated.get(t);
                float[][] g = gradients.get(t);
                float[][] s = meanSquare.get(t);
                float[][] m = velocity == null ? null : velocity.get(t);
                float[][] a = meanGradient == null ? null : meanGradient.get(t);
                for (int r = 0; r < w.length; r++) {
                    for (int c = 0; c < w[r].length; c++) {
                        double gradient = g[r][c];
                        double square = rho * s[r][c] + (1 - rho) * gradient * gradient;
                        s[r][c] = (float) square;
                        double denominator = square + epsilon;
                        if (a != null) {
                            double mean = rho * a[r][c] + (1 - rho) * gradient;
                            a[r][c] = (float) mean;
                            denominator = square - mean * mean + epsilon;
                        }
                        double increment = learningRate * gradient / Math.sqrt(denominator);
                        if (m != null) {
                            increment = momentum * m[r][c] + increment;
                            m[r][c] = (float) increment;
                        }
                        o[r][c] = (float) (w[r][c] - increment);
                    }
                }
            }
        }

        @Override
        List<float[][]> variables() {
            List<float[][]> out = new ArrayList<>(meanSquare);
            if (velocity != null) {
                out.addAll(velocity);
            }
            if (meanGradient != null) {
                out.addAll(meanGradient);
            }
            return out;
        }
    }
}
