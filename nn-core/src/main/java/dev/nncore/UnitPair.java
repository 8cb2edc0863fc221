package dev.nncore;

import dev.nncore.internal.Kernels;
import java.util.ArrayList;
import java.util.List;

/**
 * Two Dense layers in training with the first one's units cut between nn-core's threads: part {@code p} owns units
 * {@code bounds[p]} to {@code bounds[p + 1]}, that is its columns of the first kernel and bias (arrays of its own: the
 * run's layout, {@code dev.nncore.train.UnitLayout}) and its rows of the second kernel. In the forward pass each part
 * computes its units' activations and their partial product with the second kernel; the second layer then adds the
 * partial sums in part order, its bias, and applies its activation, on the calling thread. In the backward pass the
 * second layer computes its output delta and bias gradient on the calling thread, and each part then its rows of the
 * second kernel's gradient, its units' delta, and its columns of the first kernel's and bias's gradients, and then
 * runs what the trainer set with {@link #afterGradients} (the update of those tensors). Only the
 * partial sums (rows x the second layer's units per part) and the output delta cross between the cores.
 *
 * <p>The first layer reads the network's data (no gradient flows to its input), its activation works element by
 * element, and both layers' weights are all trainable. Its output buffer is not written: the second layer reads the parts. Bits: the second layer's sums are partial
 * sums added in part order, so they differ from one thread's in the last bits and are the same for a given number of
 * parts; everything else has one thread's arithmetic. Allocates only when the batch's shape changes.
 */
final class UnitPair implements Kernels.Parts {

    private static final int FORWARD = 0;
    private static final int BACKWARD = 1;
    private static final int PRE = 0;
    private static final int HIDDEN = 1;
    private static final int LOGITS = 2;
    private static final int HIDDEN_GRADIENT = 3;
    private static final int DELTA = 4;

    private final int parts;
    private final int[] bounds;
    private final List<float[][]> firstWeights;
    private final boolean firstBias;
    private final Activation firstActivation;
    private final boolean keepsPre;
    private final List<float[][]> secondWeights;
    private final Activation secondActivation;
    private final boolean secondKeepsPre;
    /** Per part: its scratch arrays, allocated on its own thread. */
    private final Scratch[] scratch;
    /** Per part: its rows of the second kernel, and of its gradient (references, refreshed every pass). */
    private final float[][][] secondRows;
    private final float[][][] secondGradientRows;
    private final Scratch own = new Scratch(2);
    private final float[][][] partLogits;
    private float[][] secondPre;
    private int phase;
    private float[][] input;
    private float[][] outputDelta;
    private List<float[][]> firstGradients;
    private final Layer.Pass first = new First();
    private final Layer.Pass second = new Second();
    /** Run by each part on its own thread once its gradients are computed (its tensors' update), or null. */
    private Kernels.Parts afterGradients;

    /**
     * @param firstWeights the first layer's kernel parts ({@code [inputs][units of part p]}), then its bias parts
     *     ({@code [1][units of part p]}) if it has a bias
     * @param secondWeights the second layer's kernel ({@code [units][outputs]}), then its bias if any
     * @param bounds the first unit of each part, then the unit count
     */
    UnitPair(List<float[][]> firstWeights, Activation firstActivation, List<float[][]> secondWeights,
            Activation secondActivation, int[] bounds) {
        this.parts = bounds.length - 1;
        this.bounds = bounds.clone();
        if (firstWeights.size() != parts && firstWeights.size() != 2 * parts) {
            throw new IllegalArgumentException("expected " + parts + " kernel parts and as many bias parts or none, got "
                    + firstWeights.size() + " arrays");
        }
        if (!isElementwise(firstActivation)) {
            throw new IllegalArgumentException("a layer cut by units needs an activation element by element, not "
                    + firstActivation.kerasName());
        }
        this.firstWeights = firstWeights;
        this.firstBias = firstWeights.size() == 2 * parts;
        this.firstActivation = firstActivation;
        this.keepsPre = firstActivation.gradientNeedsInput() && !firstActivation.isIdentity();
        this.secondWeights = secondWeights;
        this.secondActivation = secondActivation;
        this.secondKeepsPre = secondActivation.gradientNeedsInput() && !secondActivation.isIdentity();
        scratch = new Scratch[parts];
        partLogits = new float[parts][][];
        secondRows = new float[parts][][];
        secondGradientRows = new float[parts][][];
        for (int p = 0; p < parts; p++) {
            scratch[p] = new Scratch(5);
            secondRows[p] = new float[bounds[p + 1] - bounds[p]][];
            secondGradientRows[p] = new float[bounds[p + 1] - bounds[p]][];
        }
    }

