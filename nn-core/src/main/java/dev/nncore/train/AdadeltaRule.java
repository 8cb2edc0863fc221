package dev.nncore.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code Adadelta} ({@code keras/src/optimizers/adadelta.py}):
 * {@code a = rho a + (1 - rho) g^2; d = -sqrt(u + eps) / sqrt(a + eps) * g; u = rho u + (1 - rho) d^2; w += lr d}.
 * PyTorch's {@code Adadelta} is the same formula.
 */
record AdadeltaRule(double rho, double epsilon) implements OptimizerRule {

    AdadeltaRule {
        KerasConfig.fraction(rho, "rho");
        KerasConfig.atLeastZero(epsilon, "epsilon");
    }

    @Override
    public String kerasClassName() {
        return "Adadelta";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rho", rho);
        map.put("epsilon", epsilon);
        return map;
    }

    @Override
    public String describe() {
        return "rho=" + rho + ", epsilon=" + epsilon;
    }

    @Override
    public State start(List<float[][]> weights) {
        List<float[][]> squares = OptimizerRule.filled(weights, 0);
        List<float[][]> deltas = OptimizerRule.filled(weights, 0);
        return new State() {
            @Override
            void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
                for (int t = 0; t < weights.size(); t++) {
                    float[][] w = weights.get(t);
                    float[][] o = updated.get(t);
                    float[][] g = gradients.get(t);
                    float[][] a = squares.get(t);
                    float[][] u = deltas.get(t);
                    for (int r = 0; r < w.length; r++) {
                        for (int c = 0; c < w[r].length; c++) {
                            double gradient = g[r][c];
                            double square = rho * a[r][c] + (1 - rho) * gradient * gradient;
                            a[r][c] = (float) square;
                            double delta = -Math.sqrt(u[r][c] + epsilon) / Math.sqrt(square + epsilon) * gradient;
                            u[r][c] = (float) (rho * u[r][c] + (1 - rho) * delta * delta);
                            o[r][c] = (float) (w[r][c] + learningRate * delta);
                        }
                    }
                }
            }

            @Override
            List<float[][]> variables() {
                return OptimizerRule.concat(List.of(squares, deltas));
            }
        };
    }
}
