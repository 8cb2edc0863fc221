package dev.nncore.train;

import dev.nncore.internal.Checks;
import dev.nncore.internal.Kernels;
import java.util.ArrayList;
import java.util.List;

/**
 * One run's optimizer: the rule's slots, the step count, the EMA and the current rate (which a callback may
 * change, as Keras's {@code optimizer.learning_rate = ...}). Owned by the fit's thread.
 */
final class OptimizerRun {
    private final OptimizerRule.State state;
    private final LearningRateSchedule schedule;
    private final double clipNorm;
    private final double clipValue;
    private final double globalClipNorm;
    private final double weightDecay;
    private final double emaMomentum;
    private final int emaOverwriteFrequency;
    private final List<float[][]> averages;
    private double currentRate;
    private long iterations;
    private final RowUpdate byRows = new RowUpdate();
    private CutStep cutStep;

    OptimizerRun(Optimizer optimizer, List<float[][]> weights) {
        state = optimizer.rule().start(weights);
        schedule = optimizer.schedule();
        clipNorm = optimizer.clipNormValue();
        clipValue = optimizer.clipValueValue();
        globalClipNorm = optimizer.globalClipNormValue();
        weightDecay = optimizer.weightDecayValue();
        emaMomentum = optimizer.emaMomentumValue();
        emaOverwriteFrequency = optimizer.emaOverwriteFrequencyValue();
        currentRate = optimizer.fixedLearningRate();
        averages = Double.isNaN(emaMomentum) ? null : OptimizerRule.filled(weights, 0);
    }

    /**
     * Updates the tensors of a run whose Dense layer is cut by units ({@link UnitLayout}) on the threads that computed
     * them: part {@code p} updates trainable tensor {@code firstKernel + p}, its bias part {@code firstKernel + parts + p}
     * if {@code bias}, and rows {@code bounds[p]} to {@code bounds[p + 1]} of tensor {@code secondKernel}, whatever their
     * size; the update is element by element, so the bits are those of one thread.
     */
    void cutByUnits(int firstKernel, boolean bias, int secondKernel, int[] bounds) {
        byRows.cut(firstKernel, bias, secondKernel, bounds);
    }

    /**
     * The update of the cut tensors as parts for the backward pass to run, each on the thread that computed that part's
     * gradients ({@link StepKernel#updateInParts}), for {@link #apply(List, List, List)} on these very lists; null where
     * it cannot be: no cut, clipping (which needs every gradient first), weight decay (which writes the weights
     * before the rule reads them), a rule that does not update row by row. The update is the same arithmetic.
     */
    Kernels.Parts cutUpdateParts(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients) {
        if (!byRows.isCut() || clipNorm != 0 || clipValue != 0 || globalClipNorm != 0 || weightDecay != 0
                || !(state instanceof OptimizerRule.RowState)) {
            return null;
        }
        cutStep = new CutStep(weights, updated, gradients);
        return cutStep;
    }

    /**
     * Arms the parts of {@link #cutUpdateParts} for the coming backward pass, with this step's rate; the next
     * {@link #apply(List, List, List)} then leaves the cut tensors to them. Call it only when that backward pass and
     * that update follow, or {@link #cancelCutStep()}.
     */
    void beginCutStep() {
        if (cutStep != null) {
            ((OptimizerRule.RowState) state).beginStep(learningRate(), iterations);
            cutStep.armed = true;
            cutStep.ran = false;
        }
    }

    /** Disarms {@link #beginCutStep()} for a step that ends without an update (a loss that is not finite). */
    void cancelCutStep() {
        if (cutStep != null) {
            cutStep.armed = false;
            cutStep.ran = false;
        }
    }

    /** Keras's {@code apply_gradients}, in place; the gradients are clipped in place. */
    void apply(List<float[][]> weights, List<float[][]> gradients) {
        apply(weights, weights, gradients);
    }

