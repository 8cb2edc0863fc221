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

    private static final class Plain extends RowState {
        private float rate;

        @Override
        void beginStep(double learningRate, long iterations) {
            rate = (float) learningRate;
        }

        @Override
        void applyRows(int t, float[][] w, float[][] o, float[][] g, int from, int to) {
            for (int r = from; r < to; r++) {
                step(w[r], o[r], g[r], rate);
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

    private final class Momentum extends RowState {
        private final List<float[][]> velocity;
        private float rate;
        private float decay;

        Momentum(List<float[][]> weights) {
            velocity = OptimizerRule.filled(weights, 0);
        }

        @Override
        void beginStep(double learningRate, long iterations) {
            rate = (float) learningRate;
            decay = (float) momentum;
        }

        @Override
        void applyRows(int t, float[][] w, float[][] o, float[][] g, int from, int to) {
            float[][] v = velocity.get(t);
            for (int r = from; r < to; r++) {
                row(w[r], o[r], g[r], v[r], rate, decay, nesterov);
            }
        }

        /** Keras in float32: {@code m = m * momentum - g * lr; w += m}, or with Nesterov {@code w += m * momentum - g * lr}. */
        private static void row(float[] wr, float[] or, float[] gr, float[] vr, float rate, float decay, boolean nesterov) {
            for (int c = 0; c < wr.length; c++) {
                float scaled = -gr[c] * rate;
                float next = scaled + vr[c] * decay;
                vr[c] = next;
                or[c] = wr[c] + (nesterov ? scaled + next * decay : next);
            }
        }

        @Override
        List<float[][]> variables() {
            return velocity;
        }
    }
}