    /** Whether an activation can be cut by units: every one but those over a whole row (softmax, log-softmax). */
    static boolean isElementwise(Activation activation) {
        String name = activation.kerasName();
        return !name.equals("softmax") && !name.equals("log_softmax");
    }

    /** @return the first layer's pass */
    Layer.Pass first() {
        return first;
    }

    /** @return the second layer's pass */
    Layer.Pass second() {
        return second;
    }

    @Override
    public void run(int part) {
        if (phase == FORWARD) {
            forward(part);
        } else {
            backward(part);
        }
    }

    private void forward(int p) {
        float[][] x = input;
        int units = bounds[p + 1] - bounds[p];
        Scratch s = scratch[p];
        float[][] pre = s.get(PRE, x.length, units);
        Kernels.affine(x, firstWeights.get(p), firstBias ? firstWeights.get(parts + p)[0] : null, pre);
        float[][] hidden = pre;
        if (keepsPre) {
            hidden = s.get(HIDDEN, x.length, units);
            for (int r = 0; r < x.length; r++) {
                System.arraycopy(pre[r], 0, hidden[r], 0, units);
            }
        }
        if (!firstActivation.isIdentity()) {
            firstActivation.applyInPlace(hidden);
        }
        float[][] kernel = secondWeights.get(0);
        float[][] rows = secondRows[p];
        System.arraycopy(kernel, bounds[p], rows, 0, units);
        Kernels.affine(hidden, rows, null, s.get(LOGITS, x.length, kernel[0].length));
    }

    private void backward(int p) {
        float[][] x = input;
        int units = bounds[p + 1] - bounds[p];
        Scratch s = scratch[p];
        float[][] pre = s.get(PRE, x.length, units);
        float[][] hidden = keepsPre ? s.get(HIDDEN, x.length, units) : pre;
        float[][] delta = outputDelta;
        float[][] gradientRows = secondGradientRows[p];
        System.arraycopy(secondGradientOf(), bounds[p], gradientRows, 0, units);
        Kernels.multiplyTransposedA(hidden, delta, gradientRows);
        float[][] hiddenGradient = s.get(HIDDEN_GRADIENT, x.length, units);
        Kernels.multiplyTransposedB(delta, secondRows[p], hiddenGradient);
        float[][] unitDelta = hiddenGradient;
        if (!firstActivation.isIdentity()) {
            unitDelta = s.get(DELTA, x.length, units);
            for (int r = 0; r < x.length; r++) {
                firstActivation.gradient(keepsPre ? pre[r] : null, hidden[r], hiddenGradient[r], unitDelta[r]);
            }
        }
        Kernels.multiplyTransposedA(x, unitDelta, firstGradients.get(p));
        if (firstBias) {
            Scratch.columnSums(unitDelta, firstGradients.get(parts + p)[0]);
        }
        if (afterGradients != null) {
            afterGradients.run(p);
        }
    }

    /**
     * Sets what each part runs on its own thread right after its gradients (its rows of the second kernel's, its
     * first kernel's and bias's): the optimizer's update of those tensors, which then needs no round of parts of its
     * own, and finds them in the core's cache.
     */
    void afterGradients(Kernels.Parts hook) {
        afterGradients = hook;
    }

    private float[][] secondKernelGradient;

    private float[][] secondGradientOf() {
        return secondKernelGradient;
    }