    /**
     * Keras's {@code apply_gradients}, reading the weights from {@code weights} and writing the new ones into
     * {@code updated} (arrays of the same shapes, or the same list for in place); the gradients are clipped in place.
     * {@code weights} is left as it was, so the trainer keeps the weights before the step without a copy.
     */
    void apply(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients) {
        double rate = schedule == null ? currentRate : schedule.at(iterations);
        if (clipNorm != 0 || clipValue != 0 || globalClipNorm != 0) {
            clip(gradients);
        }
        List<float[][]> source = weights;
        if (weightDecay != 0) {
            // Keras's variable.assign(variable - variable * wd * lr), in float32 as Keras computes it
            float factor = (float) weightDecay * (float) rate;
            for (int t = 0; t < weights.size(); t++) {
                decay(weights.get(t), updated.get(t), factor);
            }
            source = updated;
        }
        if (state instanceof OptimizerRule.RowState rows) {
            boolean partsDone = cutStep != null && cutStep.armed && cutStep.ran;
            if (partsDone && (weights != cutStep.weights || updated != cutStep.updated || gradients != cutStep.gradients)) {
                throw new IllegalStateException("the cut tensors were updated in place of other lists");
            }
            if (cutStep != null) {
                cutStep.armed = false;
                cutStep.ran = false;
            }
            byRows.apply(rows, source, updated, gradients, rate, iterations, partsDone);
        } else {
            state.apply(source, updated, gradients, rate, iterations);
        }
        if (averages != null) {
            double momentum = iterations == 0 ? 0 : emaMomentum;
            for (int t = 0; t < updated.size(); t++) {
                float[][] w = updated.get(t);
                float[][] a = averages.get(t);
                for (int r = 0; r < w.length; r++) {
                    for (int c = 0; c < w[r].length; c++) {
                        a[r][c] = (float) (momentum * a[r][c] + (1 - momentum) * w[r][c]);
                    }
                }
            }
            if (emaOverwriteFrequency != 0 && (iterations + 1) % emaOverwriteFrequency == 0) {
                copyAverages(updated);
            }
        }
        iterations++;
    }

    /**
     * @return whether {@link #apply(List, List, List)} may take the gradients as {@code updated}, writing the new weights
     *     over them: the rule reads each gradient element once, before writing that element, and no weight decay
     *     writes {@code updated} before the rule has read them
     */
    boolean mayWriteOverGradients() {
        return weightDecay == 0 && state.writesOverEachGradientLast();
    }

    private void clip(List<float[][]> gradients) {
        if (clipValue != 0) {
            for (float[][] g : gradients) {
                for (float[] row : g) {
                    for (int c = 0; c < row.length; c++) {
                        row[c] = (float) Math.max(-clipValue, Math.min(clipValue, row[c]));
                    }
                }
            }
            return;
        }
        double total = 0;
        for (float[][] g : gradients) {
            double sum = sumOfSquares(g);
            if (clipNorm != 0) {
                scale(g, clipNorm / Math.max(Math.sqrt(sum), clipNorm));
            }
            total += sum;
        }
        if (globalClipNorm != 0) {
            double norm = Math.sqrt(total);
            // Keras's clip_by_global_norm: a non-finite norm makes every gradient NaN
            double factor = Double.isFinite(norm) ? globalClipNorm * Math.min(1 / norm, 1 / globalClipNorm) : Double.NaN;
            for (float[][] g : gradients) {
                scale(g, factor);
            }
        }
    }

    /** {@code out = w - w * factor}, element by element; a method of its own so that the JIT compiles it as one loop. */
    private static void decay(float[][] w, float[][] out, float factor) {
        for (int r = 0; r < w.length; r++) {
            float[] row = w[r];
            float[] target = out[r];
            for (int c = 0; c < row.length; c++) {
                target[c] = row[c] - row[c] * factor;
            }
        }
    }

