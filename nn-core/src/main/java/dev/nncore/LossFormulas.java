package dev.nncore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The losses of {@code keras/src/losses/losses.py} (Keras 3), one nested class each: the per-sample value and its
 * derivative side by side, in float64. {@code n} below is the number of outputs in a row; "mean" is over the row.
 */
final class LossFormulas {

    private LossFormulas() {
    }

    /** {@code mean((p - t)^2)}. */
    static final class MeanSquaredError extends LossFormula {
        @Override String kerasName() { return "mean_squared_error"; }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double error = p[j] - t[j];
                sum += error * error;
            }
            return sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                out[j] = (float) (2.0 * (p[j] - t[j]) * scale / p.length);
            }
        }
    }

    /** {@code mean(|p - t|)}; the derivative at 0 is 0. */
    static final class MeanAbsoluteError extends LossFormula {
        @Override String kerasName() { return "mean_absolute_error"; }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                sum += Math.abs(p[j] - t[j]);
            }
            return sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                out[j] = (float) (Math.signum(p[j] - t[j]) * scale / p.length);
            }
        }
    }

    /** {@code 100 mean(|t - p| / max(|t|, eps))}. */
    static final class MeanAbsolutePercentageError extends LossFormula {
        @Override String kerasName() { return "mean_absolute_percentage_error"; }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                sum += Math.abs(t[j] - p[j]) / Math.max(Math.abs(t[j]), EPSILON);
            }
            return 100.0 * sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                out[j] = (float) (100.0 * Math.signum(p[j] - t[j]) / Math.max(Math.abs(t[j]), EPSILON) * scale / p.length);
            }
        }
    }

    /** {@code mean((log(max(p, eps) + 1) - log(max(t, eps) + 1))^2)}. */
    static final class MeanSquaredLogarithmicError extends LossFormula {
        @Override String kerasName() { return "mean_squared_logarithmic_error"; }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double d = Math.log(Math.max(p[j], EPSILON) + 1) - Math.log(Math.max(t[j], EPSILON) + 1);
                sum += d * d;
            }
            return sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                double d = Math.log(Math.max(p[j], EPSILON) + 1) - Math.log(Math.max(t[j], EPSILON) + 1);
                out[j] = p[j] < EPSILON ? 0f : (float) (2.0 * d / (p[j] + 1) * scale / p.length);
            }
        }
    }

    /** {@code mean(e^2 / 2)} where {@code |e| <= delta}, else {@code mean(delta |e| - delta^2 / 2)}, {@code e = p - t}. */
    static final class Huber extends LossFormula {
        final double delta;

        Huber(double delta) {
            this.delta = delta;
        }

        @Override String kerasName() { return "huber"; }

        @Override
        Map<String, Object> parameters() {
            return Map.of("delta", delta);
        }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double error = p[j] - t[j];
                double abs = Math.abs(error);
                sum += abs <= delta ? 0.5 * error * error : delta * abs - 0.5 * delta * delta;
            }
            return sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                double error = p[j] - t[j];
                double d = Math.abs(error) <= delta ? error : delta * Math.signum(error);
                out[j] = (float) (d * scale / p.length);
            }
        }

        @Override public boolean equals(Object o) { return o instanceof Huber h && h.delta == delta; }
        @Override public int hashCode() { return Double.hashCode(delta); }
    }

    /** {@code mean(x + softplus(-2x) - log 2)}, {@code x = p - t}: {@code log(cosh(x))} without overflow. */
    static final class LogCosh extends LossFormula {
        private static final double LOG_2 = Math.log(2);

        @Override String kerasName() { return "log_cosh"; }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double x = p[j] - t[j];
                sum += x + softplus(-2 * x) - LOG_2;
            }
            return sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                out[j] = (float) (Math.tanh(p[j] - t[j]) * scale / p.length);
            }
        }
    }

    /** {@code sum(t' log(t' / p'))} with {@code t', p'} clipped to {@code [eps, 1]}. */
    static final class KLDivergence extends LossFormula {
        @Override String kerasName() { return "kl_divergence"; }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double target = Math.min(Math.max(t[j], EPSILON), 1);
                sum += target * Math.log(target / Math.min(Math.max(p[j], EPSILON), 1));
            }
            return sum;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                double target = Math.min(Math.max(t[j], EPSILON), 1);
                out[j] = p[j] < EPSILON || p[j] > 1 ? 0f : (float) (-target / p[j] * scale);
            }
        }
    }

    /** {@code mean(p - t log(p + eps))}. */
    static final class Poisson extends LossFormula {
        @Override String kerasName() { return "poisson"; }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                sum += p[j] - t[j] * Math.log(p[j] + EPSILON);
            }
            return sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                out[j] = (float) ((1.0 - t[j] / (p[j] + EPSILON)) * scale / p.length);
            }
        }
    }

    /**
     * {@code mean(max(1 - t p, 0))}, or its square, with 0/1 targets first mapped to -1/1. Keras maps when the whole
     * batch is 0/1; this maps when the row is, which is the same for any batch whose labels are all 0/1 or all -1/1.
     */
    static final class Hinge extends LossFormula {
        final boolean squared;

        Hinge(boolean squared) {
            this.squared = squared;
        }

        @Override String kerasName() { return squared ? "squared_hinge" : "hinge"; }

        static boolean binary(float[] t) {
            for (float value : t) {
                if (value != 0 && value != 1) {
                    return false;
                }
            }
            return true;
        }

        @Override
        double value(double[] p, float[] t) {
            boolean binary = binary(t);
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double target = binary ? 2.0 * t[j] - 1 : t[j];
                double margin = Math.max(1 - target * p[j], 0);
                sum += squared ? margin * margin : margin;
            }
            return sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            boolean binary = binary(t);
            for (int j = 0; j < p.length; j++) {
                double target = binary ? 2.0 * t[j] - 1 : t[j];
                double margin = 1 - target * p[j];
                double d = Double.isNaN(margin) ? margin : margin <= 0 ? 0 : squared ? -2 * target * margin : -target;
                out[j] = (float) (d * scale / p.length);
            }
        }

        @Override public boolean equals(Object o) { return o instanceof Hinge h && h.squared == squared; }
        @Override public int hashCode() { return Boolean.hashCode(squared); }
    }

    /**
     * {@code max(max((1 - t) p) - sum(t p) + 1, 0)}. Where several outputs share the maximum the gradient goes to the
     * first (TensorFlow splits it among them; the loss is not differentiable there).
     */
    static final class CategoricalHinge extends LossFormula {
        @Override String kerasName() { return "categorical_hinge"; }

        @Override
        double value(double[] p, float[] t) {
            double positive = 0;
            double negative = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < p.length; j++) {
                positive += t[j] * p[j];
                negative = Math.max(negative, (1.0 - t[j]) * p[j]);
            }
            return Math.max(negative - positive + 1, 0);
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            int top = 0;
            for (int j = 1; j < p.length; j++) {
                if ((1.0 - t[j]) * p[j] > (1.0 - t[top]) * p[top]) {
                    top = j;
                }
            }
            double value = value(p, t);
            for (int j = 0; j < p.length; j++) {
                double d = Double.isNaN(value) ? value : value > 0 ? -t[j] + (j == top ? 1.0 - t[j] : 0) : 0;
                out[j] = (float) (d * scale);
            }
        }
    }

    /** {@code -sum(normalize(t) normalize(p))}, {@code normalize(x) = x / max(||x||, eps)} as Keras 3's. */
    static final class CosineSimilarity extends LossFormula {
        @Override String kerasName() { return "cosine_similarity"; }

        private static double norm(double[] p) {
            double sum = 0;
            for (double value : p) {
                sum += value * value;
            }
            return Math.max(Math.sqrt(sum), EPSILON);
        }

        private static double norm(float[] t) {
            double sum = 0;
            for (float value : t) {
                sum += (double) value * value;
            }
            return Math.max(Math.sqrt(sum), EPSILON);
        }

        @Override
        double value(double[] p, float[] t) {
            double pNorm = norm(p);
            double tNorm = norm(t);
            double dot = 0;
            for (int j = 0; j < p.length; j++) {
                dot += (t[j] / tNorm) * (p[j] / pNorm);
            }
            return -dot;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            double sumSquares = 0;
            for (double value : p) {
                sumSquares += value * value;
            }
            double pNorm = norm(p);
            double tNorm = norm(t);
            boolean floored = Math.sqrt(sumSquares) < EPSILON;
            double dot = 0;
            for (int j = 0; j < p.length; j++) {
                dot += (t[j] / tNorm) * (p[j] / pNorm);
            }
            // d/dp of -u.p/||p|| is -(u - (u.p/||p||) p/||p||)/||p||; where the norm is floored it is just -u/eps
            for (int j = 0; j < p.length; j++) {
                double u = t[j] / tNorm;
                double d = floored ? -u / pNorm : -(u - dot * p[j] / pNorm) / pNorm;
                out[j] = (float) (d * scale);
            }
        }
    }

    /** Shared by the cross-entropies: {@code from_logits} and {@code label_smoothing} and their config. */
    abstract static class CrossEntropy extends LossFormula {
        final boolean fromLogits;
        final double labelSmoothing;

        CrossEntropy(boolean fromLogits, double labelSmoothing) {
            this.fromLogits = fromLogits;
            this.labelSmoothing = labelSmoothing;
        }

        @Override
        Map<String, Object> parameters() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("from_logits", fromLogits);
            map.put("label_smoothing", labelSmoothing);
            return map;
        }

        @Override
        boolean needsProbabilities() {
            return !fromLogits;
        }

        @Override
        public boolean equals(Object o) {
            return o != null && o.getClass() == getClass() && ((CrossEntropy) o).fromLogits == fromLogits
                    && ((CrossEntropy) o).labelSmoothing == labelSmoothing;
        }

        @Override
        public int hashCode() {
            return Objects.hash(getClass(), fromLogits, labelSmoothing);
        }
    }

    /**
     * Binary cross-entropy: targets smoothed to {@code t (1 - s) + s / 2}; on probabilities
     * {@code mean(-(t log q + (1 - t) log(1 - q)))} with {@code q = clip(p, eps, 1 - eps)}; on logits
     * {@code mean(max(z, 0) - z t + log(1 + exp(-|z|)))}, whose derivative is {@code sigmoid(z) - t}.
     */
    static final class BinaryCrossentropy extends CrossEntropy {
        BinaryCrossentropy(boolean fromLogits, double labelSmoothing) {
            super(fromLogits, labelSmoothing);
        }

        @Override String kerasName() { return "binary_crossentropy"; }

        double target(float t) {
            return labelSmoothing == 0 ? t : t * (1.0 - labelSmoothing) + 0.5 * labelSmoothing;
        }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double target = target(t[j]);
                if (fromLogits) {
                    sum += Math.max(p[j], 0) - p[j] * target + Math.log1p(Math.exp(-Math.abs(p[j])));
                } else {
                    double q = clip(p[j]);
                    sum -= target * Math.log(q) + (1.0 - target) * Math.log(1.0 - q);
                }
            }
            return sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                double target = target(t[j]);
                double d;
                if (fromLogits) {
                    d = sigmoid(p[j]) - target;
                } else {
                    d = clipped(p[j]) ? 0.0 : -target / p[j] + (1.0 - target) / (1.0 - p[j]);
                }
                out[j] = (float) (d * scale / p.length);
            }
        }
    }

    /**
     * Categorical cross-entropy: targets smoothed to {@code t (1 - s) + s / n}; on probabilities
     * {@code -sum(t log(clip(p / sum(p))))}; on logits {@code -sum(t log_softmax(z))}, whose derivative is
     * {@code softmax(z) sum(t) - t}.
     */
    static final class CategoricalCrossentropy extends CrossEntropy {
        CategoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
            super(fromLogits, labelSmoothing);
        }

        @Override String kerasName() { return "categorical_crossentropy"; }

        double target(float t, int n) {
            return labelSmoothing == 0 ? t : t * (1.0 - labelSmoothing) + labelSmoothing / n;
        }

        @Override
        double value(double[] p, float[] t) {
            int n = p.length;
            double loss = 0;
            if (fromLogits) {
                double logSum = logSumExp(p);
                for (int j = 0; j < n; j++) {
                    double target = target(t[j], n);
                    loss -= target == 0 ? 0 : target * (p[j] - logSum);
                }
                return loss;
            }
            double rowSum = sum(p);
            for (int j = 0; j < n; j++) {
                double target = target(t[j], n);
                double clipped = clip(p[j] / rowSum);
                // A zero target adds 0 * log(...), the log being negative and finite unless the probability is NaN:
                // that product is -target, so the logarithm is skipped (one per row for one-hot targets, not per class).
                loss -= target == 0 && clipped == clipped ? -target : target * Math.log(clipped);
            }
            return loss;
        }

        /** Probabilities without smoothing (the common case) read in place, with {@link #value(double[], float[])}'s arithmetic. */
        @Override
        double value(float[] p, float[] t) {
            if (fromLogits || labelSmoothing != 0) {
                return super.value(p, t);
            }
            double rowSum = sum(p);
            double loss = 0;
            for (int j = 0; j < p.length; j++) {
                double target = t[j];
                double clipped = clip(p[j] / rowSum);
                loss -= target == 0 && clipped == clipped ? -target : target * Math.log(clipped);
            }
            return loss;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            int n = p.length;
            double targetSum = 0;
            for (int j = 0; j < n; j++) {
                targetSum += target(t[j], n);
            }
            if (fromLogits) {
                double logSum = logSumExp(p);
                for (int j = 0; j < n; j++) {
                    out[j] = (float) ((Math.exp(p[j] - logSum) * targetSum - target(t[j], n)) * scale);
                }
                return;
            }
            // L = -sum_j t_j log(clip(p_j / S)); dL/dp_k = -t_k / p_k [k unclipped] + sum_{j unclipped} t_j / S
            double rowSum = sum(p);
            double unclippedTargets = 0;
            for (int j = 0; j < n; j++) {
                if (!clipped(p[j] / rowSum)) {
                    unclippedTargets += target(t[j], n);
                }
            }
            for (int j = 0; j < n; j++) {
                double own = clipped(p[j] / rowSum) ? 0.0 : -target(t[j], n) / p[j];
                out[j] = (float) ((own + unclippedTargets / rowSum) * scale);
            }
        }
    }

    /**
     * Sparse categorical cross-entropy: categorical cross-entropy against the one-hot row of the integer label
     * {@code k} held in the single target column: {@code -log(clip(p_k / sum(p)))}, or {@code logsumexp(z) - z_k}.
     */
    static final class SparseCategoricalCrossentropy extends CrossEntropy {
        SparseCategoricalCrossentropy(boolean fromLogits) {
            super(fromLogits, 0);
        }

        @Override String kerasName() { return "sparse_categorical_crossentropy"; }

        @Override
        Map<String, Object> parameters() {
            return Map.of("from_logits", fromLogits);
        }

        @Override
        boolean sparse() {
            return true;
        }

        @Override
        double value(double[] p, float[] t) {
            int k = label(t, p.length);
            if (fromLogits) {
                return logSumExp(p) - p[k];
            }
            return -Math.log(clip(p[k] / sum(p)));
        }

        /** Probabilities read in place, with {@link #value(double[], float[])}'s arithmetic. */
        @Override
        double value(float[] p, float[] t) {
            if (fromLogits) {
                return super.value(p, t);
            }
            return -Math.log(clip(p[label(t, p.length)] / sum(p)));
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            int k = label(t, p.length);
            if (fromLogits) {
                double logSum = logSumExp(p);
                for (int j = 0; j < p.length; j++) {
                    out[j] = (float) ((Math.exp(p[j] - logSum) - (j == k ? 1 : 0)) * scale);
                }
                return;
            }
            double rowSum = sum(p);
            boolean flat = clipped(p[k] / rowSum);
            for (int j = 0; j < p.length; j++) {
                double d = flat ? 0 : (j == k ? -1.0 / p[k] : 0) + 1.0 / rowSum;
                out[j] = (float) (d * scale);
            }
        }
    }

    /**
     * Binary focal cross-entropy (Lin et al. 2017) as Keras 3 writes it: targets smoothed as for binary
     * cross-entropy, {@code q = p} or {@code sigmoid(z)}, {@code bce} the clipped binary cross-entropy of {@code q},
     * {@code p_t = t q + (1 - t)(1 - q)}, loss {@code mean(w (1 - p_t)^gamma bce)} with
     * {@code w = t alpha + (1 - t)(1 - alpha)} when class balancing is on, else 1.
     */
    static final class BinaryFocalCrossentropy extends CrossEntropy {
        final boolean applyClassBalancing;
        final double alpha;
        final double gamma;

        BinaryFocalCrossentropy(boolean applyClassBalancing, double alpha, double gamma, boolean fromLogits,
                double labelSmoothing) {
            super(fromLogits, labelSmoothing);
            this.applyClassBalancing = applyClassBalancing;
            this.alpha = alpha;
            this.gamma = gamma;
        }

        @Override String kerasName() { return "binary_focal_crossentropy"; }

        @Override
        Map<String, Object> parameters() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("apply_class_balancing", applyClassBalancing);
            map.put("alpha", alpha);
            map.put("gamma", gamma);
            map.putAll(super.parameters());
            return map;
        }

        private double target(float t) {
            return labelSmoothing == 0 ? t : t * (1.0 - labelSmoothing) + 0.5 * labelSmoothing;
        }

        private double weight(double target) {
            return applyClassBalancing ? target * alpha + (1 - target) * (1 - alpha) : 1;
        }

        @Override
        double value(double[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double target = target(t[j]);
                double q = fromLogits ? sigmoid(p[j]) : p[j];
                double c = clip(q);
                double bce = -(target * Math.log(c) + (1 - target) * Math.log(1 - c));
                double pt = target * q + (1 - target) * (1 - q);
                sum += weight(target) * Math.pow(1 - pt, gamma) * bce;
            }
            return sum / p.length;
        }

        @Override
        void gradient(double[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                double target = target(t[j]);
                double q = fromLogits ? sigmoid(p[j]) : p[j];
                double c = clip(q);
                double bce = -(target * Math.log(c) + (1 - target) * Math.log(1 - c));
                double oneMinusPt = 1 - (target * q + (1 - target) * (1 - q));
                double focal = Math.pow(oneMinusPt, gamma);
                // d(1 - p_t)/dq = 1 - 2t
                double focalSlope = gamma == 0 ? 0 : gamma * Math.pow(oneMinusPt, gamma - 1) * (1 - 2 * target);
                double d;
                if (fromLogits) {
                    // dq/dz = q (1 - q); d bce/dz = q - t where bce is not clipped (stable form)
                    double bceSlope = clipped(q) ? 0 : q - target;
                    d = focalSlope * q * (1 - q) * bce + focal * bceSlope;
                } else {
                    double bceSlope = clipped(q) ? 0 : -target / q + (1 - target) / (1 - q);
                    d = focalSlope * bce + focal * bceSlope;
                }
                out[j] = (float) (weight(target) * d * scale / p.length);
            }
        }

        @Override
        public boolean equals(Object o) {
            return super.equals(o) && ((BinaryFocalCrossentropy) o).applyClassBalancing == applyClassBalancing
                    && ((BinaryFocalCrossentropy) o).alpha == alpha && ((BinaryFocalCrossentropy) o).gamma == gamma;
        }

        @Override
        public int hashCode() {
            return Objects.hash(super.hashCode(), applyClassBalancing, alpha, gamma);
        }
    }
}
