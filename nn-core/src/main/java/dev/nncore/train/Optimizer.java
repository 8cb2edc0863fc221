package dev.nncore.train;

import dev.nncore.internal.Checks;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a trainer turns gradients into weight updates: Keras's SGD (with optional momentum), Adam and RMSprop, with
 * Keras's formulas and defaults.
 *
 * <table class="striped">
 *   <caption>Update rules, per weight {@code w} with gradient {@code g}; slots start at 0</caption>
 *   <tr><th>optimizer</th><th>update</th><th>defaults</th></tr>
 *   <tr><td>{@link #sgd(double)}</td><td>{@code w -= lr * g}</td><td>lr 0.01</td></tr>
 *   <tr><td>{@link #sgd(double, double)}</td><td>{@code v = momentum * v - lr * g; w += v}</td><td>momentum 0</td></tr>
 *   <tr><td>{@link #adam()}</td><td>{@code t += 1; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 *       lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); w -= lr_t m / (sqrt(v) + eps)}</td>
 *       <td>lr 0.001, b1 0.9, b2 0.999, eps 1e-7</td></tr>
 *   <tr><td>{@link #rmsprop()}</td><td>{@code s = rho s + (1 - rho) g^2; w -= lr g / sqrt(s + eps)}</td>
 *       <td>lr 0.001, rho 0.9, eps 1e-7</td></tr>
 * </table>
 *
 * <p>Adam is Keras's form ("epsilon hat", outside the square root, with the bias correction folded into
 * {@code lr_t}); PyTorch and TensorFlow.js put epsilon after the bias correction instead, which differs when
 * {@code sqrt(v)} is near epsilon. RMSprop is Keras 3's {@code keras/src/optimizers/rmsprop.py}, epsilon inside the
 * square root, as also in TensorFlow's {@code ApplyRMSProp}. Each element's update is computed in double and
 * rounded once to float32; the slots are float32, as Keras's optimizer variables are.
 *
 * <pre>{@code
 * Optimizer plain = Optimizer.sgd(0.01);
 * Optimizer heavyBall = Optimizer.sgd(0.01, 0.9);
 * Optimizer adam = Optimizer.adam();                  // "Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7)"
 * double lr = Optimizer.adam(0.01).learningRate();    // 0.01
 * }</pre>
 *
 * <p>Immutable and thread-safe: an optimizer is a configuration. Each training run starts its own slots.
 *
 * @since 0.1.0
 */
public final class Optimizer {

    private enum Kind { SGD, ADAM, RMSPROP }

    private final Kind kind;
    private final double learningRate;
    private final double momentum;
    private final double beta1;
    private final double beta2;
    private final double rho;
    private final double epsilon;

    private Optimizer(Kind kind, double learningRate, double momentum, double beta1, double beta2, double rho, double epsilon) {
        this.kind = kind;
        this.learningRate = Checks.positive(learningRate, "learningRate");
        this.momentum = momentum;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.rho = rho;
        this.epsilon = epsilon;
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
        checkFraction(momentum, "momentum");
        return new Optimizer(Kind.SGD, learningRate, momentum, 0, 0, 0, 0);
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
        checkFraction(beta1, "beta1");
        checkFraction(beta2, "beta2");
        checkEpsilon(epsilon);
        return new Optimizer(Kind.ADAM, learningRate, 0, beta1, beta2, 0, epsilon);
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
        checkFraction(rho, "rho");
        checkEpsilon(epsilon);
        return new Optimizer(Kind.RMSPROP, learningRate, 0, 0, 0, rho, epsilon);
    }

    /** @return the learning rate */
    public double learningRate() {
        return learningRate;
    }

    /** @return Keras's name for this optimizer: {@code "sgd"}, {@code "adam"} or {@code "rmsprop"} */
    public String kerasName() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Fresh slots (moments, velocities) for weights of these shapes; the run owns the result. */
    Update start(List<float[][]> weights) {
        return switch (kind) {
            case SGD -> momentum == 0 ? new Sgd() : new Momentum(weights);
            case ADAM -> new Adam(weights);
            case RMSPROP -> new RmsProp(weights);
        };
    }

    /** One run's optimizer state; {@link #apply} updates the weights in place. */
    abstract static class Update {
        abstract void apply(List<float[][]> weights, List<float[][]> gradients);
    }

    private final class Sgd extends Update {
        @Override
        void apply(List<float[][]> weights, List<float[][]> gradients) {
            for (int t = 0; t < weights.size(); t++) {
                float[][] w = weights.get(t);
                float[][] g = gradients.get(t);
                for (int r = 0; r < w.length; r++) {
                    float[] wr = w[r];
                    float[] gr = g[r];
                    for (int c = 0; c < wr.length; c++) {
                        wr[c] = (float) (wr[c] - learningRate * gr[c]);
                    }
                }
            }
        }
    }

    private final class Momentum extends Update {
        private final List<float[][]> velocity;

        Momentum(List<float[][]> weights) {
            velocity = zerosLike(weights);
        }

        @Override
        void apply(List<float[][]> weights, List<float[][]> gradients) {
            for (int t = 0; t < weights.size(); t++) {
                float[][] w = weights.get(t);
                float[][] g = gradients.get(t);
                float[][] v = velocity.get(t);
                for (int r = 0; r < w.length; r++) {
                    for (int c = 0; c < w[r].length; c++) {
                        double step = momentum * v[r][c] - learningRate * g[r][c];
                        v[r][c] = (float) step;
                        w[r][c] = (float) (w[r][c] + step);
                    }
                }
            }
        }
    }

    private final class Adam extends Update {
        private final List<float[][]> first;
        private final List<float[][]> second;
        private long iterations;

        Adam(List<float[][]> weights) {
            first = zerosLike(weights);
            second = zerosLike(weights);
        }

        @Override
        void apply(List<float[][]> weights, List<float[][]> gradients) {
            iterations++;
            double correctedRate = learningRate * Math.sqrt(1 - Math.pow(beta2, iterations)) / (1 - Math.pow(beta1, iterations));
            for (int t = 0; t < weights.size(); t++) {
                float[][] w = weights.get(t);
                float[][] g = gradients.get(t);
                float[][] m = first.get(t);
                float[][] v = second.get(t);
                for (int r = 0; r < w.length; r++) {
                    for (int c = 0; c < w[r].length; c++) {
                        double gradient = g[r][c];
                        double mean = beta1 * m[r][c] + (1 - beta1) * gradient;
                        double square = beta2 * v[r][c] + (1 - beta2) * gradient * gradient;
                        m[r][c] = (float) mean;
                        v[r][c] = (float) square;
                        w[r][c] = (float) (w[r][c] - correctedRate * mean / (Math.sqrt(square) + epsilon));
                    }
                }
            }
        }
    }

    private final class RmsProp extends Update {
        private final List<float[][]> meanSquare;

        RmsProp(List<float[][]> weights) {
            meanSquare = zerosLike(weights);
        }

        @Override
        void apply(List<float[][]> weights, List<float[][]> gradients) {
            for (int t = 0; t < weights.size(); t++) {
                float[][] w = weights.get(t);
                float[][] g = gradients.get(t);
                float[][] s = meanSquare.get(t);
                for (int r = 0; r < w.length; r++) {
                    for (int c = 0; c < w[r].length; c++) {
                        double gradient = g[r][c];
                        double square = rho * s[r][c] + (1 - rho) * gradient * gradient;
                        s[r][c] = (float) square;
                        w[r][c] = (float) (w[r][c] - learningRate * gradient / Math.sqrt(square + epsilon));
                    }
                }
            }
        }
    }

    private static List<float[][]> zerosLike(List<float[][]> weights) {
        return weights.stream().map(w -> new float[w.length][w[0].length]).toList();
    }

    private static void checkFraction(double value, String name) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
    }

    private static void checkEpsilon(double epsilon) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number >= 0, got " + epsilon);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Optimizer other && kind == other.kind && learningRate == other.learningRate
                && momentum == other.momentum && beta1 == other.beta1 && beta2 == other.beta2 && rho == other.rho
                && epsilon == other.epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, learningRate, momentum, beta1, beta2, rho, epsilon);
    }

    /** @return e.g. {@code SGD(learningRate=0.01, momentum=0.9)} */
    @Override
    public String toString() {
        return switch (kind) {
            case SGD -> "SGD(learningRate=" + learningRate + ", momentum=" + momentum + ")";
            case ADAM -> "Adam(learningRate=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ")";
            case RMSPROP -> "RMSprop(learningRate=" + learningRate + ", rho=" + rho + ", epsilon=" + epsilon + ")";
        };
    }
}