    private void runParts(int what) {
        phase = what;
        Kernels.runParts(this, parts);
    }

    /** The first layer: its forward pass runs the parts; its backward pass too, after the second layer's. */
    private final class First extends Layer.Pass {

        @Override
        public void forward(float[][] x, float[][] output, boolean training) {
            input = x;
            try {
                runParts(FORWARD);
            } finally {
                input = null;
            }
        }

        @Override
        public void backward(float[][] x, float[][] output, float[][] outputGradient, float[][] inputGradient,
                List<float[][]> weightGradients) {
            if (inputGradient != null) {
                throw new IllegalStateException("a layer cut by units reads the network's data: no gradient flows to its input");
            }
            if (outputDelta == null) {
                throw new IllegalStateException("the second layer's backward pass must come first");
            }
            input = x;
            firstGradients = weightGradients;
            try {
                runParts(BACKWARD);
            } finally {
                input = null;
                firstGradients = null;
                outputDelta = null;
                secondKernelGradient = null;
            }
        }
    }

    /** The second layer: sums the parts' products; its backward pass leaves the kernel's gradient to the parts. */
    private final class Second extends Layer.Pass {

        @Override
        public void forward(float[][] ignored, float[][] output, boolean training) {
            float[] bias = secondWeights.size() > 1 ? secondWeights.get(1)[0] : null;
            int rows = output.length;
            int width = output[0].length;
            float[][] pre = output;
            if (secondKeepsPre) {
                secondPre = own.get(0, rows, width);
                pre = secondPre;
            }
            for (int p = 0; p < parts; p++) {
                partLogits[p] = scratch[p].get(LOGITS, rows, width);
            }
            for (int r = 0; r < rows; r++) {
                float[] row = pre[r];
                System.arraycopy(partLogits[0][r], 0, row, 0, width);
                for (int p = 1; p < parts; p++) {
                    float[] add = partLogits[p][r];
                    for (int c = 0; c < width; c++) {
                        row[c] += add[c];
                    }
                }
                if (bias != null) {
                    for (int c = 0; c < width; c++) {
                        row[c] += bias[c];
                    }
                }
                if (secondKeepsPre) {
                    System.arraycopy(row, 0, output[r], 0, width);
                }
            }
            // the whole batch at once: a softmax runs on the Vector API kernel a row per lane (same bits as a row alone)
            if (!secondActivation.isIdentity()) {
                secondActivation.applyInPlace(output);
            }
        }

        @Override
        public void backward(float[][] ignored, float[][] output, float[][] outputGradient, float[][] inputGradient,
                List<float[][]> weightGradients) {
            float[][] delta = outputGradient;
            if (!secondActivation.isIdentity()) {
                delta = own.get(1, output.length, output[0].length);
                for (int r = 0; r < output.length; r++) {
                    secondActivation.gradient(secondKeepsPre ? secondPre[r] : null, output[r], outputGradient[r], delta[r]);
                }
            }
            backwardFromPreActivation(ignored, delta, inputGradient, weightGradients);
        }

        @Override
        public void backwardFromPreActivation(float[][] ignored, float[][] delta, float[][] inputGradient,
                List<float[][]> weightGradients) {
            outputDelta = delta;
            secondKernelGradient = weightGradients.get(0);
            if (weightGradients.size() > 1) {
                Scratch.columnSums(delta, weightGradients.get(1)[0]);
            }
        }
    }

    /** For tests: the parts' hidden activations joined, {@code rows x units}. */
    float[][] hidden(int rows) {
        List<float[][]> partsHidden = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int units = bounds[p + 1] - bounds[p];
            partsHidden.add(scratch[p].get(keepsPre ? HIDDEN : PRE, rows, units));
        }
        float[][] out = new float[rows][bounds[parts]];
        for (int p = 0; p < parts; p++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(partsHidden.get(p)[r], 0, out[r], bounds[p], bounds[p + 1] - bounds[p]);
            }
        }
        return out;
    }
}
