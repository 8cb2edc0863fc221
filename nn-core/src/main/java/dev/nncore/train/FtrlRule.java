package dev.nncore.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code Ftrl} ({@code keras/src/optimizers/ftrl.py}), with {@code p = learningRatePower}:
 * {@code l2 = l2Strength + beta / (2 lr)}; {@code gs = g + 2 l2Shrinkage w}; {@code n' = n + g^2};
 * {@code z += gs - (n'^-p - n^-p) / lr * w}; {@code q = n'^-p / lr + 2 l2};
 * {@code w = (clip(z, -l1, l1) - z) / q}; {@code n = n'}. Accumulators {@code n} start at
 * {@code initialAccumulatorValue}. PyTorch has no FTRL.
 */
record FtrlRule(double learningRatePower, double initialAccumulatorValue, double l1, double l2, double l2Shrinkage,
        double beta) implements OptimizerRule {

    FtrlRule {
        if (!(learningRatePower <= 0) || Double.isInfinite(learningRatePower)) {
            throw new IllegalArgumentException("learningRatePower must be a finite number <= 0, got " + learningRatePower);
        }
        KerasConfig.atLeastZero(initialAccumulatorValue, "initialAccumulatorValue");
        KerasConfig.atLeastZero(l1, "l1RegularizationStrength");
        KerasConfig.atLeastZero(l2, "l2RegularizationStrength");
        KerasConfig.atLeastZero(l2Shrinkage, "l2ShrinkageRegularizationStrength");
        KerasConfig.atLeastZero(beta, "beta");
    }

    @Override
    public String kerasClassName() {
        return "Ftrl";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("learning_rate_power", learningRatePower);
        map.put("initial_accumulator_value", initialAccumulatorValue);
        map.put("l1_regularization_strength", l1);
        map.put("l2_regularization_strength", l2);
        map.put("l2_shrinkage_regularization_strength", l2Shrinkage);
        map.put("beta", beta);
        return map;
    }

    @Override
    public String describe() {
        return "learningRatePower=" + learningRatePower + ", initialAccumulatorValue=" + initialAccumulatorValue
                + ", l1=" + l1 + ", l2=" + l2 + ", l2Shrinkage=" + l2Shrinkage + ", beta=" + beta;
    }

    @Override
    public State start(List<float[][]> weights) {
        List<float[][]> accumulators = OptimizerRule.filled(weights, (float) initialAccumulatorValue);
        List<float[][]> linears = OptimizerRule.filled(weights, 0);
        return new State() {
            @Override
            void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
                double l2Total = l2 + beta / (2 * learningRate);
                for (int t = 0; t < weights.size(); t++) {
                    float[][] w = weights.get(t);
                    float[][] o = updated.get(t);
                    float[][] g = gradients.get(t);
                    float[][] n = accumulators.get(t);
                    float[][] z = linears.get(t);
                    for (int r = 0; r < w.length; r++) {
                        for (int c = 0; c < w[r].length; c++) {
                            double gradient = g[r][c];
                            double weight = w[r][c];
                            double accumulator = n[r][c];
                            double next = accumulator + gradient * gradient;
                            double shrunk = gradient + 2 * l2Shrinkage * weight;
                            double newPower = Math.pow(next, -learningRatePower);
                            double linear = z[r][c] + shrunk
                                    - (newPower - Math.pow(accumulator, -learningRatePower)) / learningRate * weight;
                            z[r][c] = (float) linear;
                            double quadratic = newPower / learningRate + 2 * l2Total;
                            double clipped = Math.max(-l1, Math.min(l1, linear));
                            o[r][c] = (float) ((clipped - linear) / quadratic);
                            n[r][c] = (float) next;
                        }
                    }
                }
            }

            @Override
            List<float[][]> variables() {
                return OptimizerRule.concat(List.of(accumulators, linears));
            }
        };
    }
}
