package dev.nncore.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code Lion} ({@code keras/src/optimizers/lion.py}): {@code w -= lr sign(b1 m + (1 - b1) g)}, then
 * {@code m = b2 m + (1 - b2) g}. PyTorch has no Lion.
 */
record LionRule(double beta1, double beta2) implements OptimizerRule {

    LionRule {
        if (!(beta1 > 0 && beta1 <= 1)) {
            throw new IllegalArgumentException("beta1 must be in (0, 1], got " + beta1);
        }
        KerasConfig.fraction(beta2, "beta2");
    }

    @Override
    public String kerasClassName() {
        return "Lion";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("beta_1", beta1);
        map.put("beta_2", beta2);
        return map;
    }

    @Override
    public String describe() {
        return "beta1=" + beta1 + ", beta2=" + beta2;
    }

    @Override
    public State start(List<float[][]> weights) {
        List<float[][]> momentums = OptimizerRule.filled(weights, 0);
        return new State() {
            @Override
            void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
                for (int t = 0; t < weights.size(); t++) {
                    float[][] w = weights.get(t);
                    float[][] o = updated.get(t);
                    float[][] g = gradients.get(t);
                    float[][] m = momentums.get(t);
                    for (int r = 0; r < w.length; r++) {
                        for (int c = 0; c < w[r].length; c++) {
                            double gradient = g[r][c];
                            o[r][c] = (float) (w[r][c] - learningRate * Math.signum(beta1 * m[r][c] + (1 - beta1) * gradient));
                            m[r][c] = (float) (beta2 * m[r][c] + (1 - beta2) * gradient);
                        }
                    }
                }
            }

            @Override
            List<float[][]> variables() {
                return momentums;
            }
        };
    }
}
