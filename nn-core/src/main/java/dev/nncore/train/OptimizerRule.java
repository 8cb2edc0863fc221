package dev.nncore.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One optimizer's {@code update_step}, Keras's per-variable rule, with its own hyperparameters; {@link Optimizer}
 * adds what every optimizer shares (learning rate or schedule, clipping, weight decay, EMA, the step count). A rule
 * is an immutable configuration; {@link #start} makes one run's state.
 */
interface OptimizerRule {

    /** @return Keras's class name, e.g. {@code "Adam"} */
    String kerasClassName();

    /** @return the rule's own keys of Keras's {@code get_config()}, e.g. {@code beta_1} */
    Map<String, Object> config();

    /** @return e.g. {@code beta1=0.9, beta2=0.999, epsilon=1.0E-7} */
    String describe();

    /**
     * @param weights the trainable weights, in order; read for their shapes
     * @return fresh slots for them
     */
    State start(List<float[][]> weights);

    /** One run's slots; owned by the fit's thread. */
    abstract class State {

        /**
         * Updates every weight in place.
         *
         * @param weights the trainable weights; overwritten
         * @param gradients their gradients, already clipped; read only
         * @param learningRate this step's rate
         * @param iterations updates made before this one (Keras's {@code iterations}); Keras's {@code local_step} is
         *     {@code iterations + 1}
         */
        final void apply(List<float[][]> weights, List<float[][]> gradients, double learningRate, long iterations) {
            apply(weights, weights, gradients, learningRate, iterations);
        }

        /**
         * Reads the weights from {@code weights} and writes the updated ones into {@code updated}, which may be the same
         * list (in place) or arrays of the same shapes: the trainer keeps the weights before the step that way without
         * copying them. Each element is read before it is written, so in place gives the same bits.
         *
         * @param weights the trainable weights before the step; read only unless {@code updated} is the same list
         * @param updated where the weights after the step go; overwritten
         * @param gradients their gradients, already clipped; read only
         * @param learningRate this step's rate
         * @param iterations updates made before this one (Keras's {@code iterations}); Keras's {@code local_step} is
         *     {@code iterations + 1}
         */
        abstract void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients,
                double learningRate, long iterations);

        /**
         * @return whether {@link #apply(List, List, List, double, long)} may write the new weights over the gradients
         *     ({@code updated} the gradients' rows): true when each element's gradient is read before that element's new
         *     weight is written and never read again, as every built-in rule does; a custom rule works in place on its
         *     own terms, so it says false
         */
        boolean writesOverEachGradientLast() {
            return true;
        }

        /** @return every slot, in a fixed order, for saving and restoring; the state's own arrays */
        abstract List<float[][]> variables();

        /** @return the rule's scalar state (Nadam's {@code u_product}), for saving and restoring; its own array */
        double[] scalars() {
            return new double[0];
        }
    }

    /**
     * A state whose update is element by element with only per-step scalars: {@link #beginStep} computes those, then
     * {@link #applyRows} may update any rows of a tensor, on any thread, each element's bits the same. The trainer
     * updates a large tensor's rows on the thread that computed their gradients (and holds them in its cache).
     */
    abstract class RowState extends State {

        /** Computes the step's scalars (Adam's {@code alpha}); called once per step, before any {@link #applyRows}. */
        abstract void beginStep(double learningRate, long iterations);

        /**
         * Updates rows {@code [from, to)} of tensor {@code t}, reading {@code w} and writing {@code o} (which may be
         * {@code w}, or {@code g}: each element's gradient is read before its new weight is written).
         */
        abstract void applyRows(int t, float[][] w, float[][] o, float[][] g, int from, int to);

        @Override
        final void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients, double learningRate,
                long iterations) {
            beginStep(learningRate, iterations);
            for (int t = 0; t < weights.size(); t++) {
                float[][] w = weights.get(t);
                applyRows(t, w, updated.get(t), gradients.get(t), 0, w.length);
            }
        }
    }

    static List<float[][]> filled(List<float[][]> weights, float value) {
        List<float[][]> out = new ArrayList<>(weights.size());
        for (float[][] w : weights) {
            float[][] slot = new float[w.length][w.length == 0 ? 0 : w[0].length];
            if (value != 0) {
                for (float[] row : slot) {
                    java.util.Arrays.fill(row, value);
                }
            }
            out.add(slot);
        }
        return out;
    }

    static List<float[][]> concat(List<List<float[][]>> parts) {
        List<float[][]> out = new ArrayList<>();
        parts.forEach(out::addAll);
        return out;
    }
}
