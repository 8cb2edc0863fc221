package dev.nncore.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code Nadam} ({@code keras/src/optimizers/nadam.py}): with {@code t = iterations + 1},
 * {@code u_t = b1 (1 - 0.5 * 0.96^t)}, {@code u_t1 = b1 (1 - 0.5 * 0.96^(t+1))}, {@code P = P * u_t} (from 1),
 * {@code m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2)};
 * {@code mHat = u_t1 m / (1 - P u_t1) + (1 - u_t) g / (1 - P)}, {@code vHat = v / (1 - b2^t)},
 * {@code w -= lr mHat / (sqrt(vHat) + eps)}. Keras 3 raises 0.96 to {@code t}; Keras 2 and PyTorch's {@code NAdam}
 * (default {@code momentum_decay=0.004}) to {@code 0.004 t}: PyTorch's {@code NAdam(momentum_decay=1)} is Keras 3's.
 */
record NadamRule(double beta1, double beta2, double epsilon) implements OptimizerRule {

    NadamRule {
        KerasConfig.fraction(beta1, "beta1");
        KerasConfig.fraction(beta2, "beta2");
        KerasConfig.atLeastZero(epsilon, "epsilon");
    }

    @Override
    public String kerasClassName() {
        return "Nadam";
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
        List<float[][]> second = OptimizerRule.filled(weights, 0);
        // Keras's u_product, a scalar variable (float32 in Keras, double here)
        double[] scalars = {1};
        return new State() {
            @Override
            void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
                double step = iterations + 1;
                double u = beta1 * (1 - 0.5 * Math.pow(0.96, step));
                double uNext = beta1 * (1 - 0.5 * Math.pow(0.96, step + 1));
                scalars[0] *= u;
                double product = scalars[0];
                double productNext = product * uNext;
                double correction2 = 1 - Math.pow(beta2, step);
                for (int t = 0; t < weights.size(); t++) {
                    float[][] w = weights.get(t);
                    float[][] o = updated.get(t);
                    float[][] g = gradients.get(t);
                    float[][] m = first.get(t);
                    float[][] v = second.get(t);
                    for (int r = 0; r < w.length; r++) {
                        for (int c = 0; c < w[r].length; c++) {
                            double gradient = g[r][c];
                            double mean = m[r][c] + (gradient - m[r][c]) * (1 - beta1);
                            double square = v[r][c] + (gradient * gradient - v[r][c]) * (1 - beta2);
                            m[r][c] = (float) mean;
                            v[r][c] = (float) square;
                            double mHat = uNext * mean / (1 - productNext) + (1 - u) * gradient / (1 - product);
                            double vHat = square / correction2;
                            o[r][c] = (float) (w[r][c] - learningRate * mHat / (Math.sqrt(vHat) + epsilon));
                        }
                    }
                }
            }

            @Override
            List<float[][]> variables() {
                return OptimizerRule.concat(List.of(first, second));
            }

            @Override
            double[] scalars() {
                return scalars;
            }
        };
    }
}
