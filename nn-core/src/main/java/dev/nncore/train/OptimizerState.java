package dev.nncore.train;

import dev.nncore.internal.Checks;
import dev.nncore.internal.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer's state at the end of a fit, so that a later fit can go on from it as Keras's second
 * {@code model.fit} (or a model loaded with {@code compile=True}) does: the step count ({@code iterations}, which
 * drives Adam's bias correction and every schedule), the learning rate as last set (a {@link ReduceLROnPlateau} may
 * have lowered it), every slot (Adam's moments, a momentum, RMSprop's averages) and, with EMA, the moving averages.
 *
 * <pre>{@code
 * Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(3).build();
 * Matrix x = Matrix.column(1, 2, 3, 4);
 * Matrix y = Matrix.column(2, 4, 6, 8);
 * TrainingResult first = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.01))
 *         .epochs(5).seed(3).build().fit(start, x, y);
 * OptimizerState state = first.optimizerState();
 * long steps = state.iterations();                     // 5
 * TrainingResult more = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.01))
 *         .epochs(10).initialEpoch(5).seed(3).optimizerState(state).build()
 *         .fit(first.network(), x, y);                  // the same weights as one fit of 10 epochs
 * }</pre>
 *
 * <p>The slots are in nn-core's order: each slot kind for every trainable weight in turn (all first moments, then all
 * second moments), then the EMA averages; {@link #kerasVariables} and {@link #fromKerasVariables} convert to and from
 * the order Keras 3 keeps them in a {@code .keras} file's {@code optimizer/vars}. Immutable: arrays are copied on the
 * way in and out; thread-safe.
 *
 * @since 0.2.0
 */
public final class OptimizerState {

    private final String optimizer;
    private final long iterations;
    private final double learningRate;
    private final int trainableWeights;
    private final List<float[][]> slots;
    private final double[] scalars;

    private OptimizerState(String optimizer, long iterations, double learningRate, int trainableWeights,
            List<float[][]> slots, double[] scalars) {
        this.optimizer = optimizer;
        this.iterations = iterations;
        this.learningRate = learningRate;
        this.trainableWeights = trainableWeights;
        this.slots = deepCopy(slots);
        this.scalars = scalars.clone();
    }

    /**
     * The state of a run, copied; its trainable tensors are in {@code layout}, and where that cuts by units every group
     * of slot variables (one per trainable tensor) is joined into the network's order.
     */
    static OptimizerState of(String optimizer, OptimizerRun run, UnitLayout layout) {
        return new OptimizerState(optimizer, run.iterations(), run.fixedRate(), layout.networkCount(),
                layout.isCut() ? layout.joinedGroups(run.variables()) : run.variables(), run.scalars());
    }

    /**
     * The state a fresh fit of {@code network} starts from: no steps, the optimizer's learning rate, every slot at its
     * initial value (zeros; Adagrad's initial accumulator), no EMA yet.
     * <pre>{@code
     * Network network = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
     * OptimizerState fresh = OptimizerState.initial(Optimizer.adam(), network);
     * int slots = fresh.variables().size();                 // 4
     * }</pre>
     *
     * @param optimizer the optimizer
     * @param network the network whose trainable weights it updates; not modified
     * @return the state
     */
    public static OptimizerState initial(Optimizer optimizer, dev.nncore.Network network) {
        Checks.notNull(optimizer, "optimizer");
        Checks.notNull(network, "network");
        List<float[][]> trainable = new ArrayList<>();
        List<Boolean> flags = network.trainable();
        List<dev.nncore.math.Matrix> weights = network.getWeights();
        for (int i = 0; i < weights.size(); i++) {
            if (flags.get(i)) {
                trainable.add(weights.get(i).toArray());
            }
        }
        return of(optimizer.kerasClassName(), optimizer.start(trainable), UnitLayout.uncut(trainable.size()));
    }

    /**
     * Builds a state from the variables Keras 3 keeps in a {@code .keras} file's {@code model.weights.h5} under
     * {@code optimizer/vars}, after its {@code iterations} and (without a schedule) {@code learning_rate}: with EMA the
     * averages of every trainable weight first, then the optimizer's slots in its {@code build} order, e.g. Adam's
     * momentum and velocity of each trainable weight in turn (keras/src/optimizers/adam.py,
     * keras/src/optimizers/base_optimizer.py); likewise Adadelta's accumulated gradient and delta, Adamax's momentum
     * and norm, Nadam's momentum and velocity, Ftrl's accumulator and linear, interleaved per weight; Adagrad's
     * accumulator and Lion's momentum, one per weight; SGD's momenta and RMSprop's velocities, momenta and average
     * gradients, each kind in a block.
     *
     * <pre>{@code
     * float[][] m = {{0.5f}};
     * float[][] v = {{0.25f}};
     * OptimizerState state = OptimizerState.fromKerasVariables(Optimizer.adam(), 1, 0.001, List.of(m, v), 1);
     * long steps = state.iterations();                 // 1
     * }</pre>
     *
     * <p>Nadam's {@code u_product} (the product of every step's momentum factor) is a scalar after the slots and the
     * averages; without it, it is computed from {@code iterations}. When the float32 in the file is that product
     * rounded, the product in double is kept, so a fit continued from a file nn-core wrote matches an uninterrupted one.
     * <pre>{@code
     * float[][] m = {{0.5f}};
     * float[][] v = {{0.25f}};
     * float[][] uProduct = {{0.5f}};
     * OptimizerState nadam = OptimizerState.fromKerasVariables(Optimizer.nadam(), 3, 0.001, List.of(m, v, uProduct), 1);
     * int slots = nadam.variables().size();            // 2
     * int kept = nadam.kerasVariables(Optimizer.nadam()).size();  // 3
     * }</pre>
     *
     * @param optimizer the compiled optimizer, as {@link Optimizer#fromKerasConfig} read it
     * @param iterations Keras's {@code iterations}, at least 0
     * @param learningRate the {@code learning_rate} variable (with a schedule, ignored)
     * @param kerasVariables the slots in Keras 3's order; copied
     * @param trainableWeights how many trainable weights the model has
     * @return the state
     * @throws IllegalArgumentException if the count of variables does not fit the optimizer and the weights, or the
     *     optimizer's Keras layout is not one nn-core maps (Adam, AdamW, SGD, RMSprop, Adagrad, Adadelta, Adamax,
     *     Nadam, Lion, Ftrl, with or without EMA)
     */
    public static OptimizerState fromKerasVariables(Optimizer optimizer, long iterations, double learningRate,
            List<float[][]> kerasVariables, int trainableWeights) {
        Checks.notNull(optimizer, "optimizer");
        Checks.notNull(kerasVariables, "kerasVariables");
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be at least 0, got " + iterations);
        }
        if (trainableWeights < 1) {
            throw new IllegalArgumentException("trainableWeights must be at least 1, got " + trainableWeights);
        }
        List<float[][]> variables = kerasVariables;
        double[] scalars = new double[0];
        if (isNadam(optimizer)) {
            // Keras's u_product, a scalar variable after the slots (keras/src/optimizers/nadam.py); a file without it
            // gets it from the step count, as the product of every step's u
            int withoutProduct = trainableWeights * (Double.isNaN(optimizer.emaMomentumValue()) ? 2 : 3);
            double product = nadamProduct(optimizer, iterations);
            if (variables.size() == withoutProduct + 1 && count(variables.get(withoutProduct)) == 1) {
                float saved = variables.get(withoutProduct)[0][0];
                // float32 in the file: the product in double when it rounds to it, so that a fit continued from the
                // file steps with the same double as the uninterrupted one
                if ((float) product != saved) {
                    product = saved;
                }
                variables = variables.subList(0, withoutProduct);
            }
            scalars = new double[] {product};
        }
        List<float[][]> ordered = reorder(optimizer, variables, trainableWeights, true);
        return new OptimizerState(optimizer.kerasClassName(), iterations, learningRate, trainableWeights, ordered,
                scalars);
    }

    private static boolean isNadam(Optimizer optimizer) {
        return optimizer.kerasClassName().equals("Nadam");
    }

    /** Nadam's u_product after {@code iterations} steps, multiplied in the order NadamRule does. */
    private static double nadamProduct(Optimizer optimizer, long iterations) {
        double beta1 = optimizer.kerasConfig().get("beta_1") instanceof Number n ? n.doubleValue() : 0.9;
        double product = 1;
        for (long step = 1; step <= iterations; step++) {
            product *= beta1 * (1 - 0.5 * Math.pow(0.96, step));
        }
        return product;
    }

    /**
     * @param optimizer the optimizer this state belongs to (its class must match)
     * @return the slots in Keras 3's order (see {@link #fromKerasVariables}), copies
     * @throws IllegalArgumentException if the optimizer is not this state's, or its Keras layout is not one nn-core
     *     maps
     */
    public List<float[][]> kerasVariables(Optimizer optimizer) {
        Checks.notNull(optimizer, "optimizer");
        checkOptimizer(optimizer);
        List<float[][]> out = reorder(optimizer, slots, trainableWeights, false);
        if (isNadam(optimizer)) {
            List<float[][]> withProduct = new ArrayList<>(out);
            withProduct.add(new float[][] {{(float) (scalars.length == 1 ? scalars[0]
                    : nadamProduct(optimizer, iterations))}});
            return List.copyOf(withProduct);
        }
        return out;
    }

    /** @return Keras's {@code iterations}: the updates made so far */
    public long iterations() {
        return iterations;
    }

    /** @return the fixed learning rate as last set (meaningless with a schedule, which follows {@link #iterations}) */
    public double learningRate() {
        return learningRate;
    }

    /** @return the optimizer's Keras class name, e.g. {@code "Adam"} */
    public String optimizerClassName() {
        return optimizer;
    }

    /** @return how many trainable weights the slots are for */
    public int trainableWeights() {
        return trainableWeights;
    }

    /** @return every slot in nn-core's order, copies */
    public List<float[][]> variables() {
        return deepCopy(slots);
    }

    void checkOptimizer(Optimizer other) {
        if (!other.kerasClassName().equals(optimizer)) {
            throw new IllegalArgumentException("this optimizer state is " + optimizer + "'s, not "
                    + other.kerasClassName() + "'s; give the optimizer it was made with");
        }
    }

    /** Puts this state into a fresh run of the same optimizer and weights. */
    void restoreInto(OptimizerRun run) {
        copySlots(run.variables());
        finishRestore(run);
    }

    /**
     * Puts this state into a fresh run whose trainable tensors are in {@code layout} (a cut by units): the slots are
     * checked and copied in the network's order, then each group of them (one slot per trainable tensor) is cut.
     */
    void restoreInto(OptimizerRun run, UnitLayout layout) {
        if (!layout.isCut()) {
            restoreInto(run);
            return;
        }
        List<float[][]> variables = run.variables();
        List<float[][]> joined = layout.joinedGroups(variables);
        copySlots(joined);
        layout.loadGroups(joined, variables);
        finishRestore(run);
    }

    private void copySlots(List<float[][]> target) {
        if (target.size() != slots.size()) {
            throw new IllegalArgumentException("this optimizer state has " + slots.size() + " slots, the fit needs "
                    + target.size() + " (" + optimizer + " for " + trainableWeights
                    + " trainable weights); it was made for another network or optimizer settings (amsgrad, momentum,"
                    + " centered, use_ema)");
        }
        for (int t = 0; t < slots.size(); t++) {
            float[][] from = slots.get(t);
            float[][] to = target.get(t);
            // compared by count and copied in row-major order: a slot read from a file may be flat ([1][n] for a
            // kernel of [a][b] with a * b = n), as Keras's shapes differ from nn-core's rows (a bias is 1-D)
            int fromCount = count(from);
            int toCount = count(to);
            if (fromCount != toCount) {
                throw new IllegalArgumentException("optimizer slot " + t + " has " + fromCount + " values, the fit's"
                        + " trainable weight " + (t % trainableWeights) + " needs " + toCount
                        + "; the state was made for another network");
            }
            int row = 0;
            int column = 0;
            for (float[] fromRow : from) {
                for (float value : fromRow) {
                    while (column == to[row].length) {
                        row++;
                        column = 0;
                    }
                    to[row][column++] = value;
                }
            }
        }
    }

    private void finishRestore(OptimizerRun run) {
        double[] targetScalars = run.scalars();
        if (targetScalars.length == scalars.length) {
            System.arraycopy(scalars, 0, targetScalars, 0, scalars.length);
        }
        run.restore(iterations, learningRate);
    }

    /**
     * Converts between nn-core's order (slot kinds in blocks of one slot per weight, EMA averages last) and Keras 3's
     * (EMA averages first; Adam's two moments interleaved per weight, its amsgrad maxima after them; the two slots of
     * Adadelta, Adamax, Nadam and Ftrl interleaved per weight; SGD's momentum and RMSprop's velocity, momentum and
     * average gradient in blocks; Adagrad's and Lion's one slot per weight). Nadam's {@code u_product} is handled by
     * the callers.
     */
    private static List<float[][]> reorder(Optimizer optimizer, List<float[][]> from, int n, boolean fromKeras) {
        String name = optimizer.kerasClassName();
        boolean ema = !Double.isNaN(optimizer.emaMomentumValue());
        int ruleSlots = from.size() - (ema ? n : 0);
        if (ruleSlots < 0 || ruleSlots % n != 0) {
            throw new IllegalArgumentException(name + (ema ? " with use_ema" : "") + " for " + n
                    + " trainable weights cannot have " + from.size() + " optimizer variables");
        }
        int kinds = ruleSlots / n;
        int interleaved; // slot kinds Keras adds per weight in turn (add_optimizer_variables with a list of names)
        int fewest;
        int most;
        switch (name) {
            case "Adam", "AdamW" -> {
                interleaved = 2; // momentum, velocity
                fewest = 2;
                most = 3;        // and velocity_hat with amsgrad, in a block after them
            }
            case "Adadelta", "Adamax", "Nadam", "Ftrl" -> {
                // accumulated_grad, accumulated_delta_var; momentum, norm; momentum, velocity; accumulator, linear
                interleaved = 2;
                fewest = 2;
                most = 2;
            }
            case "Adagrad", "Lion" -> {
                interleaved = 1; // accumulator; momentum
                fewest = 1;
                most = 1;
            }
            case "SGD" -> {
                interleaved = 1;
                fewest = 0;
                most = 1;    // momentum
            }
            case "RMSprop" -> {
                interleaved = 1; // velocity, momentum, average_gradient each in a block
                fewest = 1;
                most = 3;
            }
            default -> throw new IllegalArgumentException("the Keras 3 order of " + name + "'s optimizer variables is"
                    + " not mapped by nn-core (only Adam, AdamW, SGD, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion"
                    + " and Ftrl are); its configuration can be read, its slots cannot");
        }
        if (kinds < fewest || kinds > most) {
            throw new IllegalArgumentException(name + (ema ? " with use_ema" : "") + " for " + n
                    + " trainable weights cannot have " + from.size() + " optimizer variables");
        }
        List<float[][]> out = new ArrayList<>(from.size());
        int ruleStart = fromKeras && ema ? n : 0;
        if (!fromKeras && ema) {
            out.addAll(from.subList(ruleSlots, ruleSlots + n));
        }
        if (interleaved > 1) {
            int k = interleaved;
            List<float[][]> rule = from.subList(ruleStart, ruleStart + ruleSlots);
            for (int i = 0; i < k * n; i++) {
                // nn-core block index (kind * n + weight) <-> Keras interleaved index (weight * k + kind)
                out.add(fromKeras ? rule.get((i % n) * k + i / n) : rule.get((i % k) * n + i / k));
            }
            out.addAll(rule.subList(k * n, ruleSlots));
        } else {
            out.addAll(from.subList(ruleStart, ruleStart + ruleSlots));
        }
        if (fromKeras && ema) {
            out.addAll(from.subList(0, n));
        }
        return deepCopy(out);
    }

    private static int count(float[][] tensor) {
        int n = 0;
        for (float[] row : tensor) {
            n += row.length;
        }
        return n;
    }

    /**
     * @param optimizer the optimizer this state belongs to
     * @return for each of {@link #kerasVariables}, the index of the trainable weight it belongs to (a slot has that
     *     weight's shape), or -1 for a scalar of the optimizer's own (Nadam's {@code u_product})
     */
    public int[] kerasVariableWeights(Optimizer optimizer) {
        Checks.notNull(optimizer, "optimizer");
        checkOptimizer(optimizer);
        List<float[][]> markers = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            markers.add(new float[][] {{i % trainableWeights}});
        }
        List<float[][]> ordered = reorder(optimizer, markers, trainableWeights, false);
        int[] out = new int[ordered.size() + (isNadam(optimizer) ? 1 : 0)];
        for (int i = 0; i < ordered.size(); i++) {
            out[i] = (int) ordered.get(i)[0][0];
        }
        if (isNadam(optimizer)) {
            out[out.length - 1] = -1; // u_product, a scalar of no weight
        }
        return out;
    }

    private static List<float[][]> deepCopy(List<float[][]> tensors) {
        return List.copyOf(Tensors.copies(tensors));
    }

    /** @return e.g. {@code OptimizerState[Adam, iterations=40, learningRate=0.001, 4 slots]} */
    @Override
    public String toString() {
        return "OptimizerState[" + optimizer + ", iterations=" + iterations + ", learningRate=" + learningRate + ", "
                + slots.size() + " slots]";
    }
}
