package dev.nncore.activations;

/**
 * A function of each value alone, {@code a = f(z)}: subclasses give {@code f} and {@code f'} once, in float64; the
 * float32 forward is the float64 value rounded once, and the float32 gradient is {@code upstream * f'(z)} in
 * float64, rounded once.
 */
public abstract class Elementwise extends ActivationFunction {

    /** Elements per widened chunk: 8 KB of doubles, which stay in L1. */
    private static final int CHUNK = 1024;
    /** A thread's widened rows ({@link #apply(float[])}) and outputs ({@link #gradient}), one chunk each. */
    private static final ThreadLocal<double[]> WIDE = ThreadLocal.withInitial(() -> new double[CHUNK]);
    private static final ThreadLocal<double[]> WIDE_OUTPUTS = ThreadLocal.withInitial(() -> new double[CHUNK]);

    /** @return {@code f(x)} */
    public abstract double value(double x);

    /**
     * @param x the input (0 when {@link #needsInput()} is false and no input was kept)
     * @param y the output {@code f(x)}
     * @return {@code f'(x)}, Keras's convention at kinks
     */
    public abstract double derivative(double x, double y);

    @Override
    public void apply(double[] row) {
        for (int j = 0; j < row.length; j++) {
            row[j] = value(row[j]);
        }
    }

    /**
     * The float64 value of each element, rounded once. The row is widened into a per-thread double array first, a
     * chunk at a time, rather than converting each element beside its call of {@code value}: under C2 such a
     * conversion waited on the previous element's result, so the calls ran one after another (784-128-10 with a
     * sigmoid hidden layer, batch 256: 1,014-1,128 us that way, 700-734 us widened, with the same bits;
     * {@code ForwardBenchmark -p hidden=sigmoid}).
     */
    @Override
    public void apply(float[] row) {
        double[] wide = WIDE.get();
        for (int from = 0; from < row.length; from += CHUNK) {
            int to = Math.min(row.length, from + CHUNK);
            for (int j = from; j < to; j++) {
                wide[j - from] = row[j];
            }
            for (int j = 0; j < to - from; j++) {
                wide[j] = value(wide[j]);
            }
            for (int j = from; j < to; j++) {
                row[j] = (float) wide[j - from];
            }
        }
    }

    /** {@code upstream * f'(z)} in float64, rounded once; widened a chunk at a time as {@link #apply(float[])} is. */
    @Override
    public void gradient(float[] z, float[] a, float[] upstream, float[] out) {
        double[] wide = WIDE.get();
        double[] outputs = WIDE_OUTPUTS.get();
        for (int from = 0; from < a.length; from += CHUNK) {
            int to = Math.min(a.length, from + CHUNK);
            for (int j = from; j < to; j++) {
                wide[j - from] = z == null ? 0 : z[j];
                outputs[j - from] = a[j];
            }
            for (int j = 0; j < to - from; j++) {
                wide[j] = derivative(wide[j], outputs[j]);
            }
            for (int j = from; j < to; j++) {
                out[j] = (float) (upstream[j] * wide[j - from]);
            }
        }
    }

    /** {@code 1 / (1 + e^-x)} without overflow for either sign. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** {@code log(1 + e^x)} without overflow: {@code max(x, 0) + log1p(e^-|x|)}. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