    /** The sum of squares in double, over four interleaved partial sums (one running sum is bound by add latency). */
    private static double sumOfSquares(float[][] g) {
        double sum = 0;
        for (float[] row : g) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int c = 0;
            for (; c + 3 < row.length; c += 4) {
                s0 += (double) row[c] * row[c];
                s1 += (double) row[c + 1] * row[c + 1];
                s2 += (double) row[c + 2] * row[c + 2];
                s3 += (double) row[c + 3] * row[c + 3];
            }
            for (; c < row.length; c++) {
                s0 += (double) row[c] * row[c];
            }
            sum += (s0 + s1) + (s2 + s3);
        }
        return sum;
    }

    /** Multiplies every gradient by {@code factor}, in float32 as Keras's {@code g * factor} is. */
    private static void scale(float[][] g, double factor) {
        if (factor == 1) {
            return;
        }
        float f = (float) factor;
        for (float[] row : g) {
            for (int c = 0; c < row.length; c++) {
                row[c] *= f;
            }
        }
    }

    /** Keras's {@code finalize_variable_values}: with EMA, the averages replace the weights. */
    void finish(List<float[][]> weights) {
        if (averages != null && iterations > 0) {
            copyAverages(weights);
        }
    }

    private void copyAverages(List<float[][]> weights) {
        for (int t = 0; t < weights.size(); t++) {
            float[][] a = averages.get(t);
            float[][] w = weights.get(t);
            for (int r = 0; r < w.length; r++) {
                System.arraycopy(a[r], 0, w[r], 0, w[r].length);
            }
        }
    }

    /** @return the rate of the next step */
    double learningRate() {
        return schedule == null ? currentRate : schedule.at(iterations);
    }

    /** Keras's {@code optimizer.learning_rate = value}; refused with a schedule, as in Keras. */
    void setLearningRate(double value) {
        if (schedule != null) {
            throw new IllegalStateException("this optimizer's learning rate follows the schedule " + schedule
                    + ", so it cannot be set (Keras refuses too); give the optimizer a fixed learning rate instead");
        }
        currentRate = Checks.positive(value, "learningRate");
    }

    long iterations() {
        return iterations;
    }

    /** @return the fixed rate as last set (ignored with a schedule) */
    double fixedRate() {
        return currentRate;
    }

    /** Puts back a saved step count and fixed rate. */
    void restore(long savedIterations, double savedRate) {
        iterations = savedIterations;
        currentRate = savedRate;
    }

    /** @return the rule's scalar state; its own array */
    double[] scalars() {
        return state.scalars();
    }

    /** @return every slot, then the EMA averages; the run's own arrays */
    List<float[][]> variables() {
        List<float[][]> out = new ArrayList<>(state.variables());
        if (averages != null) {
            out.addAll(averages);
        }
        return out;
    }

    /**
     * A row-by-row rule's step, each large tensor's rows cut over nn-core's threads at {@link Kernels#rowBound}, the
     * cut at which training computed them (a Dense layer split by inputs, a batch cut by samples), so that each thread
     * updates rows it holds in its cache. The update is element by element: the bits of one thread.
     */
    private static final class RowUpdate implements Kernels.Parts {
        /** Tensors from this many elements are cut: 2^16, a quarter of a 784-128 kernel. */
        static final long MIN_ELEMENTS = 1L << 16;
        private OptimizerRule.RowState rule;
        private float[][] w;
        private float[][] o;
        private float[][] g;
        private int parts;
        private int t;

        /** The cut by units, or -1 for none: see {@link OptimizerRun#cutByUnits}. */
        private int firstKernel = -1;
        private boolean cutBias;
        private int secondKernel;
        private int[] bounds;
        private List<float[][]> allWeights;
        private List<float[][]> allUpdated;
        private List<float[][]> allGradients;

        boolean isCut() {
            return firstKernel >= 0;
        }

        void cut(int firstKernel, boolean bias, int secondKernel, int[] bounds) {
            this.firstKernel = firstKernel;
            this.cutBias = bias;
            this.secondKernel = secondKernel;
            this.bounds = bounds.clone();
        }

        private boolean owned(int index) {
            int parts = bounds.length - 1;
            return index == secondKernel || index >= firstKernel && index < firstKernel + (cutBias ? 2 : 1) * parts;
        }

        /** @param partsDone whether the cut tensors' parts were updated in the backward pass ({@link CutStep}) */
        void apply(OptimizerRule.RowState state, List<float[][]> weights, List<float[][]> updated,
                List<float[][]> gradients, double rate, long iterations, boolean partsDone) {
            state.beginStep(rate, iterations);
            int threads = Kernels.threads();
            if (firstKernel >= 0 && !partsDone) {
                rule = state;
                allWeights = weights;
                allUpdated = updated;
                allGradients = gradients;
                t = -1;
                try {
                    Kernels.runParts(this, bounds.length - 1);
                } finally {
                    rule = null;
                    allWeights = allUpdated = allGradients = null;
                }
            }
            for (int index = 0; index < weights.size(); index++) {
                if (firstKernel >= 0 && owned(index)) {
                    continue;
                }
                float[][] weight = weights.get(index);
                long elements = (long) weight.length * (weight.length == 0 ? 0 : weight[0].length);
                if (threads < 2 || elements < MIN_ELEMENTS || weight.length < 8) {
                    state.applyRows(index, weight, updated.get(index), gradients.get(index), 0, weight.length);
                    continue;
                }
                rule = state;
                w = weight;
                o = updated.get(index);
                g = gradients.get(index);
                t = index;
                parts = Math.min(threads, weight.length / 4);
                try {
                    Kernels.runParts(this, parts);
                } finally {
                    rule = null;
                    w = o = g = null;
                }
            }
        }

        @Override
        public void run(int part) {
            if (t < 0) {
                updatePart(part, rule, allWeights, allUpdated, allGradients);
                return;
            }
            rule.applyRows(t, w, o, g, Kernels.rowBound(w.length, part, parts), Kernels.rowBound(w.length, part + 1, parts));
        }

        /** Updates part {@code part}'s tensors of a cut by units on this thread: its kernel and bias, its second-kernel rows. */
        void updatePart(int part, OptimizerRule.RowState rowRule, List<float[][]> weights, List<float[][]> updated,
                List<float[][]> gradients) {
            int parts = bounds.length - 1;
            wholeTensor(rowRule, firstKernel + part, weights, updated, gradients);
            if (cutBias) {
                wholeTensor(rowRule, firstKernel + parts + part, weights, updated, gradients);
            }
            rowRule.applyRows(secondKernel, weights.get(secondKernel), updated.get(secondKernel),
                    gradients.get(secondKernel), bounds[part], bounds[part + 1]);
        }

        private static void wholeTensor(OptimizerRule.RowState rowRule, int index, List<float[][]> weights,
                List<float[][]> updated, List<float[][]> gradients) {
            float[][] w0 = weights.get(index);
            rowRule.applyRows(index, w0, updated.get(index), gradients.get(index), 0, w0.length);
        }
    }

    /**
     * The update of a cut by units run inside the backward pass: each part, on the thread that has just computed its
     * gradients, updates its own tensors ({@link RowUpdate#updatePart}), so the step needs no round of parts for the
     * update and each core finds its tensors in its cache. Armed by {@link #beginCutStep()} for one step.
     */
    private final class CutStep implements Kernels.Parts {
        private final List<float[][]> weights;
        private final List<float[][]> updated;
        private final List<float[][]> gradients;
        /** Whether this step's parts update; written on the fit's thread before the parts are handed out. */
        private boolean armed;
        /** Whether the parts have run this step. */
        private boolean ran;

        CutStep(List<float[][]> weights, List<float[][]> updated, List<float[][]> gradients) {
            this.weights = weights;
            this.updated = updated;
            this.gradients = gradients;
        }

        @Override
        public void run(int part) {
            if (armed) {
                byRows.updatePart(part, (OptimizerRule.RowState) state, weights, updated, gradients);
                ran = true;
            }
        }
    }
}
