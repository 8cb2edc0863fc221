package dev.nncore;

import dev.nncore.internal.Kernels;
import java.util.List;

/**
 * A batch cut by rows into parts, each part's forward and backward pass run by its own {@link Backprop} (its own
 * layer passes, Dropout stream and work arrays, all rows of the whole batch's arrays) on its own thread, and the
 * parts' weight gradients summed in part order, each thread summing a share of the rows. For a given number of parts
 * the result has the same bits on any thread, so it depends on the thread count only through that number.
 *
 * <p>Allocates only when the batch shape changes.
 */
final class SampleSplit {

    private final Backprop[] parts;
    private final float[][][] x;
    private final float[][][] y;
    private final float[][] sampleWeights;
    private final double[] losses;
    private final List<float[][]>[] gradients;
    private final Kernels.Parts forward = this::forwardPart;
    private final Kernels.Parts backward = this::backwardPart;
    private final Kernels.Parts reduce = this::reducePart;
    private final boolean parallel;
    private boolean training;
    private int count;
    private boolean weighted;

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of lists
    SampleSplit(Backprop[] parts, boolean parallel) {
        this.parts = parts;
        this.parallel = parallel;
        x = new float[parts.length][][];
        y = new float[parts.length][][];
        sampleWeights = new float[parts.length][];
        losses = new double[parts.length];
        gradients = new List[parts.length];
    }

    int size() {
        return parts.length;
    }

    Backprop part(int p) {
        return parts[p];
    }

    /** The whole batch's loss: the parts' losses (each a share of the mean over all rows) summed in part order. */
    double forward(float[][] x, float[][] y, float[] sampleWeights, boolean training, int count) {
        this.count = count;
        this.training = training;
        this.weighted = sampleWeights != null;
        int rows = x.length;
        for (int p = 0; p < count; p++) {
            int from = RowParts.bound(rows, p, count);
            int to = RowParts.bound(rows, p + 1, count);
            this.x[p] = RowParts.rows(this.x[p], x, from, to);
            this.y[p] = RowParts.rows(this.y[p], y, from, to);
            if (weighted) {
                if (this.sampleWeights[p] == null || this.sampleWeights[p].length != to - from) {
                    this.sampleWeights[p] = new float[to - from];
                }
                System.arraycopy(sampleWeights, from, this.sampleWeights[p], 0, to - from);
            }
            parts[p].place(rows, from);
        }
        run(forward);
        double loss = 0;
        for (int p = 0; p < count; p++) {
            loss += losses[p];
        }
        return loss;
    }

    /** The parts' backward passes, part 0's into {@code into}, the others' into their own arrays, then the sum. */
    void backward(float[][] y, List<float[][]> into, int count) {
        int rows = 0;
        for (int p = 0; p < count; p++) {
            rows += this.y[p].length;
        }
        for (int p = 0; p < count; p++) {
            int from = RowParts.bound(rows, p, count);
            this.y[p] = RowParts.rows(this.y[p], y, from, RowParts.bound(rows, p + 1, count));
        }
        gradients[0] = into;
        for (int p = 1; p < count; p++) {
            if (gradients[p] == null) {
                gradients[p] = parts[p].newGradients();
            }
        }
        run(backward);
        run(reduce);
        gradients[0] = null;
    }

    private void run(Kernels.Parts task) {
        if (parallel) {
            Kernels.runParts(task, count);
        } else {
            for (int p = 0; p < count; p++) {
                task.run(p);
            }
        }
    }

    private void forwardPart(int p) {
        losses[p] = parts[p].forward(x[p], y[p], weighted ? sampleWeights[p] : null, training);
    }

    private void backwardPart(int p) {
        parts[p].backward(y[p], gradients[p]);
    }

    /**
     * Thread {@code q}'s share of the sum: its rows of every gradient array, the parts added in order, cut where the
     * optimizer's update cuts them ({@link RowParts#bound}), so that the same thread updates the rows it summed.
     */
    private void reducePart(int q) {
        List<float[][]> sum = gradients[0];
        for (int t = 0; t < sum.size(); t++) {
            float[][] target = sum.get(t);
            int from = RowParts.bound(target.length, q, count);
            int to = RowParts.bound(target.length, q + 1, count);
            for (int p = 1; p < count; p++) {
                float[][] part = gradients[p].get(t);
                for (int r = from; r < to; r++) {
                    float[] out = target[r];
                    float[] in = part[r];
                    for (int c = 0; c < out.length; c++) {
                        out[c] += in[c];
                    }
                }
            }
        }
    }
}
