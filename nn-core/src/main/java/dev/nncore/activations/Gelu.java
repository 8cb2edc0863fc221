package dev.nncore.activations;

import java.util.Map;

/**
 * Gaussian error linear unit, Keras's {@code gelu(x, approximate)}: exact {@code x Phi(x) = 0.5 x (1 + erf(x / sqrt 2))}
 * (Keras 3's default), or the tanh form {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}.
 */
public final class Gelu extends Elementwise {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double CUBIC = 0.044715;

    private final boolean approximate;

    /** @param approximate the tanh form instead of the exact one */
    public Gelu(boolean approximate) {
        this.approximate = approximate;
    }

    @Override
    public String kerasName() {
        return "gelu";
    }

    @Override
    public Map<String, Object> parameters() {
        return approximate ? Map.of("approximate", true) : Map.of();
    }

    /** @return whether this is the tanh form */
    public boolean approximate() {
        return approximate;
    }

    @Override
    public double value(double x) {
        if (approximate) {
            return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + CUBIC * x * x * x)));
        }
        return x * normalCdf(x);
    }

    @Override
    public double derivative(double x, double y) {
        if (approximate) {
            if (Math.abs(x) > 20) {
                return x > 0 ? 1 : 0; // tanh is +-1 to double precision; avoids inf * 0
            }
            double t = Math.tanh(SQRT_2_OVER_PI * (x + CUBIC * x * x * x));
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * CUBIC * x * x);
        }
        if (Math.abs(x) > 40) {
            return x > 0 ? 1 : 0; // x phi(x) underflows
        }
        return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** {@code Phi(x) = erfc(-x / sqrt 2) / 2}, to about 1e-15 relative, also far in the lower tail. */
    static double normalCdf(double x) {
        double z = x / Math.sqrt(2);
        return z < 0 ? 0.5 * erfc(-z) : 1 - 0.5 * erfc(z);
    }

    /** {@code erfc(z)} for {@code z >= 0}: a power series below 2.5, a continued fraction above. */
    static double erfc(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        if (z < 2.5) {
            // erf(z) = 2/sqrt(pi) e^-z^2 sum_n 2^n z^(2n+1) / (1 3 5 ... (2n+1)): all terms positive, no cancellation
            double term = z;
            double sum = z;
            for (int n = 1; n < 200 && term > sum * 1e-17; n++) {
                term *= 2 * z * z / (2 * n + 1);
                sum += term;
            }
            return 1 - 2 / Math.sqrt(Math.PI) * Math.exp(-z * z) * sum;
        }
        if (z > 27) {
            return 0; // below the smallest double
        }
        // erfc(z) = e^-z^2 / sqrt(pi) * 1 / (z + (1/2) / (z + 1 / (z + (3/2) / (z + 2 / (z + ...))))), Lentz's method
        double tiny = 1e-300;
        double f = z;
        double c = z;
        double d = 0;
        for (int k = 1; k < 500; k++) {
            double a = k / 2.0;
            d = z + a * d;
            d = d == 0 ? tiny : d;
            c = z + a / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
    }
}
