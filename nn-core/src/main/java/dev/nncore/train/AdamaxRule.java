package dev.nncore.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code Adamax} ({@code keras/src/optimizers/adamax.py}): {@code m += (g - m)(1 - b1);
 * u = max(b2 u, |g|); w -= lr m / ((1 - b1^t)(u + eps))} with {@code t = iterations + 1}. PyTorch's {@code Adamax}
 * takes {@code u = max(b2 u, |g| + eps)} and divides by {@code u}: the same with {@code eps = 0}.
 */
record AdamaxRule(double beta1, double beta2, double epsilon) implements OptimizerRule {

    AdamaxRule {
        KerasConfig.fraction(beta1, "beta1");
        KerasConfig.fraction(beta2, "beta2");
        KerasConfig.atLeastZero(epsilon, "epsilon");
    }

    @Override
    public String kerasClassName() {
        return "Adamax";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("beta_1", beta1);
        map.put("beta_2", beta2);
        map.put("epsilon", epsilon);
        return map;
    }

    @Override
    public String describe() {
        return "beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon;
    }

    @Override
    public State start(List<float[][]> weights) {
        List<float[][]> first = OptimizerRule.filled(weights, 0);
        List<float[][]> norms = OptimizerRule.filled(weights, 0);
        return new State() {
            @Override
            void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
                double correction = 1 - Math.pow(beta1, iterations + 1);
                for (int t = 0; t < weights.size(); t++) {
                    float[][] w = weights.get(t);
                    float[][] o = updated.get(t);
                    float[][] g = gradients.get(t);
                    float[][] m = first.get(t);
                    float[][] u = norms.get(t);
                    for (int r = 0; r < w.length; r++) {
                        for (int c = 0; c < w[r].length; c++) {
                            double gradient = g[r][c];
                            double mean = m[r][c] + (gradient - m[r][c]) * (1 - beta1);
                            double norm = Math.max(beta2 * u[r][c], Math.abs(gradient));
                            m[r][c] = (float) mean;
                            u[r][c] = (float) norm;
                            o[r][c] = (float) (w[r][c] - learningRate * mean / (correction * (norm + epsilon)));
                        }
                    }
                }
            }

            @Override
            List<float[][]> variables() {
                return OptimizerRule.concat(List.of(first, norms));
            }
        };
    }
}
