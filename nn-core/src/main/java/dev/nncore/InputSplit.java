package dev.nncore;

import dev.nncore.internal.Kernels;

/**
 * A Dense layer that reads the network's data, trained on a batch that is not cut by samples: its kernel's rows (one
 * per input) cut over nn-core's threads at {@link Kernels#rowBound}. In the forward pass each thread multiplies its
 * share of the input columns, read in place, by its rows of the kernel (part 0 adds the bias; the partial sums are
 * then added in part order, each row activated as soon as it is summed); in the backward pass each computes the same
 * rows of the kernel's gradient from the same columns of the input, and its share of the bias gradient's columns; the
 * optimizer then updates those rows on the same thread, cutting at the same bounds. Where the layer's output is large
 * (from {@link #MIN_SPLIT_SUM} values) the sums with the activation, and the activation's gradient, are shared too, cut
 * by batch rows, so that little of the step is left to one thread. Each
 * core so keeps its share of the kernel, of its gradient and of the data's columns in its own cache, and no weight
 * moves between cores in a step: sharing the batch's rows or the kernel's columns instead moved every weight between
 * the cores each step, which cost more than the second core gave at batch 64.
 *
 * <p>Bits: the forward's sums are partial sums added in part order, so they differ from one thread's in the last bits,
 * and are always the same for a given number of threads; the activation, the gradients and the bias sums have one
 * thread's bits. Allocates only
 * when the batch's shape changes.
 */
final class InputSplit implements Kernels.Parts {

    /** Each part has at least this many inputs. */
    static final int MIN_PART_INPUTS = 64;
    private final int parts;
    /**
     * Outputs from this many values (batch rows x units) are summed and activated, and their activation's gradient
     * computed, in parts cut by batch rows: at 784-2048-10, batch 64, two threads, the sums and the ReLU had taken 66 us
     * of a 3.3 ms step on the calling thread alone and the ReLU's gradient 89 us (timers in a copy of {@code fit}).
     * Below it (784-128-10: 8,192 values, the ReLU's gradient 4 us) the halves would save about what a hand-over costs
     * there: 1-2.5 us before the worker starts, then the wait for the slower part (the same timers).
     */
    static final long MIN_SPLIT_SUM = 1L << 15;
    private static final int PRODUCT = 0;
    private static final int SUM = 1;
    private static final int GRADIENT = 2;
    private static final int ACTIVATION_GRADIENT = 3;
    private final float[][][] partials;
    private int phase;
    private Activation activation;
    private float[][] activated;
    private float[][] input;
    private float[] bias;
    /** The pre-activation sums: written by the forward pass, read by the activation's gradient (null if not kept). */
    private float[][] out;
    private float[][] upstream;
    private float[][] delta;
    private float[][] kernel;
    private float[][] gradient;
    private float[] biasGradient;
    /** The input of the last forward pass if it was split, whose columns the backward pass reads again; else null. */
    private float[][] splitInput;

    private InputSplit(int parts) {
        this.parts = parts;
        partials = new float[parts][][];
    }

    /** Tests set this to build passes that never split, for one thread's bits on a machine with several. */
    static volatile boolean disabled;

    /** @return a split for a layer of {@code inputs} inputs on this machine's threads, or null if it cannot be cut */
    static InputSplit of(int inputs) {
        if (disabled) {
            return null;
        }
        int parts = Math.min(Kernels.threads(), inputs / MIN_PART_INPUTS);
        return parts > 1 ? new InputSplit(parts) : null;
    }

    /**
     * {@code out = input kernel + bias} in parts, when the product reaches the threshold at which products are shared
     * ({@code -Dnncore.parallelThreshold}); returns false (and computes nothing) otherwise. The partial sums are added
     * row by row, and each summed row is then copied to {@code activated} (unless that is {@code out} itself) and put
     * through {@code activation} while it is in cache: the same bits as adding every row first and activating after.
     * From {@link #MIN_SPLIT_SUM} values the rows are summed and activated in parts too, cut by batch rows.
     */
    boolean forward(float[][] input, float[][] kernel, float[] bias, float[][] out, Activation activation,
            float[][] activated) {
        splitInput = null;
        if ((double) input.length * kernel.length * kernel[0].length < Kernels.parallelThreshold()) {
            return false;
        }
        this.input = input;
        this.kernel = kernel;
        this.bias = bias;
        this.out = out;
        this.activation = activation;
        this.activated = activated;
        try {
            phase = PRODUCT;
            Kernels.runParts(this, parts);
            if (sharesRows(out)) {
                phase = SUM;
                Kernels.runParts(this, parts);
            } else {
                sumRows(0, out.length);
            }
        } finally {
            forgetArguments();
        }
        splitInput = input;
        return true;
    }

