package dev.nncore.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code SGD} ({@code keras/src/optimizers/sgd.py}): {@code w -= lr g} without momentum; with it
 * {@code m = momentum m - lr g; w += m}, and with Nesterov {@code w += momentum m - lr g} (the new {@code m}).
 * PyTorch's {@code SGD(momentum, nesterov)} keeps {@code b = -m / lr}, the same while the rate is constant.
 */
record SgdRule(double momentum, boolean nesterov) implements OptimizerRule {

    SgdRule {
        KerasConfig.fraction(momentum, "momentum");
    }

    @Override
    public String kerasClassName() {
        return "SGD";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("momentum", momentum);
        map.put("nesterov", nesterov);
        return map;
    }

    @Override
    public String describe() {
        return "momentum=" + momentum + (nesterov ? ", nesterov=true" : "");
    }

    @Override
    public State start(List<float[][]> weights) {
        return momentum == 0 ? new Plain() : new Momentum(weights);
    }

    private static final class Plain extends State {
        @Override
        void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
            for (int t = 0; t < weights.size(); t++) {
                float[][] w = weights.get(t);
                float[][] o = updated.get(t);
                float[][] g = gradients.get(t);
                float rate = (float) learningRate;
                for (int r = 0; r < w.length; r++) {
                    step(w[r], o[r], g[r], rate);
                }
            }
        }

        /** {@code out = w - g * rate}: Keras's {@code assign_sub(gradient * learning_rate)}, in float32 as Keras. */
        private static void step(float[] w, float[] out, float[] g, float rate) {
            for (int c = 0; c < w.length; c++) {
                out[c] = w[c] - g[c] * rate;
            }
        }

        @Override
        List<float[][]> variables() {
            return List.of();
        }
    }

    private final class Momentum extends State {
        private final List<float[][]> velocity;

        Momentum(List<float[][]> weights) {
            velocity = OptimizerRule.filled(weights, 0);
        }

        @Override
        void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
            for (int t = 0; t < weights.size(); t++) {
                float[][] w = weights.get(t);
                float[][] o = updated.get(t);
                float[][] g = gradients.get(t);
                float[][] v = velocity.get(t);
                float rate = (float) learningRate;
                float decay = (float) momentum;
                for (int r = 0; r < w.length; r++) {
                    float[] wr = w[r];
                    float[] or = o[r];
                    float[] gr = g[r];
                    float[] vr = v[r];
                    for (int c = 0; c < wr.length; c++) {
                        // Keras in float32: m = m * momentum - g * lr; w += m, or with Nesterov w += m * momentum - g * lr
                        float scaled = -gr[c] * rate;
                        float next = scaled + vr[c] * decay;
                        vr[c] = next;
                        or[c] = wr[c] + (nesterov ? scaled + next * decay : next);
                    }
                }
            }
        }

        @Override
        List<float[][]> variables() {
            return velocity;
        }
    }
}
