package dev.nncore;

import dev.nncore.internal.Checks;
import dev.nncore.internal.DataChecks;
import dev.nncore.internal.Kernels;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Analytic backpropagation in float32 over a network's layers, on weight arrays the caller owns and updates in place
 * between batches: what {@code fit} runs on every batch, and what a hand-written training loop can run too. The
 * forward pass is the layers' own ({@link Layer.Pass}), so at inference it gives the bits of
 * {@link Network#forward(Matrix)}; the backward pass goes through the layers in reverse, each applying its own chain
 * rule.
 *
 * <pre>{@code
 * Network network = Network.builder(2).dense(2, Activation.TANH).dense(1, Activation.SIGMOID).seed(3).build();
 * List<float[][]> weights = new ArrayList<>();
 * for (Matrix w : network.getWeights()) {
 *     weights.add(w.toArray());
 * }
 * Backprop backprop = Backprop.of(network, Loss.BINARY_CROSSENTROPY, weights, new SplittableRandom(1));
 * float[][] x = {{0, 1}, {1, 1}};
 * float[][] y = {{1}, {0}};
 * double loss = backprop.forward(x, y, true);               // the mean batch loss
 * List<float[][]> gradients = backprop.newGradients();       // one array per trainable weight
 * backprop.backward(y, gradients);                           // dL/dw for each, e.g. to step: w -= 0.1 * g
 * }</pre>
 *
 * <p>Three output/loss pairs take a fused path, because the general one divides by a probability and multiplies it
 * back: softmax with categorical cross-entropy gives {@code dL/dz = (p * sum(t) / sum(p) - t) / N}, which is
 * {@code (p - t) / N} for one-hot targets; softmax with sparse categorical cross-entropy the same with the label's
 * one-hot row; sigmoid with binary cross-entropy gives {@code (p - t) / (N * M)}. Each is the exact derivative of
 * Keras's clipped loss wherever its clipping is inactive. Where it is active (a probability outside
 * {@code [1e-7, 1 - 1e-7]}) the loss is flat in that probability: binary cross-entropy then contributes 0, as
 * {@link Loss#gradient} says, and a clipped softmax row goes through the general chain rule. A {@code from_logits}
 * loss differentiates stably by itself. In a graph, an output that other layers also read takes the general path.
 *
 * <p>On several threads ({@code -Dnncore.threads}, default the processors) a large batch is cut by rows into one part
 * per thread, each part's forward and backward pass run on its own thread, and the parts' gradients summed in part
 * order: the outputs keep their bits, the loss and gradients may differ from one thread's in the last bits and are
 * reproducible for a given thread count (the README's Performance section says which batches are cut).
 *
 * <p>One instance per training run, reusing its buffers: a steady run allocates nothing. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class Backprop {

    /**
     * A batch whose forward and backward passes take at least this many multiply-adds (3 x rows x the Dense layers'
     * weights), with parts of at least {@link #MIN_PART_ROWS} rows and at most {@link #MAX_SPLIT_WEIGHTS} weights, is cut
     * by rows into one part per thread, each part's passes on its own thread, and the parts' gradients summed in part
     * order ({@code -Dnncore.sampleSplitThreshold} sets it).
     */
    static final long SPLIT_MULTIPLY_ADDS = Long.getLong("nncore.sampleSplitThreshold", 1L << 22);
    /**
     * Parts have at least this many rows: every part reads all weights and writes a whole set of gradients, which
     * fewer rows do not pay for. Measured on 2 cores (forward and backward, 784-128-10): batch 256 in 703 us against
     * 910 us for the products split by rows (1,207 us on one thread), batch 128 405 us against 492, but batch 64
     * 269 us against 268.
     */
    static final int MIN_PART_ROWS = 64;
    /**
     * Nor is a network cut whose weights are more than this many floats (2 MiB, half a core's L2 cache here): each core
     * then streams them all from memory. 784-512-10 (402k) on batch 256: 2,457 us cut against 3,192 us; 784-2048-10
     * (1.6M): 13,318 us cut against 12,054 us, where the products' own split by columns and rows wins.
     */
    static final long MAX_SPLIT_WEIGHTS = 1L << 19;

    private final Graph graph;
    private final List<Layer> layers;
    /** Per node: its training pass, and its layer's position in {@link #layers}. */
    private final Layer.Pass[] passes;
    private final int[] nodeLayer;
    private final List<float[][]> weights;
    private final int[] gradientStart;
    private final int[] gradientCount;
    private final int trainableCount;
    /** Per output: its loss, weight in the total, and whether it takes a fused path. */
    private final Loss[] losses;
    private final double[] lossWeights;
    private final OutputDelta[] outputDeltas;
    /** Per node: its layer's {@code activity_regularizer}, or null; all null for {@link Network#gradients}. */
    private Regularizer[] activity;
    /** Per node: its outputs, its merged input and its merged input's gradient; per slot, dL/d(its values). */
    private final Scratch nodeOutputs;
    private final Scratch slotGradients;
    private final Scratch merged;
    private final Scratch extra;

    private final float[][][] values;
    private final float[][][] nodeInputs;
    private final boolean[] written;
    /** Per node: its output's delta came fused with its activation (softmax with cross-entropy); reset every backward. */
    private final boolean[] fusedNode;
    private final boolean[] layerSeen;
    /** Whether this run computes a part of another's batch (never cut again). */
    private final boolean isPart;
    private final List<List<float[][]>> sharedGradients;
    private float[][][] targets;
    private float[] sampleWeights;
    private int rows;
    private float[][] concatenatedOutputs;
    private List<float[][]> viewedGradients;
    private List<List<float[][]>> gradientViews;

    /** The rows the loss is a mean over: {@link #rows}, or for a part the whole batch's. */
    private int scaleRows;
    /** What a part needs to be made: the arguments of this run. */
    private final Network network;
    private final List<Loss> lossList;
    private final RandomGenerator random;
    /** Multiply-adds per sample of a forward pass; 0 when the batch must not be split. */
    private final long multiplyAddsPerRow;
    /** For a whole batch cut into parts (see {@link #SPLIT_MULTIPLY_ADDS}); null until the first such batch. */
    private SampleSplit split;
    /** The parts of the last forward pass, or 0 if it was not split. */
    private int splitParts;
    /** The most parts a batch is cut into: the threads (tests set it). */
    int splitThreads = Kernels.threads();
    /** False runs the parts one after another on the calling thread (tests compare). */
    boolean splitInParallel = true;

    /** The layer whose units are cut between threads (its weights in the run's layout, one tensor per part), or -1. */
    private final int cutLayer;
    private final int[] cutBounds;
    /** The cut layer and the next one's passes, or null. */
    private final UnitPair unitPair;

    private Backprop(Network network, List<Loss> losses, double[] lossWeights, List<float[][]> weights,
            RandomGenerator random, Backprop whole) {
        this(network, losses, lossWeights, weights, random, whole, -1, null);
    }

    private Backprop(Network network, List<Loss> losses, double[] lossWeights, List<float[][]> weights,
            RandomGenerator random, Backprop whole, int cutLayer, int[] cutBounds) {
        this.cutLayer = cutLayer;
        this.cutBounds = cutBounds;
        this.network = network;
        this.isPart = whole != null;
        this.lossList = losses;
        this.random = random;
        this.graph = network.graph();
        this.layers = network.layers();
        this.weights = weights;
        int count = layers.size();
        gradientStart = new int[count];
        gradientCount = new int[count];
        Map<Layer, Integer> position = new IdentityHashMap<>();
        List<List<float[][]>> layerWeights = new ArrayList<>(count);
        int offset = 0;
        int trainable = 0;
        for (int l = 0; l < count; l++) {
            Layer layer = layers.get(l);
            position.put(layer, l);
            int copies = l == cutLayer ? cutBounds.length - 1 : 1; // a cut layer's tensors come one per part
            int size = layer.weightNames().size() * copies;
            if (offset + size > weights.size()) {
                throw new IllegalArgumentException("expected at least " + (offset + size) + " weight arrays for " + network
                        + ", got " + weights.size());
            }
            layerWeights.add(weights.subList(offset, offset + size));
            gradientStart[l] = trainable;
            for (int i = 0; i < size; i++) {
                trainable += layer.isTrainable(i / copies) ? 1 : 0;
            }
            gradientCount[l] = trainable - gradientStart[l];
            offset += size;
        }
        if (offset != weights.size()) {
            throw new IllegalArgumentException("expected " + offset + " weight arrays for " + network + ", got " + weights.size());
        }
        trainableCount = trainable;
        int nodes = graph.nodeCount();
        passes = new Layer.Pass[nodes];
        nodeLayer = new int[nodes];
        UnitPair pair = null;
        if (cutLayer >= 0) {
            Dense first = (Dense) layers.get(cutLayer);
            Dense second = (Dense) layers.get(cutLayer + 1);
            pair = new UnitPair(layerWeights.get(cutLayer), first.activation(), layerWeights.get(cutLayer + 1),
                    second.activation(), cutBounds);
        }
        unitPair = pair;
        for (int n = 0; n < nodes; n++) {
            nodeLayer[n] = position.get(graph.layers[n]);
            if (pair != null && (nodeLayer[n] == cutLayer || nodeLayer[n] == cutLayer + 1)) {
                passes[n] = nodeLayer[n] == cutLayer ? pair.first() : pair.second();
                continue;
            }
            passes[n] = graph.layers[n].pass(layerWeights.get(nodeLayer[n]), random);
            boolean readsData = true;
            for (int source : graph.sources[n]) {
                readsData &= source < graph.inputCount();
            }
            if (readsData && whole == null) {
                passes[n].readsData(); // a part of a batch cut by samples already has its thread
            }
        }
        int outputs = graph.outputs.length;
        this.losses = losses.toArray(Loss[]::new);
        this.lossWeights = lossWeights.clone();
        activity = new Regularizer[nodes];
        for (int n = 0; n < nodes; n++) {
            activity[n] = graph.layers[n] instanceof Dense dense ? dense.activityRegularizer().orElse(null) : null;
        }
        outputDeltas = new OutputDelta[outputs];
        for (int k = 0; k < outputs; k++) {
            int slot = graph.outputs[k];
            // an output that other layers read too, an input, or an output with an activity penalty (a gradient with
            // respect to the activation's output) takes the general chain rule, never a fused path
            boolean fusable = slot >= graph.inputCount() && graph.readers[slot] == 1
                    && activity[slot - graph.inputCount()] == null;
            Activation last = fusable ? graph.layers[slot - graph.inputCount()].activation() : null;
            outputDeltas[k] = OutputDelta.of(this.losses[k], last);
        }
        if (whole == null) {
            nodeOutputs = new Scratch(nodes);
            slotGradients = new Scratch(graph.widths.length);
            merged = new Scratch(2 * nodes);
            extra = new Scratch(graph.widths.length + 2 * outputs);
        } else {
            nodeOutputs = whole.nodeOutputs.part();
            slotGradients = whole.slotGradients.part();
            merged = whole.merged.part();
            extra = whole.extra.part();
            activity = whole.activity;
        }
        multiplyAddsPerRow = whole == null && cutLayer < 0 ? splittableWork() : 0; // a cut run is never cut by samples
        values = new float[graph.widths.length][][];
        nodeInputs = new float[nodes][][];
        written = new boolean[graph.widths.length];
        fusedNode = new boolean[graph.nodeCount()];
        layerSeen = new boolean[count];
        sharedGradients = new ArrayList<>(java.util.Collections.nCopies(count, (List<float[][]>) null));
    }

    /**
     * A backprop run over {@code network}'s architecture (its layers; their own weights are not used). A network of
     * several outputs applies {@code loss} to each, with weight 1, as Keras does for one loss.
     *
     * @param network the architecture
     * @param loss the loss whose batch mean is differentiated
     * @param weights every layer's weights as arrays in {@link Network#getWeights()} order ({@code [1][n]} for 1-D
     *     weights); read at every pass, so updates between batches take effect; BatchNormalization writes its moving
     *     statistics here in training
     * @param random the source of Dropout masks and noise in training
     * @return the run
     * @throws IllegalArgumentException if the number of weight arrays does not fit the network
     */
    public static Backprop of(Network network, Loss loss, List<float[][]> weights, RandomGenerator random) {
        Checks.notNull(network, "network");
        Checks.notNull(loss, "loss");
        int outputs = network.outputNames().size();
        double[] ones = new double[outputs];
        java.util.Arrays.fill(ones, 1);
        return of(network, java.util.Collections.nCopies(outputs, loss), ones, weights, random);
    }

    /**
     * A backprop run over a network of several outputs, with a loss per output: the total is
     * {@code sum over outputs k of lossWeights[k] * mean loss k}, Keras's {@code compile(loss=[...], loss_weights=[...])}.
     *
     * <pre>{@code
     * // given: model, weights
     * Backprop two = Backprop.of(model, List.of(Loss.MEAN_SQUARED_ERROR, Loss.BINARY_CROSSENTROPY),
     *         new double[] {1.0, 0.2}, weights, new SplittableRandom(1));
     * float[][] x = {{1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6}};   // wide (5 values), then deep (6)
     * float[][] y = {{0.5f, 1}};                           // main, then aux
     * double total = two.forward(x, y, true);
     * }</pre>
     *
     * @param network the architecture
     * @param losses one loss per output, in {@link Network#outputNames()} order
     * @param lossWeights one finite weight per output
     * @param weights as for {@link #of(Network, Loss, List, RandomGenerator)}
     * @param random the source of Dropout masks and noise in training
     * @return the run
     * @throws IllegalArgumentException if a count does not fit the network
     */
    public static Backprop of(Network network, List<Loss> losses, double[] lossWeights, List<float[][]> weights,
            RandomGenerator random) {
        Checks.notNull(network, "network");
        Checks.notNull(losses, "losses");
        Checks.notNull(lossWeights, "lossWeights");
        Checks.notNull(weights, "weights");
        Checks.notNull(random, "random");
        int outputs = network.outputNames().size();
        if (losses.size() != outputs || lossWeights.length != outputs) {
            throw new IllegalArgumentException("expected a loss and a loss weight for each of " + outputs + " outputs "
                    + network.outputNames() + ", got " + losses.size() + " and " + lossWeights.length);
        }
        for (int k = 0; k < outputs; k++) {
            Checks.notNull(losses.get(k), "loss " + k);
            if (!Double.isFinite(lossWeights[k])) {
                throw new IllegalArgumentException("loss weight " + k + " must be finite, got " + lossWeights[k]);
            }
        }
        return new Backprop(network, losses, lossWeights, weights, random, null);
    }

    /**
     * For a run cut by units: what each part runs on its own thread once its gradients are computed, in every backward
     * pass from now on ({@link UnitPair#afterGradients}).
     *
     * @throws IllegalStateException if this run is not cut by units
     */
    void afterUnitGradients(Kernels.Parts hook) {
        if (unitPair == null) {
            throw new IllegalStateException("this run is not cut by units");
        }
        unitPair.afterGradients(hook);
    }

    /**
     * A training run whose Dense layer {@code layer} has its units cut between nn-core's threads ({@link UnitPair}): that
     * layer's kernel and bias come in {@code weights} as one tensor per part, kernels first, each the part's columns
     * ({@code dev.nncore.train.UnitLayout}), and so do their gradients. The layer must read the network's data, work
     * element by element, and feed only the next layer, a Dense one; both layers' weights must be trainable.
     *
     * @param bounds the first unit of each part, then the layer's unit count
     * @throws IllegalArgumentException if the network does not allow the cut there
     */
    static Backprop cutByUnits(Network network, Loss loss, List<float[][]> weights, RandomGenerator random, int layer,
            int[] bounds) {
        List<Layer> layers = network.layers();
        Graph graph = network.graph();
        boolean sequential = graph.inputCount() == 1 && graph.nodeCount() == layers.size() && graph.outputs.length == 1;
        for (int n = 0; sequential && n < graph.nodeCount(); n++) {
            sequential = graph.sources[n].length == 1 && graph.sources[n][0] == n && graph.layers[n] == layers.get(n);
        }
        if (!sequential || layer != 0 || layers.size() < 2 || !(layers.get(0) instanceof Dense first)
                || !(layers.get(1) instanceof Dense second)) {
            throw new IllegalArgumentException("only a Sequential network's first two layers, both Dense, are cut by units: "
                    + network);
        }
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < layers.get(l).weightNames().size(); i++) {
                if (!layers.get(l).isTrainable(i)) {
                    throw new IllegalArgumentException("a frozen weight cannot be cut by units: " + layers.get(l));
                }
            }
        }
        if (first.activityRegularizer().isPresent() || !UnitPair.isElementwise(first.activation())
                || bounds[bounds.length - 1] != first.units()) {
            throw new IllegalArgumentException("cannot cut " + first + " into " + java.util.Arrays.toString(bounds));
        }
        double[] ones = {1};
        return new Backprop(network, List.of(loss), ones, weights, random, null, layer, bounds.clone());
    }

    /**
     * {@link Network#gradients(Matrix, Matrix, Loss)} and its graph form: checks, then one forward and one backward pass
     * at inference; one loss applies to every output, and null weights are all 1.
     */
    static List<Matrix> gradients(Network network, Matrix x, Matrix y, List<Loss> losses, double[] lossWeights) {
        int outputs = network.outputNames().size();
        if (outputs == 1 && losses.size() == 1 && losses.get(0) != null) {
            DataChecks.checkShapes(network, x, y, "x", "y", losses.get(0)); // a sparse label is one column
        } else {
            DataChecks.checkShapes(network, x, y, "x", "y");
        }
        if (losses.size() == 1 && losses.get(0) != null && outputs > 1) {
            losses = java.util.Collections.nCopies(outputs, losses.get(0));
        }
        for (int k = 0; k < losses.size(); k++) {
            if (losses.get(k) == null) {
                throw new IllegalArgumentException("loss must not be null; pick one of Loss.values(), e.g. Loss.MEAN_SQUARED_ERROR");
            }
        }
        if (losses.size() != outputs) {
            throw new IllegalArgumentException("expected a loss for each of " + outputs + " outputs " + network.outputNames()
                    + ", got " + losses.size());
        }
        for (int k = 0; k < outputs; k++) {
            losses.get(k).checkOutputs(network, network.outputNames().get(k));
        }
        double[] weighting = lossWeights;
        if (weighting == null) {
            weighting = new double[outputs];
            java.util.Arrays.fill(weighting, 1);
        }
        List<float[][]> weights = network.weightArrays(); // read only at inference
        Backprop backprop = of(network, losses, weighting, weights, new SplittableRandom(0));
        backprop.activity = new Regularizer[backprop.activity.length]; // the loss alone, as tape.gradient(loss, ...)
        float[][] targets = MatrixAccess.rows(y);
        backprop.forward(MatrixAccess.rows(x), targets, false);
        List<float[][]> gradients = backprop.newGradients();
        backprop.backward(targets, gradients);
        List<Matrix> result = new ArrayList<>(gradients.size());
        for (float[][] gradient : gradients) {
            result.add(MatrixAccess.wrap(gradient));
        }
        return List.copyOf(result);
    }

    /** @return zeroed arrays shaped like the trainable weights, in order: what {@link #backward} fills */
    public List<float[][]> newGradients() {
        List<float[][]> gradients = new ArrayList<>(trainableCount);
        int offset = 0;
        for (Layer layer : layers) {
            for (int i = 0; i < layer.weightNames().size(); i++) {
                float[][] weight = weights.get(offset + i);
                if (layer.isTrainable(i)) {
                    gradients.add(new float[weight.length][weight[0].length]);
                }
            }
            offset += layer.weightNames().size();
        }
        return gradients;
    }

    /**
     * The forward pass, remembering what {@link #backward} needs.
     *
     * @param x input rows; for several inputs, each row holds them side by side in {@link Network#inputNames()} order;
     *     read only
     * @param y target rows, as many as {@code x}; for several outputs, side by side in {@link Network#outputNames()}
     *     order; read only
     * @param training as in {@code fit} (Dropout drops, BatchNormalization uses and records batch statistics), or as
     *     at inference (for validation)
     * @return the loss: the mean over the rows, accumulated in double as {@link Loss#value} does, summed over outputs
     *     with their weights
     */
    public double forward(float[][] x, float[][] y, boolean training) {
        return forward(x, y, null, training);
    }

    /**
     * The forward pass with a weight per sample, Keras's {@code sample_weight} (and {@code class_weight}, which Keras
     * turns into sample weights): each row's loss is multiplied by its weight and the sum divided by the number of
     * rows (Keras's {@code sum_over_batch_size} reduction), so weights of 1 give {@link #forward(float[][], float[][],
     * boolean)}. {@link #backward} then differentiates the same weighted loss.
     *
     * <pre>{@code
     * // given: backprop, gradients, rows, targets
     * double loss = backprop.forward(rows, targets, new float[] {1, 5, 1, 1}, true);   // the second sample counts five times
     * backprop.backward(targets, gradients);
     * }</pre>
     *
     * @param x input rows; read only
     * @param y target rows; read only
     * @param sampleWeights one finite weight of at least 0 per row, or null for all 1; read only, kept until the next
     *     forward
     * @param training as in {@code fit}, or as at inference
     * @return the weighted loss
     * @throws IllegalArgumentException if there is not one weight per row
     */
    public double forward(float[][] x, float[][] y, float[] sampleWeights, boolean training) {
        if (sampleWeights != null && sampleWeights.length != x.length) {
            throw new IllegalArgumentException("expected a sample weight for each of " + x.length + " rows, got "
                    + sampleWeights.length);
        }
        int parts = parts(x.length);
        if (parts > 1) {
            return forwardSplit(x, y, sampleWeights, training, parts);
        }
        splitParts = 0;
        this.sampleWeights = sampleWeights;
        rows = x.length;
        if (!isPart) {
            scaleRows = rows;
        }
        int inputCount = graph.inputCount();
        split(x);
        for (int n = 0; n < graph.nodeCount(); n++) {
            float[][] in = graph.sources[n].length == 1 ? values[graph.sources[n][0]] : gathered(n);
            float[][] out = nodeOutputs.get(n, rows, graph.widths[inputCount + n]);
            passes[n].forward(in, out, training);
            nodeInputs[n] = in;
            values[inputCount + n] = out;
        }
        targets = targets(y);
        double total = 0;
        for (int k = 0; k < losses.length; k++) {
            float[][] predicted = values[graph.outputs[k]];
            float[][] target = targets[k];
            double sum = 0;
            if (sampleWeights == null) {
                for (int i = 0; i < rows; i++) {
                    sum += losses[k].sampleLoss(predicted[i], target[i]);
                }
            } else {
                for (int i = 0; i < rows; i++) {
                    sum += sampleWeights[i] * losses[k].sampleLoss(predicted[i], target[i]);
                }
            }
            total += lossWeights[k] * (sum / scaleRows);
        }
        for (int n = 0; n < activity.length; n++) {
            if (activity[n] != null) {
                total += activity[n].penalty(values[inputCount + n]);
            }
        }
        return total;
    }

    /**
     * How many parts to cut a batch of {@code batchRows} into, one per thread: 0 for none, when there is one thread, the
     * batch is too small (see {@link #SPLIT_MULTIPLY_ADDS}), or a layer's training pass needs the whole batch
     * (BatchNormalization's statistics, an activity penalty).
     */
    private int parts(int batchRows) {
        if (multiplyAddsPerRow == 0 || 3L * batchRows * multiplyAddsPerRow < SPLIT_MULTIPLY_ADDS
                || batchRows < 2 * MIN_PART_ROWS || splitThreads < 2) {
            return 0;
        }
        for (Regularizer penalty : activity) {
            if (penalty != null) {
                return 0;
            }
        }
        int parts = Math.min(splitThreads, batchRows / MIN_PART_ROWS);
        return parts > 1 ? parts : 0;
    }

    private double forwardSplit(float[][] x, float[][] y, float[] sampleWeights, boolean training, int parts) {
        // checked here, where the row numbers are the batch's rather than a part's
        if (y.length != x.length) {
            throw new IllegalArgumentException("expected a target row for each of " + x.length + " input rows, got "
                    + y.length);
        }
        int width = 0;
        for (int i = 0; i < graph.inputCount(); i++) {
            width += graph.widths[i];
        }
        for (int r = 0; r < x.length; r++) {
            if (x[r].length != width) {
                throw new IllegalArgumentException("input row " + r + " has " + x[r].length + " values, but "
                        + network + " takes " + width);
            }
        }
        if (split == null || split.size() < parts) {
            Backprop[] made = new Backprop[parts];
            for (int p = 0; p < parts; p++) {
                made[p] = split != null && p < split.size() ? split.part(p)
                        : new Backprop(network, lossList, lossWeights, weights,
                                p == 0 ? random : new SplittableRandom(random.nextLong()), this);
            }
            split = new SampleSplit(made, splitInParallel);
        }
        double loss = split.forward(x, y, sampleWeights, training, parts);
        this.sampleWeights = sampleWeights;
        rows = x.length;
        scaleRows = rows;
        splitParts = parts;
        int inputCount = graph.inputCount();
        if (inputCount == 1) {
            values[0] = x;
        }
        for (int n = 0; n < graph.nodeCount(); n++) {
            values[inputCount + n] = nodeOutputs.get(n, rows, graph.widths[inputCount + n]); // the parts wrote its rows
        }
        return loss;
    }

    /** @return how many parts the last forward pass was cut into, 0 for none (tests) */
    int lastSplitParts() {
        return splitParts;
    }

    /** For a part: the next pass computes rows {@code from} on of a batch of {@code wholeRows}, its loss a mean over them all. */
    void place(int wholeRows, int from) {
        scaleRows = wholeRows;
        nodeOutputs.place(wholeRows, from);
        slotGradients.place(wholeRows, from);
        merged.place(wholeRows, from);
        extra.place(wholeRows, from);
    }

    /**
     * The layers' multiply-adds per sample of a forward pass ({@link Layer#multiplyAddsPerRow()}), or 0 if the batch
     * must not be cut into parts: a BatchNormalization layer (its training statistics are the whole batch's), or an
     * output that is an input.
     */
    private long splittableWork() {
        long work = 0;
        for (int n = 0; n < graph.nodeCount(); n++) {
            Layer layer = graph.layers[n];
            if (layer instanceof BatchNormalization) {
                return 0;
            }
            work += layer.multiplyAddsPerRow();
        }
        for (int slot : graph.outputs) {
            if (slot < graph.inputCount()) {
                return 0;
            }
        }
        long size = 0;
        for (float[][] weight : weights) {
            size += (long) weight.length * (weight.length == 0 ? 0 : weight[0].length);
        }
        return size > MAX_SPLIT_WEIGHTS ? 0 : work;
    }

    /** The inputs of side-by-side rows, one array per input slot: {@code x} itself for one input. */
    private void split(float[][] x) {
        int inputCount = graph.inputCount();
        if (inputCount == 1) {
            values[0] = x;
            return;
        }
        int offset = 0;
        for (int i = 0; i < inputCount; i++) {
            values[i] = columns(x, offset, graph.widths[i], i);
            offset += graph.widths[i];
        }
    }

    /** The targets of side-by-side rows, one array per output: {@code y} itself for one output. */
    private float[][][] targets(float[][] y) {
        int outputs = graph.outputs.length;
        float[][][] split = targets != null && targets.length == outputs ? targets : new float[outputs][][];
        if (outputs == 1) {
            split[0] = y;
            return split;
        }
        int offset = 0;
        for (int k = 0; k < outputs; k++) {
            int width = graph.widths[graph.outputs[k]];
            split[k] = columns(y, offset, width, graph.widths.length + k);
            offset += width;
        }
        return split;
    }

    /** Columns {@code [offset, offset + width)} of {@code rows}, copied into this run's scratch array {@code slot}. */
    private float[][] columns(float[][] rows, int offset, int width, int slot) {
        float[][] part = extra.get(slot, rows.length, width);
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], offset, part[r], 0, width);
        }
        return part;
    }

    private float[][] gathered(int n) {
        float[][] in = merged.get(n, rows, graph.layers[n].inputs());
        graph.gather(graph.sources[n], values, in);
        return in;
    }

    /**
     * @return the network's outputs from the last {@link #forward}: this run's own buffer, read only; several outputs
     *     side by side
     */
    public float[][] outputs() {
        if (graph.outputs.length == 1) {
            return values[graph.outputs[0]];
        }
        if (concatenatedOutputs == null || concatenatedOutputs.length != rows) {
            int width = 0;
            for (int slot : graph.outputs) {
                width += graph.widths[slot];
            }
            concatenatedOutputs = new float[rows][width];
        }
        int offset = 0;
        for (int slot : graph.outputs) {
            float[][] value = values[slot];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(value[r], 0, concatenatedOutputs[r], offset, value[r].length);
            }
            offset += graph.widths[slot];
        }
        return concatenatedOutputs;
    }

    /**
     * d(loss)/d(weight) for every trainable weight, at the weights and rows of the last {@link #forward}.
     *
     * @param y the targets passed to that forward; read only
     * @param gradients one array per trainable weight, shaped as {@link #newGradients()} makes them; overwritten
     */
    public void backward(float[][] y, List<float[][]> gradients) {
        if (splitParts > 1) {
            if (gradients.size() != trainableCount) {
                throw new IllegalArgumentException("expected " + trainableCount
                        + " gradient arrays (one per trainable weight), got " + gradients.size());
            }
            split.backward(y, gradients, splitParts);
            return;
        }
        List<List<float[][]>> views = views(gradients);
        int inputCount = graph.inputCount();
        java.util.Arrays.fill(written, false);
        java.util.Arrays.fill(layerSeen, false);
        float[][][] split = targets;
        if (graph.outputs.length == 1) {
            split[0] = y;
        }
        boolean[] fusedNode = this.fusedNode;
        java.util.Arrays.fill(fusedNode, false);
        for (int k = 0; k < losses.length; k++) {
            int slot = graph.outputs[k];
            if (slot < inputCount) {
                continue;
            }
            double scale = lossWeights[k] / scaleRows;
            float[][] predicted = values[slot];
            OutputDelta outputDelta = outputDeltas[k];
            boolean fused = outputDelta.fusedWithActivation();
            float[][] delta = written[slot] ? extra.get(graph.widths.length + losses.length + k, rows, graph.widths[slot])
                    : slotGradients.get(slot, rows, graph.widths[slot]);
            for (int i = 0; i < rows; i++) {
                double rowScale = sampleWeights == null ? scale : scale * sampleWeights[i];
                outputDelta.delta(predicted[i], split[k][i], rowScale, delta[i]);
            }
            accumulate(slot, delta);
            if (fused) {
                fusedNode[slot - inputCount] = true;
            }
        }
        for (int n = graph.nodeCount() - 1; n >= 0; n--) {
            int slot = inputCount + n;
            int[] from = graph.sources[n];
            float[][] inputGradient = inputGradient(n, from, inputCount);
            if (activity[n] != null) {
                float[][] own = slotGradients.get(slot, rows, graph.widths[slot]);
                if (!written[slot]) {
                    for (float[] row : own) {
                        java.util.Arrays.fill(row, 0f);
                    }
                    written[slot] = true;
                }
                activity[n].addGradient(values[slot], 1.0, own); // Keras 3: the penalty of the batch's outputs
            }
            if (!written[slot]) {
                continue; // nothing the loss depends on reads this node
            }
            int layer = nodeLayer[n];
            List<float[][]> layerGradients = views.get(layer);
            boolean shared = layerSeen[layer];
            if (shared) {
                layerGradients = sharedGradients(layer, layerGradients);
            }
            layerSeen[layer] = true;
            float[][] outputGradient = slotGradients.get(slot, rows, graph.widths[slot]);
            if (fusedNode[n]) {
                passes[n].backwardFromPreActivation(nodeInputs[n], outputGradient, inputGradient, layerGradients);
            } else {
                passes[n].backward(nodeInputs[n], values[slot], outputGradient, inputGradient, layerGradients);
            }
            if (shared) {
                add(layerGradients, views.get(layer));
            }
            if (inputGradient != null) {
                scatter(n, from, inputCount, inputGradient);
            }
        }
        for (int layer = 0; layer < layerSeen.length; layer++) {
            if (!layerSeen[layer]) {
                for (float[][] gradient : views.get(layer)) {
                    for (float[] row : gradient) {
                        java.util.Arrays.fill(row, 0f);
                    }
                }
            }
        }
    }

    /**
     * Where node {@code n} writes dL/d(its input): straight into its source's gradient when it is the first reader to
     * write there, else a buffer of its own that {@link #scatter} adds or splits; null when its only source is an
     * input.
     */
    private float[][] inputGradient(int n, int[] from, int inputCount) {
        if (from.length > 1) {
            return merged.get(graph.nodeCount() + n, rows, graph.layers[n].inputs());
        }
        int source = from[0];
        if (source < inputCount) {
            return null;
        }
        if (!written[source]) {
            return slotGradients.get(source, rows, graph.widths[source]);
        }
        return extra.get(source, rows, graph.widths[source]);
    }

    private void scatter(int n, int[] from, int inputCount, float[][] inputGradient) {
        if (from.length == 1) {
            int source = from[0];
            if (!written[source]) {
                written[source] = true; // written in place by the layer
            } else {
                addInto(slotGradients.get(source, rows, graph.widths[source]), inputGradient, 0);
            }
            return;
        }
        int offset = 0;
        for (int source : from) {
            int width = graph.widths[source];
            if (source >= inputCount) {
                float[][] target = slotGradients.get(source, rows, width);
                if (!written[source]) {
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(inputGradient[r], offset, target[r], 0, width);
                    }
                    written[source] = true;
                } else {
                    addInto(target, inputGradient, offset);
                }
            }
            offset += width;
        }
    }

    /** Records {@code delta} as (part of) dL/d(slot): in place if first, else added. */
    private void accumulate(int slot, float[][] delta) {
        float[][] target = slotGradients.get(slot, rows, graph.widths[slot]);
        if (delta != target) {
            addInto(target, delta, 0);
        }
        written[slot] = true;
    }

    private static void addInto(float[][] target, float[][] source, int offset) {
        for (int r = 0; r < target.length; r++) {
            float[] to = target[r];
            float[] from = source[r];
            for (int j = 0; j < to.length; j++) {
                to[j] += from[offset + j];
            }
        }
    }

    private List<float[][]> sharedGradients(int layer, List<float[][]> shapes) {
        if (sharedGradients.get(layer) == null) {
            List<float[][]> made = new ArrayList<>(shapes.size());
            for (float[][] shape : shapes) {
                made.add(new float[shape.length][shape[0].length]);
            }
            sharedGradients.set(layer, made);
        }
        return sharedGradients.get(layer);
    }

    private static void add(List<float[][]> from, List<float[][]> into) {
        for (int t = 0; t < from.size(); t++) {
            addInto(into.get(t), from.get(t), 0);
        }
    }

    /** Each layer's part of {@code gradients}, made once per list so that a steady run allocates nothing. */
    private List<List<float[][]>> views(List<float[][]> gradients) {
        if (gradients != viewedGradients) {
            if (gradients.size() != trainableCount) {
                throw new IllegalArgumentException("expected " + trainableCount + " gradient arrays (one per trainable weight), got "
                        + gradients.size());
            }
            List<List<float[][]>> views = new ArrayList<>(layers.size());
            for (int l = 0; l < layers.size(); l++) {
                views.add(gradients.subList(gradientStart[l], gradientStart[l] + gradientCount[l]));
            }
            gradientViews = views;
            viewedGradients = gradients;
        }
        return gradientViews;
    }
}