    /** Rows {@code [from, to)} of {@code out}: the other parts' partial sums added in part order, then activated. */
    private void sumRows(int from, int to) {
        int width = out[0].length;
        boolean copies = activated != out;
        boolean identity = activation.isIdentity();
        for (int r = from; r < to; r++) {
            float[] row = out[r];
            for (int p = 1; p < parts; p++) {
                float[] add = partials[p][r];
                for (int c = 0; c < width; c++) {
                    row[c] += add[c];
                }
            }
            if (copies) {
                System.arraycopy(row, 0, activated[r], 0, width);
            }
            if (!identity) {
                activation.applyInPlace(activated[r]);
            }
        }
    }

    /**
     * {@code delta = dL/dz} from the activation's output gradient, in parts cut by batch rows, when the last forward pass
     * was split over {@code input} and its output holds at least {@link #MIN_SPLIT_SUM} values; false (and nothing
     * computed) otherwise. Each element is the activation's own arithmetic: the bits of one thread.
     *
     * @param z the pre-activations, or null when the activation's gradient reads only its output
     */
    boolean activationGradient(float[][] input, Activation activation, float[][] z, float[][] output,
            float[][] upstream, float[][] delta) {
        if (splitInput == null || input != splitInput || !sharesRows(output)) {
            return false;
        }
        this.activation = activation;
        this.out = z;
        this.activated = output;
        this.upstream = upstream;
        this.delta = delta;
        phase = ACTIVATION_GRADIENT;
        try {
            Kernels.runParts(this, parts);
        } finally {
            forgetArguments();
        }
        return true;
    }

    /**
     * The kernel's gradient {@code input^T delta} in parts, and the bias's ({@code delta}'s column sums, each part its
     * share of the columns, summed down the rows in order as one thread does) unless {@code biasGradient} is null;
     * false (and nothing computed) if the last forward pass was not split or read another input.
     */
    boolean kernelGradient(float[][] input, float[][] delta, float[][] gradient, float[][] kernel, float[] biasGradient) {
        if (splitInput == null || input != splitInput) {
            return false;
        }
        Dense.checkGradient(gradient, kernel, 0, 0); // the row count here; each part checks its rows on its own thread
        this.input = input;
        this.kernel = kernel;
        this.gradient = gradient;
        this.delta = delta;
        this.biasGradient = biasGradient;
        phase = GRADIENT;
        try {
            Kernels.runParts(this, parts);
        } finally {
            forgetArguments();
        }
        return true;
    }

    /** Whether a batch's rows of {@code m} are cut between the threads: {@link #MIN_SPLIT_SUM} values, a row per part. */
    private boolean sharesRows(float[][] m) {
        return (long) m.length * m[0].length >= MIN_SPLIT_SUM && m.length >= parts;
    }

    /** Drops the last call's arrays, so that this split keeps none of its caller's data alive between calls. */
    private void forgetArguments() {
        input = null;
        kernel = null;
        bias = null;
        out = null;
        activation = null;
        activated = null;
        upstream = null;
        delta = null;
        gradient = null;
        biasGradient = null;
    }

    /** Forgets the last forward pass (an inference pass, or one not split), so that no backward pass reads its columns. */
    void unsplit() {
        splitInput = null;
    }

    @Override
    public void run(int part) {
        if (phase == SUM) {
            sumRows(Kernels.rowBound(out.length, part, parts), Kernels.rowBound(out.length, part + 1, parts));
            return;
        }
        if (phase == ACTIVATION_GRADIENT) {
            int to = Kernels.rowBound(activated.length, part + 1, parts);
            for (int r = Kernels.rowBound(activated.length, part, parts); r < to; r++) {
                activation.gradient(out == null ? null : out[r], activated[r], upstream[r], delta[r]);
            }
            return;
        }
        int from = Kernels.rowBound(kernel.length, part, parts);
        int to = Kernels.rowBound(kernel.length, part + 1, parts);
        if (phase == PRODUCT) {
            float[][] target = out;
            if (part > 0) {
                target = partials[part];
                if (target == null || target.length != out.length || target[0].length != out[0].length) {
                    target = new float[out.length][out[0].length];
                    partials[part] = target;
                }
            }
            Kernels.affineSlice(input, kernel, part == 0 ? bias : null, target, from, to);
        } else {
            Dense.checkGradient(gradient, kernel, from, to);
            Kernels.multiplyTransposedA(input, delta, gradient, from, to);
            if (biasGradient != null) {
                Scratch.columnSums(delta, biasGradient, Kernels.rowBound(biasGradient.length, part, parts),
                        Kernels.rowBound(biasGradient.length, part + 1, parts));
            }
        }
    }
}
