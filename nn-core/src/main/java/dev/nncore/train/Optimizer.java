package dev.nncore.train;

import dev.nncore.internal.Checks;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a trainer turns gradients into weight updates: Keras 3's optimizers, with their names, defaults and exact
 * formulas, and the options Keras 3 gives every optimizer.
 *
 * <table class="striped">
 *   <caption>Update rules; each class's Keras source is {@code keras/src/optimizers/<name>.py}</caption>
 *   <tr><th>factory</th><th>Keras</th><th>defaults</th><th>where PyTorch differs</th></tr>
 *   <tr><td>{@link #sgd(double, double, boolean)}</td><td>{@code SGD}: {@code m = mu m - lr g; w += m}
 *       (Nesterov: {@code w += mu m - lr g})</td><td>lr 0.01, momentum 0</td>
 *       <td>keeps {@code -m / lr}: the same at a constant rate</td></tr>
 *   <tr><td>{@link #adam(double, double, double, double, boolean)}</td><td>{@code Adam}:
 *       {@code w -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps)}, amsgrad uses {@code max(v)}</td>
 *       <td>lr 0.001, b1 0.9, b2 0.999, eps 1e-7</td><td>epsilon after the bias correction (as TF.js)</td></tr>
 *   <tr><td>{@link #adamW(double)}</td><td>{@code AdamW}: Adam with {@code weight_decay} 0.004</td>
 *       <td>as Adam</td><td>as Adam</td></tr>
 *   <tr><td>{@link #rmsprop(double, double, double, double, boolean)}</td><td>{@code RMSprop}:
 *       {@code w -= lr g / sqrt(s + eps)}, optional momentum, centered</td><td>lr 0.001, rho 0.9, eps 1e-7</td>
 *       <td>epsilon outside the root</td></tr>
 *   <tr><td>{@link #adagrad(double, double, double)}</td><td>{@code Adagrad}: {@code w -= lr g / sqrt(a + eps)}</td>
 *       <td>lr 0.001, accumulators from 0.1, eps 1e-7</td><td>epsilon outside the root</td></tr>
 *   <tr><td>{@link #adadelta(double, double, double)}</td><td>{@code Adadelta}</td><td>lr 0.001, rho 0.95,
 *       eps 1e-7</td><td>the same</td></tr>
 *   <tr><td>{@link #adamax(double, double, double, double)}</td><td>{@code Adamax}</td><td>lr 0.001, b1 0.9,
 *       b2 0.999, eps 1e-7</td><td>epsilon inside the max</td></tr>
 *   <tr><td>{@link #nadam(double, double, double, double)}</td><td>{@code Nadam}</td><td>lr 0.001, b1 0.9,
 *       b2 0.999, eps 1e-7</td><td>{@code momentum_decay} 0.004 where Keras 3 has 1</td></tr>
 *   <tr><td>{@link #lion(double, double, double)}</td><td>{@code Lion}</td><td>lr 0.001, b1 0.9, b2 0.99</td>
 *       <td>none in PyTorch</td></tr>
 *   <tr><td>{@link #ftrl(double, double, double, double, double, double, double)}</td><td>{@code Ftrl}</td>
 *       <td>lr 0.001, power -0.5, accumulators from 0.1</td><td>none in PyTorch</td></tr>
 * </table>
 *
 * <p>TensorFlow.js: its Adam adds epsilon after the bias correction, as PyTorch does; its SGD with momentum
 * ({@code tf.train.momentum}) keeps PyTorch's accumulator form, the same at a constant rate; its RMSprop, Adagrad,
 * Adadelta and Adamax put epsilon where Keras does; it has no AdamW, Nadam, Lion or Ftrl. Keras accepts an SGD
 * momentum of exactly 1; nn-core keeps its earlier range {@code [0, 1)}.
 *
 * <p>Every optimizer also takes Keras 3's shared options, each off by default and free when off:
 * {@link #clipNorm}, {@link #clipValue} or {@link #globalClipNorm} (one of them), {@link #weightDecay},
 * {@link #ema} and a {@link LearningRateSchedule} ({@link #withSchedule}). A step runs as Keras's
 * {@code apply_gradients}: the rate for this step ({@code schedule(iterations)}), clip the gradients, decay the
 * weights ({@code w -= w * weightDecay * lr}, every trainable weight, biases included, before the update), the rule's
 * update, the EMA ({@code avg = m avg + (1 - m) w}, {@code avg = w} on the first step, copied into the weights every
 * {@code overwriteFrequency} steps and at the end of the fit), then {@code iterations += 1}. SGD's, Adam's and AdamW's
 * (without amsgrad) and RMSprop's (without momentum or centring) updates are float32 operation by operation in Keras's
 * order, as Keras computes them; the other
 * rules compute each element in double and round it once to float32. The slots are float32, as Keras's optimizer
 * variables are.
 *
 * <pre>{@code
 * Optimizer plain = Optimizer.sgd(0.01);
 * Optimizer heavyBall = Optimizer.sgd(0.01, 0.9);
 * Optimizer adam = Optimizer.adam();                  // "Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7)"
 * double lr = Optimizer.adam(0.01).learningRate();    // 0.01
 * Optimizer tuned = Optimizer.adamW(1e-3).weightDecay(0.004).clipNorm(1.0).ema(0.99)
 *         .withSchedule(LearningRateSchedule.cosineDecay(1e-3, 10_000, 0.0));
 * Map<String, Object> config = tuned.kerasConfig();  // Keras's dict: name adamw, learning_rate a CosineDecay, ...
 * }</pre>
 *
 * <p>Immutable and thread-safe: an optimizer is a configuration, and each option returns a new one. Each training
 * run starts its own slots.
 *
 * @since 0.1.0
 */
public final class Optimizer {

    private final OptimizerRule rule;
    private final double learningRate;
    private final LearningRateSchedule schedule;
    private final double clipNorm;
    private final double clipValue;
    private final double globalClipNorm;
    private final double weightDecay;
    private final double emaMomentum;
    private final int emaOverwriteFrequency;

    private Optimizer(OptimizerRule rule, double learningRate, LearningRateSchedule schedule, double clipNorm,
            double clipValue, double globalClipNorm, double weightDecay, double emaMomentum, int emaOverwriteFrequency) {
        this.rule = rule;
        this.learningRate = learningRate;
        this.schedule = schedule;
        this.clipNorm = clipNorm;
        this.clipValue = clipValue;
        this.globalClipNorm = globalClipNorm;
        this.weightDecay = weightDecay;
        this.emaMomentum = emaMomentum;
        this.emaOverwriteFrequency = emaOverwriteFrequency;
    }

    private static Optimizer of(OptimizerRule rule, double learningRate) {
        return new Optimizer(rule, Checks.positive(learningRate, "learningRate"), null, 0, 0, 0, 0, Double.NaN, 0);
    }

    /**
     * Keras's {@code SGD()} with its default learning rate, 0.01.
     *
     * @return plain gradient descent
     */
    public static Optimizer sgd() {
        return sgd(0.01);
    }

    /**
     * Plain gradient descent, {@code w -= learningRate * g}: Keras's {@code SGD(learning_rate)}.
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     * @throws IllegalArgumentException if {@code learningRate} is not a finite number above 0
     */
    public static Optimizer sgd(double learningRate) {
        return sgd(learningRate, 0);
    }

    /**
     * Gradient descent with momentum, Keras's {@code SGD(learning_rate, momentum)}:
     * {@code v = momentum * v - learningRate * g; w += v}.
     *
     * @param learningRate a finite number above 0
     * @param momentum in {@code [0, 1)}; 0 is plain gradient descent
     * @return the optimizer
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static Optimizer sgd(double learningRate, double momentum) {
        return sgd(learningRate, momentum, false);
    }

    /**
     * Keras's {@code SGD(learning_rate, momentum, nesterov)}.
     * <pre>{@code
     * Optimizer nesterov = Optimizer.sgd(0.01, 0.9, true);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @param momentum in {@code [0, 1)}
     * @param nesterov whether to step with the look-ahead {@code momentum * v - learningRate * g}
     * @return the optimizer
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static Optimizer sgd(double learningRate, double momentum, boolean nesterov) {
        return of(new SgdRule(momentum, nesterov), learningRate);
    }

    /**
     * Keras's {@code Adam()}: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.
     *
     * @return the optimizer
     */
    public static Optimizer adam() {
        return adam(0.001);
    }

    /**
     * Keras's {@code Adam(learning_rate)} with the other defaults.
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     * @throws IllegalArgumentException if {@code learningRate} is not a finite number above 0
     */
    public static Optimizer adam(double learningRate) {
        return adam(learningRate, 0.9, 0.999, 1e-7);
    }

    /**
     * Keras's {@code Adam(learning_rate, beta_1, beta_2, epsilon)}.
     *
     * @param learningRate a finite number above 0
     * @param beta1 decay of the first moment, in {@code [0, 1)}
     * @param beta2 decay of the second moment, in {@code [0, 1)}
     * @param epsilon added to {@code sqrt(v)}, finite and at least 0
     * @return the optimizer
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static Optimizer adam(double learningRate, double beta1, double beta2, double epsilon) {
        return adam(learningRate, beta1, beta2, epsilon, false);
    }

    /**
     * Keras's {@code Adam(learning_rate, beta_1, beta_2, epsilon, amsgrad)}.
     * <pre>{@code
     * Optimizer ams = Optimizer.adam(0.001, 0.9, 0.999, 1e-7, true);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @param beta1 in {@code [0, 1)}
     * @param beta2 in {@code [0, 1)}
     * @param epsilon finite and at least 0
     * @param amsgrad whether to divide by the largest second moment so far
     * @return the optimizer
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static Optimizer adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad) {
        return of(new AdamRule("Adam", beta1, beta2, epsilon, amsgrad), learningRate);
    }

    /**
     * Keras's {@code AdamW(learning_rate)}: Adam with {@code weight_decay} 0.004 (change it with
     * {@link #weightDecay(double)}).
     * <pre>{@code
     * Optimizer adamW = Optimizer.adamW(1e-3).weightDecay(0.01);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     */
    public static Optimizer adamW(double learningRate) {
        return adamW(learningRate, 0.004, 0.9, 0.999, 1e-7, false);
    }

    /**
     * Keras's {@code AdamW(learning_rate, weight_decay, beta_1, beta_2, epsilon, amsgrad)}.
     *
     * @param learningRate a finite number above 0
     * @param weightDecay finite and at least 0
     * @param beta1 in {@code [0, 1)}
     * @param beta2 in {@code [0, 1)}
     * @param epsilon finite and at least 0
     * @param amsgrad as in {@link #adam(double, double, double, double, boolean)}
     * @return the optimizer
     */
    public static Optimizer adamW(double learningRate, double weightDecay, double beta1, double beta2, double epsilon,
            boolean amsgrad) {
        return of(new AdamRule("AdamW", beta1, beta2, epsilon, amsgrad), learningRate).weightDecay(weightDecay);
    }

    /**
     * Keras's {@code RMSprop()}: learning rate 0.001, rho 0.9, epsilon 1e-7.
     *
     * @return the optimizer
     */
    public static Optimizer rmsprop() {
        return rmsprop(0.001);
    }

    /**
     * Keras's {@code RMSprop(learning_rate)} with the other defaults.
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     * @throws IllegalArgumentException if {@code learningRate} is not a finite number above 0
     */
    public static Optimizer rmsprop(double learningRate) {
        return rmsprop(learningRate, 0.9, 1e-7);
    }

    /**
     * Keras's {@code RMSprop(learning_rate, rho, epsilon)} (no momentum, not centered).
     *
     * @param learningRate a finite number above 0
     * @param rho decay of the mean square, in {@code [0, 1)}
     * @param epsilon added to the mean square under the root, finite and at least 0
     * @return the optimizer
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static Optimizer rmsprop(double learningRate, double rho, double epsilon) {
        return rmsprop(learningRate, rho, 0, epsilon, false);
    }

    /**
     * Keras's {@code RMSprop(learning_rate, rho, momentum, epsilon, centered)}.
     * <pre>{@code
     * Optimizer centered = Optimizer.rmsprop(0.001, 0.9, 0.5, 1e-7, true);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @param rho in {@code [0, 1)}
     * @param momentum in {@code [0, 1)}
     * @param epsilon finite and at least 0
     * @param centered whether to divide by the variance estimate {@code s - mean(g)^2} instead of {@code s}
     * @return the optimizer
     */
    public static Optimizer rmsprop(double learningRate, double rho, double momentum, double epsilon, boolean centered) {
        return of(new RmsPropRule(rho, momentum, epsilon, centered), learningRate);
    }

    /**
     * Keras's {@code Adagrad()}: learning rate 0.001, accumulators from 0.1, epsilon 1e-7.
     *
     * @return the optimizer
     */
    public static Optimizer adagrad() {
        return adagrad(0.001, 0.1, 1e-7);
    }

    /**
     * Keras's {@code Adagrad(learning_rate)} with the other defaults.
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     */
    public static Optimizer adagrad(double learningRate) {
        return adagrad(learningRate, 0.1, 1e-7);
    }

    /**
     * Keras's {@code Adagrad(learning_rate, initial_accumulator_value, epsilon)}.
     * <pre>{@code
     * Optimizer adagrad = Optimizer.adagrad(0.01, 0.1, 1e-7);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @param initialAccumulatorValue finite and at least 0
     * @param epsilon finite and at least 0
     * @return the optimizer
     */
    public static Optimizer adagrad(double learningRate, double initialAccumulatorValue, double epsilon) {
        return of(new AdagradRule(initialAccumulatorValue, epsilon), learningRate);
    }

    /**
     * Keras's {@code Adadelta()}: learning rate 0.001, rho 0.95, epsilon 1e-7.
     *
     * @return the optimizer
     */
    public static Optimizer adadelta() {
        return adadelta(0.001, 0.95, 1e-7);
    }

    /**
     * Keras's {@code Adadelta(learning_rate)} with the other defaults.
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     */
    public static Optimizer adadelta(double learningRate) {
        return adadelta(learningRate, 0.95, 1e-7);
    }

    /**
     * Keras's {@code Adadelta(learning_rate, rho, epsilon)}.
     * <pre>{@code
     * Optimizer adadelta = Optimizer.adadelta(1.0, 0.95, 1e-7);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @param rho in {@code [0, 1)}
     * @param epsilon finite and at least 0
     * @return the optimizer
     */
    public static Optimizer adadelta(double learningRate, double rho, double epsilon) {
        return of(new AdadeltaRule(rho, epsilon), learningRate);
    }

    /**
     * Keras's {@code Adamax()}: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.
     *
     * @return the optimizer
     */
    public static Optimizer adamax() {
        return adamax(0.001, 0.9, 0.999, 1e-7);
    }

    /**
     * Keras's {@code Adamax(learning_rate)} with the other defaults.
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     */
    public static Optimizer adamax(double learningRate) {
        return adamax(learningRate, 0.9, 0.999, 1e-7);
    }

    /**
     * Keras's {@code Adamax(learning_rate, beta_1, beta_2, epsilon)}.
     * <pre>{@code
     * Optimizer adamax = Optimizer.adamax(0.002, 0.9, 0.999, 1e-7);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @param beta1 in {@code [0, 1)}
     * @param beta2 in {@code [0, 1)}
     * @param epsilon finite and at least 0
     * @return the optimizer
     */
    public static Optimizer adamax(double learningRate, double beta1, double beta2, double epsilon) {
        return of(new AdamaxRule(beta1, beta2, epsilon), learningRate);
    }

    /**
     * Keras's {@code Nadam()}: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.
     *
     * @return the optimizer
     */
    public static Optimizer nadam() {
        return nadam(0.001, 0.9, 0.999, 1e-7);
    }

    /**
     * Keras's {@code Nadam(learning_rate)} with the other defaults.
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     */
    public static Optimizer nadam(double learningRate) {
        return nadam(learningRate, 0.9, 0.999, 1e-7);
    }

    /**
     * Keras 3's {@code Nadam(learning_rate, beta_1, beta_2, epsilon)}.
     * <pre>{@code
     * Optimizer nadam = Optimizer.nadam(0.002, 0.9, 0.999, 1e-7);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @param beta1 in {@code [0, 1)}
     * @param beta2 in {@code [0, 1)}
     * @param epsilon finite and at least 0
     * @return the optimizer
     */
    public static Optimizer nadam(double learningRate, double beta1, double beta2, double epsilon) {
        return of(new NadamRule(beta1, beta2, epsilon), learningRate);
    }

    /**
     * Keras's {@code Lion()}: learning rate 0.001, beta1 0.9, beta2 0.99.
     *
     * @return the optimizer
     */
    public static Optimizer lion() {
        return lion(0.001, 0.9, 0.99);
    }

    /**
     * Keras's {@code Lion(learning_rate)} with the other defaults.
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     */
    public static Optimizer lion(double learningRate) {
        return lion(learningRate, 0.9, 0.99);
    }

    /**
     * Keras's {@code Lion(learning_rate, beta_1, beta_2)}: {@code w -= lr sign(b1 m + (1 - b1) g)}.
     * <pre>{@code
     * Optimizer lion = Optimizer.lion(1e-4, 0.9, 0.99);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @param beta1 in {@code (0, 1]}
     * @param beta2 in {@code [0, 1)}
     * @return the optimizer
     */
    public static Optimizer lion(double learningRate, double beta1, double beta2) {
        return of(new LionRule(beta1, beta2), learningRate);
    }

    /**
     * Keras's {@code Ftrl()}: learning rate 0.001, learning-rate power -0.5, accumulators from 0.1, no
     * regularization.
     *
     * @return the optimizer
     */
    public static Optimizer ftrl() {
        return ftrl(0.001, -0.5, 0.1, 0, 0, 0, 0);
    }

    /**
     * Keras's {@code Ftrl(learning_rate)} with the other defaults.
     *
     * @param learningRate a finite number above 0
     * @return the optimizer
     */
    public static Optimizer ftrl(double learningRate) {
        return ftrl(learningRate, -0.5, 0.1, 0, 0, 0, 0);
    }

    /**
     * Keras's {@code Ftrl(learning_rate, learning_rate_power, initial_accumulator_value, l1_regularization_strength,
     * l2_regularization_strength, l2_shrinkage_regularization_strength, beta)}.
     * <pre>{@code
     * Optimizer ftrl = Optimizer.ftrl(0.01, -0.5, 0.1, 0.001, 0.001, 0, 0);
     * }</pre>
     *
     * @param learningRate a finite number above 0
     * @param learningRatePower finite and at most 0
     * @param initialAccumulatorValue finite and at least 0
     * @param l1 L1 strength, at least 0
     * @param l2 L2 strength, at least 0
     * @param l2Shrinkage L2 shrinkage strength, at least 0
     * @param beta at least 0
     * @return the optimizer
     */
    public static Optimizer ftrl(double learningRate, double learningRatePower, double initialAccumulatorValue,
            double l1, double l2, double l2Shrinkage, double beta) {
        return of(new FtrlRule(learningRatePower, initialAccumulatorValue, l1, l2, l2Shrinkage, beta), learningRate);
    }

    /**
     * An optimizer with your own update rule; the shared options apply to it as to the built-in ones.
     * <pre>{@code
     * UpdateRule plainDescent = (weight, gradient, slots, lr, iterations) -> {
     *     for (int r = 0; r < weight.length; r++) {
     *         for (int c = 0; c < weight[r].length; c++) {
     *             weight[r][c] -= (float) (lr * gradient[r][c]);
     *         }
     *     }
     * };
     * Optimizer mine = Optimizer.custom("plain_descent", 0.01, plainDescent);
     * }</pre>
     *
     * @param name the optimizer's name, also its {@link #kerasName()} and {@code class_name}
     * @param learningRate a finite number above 0
     * @param rule the update rule
     * @return the optimizer
     * @throws IllegalArgumentException if the name is blank, the rule null or the rate out of range
     */
    public static Optimizer custom(String name, double learningRate, UpdateRule rule) {
        return of(new CustomRule(name, rule), learningRate);
    }

    /**
     * @param learningRate a finite number above 0, in place of the current rate or schedule
     * @return a copy with that fixed learning rate
     */
    public Optimizer withLearningRate(double learningRate) {
        return new Optimizer(rule, Checks.positive(learningRate, "learningRate"), null, clipNorm, clipValue,
                globalClipNorm, weightDecay, emaMomentum, emaOverwriteFrequency);
    }

    /**
     * A learning rate that changes with the step, Keras's {@code learning_rate=schedule}: each update uses
     * {@code schedule.at(iterations)}.
     * <pre>{@code
     * Optimizer.sgd(0.1).withSchedule(LearningRateSchedule.exponentialDecay(0.1, 1000, 0.5, false));
     * }</pre>
     *
     * @param schedule the schedule
     * @return a copy with the schedule in place of the fixed rate
     */
    public Optimizer withSchedule(LearningRateSchedule schedule) {
        return new Optimizer(rule, learningRate, Checks.notNull(schedule, "schedule"), clipNorm, clipValue,
                globalClipNorm, weightDecay, emaMomentum, emaOverwriteFrequency);
    }

    /**
     * Keras's {@code clipnorm}: each gradient tensor {@code g} becomes {@code g * clipNorm / max(norm(g), clipNorm)}.
     *
     * @param clipNorm finite and above 0
     * @return a copy that clips
     * @throws IllegalArgumentException if out of range, or if {@code clipValue} or {@code globalClipNorm} is set
     */
    public Optimizer clipNorm(double clipNorm) {
        KerasConfig.positive(clipNorm, "clipNorm");
        onlyOneClip(clipValue == 0 && globalClipNorm == 0, "clipNorm");
        return new Optimizer(rule, learningRate, schedule, clipNorm, 0, 0, weightDecay, emaMomentum,
                emaOverwriteFrequency);
    }

    /**
     * Keras's {@code clipvalue}: each gradient element clipped to {@code [-clipValue, clipValue]}.
     *
     * @param clipValue finite and above 0
     * @return a copy that clips
     * @throws IllegalArgumentException if out of range, or if {@code clipNorm} or {@code globalClipNorm} is set
     */
    public Optimizer clipValue(double clipValue) {
        KerasConfig.positive(clipValue, "clipValue");
        onlyOneClip(clipNorm == 0 && globalClipNorm == 0, "clipValue");
        return new Optimizer(rule, learningRate, schedule, 0, clipValue, 0, weightDecay, emaMomentum,
                emaOverwriteFrequency);
    }

    /**
     * Keras's {@code global_clipnorm}: every gradient scaled by {@code globalClipNorm / max(n, globalClipNorm)}, where
     * {@code n} is the norm of all gradients together.
     *
     * @param globalClipNorm finite and above 0
     * @return a copy that clips
     * @throws IllegalArgumentException if out of range, or if {@code clipNorm} or {@code clipValue} is set
     */
    public Optimizer globalClipNorm(double globalClipNorm) {
        KerasConfig.positive(globalClipNorm, "globalClipNorm");
        onlyOneClip(clipNorm == 0 && clipValue == 0, "globalClipNorm");
        return new Optimizer(rule, learningRate, schedule, 0, 0, globalClipNorm, weightDecay, emaMomentum,
                emaOverwriteFrequency);
    }

    /**
     * Keras's {@code weight_decay}: before each update, {@code w -= w * weightDecay * lr} for every trainable weight.
     *
     * @param weightDecay finite and at least 0; 0 turns it off
     * @return a copy that decays
     */
    public Optimizer weightDecay(double weightDecay) {
        KerasConfig.atLeastZero(weightDecay, "weightDecay");
        return new Optimizer(rule, learningRate, schedule, clipNorm, clipValue, globalClipNorm, weightDecay,
                emaMomentum, emaOverwriteFrequency);
    }

    /**
     * Keras's {@code use_ema=True, ema_momentum}: keeps an exponential moving average of the weights, which replaces
     * them at the end of the fit.
     *
     * @param momentum in {@code [0, 1]}; Keras's default is 0.99
     * @return a copy with EMA
     */
    public Optimizer ema(double momentum) {
        return ema(momentum, 0);
    }

    /**
     * Keras's {@code use_ema=True, ema_momentum, ema_overwrite_frequency}.
     * <pre>{@code
     * Optimizer.adam().ema(0.99, 100);   // the average replaces the weights every 100 steps and at the end
     * }</pre>
     *
     * @param momentum in {@code [0, 1]}
     * @param overwriteFrequency every how many steps the average replaces the weights; 0 for only at the end
     * @return a copy with EMA
     */
    public Optimizer ema(double momentum, int overwriteFrequency) {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("ema momentum must be in [0, 1], got " + momentum);
        }
        if (overwriteFrequency < 0) {
            throw new IllegalArgumentException("ema overwriteFrequency must be >= 0 (0: only at the end), got "
                    + overwriteFrequency);
        }
        return new Optimizer(rule, learningRate, schedule, clipNorm, clipValue, globalClipNorm, weightDecay, momentum,
                overwriteFrequency);
    }

    private void onlyOneClip(boolean ok, String name) {
        if (!ok) {
            throw new IllegalArgumentException("only one of clipNorm, clipValue and globalClipNorm can be set (as in"
                    + " Keras); " + this + " already clips, so " + name + " cannot be added");
        }
    }

    /** @return the fixed learning rate, or the schedule's rate at step 0 */
    public double learningRate() {
        return schedule == null ? learningRate : schedule.at(0);
    }

    /** @return the schedule given by {@link #withSchedule}, or null for a fixed rate */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** @return Keras's identifier for this optimizer, e.g. {@code "sgd"}, {@code "adam"}, {@code "adamw"} */
    public String kerasName() {
        return rule instanceof CustomRule ? rule.kerasClassName() : rule.kerasClassName().toLowerCase(Locale.ROOT);
    }

    /** @return Keras's class name, e.g. {@code "SGD"}, {@code "AdamW"}, {@code "RMSprop"} */
    public String kerasClassName() {
        return rule.kerasClassName();
    }

    /**
     * Keras 3's {@code optimizer.get_config()}: {@code name}, {@code learning_rate} (a number, or for a built-in
     * schedule {@code {"module", "class_name", "config", "registered_name"}}), the shared options (null when off) and
     * the rule's own keys.
     * <pre>{@code
     * Map<String, Object> config = Optimizer.adam().kerasConfig();
     * Object name = config.get("name");                             // "adam"
     * Object rate = config.get("learning_rate");                    // 0.001
     * }</pre>
     *
     * @return a new mutable map, in Keras's key order
     * @throws IllegalStateException if the schedule is one of your own, which Keras cannot name
     */
    public Map<String, Object> kerasConfig() {
        return OptimizerConfig.write(this);
    }

    /**
     * The optimizer a Keras config describes, the inverse of {@link #kerasConfig()}: missing keys take Keras's
     * defaults.
     * <pre>{@code
     * Optimizer adam = Optimizer.fromKerasConfig("Adam", Map.of("learning_rate", 0.01, "amsgrad", true));
     * }</pre>
     *
     * @param className Keras's class name ({@code "Adam"}) or identifier ({@code "adam"})
     * @param config the config dict; not modified
     * @return the optimizer
     * @throws IllegalArgumentException for an unknown optimizer, a bad value, or an option nn-core does not have
     *     ({@code loss_scale_factor}, {@code gradient_accumulation_steps})
     */
    public static Optimizer fromKerasConfig(String className, Map<String, ?> config) {
        return OptimizerConfig.read(className, config);
    }

    /** Fresh slots (moments, velocities) for weights of these shapes; the run owns the result. */
    OptimizerRun start(List<float[][]> weights) {
        return new OptimizerRun(this, weights);
    }

    OptimizerRule rule() {
        return rule;
    }

    double fixedLearningRate() {
        return learningRate;
    }

    double clipNormValue() {
        return clipNorm;
    }

    double clipValueValue() {
        return clipValue;
    }

    double globalClipNormValue() {
        return globalClipNorm;
    }

    double weightDecayValue() {
        return weightDecay;
    }

    /** @return the EMA momentum, NaN without EMA */
    double emaMomentumValue() {
        return emaMomentum;
    }

    int emaOverwriteFrequencyValue() {
        return emaOverwriteFrequency;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Optimizer other && rule.equals(other.rule) && learningRate == other.learningRate
                && Objects.equals(schedule, other.schedule) && clipNorm == other.clipNorm
                && clipValue == other.clipValue && globalClipNorm == other.globalClipNorm
                && weightDecay == other.weightDecay && Double.compare(emaMomentum, other.emaMomentum) == 0
                && emaOverwriteFrequency == other.emaOverwriteFrequency;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, learningRate, schedule, clipNorm, clipValue, globalClipNorm, weightDecay, emaMomentum,
                emaOverwriteFrequency);
    }

    /** @return e.g. {@code SGD(learningRate=0.01, momentum=0.9)} or {@code AdamW(..., weightDecay=0.004)} */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(rule.kerasClassName()).append("(learningRate=")
                .append(schedule == null ? String.valueOf(learningRate) : String.valueOf(schedule)).append(", ")
                .append(rule.describe());
        if (weightDecay != 0) {
            text.append(", weightDecay=").append(weightDecay);
        }
        if (clipNorm != 0) {
            text.append(", clipNorm=").append(clipNorm);
        }
        if (clipValue != 0) {
            text.append(", clipValue=").append(clipValue);
        }
        if (globalClipNorm != 0) {
            text.append(", globalClipNorm=").append(globalClipNorm);
        }
        if (!Double.isNaN(emaMomentum)) {
            text.append(", ema=").append(emaMomentum);
            if (emaOverwriteFrequency != 0) {
                text.append(" every ").append(emaOverwriteFrequency);
            }
        }
        return text.append(')').toString();
    }
}
