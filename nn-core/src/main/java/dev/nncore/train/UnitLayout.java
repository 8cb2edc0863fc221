package dev.nncore.train;

import dev.nncore.internal.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * How a training run holds its weights when one Dense layer's units are cut between threads: that layer's kernel
 * ({@code [inputs][units]}) and bias ({@code [1][units]}) become one tensor per part, each holding the part's columns
 * in arrays of its own, so that no cache line holds two parts' weights (one row array shared by two threads' columns
 * cost more than the second thread gave: nn-benchmarks/MEASUREMENTS.md, "A split by hidden units, prototyped").
 * Every other weight keeps its network shape ({@link #copy} copies it once). The optimizer's slots, the gradients and
 * {@code fit}'s second set take the same layout; the network's order (Keras's {@code get_weights()}) is rebuilt
 * wherever a network or a saved state is made.
 *
 * <p>Run order: the network's tensors in order, with the cut kernel replaced by its parts in part order, and the cut
 * bias, when there is one, by its parts.
 */
final class UnitLayout {

    private final int networkCount;
    /** The cut kernel's network index, or -1 for none. */
    private final int kernel;
    private final boolean bias;
    /** Part p holds units {@code bounds[p]} to {@code bounds[p + 1]}. */
    private final int[] bounds;

    private UnitLayout(int networkCount, int kernel, boolean bias, int[] bounds) {
        this.networkCount = networkCount;
        this.kernel = kernel;
        this.bias = bias;
        this.bounds = bounds;
    }

    /** The network's own layout: nothing cut. */
    static UnitLayout uncut(int networkCount) {
        return new UnitLayout(networkCount, -1, false, new int[0]);
    }

    /**
     * @param networkCount how many tensors the network has
     * @param kernel the network index of the kernel to cut; its bias, if {@code bias}, is the next tensor
     * @param bounds the first unit of each part, then the unit count: strictly increasing from 0, at least two parts
     */
    static UnitLayout cut(int networkCount, int kernel, boolean bias, int[] bounds) {
        if (kernel < 0 || kernel + (bias ? 1 : 0) >= networkCount) {
            throw new IllegalArgumentException("no tensor " + kernel + (bias ? " and its bias" : "") + " among "
                    + networkCount);
        }
        if (bounds.length < 3 || bounds[0] != 0) {
            throw new IllegalArgumentException("bounds must start at 0 and make at least two parts, got "
                    + java.util.Arrays.toString(bounds));
        }
        for (int p = 1; p < bounds.length; p++) {
            if (bounds[p] <= bounds[p - 1]) {
                throw new IllegalArgumentException("bounds must increase, got " + java.util.Arrays.toString(bounds));
            }
        }
        return new UnitLayout(networkCount, kernel, bias, bounds.clone());
    }

    /** @return the first unit of each part, then the unit count (a copy); empty when nothing is cut */
    int[] bounds() {
        return bounds.clone();
    }

    boolean isCut() {
        return kernel >= 0;
    }

    int parts() {
        return isCut() ? bounds.length - 1 : 1;
    }

    /** @return how many tensors the network holds */
    int networkCount() {
        return networkCount;
    }

    /** @return how many tensors the run holds */
    int runCount() {
        return isCut() ? networkCount + (parts() - 1) * (bias ? 2 : 1) : networkCount;
    }

    /** @return the network index of run tensor {@code run} (a part of a cut tensor gives the cut tensor's index) */
    int networkIndex(int run) {
        if (run < 0 || run >= runCount()) {
            throw new IndexOutOfBoundsException("run tensor " + run + " of " + runCount());
        }
        if (!isCut() || run < kernel) {
            return run;
        }
        int parts = parts();
        if (run < kernel + parts) {
            return kernel;
        }
        if (bias && run < kernel + 2 * parts) {
            return kernel + 1;
        }
        return run - (parts - 1) * (bias ? 2 : 1);
    }

    /** @return one flag per run tensor, each its network tensor's */
    List<Boolean> flags(List<Boolean> network) {
        checkCount(network.size());
        List<Boolean> out = new ArrayList<>(runCount());
        for (int r = 0; r < runCount(); r++) {
            out.add(network.get(networkIndex(r)));
        }
        return out;
    }

    /**
     * The run's own tensors, holding the network's values: each uncut tensor a copy, each part of a cut one a new array
     * holding its columns. The network's arrays are only read, so a fit copies each weight once, not once whole and
     * then once more in parts (6.4 MB more per call for a 784x2048 kernel).
     */
    List<float[][]> copy(List<float[][]> network) {
        checkCount(network.size());
        List<float[][]> out = new ArrayList<>(runCount());
        for (int t = 0; t < networkCount; t++) {
            float[][] tensor = network.get(t);
            if (!isCutTensor(t)) {
                out.add(Tensors.copy(tensor));
            } else {
                checkWidth(t, tensor);
                for (int p = 0; p < parts(); p++) {
                    float[][] part = new float[tensor.length][bounds[p + 1] - bounds[p]];
                    out.add(part);
                }
                copyColumns(tensor, out.subList(out.size() - parts(), out.size()), true);
            }
        }
        return out;
    }

    /** Copies the network's values into the run's arrays (the cut tensors' parts; uncut tensors row by row). */
    void load(List<float[][]> network, List<float[][]> run) {
        transfer(network, run, true);
    }

    /** Copies the run's values into network-shaped arrays. */
    void join(List<float[][]> run, List<float[][]> network) {
        transfer(network, run, false);
    }

    /** @return new network-shaped arrays holding the run's values */
    List<float[][]> joined(List<float[][]> run) {
        checkRunCount(run.size());
        List<float[][]> out = new ArrayList<>(networkCount);
        for (int t = 0; t < networkCount; t++) {
            float[][] first = run.get(firstRunIndex(t));
            int width = isCutTensor(t) ? bounds[parts()] : first.length == 0 ? 0 : first[0].length;
            out.add(new float[first.length][width]);
        }
        join(run, out);
        return out;
    }

    /**
     * The network's tensors for a network that takes the run's arrays over when the run ends: each uncut tensor is the
     * run's own array, each cut one a new array joining its parts.
     */
    List<float[][]> handedOver(List<float[][]> run) {
        checkRunCount(run.size());
        List<float[][]> out = new ArrayList<>(networkCount);
        for (int t = 0; t < networkCount; t++) {
            float[][] first = run.get(firstRunIndex(t));
            if (isCutTensor(t)) {
                float[][] whole = new float[first.length][bounds[parts()]];
                copyColumns(whole, run.subList(firstRunIndex(t), firstRunIndex(t) + parts()), false);
                out.add(whole);
            } else {
                out.add(first);
            }
        }
        return out;
    }

    /**
     * @param run groups of tensors in the run's order, one after another (an optimizer's slots: one group per kind)
     * @return new network-shaped arrays holding them, group by group
     */
    List<float[][]> joinedGroups(List<float[][]> run) {
        int groups = groups(run.size());
        List<float[][]> out = new ArrayList<>(groups * networkCount);
        for (int g = 0; g < groups; g++) {
            out.addAll(joined(run.subList(g * runCount(), (g + 1) * runCount())));
        }
        return out;
    }

    /** Copies groups of tensors in the network's order into the run's groups ({@link #joinedGroups}'s inverse). */
    void loadGroups(List<float[][]> network, List<float[][]> run) {
        int groups = groups(run.size());
        if (network.size() != groups * networkCount) {
            throw new IllegalArgumentException("expected " + groups * networkCount + " tensors in the network's order, got "
                    + network.size());
        }
        for (int g = 0; g < groups; g++) {
            load(network.subList(g * networkCount, (g + 1) * networkCount),
                    run.subList(g * runCount(), (g + 1) * runCount()));
        }
    }

    private int groups(int runTensors) {
        if (runTensors % runCount() != 0) {
            throw new IllegalArgumentException(runTensors + " tensors are not whole groups of " + runCount());
        }
        return runTensors / runCount();
    }

    /**
     * The layout of the trainable tensors alone (gradients, the optimizer's slots): the cut tensors must be trainable
     * both or neither.
     */
    UnitLayout trainableOnly(List<Boolean> network) {
        checkCount(network.size());
        int count = 0;
        int cutAt = -1;
        for (int t = 0; t < networkCount; t++) {
            if (t == kernel && network.get(t)) {
                cutAt = count;
            }
            count += network.get(t) ? 1 : 0;
        }
        if (!isCut() || cutAt < 0) {
            return uncut(count);
        }
        boolean biasTrainable = bias && network.get(kernel + 1);
        return new UnitLayout(count, cutAt, biasTrainable, bounds);
    }

    private void transfer(List<float[][]> network, List<float[][]> run, boolean intoRun) {
        checkCount(network.size());
        checkRunCount(run.size());
        for (int t = 0; t < networkCount; t++) {
            int first = firstRunIndex(t);
            float[][] tensor = network.get(t);
            if (isCutTensor(t)) {
                checkWidth(t, tensor);
                copyColumns(tensor, run.subList(first, first + parts()), intoRun);
            } else {
                float[][] own = run.get(first);
                if (own == tensor) {
                    continue;
                }
                if (own.length != tensor.length) {
                    throw new IllegalArgumentException("tensor " + t + " has " + tensor.length + " rows, the run's "
                            + own.length);
                }
                for (int r = 0; r < own.length; r++) {
                    if (intoRun) {
                        System.arraycopy(tensor[r], 0, own[r], 0, own[r].length);
                    } else {
                        System.arraycopy(own[r], 0, tensor[r], 0, own[r].length);
                    }
                }
            }
        }
    }

    private void copyColumns(float[][] whole, List<float[][]> parts, boolean intoParts) {
        for (int p = 0; p < parts.size(); p++) {
            float[][] part = parts.get(p);
            int from = bounds[p];
            int width = bounds[p + 1] - from;
            if (part.length != whole.length) {
                throw new IllegalArgumentException("part " + p + " has " + part.length + " rows, the tensor " + whole.length);
            }
            for (int r = 0; r < whole.length; r++) {
                if (intoParts) {
                    System.arraycopy(whole[r], from, part[r], 0, width);
                } else {
                    System.arraycopy(part[r], 0, whole[r], from, width);
                }
            }
        }
    }

    private boolean isCutTensor(int network) {
        return isCut() && (network == kernel || bias && network == kernel + 1);
    }

    private int firstRunIndex(int network) {
        if (!isCut() || network <= kernel) {
            return network;
        }
        int extra = parts() - 1;
        if (bias && network == kernel + 1) {
            return network + extra;
        }
        return network + extra * (bias ? 2 : 1);
    }

    private void checkWidth(int t, float[][] tensor) {
        int units = bounds[parts()];
        for (float[] row : tensor) {
            if (row.length != units) {
                throw new IllegalArgumentException("tensor " + t + " has rows of " + row.length + " values, the cut "
                        + units + " units");
            }
        }
    }

    private void checkCount(int count) {
        if (count != networkCount) {
            throw new IllegalArgumentException("expected " + networkCount + " tensors in the network's order, got " + count);
        }
    }

    private void checkRunCount(int count) {
        if (count != runCount()) {
            throw new IllegalArgumentException("expected " + runCount() + " tensors in the run's order, got " + count);
        }
    }
}
