package dev.nncore.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code Adagrad} ({@code keras/src/optimizers/adagrad.py}): accumulators start at
 * {@code initialAccumulatorValue}; {@code a += g^2; w -= lr g / sqrt(a + eps)}. PyTorch's {@code Adagrad} divides by
 * {@code sqrt(a) + eps} instead: the same with {@code eps = 0}.
 */
record AdagradRule(double initialAccumulatorValue, double epsilon) implements OptimizerRule {

    AdagradRule {
        KerasConfig.atLeastZero(initialAccumulatorValue, "initialAccumulatorValue");
        KerasConfig.atLeastZero(epsilon, "epsilon");
    }

    @Override
    public String kerasClassName() {
        return "Adagrad";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("initial_accumulator_value", initialAccumulatorValue);
        map.put("epsilon", epsilon);
        return map;
    }

    @Override
    public String describe() {
        return "initialAccumulatorValue=" + initialAccumulatorValue + ", epsilon=" + epsilon;
    }

    @Override
    public State start(List<float[][]> weights) {
        List<float[][]> sums = OptimizerRule.filled(weights, (float) initialAccumulatorValue);
        return new State() {
            @Override
            void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
                for (int t = 0; t < weights.size(); t++) {
                    float[][] w = weights.get(t);
                    float[][] o = updated.get(t);
                    float[][] g = gradients.get(t);
                    float[][] a = sums.get(t);
                    for (int r = 0; r < w.length; r++) {
                        for (int c = 0; c < w[r].length; c++) {
                            double gradient = g[r][c];
                            double sum = a[r][c] + gradient * gradient;
                            a[r][c] = (float) sum;
                            o[r][c] = (float) (w[r][c] - learningRate * gradient / Math.sqrt(sum + epsilon));
                        }
                    }
                }
            }

            @Override
            List<float[][]> variables() {
                return sums;
            }
        };
    }
}
