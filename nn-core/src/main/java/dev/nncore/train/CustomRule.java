package dev.nncore.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A user's {@link UpdateRule} as an {@link OptimizerRule}: its slots per tensor, in the rule's order. */
record CustomRule(String name, UpdateRule rule) implements OptimizerRule {

    CustomRule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a custom optimizer needs a name, got " + (name == null ? "null" : "\"" + name + "\""));
        }
        if (rule == null) {
            throw new IllegalArgumentException("rule must not be null");
        }
        if (rule.slots() < 0) {
            throw new IllegalArgumentException("rule.slots() must be >= 0, got " + rule.slots());
        }
    }

    @Override
    public String kerasClassName() {
        return name;
    }

    @Override
    public Map<String, Object> config() {
        return new LinkedHashMap<>();
    }

    @Override
    public String describe() {
        return "rule=" + rule;
    }

    @Override
    public State start(List<float[][]> weights) {
        int count = rule.slots();
        List<float[][][]> slots = new ArrayList<>(weights.size());
        List<float[][]> all = new ArrayList<>();
        for (float[][] w : weights) {
            float[][][] mine = new float[count][][];
            for (int s = 0; s < count; s++) {
                mine[s] = OptimizerRule.filled(List.<float[][]>of(w), rule.initialValue(s)).get(0);
                all.add(mine[s]);
            }
            slots.add(mine);
        }
        return new State() {
            @Override
            void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                    long iterations) {
                for (int t = 0; t < weights.size(); t++) {
                    float[][] w = updated.get(t);
                    if (updated != weights) { // the user's rule works in place
                        float[][] from = weights.get(t);
                        for (int r = 0; r < w.length; r++) {
                            System.arraycopy(from[r], 0, w[r], 0, w[r].length);
                        }
                    }
                    rule.update(w, gradients.get(t), slots.get(t), learningRate, iterations);
                }
            }

            @Override
            boolean writesOverEachGradientLast() {
                return false; // the user's rule reads the gradient after the weights were copied into place
            }

            @Override
            List<float[][]> variables() {
                return all;
            }
        };
    }
}
