package dev.nncore;

import dev.nncore.internal.Checks;
import dev.nncore.internal.Labels;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Keras loss function, with Keras 3's formulas ({@code keras/src/losses/losses.py} and, for the cross-entropies,
 * {@code keras/src/backend/tensorflow/nn.py}), its value and its gradient: a value that may carry parameters
 * ({@code Loss.categoricalCrossentropy(true, 0.1)}, {@code Loss.huber(2.0)}), as {@link Activation} does.
 *
 * <p>{@code predicted} and {@code target} are {@code [batch][outputs]} matrices of the same shape, except for
 * {@link #SPARSE_CATEGORICAL_CROSSENTROPY}, whose target is {@code [batch][1]}: one integer class index per row.
 * The loss is the mean over the batch of a per-sample loss (Keras's {@code "sum_over_batch_size"}):
 * <ul>
 *   <li>{@link #MEAN_SQUARED_ERROR}, {@link #MEAN_ABSOLUTE_ERROR}: mean over the outputs of {@code (p - t)^2},
 *       {@code |p - t|};
 *   <li>{@link #BINARY_CROSSENTROPY}: mean over the outputs of {@code -(t log p + (1 - t) log(1 - p))}, with
 *       {@code p} clipped to {@code [1e-7, 1 - 1e-7]} (float32 bounds, inclusive) as Keras does;
 *   <li>{@link #CATEGORICAL_CROSSENTROPY}: {@code -sum t log q}, where {@code q} is the prediction row divided by
 *       its sum and then clipped the same way; {@link #SPARSE_CATEGORICAL_CROSSENTROPY} the same against the label's
 *       one-hot row;
 *   <li>with {@code from_logits} the cross-entropies take the network's raw outputs z and compute
 *       {@code -sum t log_softmax(z)} and {@code max(z, 0) - z t + log(1 + exp(-|z|))}: no clipping, no overflow;
 *       {@code label_smoothing} s replaces t by {@code t (1 - s) + s / n} (categorical) or {@code t (1 - s) + s / 2}
 *       (binary) first;
 *   <li>{@link #huber(double)}, {@link #LOG_COSH}, {@link #KL_DIVERGENCE}, {@link #POISSON}, {@link #HINGE},
 *       {@link #SQUARED_HINGE}, {@link #CATEGORICAL_HINGE}, {@link #MEAN_ABSOLUTE_PERCENTAGE_ERROR},
 *       {@link #MEAN_SQUARED_LOGARITHMIC_ERROR}, {@link #COSINE_SIMILARITY}, {@link #binaryFocalCrossentropy}: as
 *       {@code keras/src/losses/losses.py} defines them (each formula is in {@code LossFormulas}' comments).
 * </ul>
 * {@link #gradient(Matrix, Matrix)} is the exact derivative of {@link #value(Matrix, Matrix)} with respect to
 * {@code predicted}: zero where clipping flattened the loss, zero for {@code |x|} at 0 (as Keras and PyTorch
 * take it). Values are accumulated in double precision. NaN in either matrix gives NaN, it never throws.
 * PyTorch differs in places: its {@code binary_cross_entropy} clamps the logarithm at -100 instead of clipping
 * p, its {@code kl_div} takes log-probabilities, its {@code cosine_similarity} floors each norm at 1e-8.
 *
 * <pre>{@code
 * Loss mse = Loss.fromKerasName("mse");                          // Loss.MEAN_SQUARED_ERROR
 * Matrix predicted = Matrix.of(new float[][] {{0.5f, 1}, {2, 2}});
 * Matrix target = Matrix.of(new float[][] {{0, 1}, {2, 3}});
 * double loss = mse.value(predicted, target);                    // (0.25 / 2 + 1 / 2) / 2 = 0.3125
 * Matrix dLoss = mse.gradient(predicted, target);                // 2 (p - t) / 4: [[0.25, 0.0], [0.0, -0.5]]
 * }</pre>
 *
 * <p>Immutable and thread-safe; equal when the formula and its parameters are.
 *
 * @since 0.1.0
 */
public final class Loss {

    /** Keras {@code mean_squared_error} ({@code mse}, {@code MeanSquaredError}). */
    public static final Loss MEAN_SQUARED_ERROR = new Loss(new LossFormulas.MeanSquaredError(), "MeanSquaredError", "mse");
    /** Keras {@code mean_absolute_error} ({@code mae}, {@code MeanAbsoluteError}). */
    public static final Loss MEAN_ABSOLUTE_ERROR = new Loss(new LossFormulas.MeanAbsoluteError(), "MeanAbsoluteError", "mae");
    /** Keras {@code binary_crossentropy} ({@code bce}, {@code BinaryCrossentropy}), on probabilities. */
    public static final Loss BINARY_CROSSENTROPY = new Loss(new LossFormulas.BinaryCrossentropy(false, 0),
            "BinaryCrossentropy", "bce");
    /** Keras {@code categorical_crossentropy} ({@code cce}, {@code CategoricalCrossentropy}), on probabilities. */
    public static final Loss CATEGORICAL_CROSSENTROPY = new Loss(new LossFormulas.CategoricalCrossentropy(false, 0),
            "CategoricalCrossentropy", "cce");
    /** Keras {@code sparse_categorical_crossentropy}: probabilities against integer labels, one target column. */
    public static final Loss SPARSE_CATEGORICAL_CROSSENTROPY = new Loss(new LossFormulas.SparseCategoricalCrossentropy(false),
            "SparseCategoricalCrossentropy", "scce");
    /** Keras {@code huber} with {@code delta = 1}. */
    public static final Loss HUBER = new Loss(new LossFormulas.Huber(1.0), "Huber", "huber_loss");
    /** Keras {@code log_cosh}: {@code mean(log(cosh(p - t)))}. */
    public static final Loss LOG_COSH = new Loss(new LossFormulas.LogCosh(), "LogCosh", "logcosh");
    /** Keras {@code kl_divergence}: {@code sum(t log(t / p))}, both clipped to {@code [1e-7, 1]}. */
    public static final Loss KL_DIVERGENCE = new Loss(new LossFormulas.KLDivergence(), "KLDivergence", "kld",
            "kullback_leibler_divergence");
    /** Keras {@code poisson}: {@code mean(p - t log(p + 1e-7))}. */
    public static final Loss POISSON = new Loss(new LossFormulas.Poisson(), "Poisson");
    /** Keras {@code hinge}: {@code mean(max(1 - t p, 0))}, 0/1 targets read as -1/1. */
    public static final Loss HINGE = new Loss(new LossFormulas.Hinge(false), "Hinge");
    /** Keras {@code squared_hinge}: {@code mean(max(1 - t p, 0)^2)}, 0/1 targets read as -1/1. */
    public static final Loss SQUARED_HINGE = new Loss(new LossFormulas.Hinge(true), "SquaredHinge");
    /** Keras {@code categorical_hinge}: {@code max(max((1 - t) p) - sum(t p) + 1, 0)}. */
    public static final Loss CATEGORICAL_HINGE = new Loss(new LossFormulas.CategoricalHinge(), "CategoricalHinge");
    /** Keras {@code mean_absolute_percentage_error} ({@code mape}): {@code 100 mean(|t - p| / max(|t|, 1e-7))}. */
    public static final Loss MEAN_ABSOLUTE_PERCENTAGE_ERROR = new Loss(new LossFormulas.MeanAbsolutePercentageError(),
            "MeanAbsolutePercentageError", "mape");
    /** Keras {@code mean_squared_logarithmic_error} ({@code msle}). */
    public static final Loss MEAN_SQUARED_LOGARITHMIC_ERROR = new Loss(new LossFormulas.MeanSquaredLogarithmicError(),
            "MeanSquaredLogarithmicError", "msle");
    /** Keras {@code cosine_similarity}: {@code -sum(normalize(t) normalize(p))}. */
    public static final Loss COSINE_SIMILARITY = new Loss(new LossFormulas.CosineSimilarity(), "CosineSimilarity");
    /** Keras {@code binary_focal_crossentropy} with its defaults: gamma 2, no class balancing, on probabilities. */
    public static final Loss BINARY_FOCAL_CROSSENTROPY = new Loss(
            new LossFormulas.BinaryFocalCrossentropy(false, 0.25, 2.0, false, 0), "BinaryFocalCrossentropy");

    private static final Loss[] BUILT_IN = {MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR, BINARY_CROSSENTROPY,
        CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY, HUBER, LOG_COSH, KL_DIVERGENCE, POISSON, HINGE,
        SQUARED_HINGE, CATEGORICAL_HINGE, MEAN_ABSOLUTE_PERCENTAGE_ERROR, MEAN_SQUARED_LOGARITHMIC_ERROR,
        COSINE_SIMILARITY, BINARY_FOCAL_CROSSENTROPY};
    private static final Map<String, Loss> BY_NAME = new LinkedHashMap<>();

    static {
        for (Loss loss : BUILT_IN) {
            BY_NAME.put(loss.kerasName(), loss);
        }
        for (Loss loss : BUILT_IN) {
            for (String alias : loss.aliases) {
                BY_NAME.putIfAbsent(alias.toLowerCase(Locale.ROOT), loss);
            }
        }
    }

    private final LossFormula formula;
    private final List<String> aliases;

    private Loss(LossFormula formula, String... aliases) {
        this.formula = formula;
        this.aliases = List.of(aliases);
    }

    private Loss(LossFormula formula) {
        this(formula, new String[0]);
    }

    /**
     * Keras {@code BinaryCrossentropy(from_logits, label_smoothing)}.
     * <pre>{@code
     * Loss loss = Loss.binaryCrossentropy(true, 0.0);   // on a linear output: sigmoid(z) - t through the logits
     * }</pre>
     *
     * @param fromLogits whether the predictions are logits (any real number) rather than probabilities
     * @param labelSmoothing s in {@code [0, 1]}: targets become {@code t (1 - s) + s / 2}
     * @return the loss
     * @throws IllegalArgumentException if {@code labelSmoothing} is outside {@code [0, 1]}
     */
    public static Loss binaryCrossentropy(boolean fromLogits, double labelSmoothing) {
        Checks.inRange(labelSmoothing, 0, 1, "label_smoothing");
        return canonical(new Loss(new LossFormulas.BinaryCrossentropy(fromLogits, labelSmoothing)));
    }

    /**
     * Keras {@code CategoricalCrossentropy(from_logits, label_smoothing)}.
     * <pre>{@code
     * Loss loss = Loss.categoricalCrossentropy(true, 0.1);   // logits, one-hot targets smoothed by 0.1
     * }</pre>
     *
     * @param fromLogits whether the predictions are logits rather than probabilities
     * @param labelSmoothing s in {@code [0, 1]}: targets become {@code t (1 - s) + s / outputs}
     * @return the loss
     * @throws IllegalArgumentException if {@code labelSmoothing} is outside {@code [0, 1]}
     */
    public static Loss categoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
        Checks.inRange(labelSmoothing, 0, 1, "label_smoothing");
        return canonical(new Loss(new LossFormulas.CategoricalCrossentropy(fromLogits, labelSmoothing)));
    }

    /**
     * Keras {@code SparseCategoricalCrossentropy(from_logits)}: the target is one column of class indices.
     * <pre>{@code
     * Loss loss = Loss.sparseCategoricalCrossentropy(true);
     * double l = loss.value(Matrix.of(new float[][] {{0, 0}}), Matrix.column(1));   // log 2
     * }</pre>
     *
     * @param fromLogits whether the predictions are logits rather than probabilities
     * @return the loss
     */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return fromLogits ? new Loss(new LossFormulas.SparseCategoricalCrossentropy(true)) : SPARSE_CATEGORICAL_CROSSENTROPY;
    }

    /**
     * Keras {@code Huber(delta)}: quadratic for errors up to {@code delta}, linear beyond.
     * <pre>{@code
     * Loss loss = Loss.huber(2.0);
     * }</pre>
     *
     * @param delta where the loss turns from quadratic to linear; positive
     * @return the loss
     * @throws IllegalArgumentException if {@code delta} is not positive
     */
    public static Loss huber(double delta) {
        Checks.positive(delta, "delta");
        return canonical(new Loss(new LossFormulas.Huber(delta)));
    }

    /**
     * Keras {@code BinaryFocalCrossentropy(apply_class_balancing, alpha, gamma, from_logits, label_smoothing)}.
     * <pre>{@code
     * Loss loss = Loss.binaryFocalCrossentropy(true, 0.25, 2.0, false, 0.0);
     * }</pre>
     *
     * @param applyClassBalancing whether to weight positives by {@code alpha} and negatives by {@code 1 - alpha}
     * @param alpha the class-balancing weight in {@code [0, 1]} (Keras default 0.25)
     * @param gamma the focusing exponent, at least 0 (Keras default 2)
     * @param fromLogits whether the predictions are logits rather than probabilities
     * @param labelSmoothing s in {@code [0, 1]}: targets become {@code t (1 - s) + s / 2}
     * @return the loss
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public static Loss binaryFocalCrossentropy(boolean applyClassBalancing, double alpha, double gamma, boolean fromLogits,
            double labelSmoothing) {
        Checks.inRange(alpha, 0, 1, "alpha");
        Checks.inRange(gamma, 0, Double.MAX_VALUE, "gamma");
        Checks.inRange(labelSmoothing, 0, 1, "label_smoothing");
        return canonical(new Loss(new LossFormulas.BinaryFocalCrossentropy(applyClassBalancing, alpha, gamma, fromLogits,
                labelSmoothing)));
    }

    /** The built-in constant if {@code loss} equals one, so that {@code ==} on the defaults keeps working. */
    private static Loss canonical(Loss loss) {
        for (Loss builtIn : BUILT_IN) {
            if (builtIn.equals(loss)) {
                return builtIn;
            }
        }
        return loss;
    }

    /** @return the name Keras uses for this loss, e.g. {@code "mean_squared_error"} */
    public String kerasName() {
        return formula.kerasName();
    }

    /**
     * @return the parameters Keras's config gives this loss beside its name, e.g. {@code {from_logits=true,
     *     label_smoothing=0.0}}; empty for losses that have none
     */
    public Map<String, Object> parameters() {
        return formula.parameters();
    }

    /** @return whether the target is one column of integer class indices ({@code sparse_categorical_crossentropy}) */
    public boolean sparseTargets() {
        return formula.sparse();
    }

    /**
     * @param outputs the network's number of outputs
     * @return the number of target columns this loss expects: 1 for sparse targets, else {@code outputs}
     */
    public int targetColumns(int outputs) {
        return formula.sparse() ? 1 : outputs;
    }

    /**
     * Checks that this loss can be used on the network's outputs, before any training: cross-entropy on
     * probabilities, so a network trained or differentiated with {@link #CATEGORICAL_CROSSENTROPY},
     * {@link #SPARSE_CATEGORICAL_CROSSENTROPY}, {@link #BINARY_CROSSENTROPY} or {@link #BINARY_FOCAL_CROSSENTROPY}
     * must end in a layer whose {@link Layer#activation()} is softmax, sigmoid or hard sigmoid. On any other output
     * (a linear or ReLU last layer) the logarithm of a value that is not a probability gives NaN or infinite
     * gradients; such outputs need the {@code from_logits} form. The other losses fit every output.
     * <pre>{@code
     * Network logits = Network.builder(2).dense(3, Activation.LINEAR).seed(1).build();
     * Loss.categoricalCrossentropy(true, 0).checkOutputs(logits);   // fine: from_logits
     * Loss.CATEGORICAL_CROSSENTROPY.checkOutputs(logits);   // throws IllegalArgumentException: "... end the network with a softmax ..."
     * }</pre>
     *
     * @param network the network whose last layer is checked; not modified
     * @throws IllegalArgumentException if this is a cross-entropy on probabilities and the network's output is not
     *     a probability; the message names the last layer and the fixes
     * @since 0.1.0
     */
    public void checkOutputs(Network network) {
        for (String output : network.outputNames()) {
            checkOutputs(network, output);
        }
    }

    /**
     * As {@link #checkOutputs(Network)}, for one output of a graph network (where each output may have a loss of its
     * own).
     *
     * @param network the network; not modified
     * @param output the name of one of its outputs
     * @throws IllegalArgumentException if the network has no such output, or this cross-entropy loss does not suit it
     */
    public void checkOutputs(Network network, String output) {
        int index = network.outputNames().indexOf(output);
        if (index < 0) {
            throw new IllegalArgumentException("the network has no output \"" + output + "\"; its outputs are "
                    + network.outputNames());
        }
        if (!formula.needsProbabilities()) {
            return;
        }
        Layer last = network.outputLayer(index);
        Activation activation = last == null ? null : last.activation();
        String name = activation == null ? null : activation.kerasName();
        if ("softmax".equals(name) || "sigmoid".equals(name) || "hard_sigmoid".equals(name)) {
            return;
        }
        if (last == null) {
            throw new IllegalArgumentException(kerasName() + " needs probabilities, but output \"" + output
                    + "\" is an input of the network");
        }
        boolean binary = formula instanceof LossFormulas.BinaryCrossentropy || formula instanceof LossFormulas.BinaryFocalCrossentropy;
        String fix = binary
                ? "end the network with a sigmoid output, e.g. .dense(" + last.outputs() + ", Activation.SIGMOID)"
                : "end the network with a softmax output, e.g. .dense(" + last.outputs() + ", Activation.SOFTMAX)";
        String logits = formula instanceof LossFormulas.BinaryCrossentropy ? "Loss.binaryCrossentropy(true, 0)"
                : formula instanceof LossFormulas.CategoricalCrossentropy ? "Loss.categoricalCrossentropy(true, 0)"
                : formula instanceof LossFormulas.SparseCategoricalCrossentropy ? "Loss.sparseCategoricalCrossentropy(true)"
                : "Loss.binaryFocalCrossentropy(false, 0.25, 2, true, 0)";
        String which = network.outputNames().size() == 1 ? "the last layer" : "the output layer";
        throw new IllegalArgumentException(kerasName() + " needs probabilities, but " + which + " \"" + last.name() + "\" of "
                + network + " outputs " + (name == null ? "values that are not probabilities" : name + " values")
                + "; " + fix + ", or keep it and use from_logits=true (" + logits + ")"
                + ", or use a regression loss such as mean_squared_error");
    }

    /**
     * The loss Keras calls {@code name}, with Keras's default parameters: its function name
     * ({@code "binary_crossentropy"}), its short alias ({@code "bce"}, {@code "mse"}, {@code "mae"}, {@code "cce"},
     * {@code "mape"}, {@code "msle"}, {@code "kld"}) or its class name ({@code "BinaryCrossentropy"},
     * {@code "SparseCategoricalCrossentropy"}) as a Keras config names it; case is ignored.
     * <pre>{@code
     * Loss loss = Loss.fromKerasName("SparseCategoricalCrossentropy");   // Loss.SPARSE_CATEGORICAL_CROSSENTROPY
     * }</pre>
     *
     * @param name the Keras name
     * @return the loss
     * @throws IllegalArgumentException if no loss has that name; the message lists the names nn-core knows
     */
    public static Loss fromKerasName(String name) {
        if (name != null) {
            Loss found = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
            if (found != null) {
                return found;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Loss loss : BUILT_IN) {
            known.append(known.length() == 0 ? "" : ", ").append(loss.kerasName());
        }
        throw new IllegalArgumentException("Unknown loss '" + name + "'; nn-core knows " + known);
    }

    /**
     * The loss a Keras config describes, as {@code compile_config} or {@code training_config} stores it: a class or
     * function name ({@code "SparseCategoricalCrossentropy"}, {@code "huber"}) and its {@code config} dict, whose
     * entries {@code from_logits}, {@code label_smoothing}, {@code delta}, {@code apply_class_balancing},
     * {@code alpha} and {@code gamma} are read (missing ones take Keras's defaults); {@code reduction}, {@code name}
     * and {@code axis = -1} are accepted as nn-core computes them.
     * <pre>{@code
     * Loss loss = Loss.fromKeras("SparseCategoricalCrossentropy", Map.of("from_logits", true));
     * }</pre>
     *
     * @param className the Keras class or function name; case is ignored
     * @param config the parameters; may be empty or null
     * @return the loss
     * @throws IllegalArgumentException if the name is unknown, a parameter is malformed, or the config asks for what
     *     nn-core does not compute (a reduction other than {@code sum_over_batch_size}, another axis, ignore_class)
     */
    public static Loss fromKeras(String className, Map<String, ?> config) {
        Map<String, ?> c = config == null ? Map.of() : config;
        Object reduction = c.get("reduction");
        if (reduction != null && !reduction.equals("sum_over_batch_size") && !reduction.equals("auto")) {
            throw new IllegalArgumentException("loss reduction '" + reduction + "' is not supported; nn-core takes the mean"
                    + " over the batch (sum_over_batch_size)");
        }
        Object axis = c.get("axis");
        if (axis != null && !(axis instanceof Number n && n.intValue() == -1)) {
            throw new IllegalArgumentException("loss axis " + axis + " is not supported; nn-core computes losses over the last axis");
        }
        if (c.get("ignore_class") != null) {
            throw new IllegalArgumentException("ignore_class is not supported by nn-core's sparse_categorical_crossentropy");
        }
        Loss loss = fromKerasName(className);
        boolean logits = flag(c, "from_logits", false);
        double smoothing = number(c, "label_smoothing", 0);
        LossFormula formula = loss.formula;
        if (formula instanceof LossFormulas.BinaryFocalCrossentropy) {
            return binaryFocalCrossentropy(flag(c, "apply_class_balancing", false), number(c, "alpha", 0.25),
                    number(c, "gamma", 2.0), logits, smoothing);
        }
        if (formula instanceof LossFormulas.BinaryCrossentropy) {
            return binaryCrossentropy(logits, smoothing);
        }
        if (formula instanceof LossFormulas.CategoricalCrossentropy) {
            return categoricalCrossentropy(logits, smoothing);
        }
        if (formula instanceof LossFormulas.SparseCategoricalCrossentropy) {
            return sparseCategoricalCrossentropy(logits);
        }
        if (formula instanceof LossFormulas.Huber) {
            return huber(number(c, "delta", 1.0));
        }
        return loss;
    }

    private static double number(Map<String, ?> config, String key, double fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("loss parameter " + key + " must be a number, got " + value);
        }
        return number.doubleValue();
    }

    private static boolean flag(Map<String, ?> config, String key, boolean fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean bool)) {
            throw new IllegalArgumentException("loss parameter " + key + " must be true or false, got " + value);
        }
        return bool;
    }

    /**
     * @return the built-in losses with Keras's default parameters, in a fixed order; the parametrised ones come
     *     from the factories
     */
    public static Loss[] values() {
        return BUILT_IN.clone();
    }

    /**
     * The loss of each sample.
     *
     * @param predicted the network's outputs, one row per sample; not modified
     * @param target the expected outputs, same shape (one column of labels for sparse targets); not modified
     * @return one loss per row
     * @throws IllegalArgumentException if the shapes differ, or a sparse label is not a class index
     */
    public double[] perSample(Matrix predicted, Matrix target) {
        checkShapes(predicted, target);
        float[][] p = MatrixAccess.rows(predicted);
        float[][] t = MatrixAccess.rows(target);
        double[] losses = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            losses[i] = sampleLoss(p[i], t[i]);
        }
        return losses;
    }

    /**
     * The loss: the mean over the batch of {@link #perSample(Matrix, Matrix)}.
     *
     * @param predicted the network's outputs, one row per sample; not modified
     * @param target the expected outputs, same shape (one column of labels for sparse targets); not modified
     * @return the mean loss
     * @throws IllegalArgumentException if the shapes differ, or a sparse label is not a class index
     */
    public double value(Matrix predicted, Matrix target) {
        double sum = 0;
        for (double loss : perSample(predicted, target)) {
            sum += loss;
        }
        return sum / predicted.rows();
    }

    /**
     * The gradient of {@link #value(Matrix, Matrix)} with respect to {@code predicted}.
     *
     * @param predicted the network's outputs, one row per sample; not modified
     * @param target the expected outputs, same shape (one column of labels for sparse targets); not modified
     * @return {@code d value / d predicted}, the shape of {@code predicted}
     * @throws IllegalArgumentException if the shapes differ, or a sparse label is not a class index
     */
    public Matrix gradient(Matrix predicted, Matrix target) {
        checkShapes(predicted, target);
        float[][] p = MatrixAccess.rows(predicted);
        float[][] t = MatrixAccess.rows(target);
        float[][] out = new float[p.length][p[0].length];
        double scale = 1.0 / p.length;
        for (int i = 0; i < p.length; i++) {
            sampleGradient(p[i], t[i], scale, out[i]);
        }
        return MatrixAccess.wrap(out);
    }

    /**
     * One sample's loss in float64, the form finite differences use.
     * <pre>{@code
     * double l = Loss.MEAN_SQUARED_ERROR.sampleValue(new double[] {1, 2}, new float[] {1, 0});   // 2.0
     * }</pre>
     *
     * @param predicted one prediction row; not modified
     * @param target its target row; not modified
     * @return the loss of that sample
     */
    public double sampleValue(double[] predicted, float[] target) {
        return formula.value(predicted, target);
    }

    /** One sample's loss. */
    double sampleLoss(float[] predicted, float[] target) {
        return formula.value(predicted, target);
    }

    /** {@code scale} times the gradient of one sample's loss, written to {@code out}. */
    void sampleGradient(float[] predicted, float[] target, double scale, float[] out) {
        formula.gradient(predicted, target, scale, out);
    }

    /** The formula, for {@link OutputDelta}. */
    LossFormula formula() {
        return formula;
    }

    private void checkShapes(Matrix predicted, Matrix target) {
        if (predicted == null || target == null) {
            throw new IllegalArgumentException("loss needs predicted and target matrices, got "
                    + (predicted == null ? "null" : predicted.shape()) + " and " + (target == null ? "null" : target.shape()));
        }
        if (formula.sparse()) {
            if (predicted.rows() != target.rows() || target.cols() != 1) {
                throw new IllegalArgumentException("predicted is " + predicted.shape() + " but target is " + target.shape()
                        + "; " + kerasName() + " takes one target column of class indices, one row per sample");
            }
            Labels.check(target, predicted.cols(), "target");
            return;
        }
        if (predicted.rows() != target.rows() || predicted.cols() != target.cols()) {
            throw new IllegalArgumentException("predicted is " + predicted.shape() + " but target is " + target.shape()
                    + "; they must have the same shape (one row per sample, one column per output)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Loss other && formula.equals(other.formula);
    }

    @Override
    public int hashCode() {
        return formula.hashCode();
    }

    /** @return the Keras name and any parameters, e.g. {@code huber{delta=2.0}} */
    @Override
    public String toString() {
        Map<String, Object> parameters = parameters();
        return parameters.isEmpty() || isDefault() ? kerasName() : kerasName() + parameters;
    }

    private boolean isDefault() {
        for (Loss builtIn : BUILT_IN) {
            if (builtIn == this) {
                return true;
            }
        }
        return false;
    }
}
