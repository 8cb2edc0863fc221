package dev.nncore.math;

import dev.nncore.internal.FloatExp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax over a batch of rows, one row per vector lane: rows are taken a vector's width at a time and transposed
 * into a scratch array, so that each lane runs exactly the scalar code's arithmetic for its row
 * ({@code Softmax.apply(float[])}): the running {@link Math#max} over the row, {@link FloatExp#expOfDifference} of
 * each value and the max, the terms summed in double in index order, each term divided by the sum rounded to float.
 * Lane-wise float operations round as the scalar ones do, so the bits are the same. A lane whose difference is
 * outside the polynomial's range (an underflowing term, an infinity, a NaN) takes {@link FloatExp}'s own path.
 *
 * <p>The scalar code computes the ten exponentials of a 10-class output row one after another (25-35 us of a
 * 784-128-10 batch of 256, where ONNX Runtime's softmax added no measurable time); here sixteen rows share each
 * instruction (about 4 us). A row narrower than a vector gains nothing from vectors along it, which is why the lanes
 * run across rows.
 */
final class VectorSoftmax {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Wider rows are left to the scalar code, which has work enough along such a row; the scratch holds as many. */
    static final int MAX_WIDTH = 64;
    /** Fewer rows than this are left to the scalar code: a group's transposes cost more than they save. */
    static final int MIN_ROWS = 4;
    private static final float[] COEFFICIENTS = FloatExp.coefficients();
    /**
     * The species' final vector and mask classes: every vector or mask a method is called on is cast to its class
     * first, so that C2 inlines the call whether or not a type profile names the class (see {@link VectorKernel#EXACT}).
     * Without the casts, a compilation made without profiles left the softmax's calls out of line: one boxed vector
     * per exponential call, in about one run in 13 of the allocation tests.
     */
    private static final Class<FloatVector> FLOATS = VectorKernel.EXACT;
    @SuppressWarnings("unchecked")
    private static final Class<IntVector> INTS = (Class<IntVector>) SPECIES.withLanes(int.class).vectorType();
    @SuppressWarnings("unchecked")
    private static final Class<VectorMask<Float>> MASKS = (Class<VectorMask<Float>>) SPECIES.maskAll(true).getClass();

    private static final class Scratch {
        /** {@code columns[c * LANES + j]}: value c of the group's row j, then its term, then its output. */
        final float[] columns = new float[MAX_WIDTH * LANES];
        final float[] maxima = new float[LANES];
        final float[] totals = new float[LANES];
        final double[] sums = new double[LANES];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private VectorSoftmax() {
    }

    /**
     * Softmax of rows {@code from <= r < to} in place, if they are at least {@link #MIN_ROWS}, all of one width from 2
     * to {@link #MAX_WIDTH}; false, with nothing written, otherwise.
     */
    static boolean apply(float[][] rows, int from, int to) {
        if (to - from < MIN_ROWS) {
            return false;
        }
        int n = rows[from].length;
        if (n < 2 || n > MAX_WIDTH) {
            return false;
        }
        for (int r = from + 1; r < to; r++) {
            if (rows[r].length != n) {
                return false;
            }
        }
        Scratch scratch = SCRATCH.get();
        for (int r = from; r < to; r += LANES) {
            group(rows, r, Math.min(LANES, to - r), n, scratch);
        }
        return true;
    }

    /** Rows {@code first <= r < first + count} ({@code count <= LANES}), all {@code n} wide. */
    private static void group(float[][] rows, int first, int count, int n, Scratch scratch) {
        float[] t = scratch.columns;
        for (int j = 0; j < count; j++) {
            float[] row = rows[first + j];
            for (int c = 0, p = j; c < n; c++, p += LANES) {
                t[p] = row[c];
            }
        }
        for (int j = count; j < LANES; j++) { // lanes past the last row: zeros, whose terms are never stored
            for (int c = 0, p = j; c < n; c++, p += LANES) {
                t[p] = 0f;
            }
        }
        FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < n; c++) {
            max = FLOATS.cast(max).max(FloatVector.fromArray(SPECIES, t, c * LANES)); // Math.max: NaN wins, +0 over -0
        }
        FLOATS.cast(max).intoArray(scratch.maxima, 0);
        for (int c = 0; c < n; c++) {
            int p = c * LANES;
            if (!expOfDifference(t, p, scratch.maxima)) {
                for (int j = 0; j < count; j++) {
                    float x1 = rows[first + j][c];
                    float d1 = x1 - scratch.maxima[j];
                    if (!(d1 >= -87f && d1 <= 88f)) {
                        t[p + j] = FloatExp.expOfDifference(x1, scratch.maxima[j]);
                    }
                }
            }
        }
        double[] sums = scratch.sums;
        java.util.Arrays.fill(sums, 0);
        for (int c = 0; c < n; c++) {
            int p = c * LANES;
            for (int j = 0; j < LANES; j++) {
                sums[j] += t[p + j];
            }
        }
        float[] totals = scratch.totals;
        for (int j = 0; j < LANES; j++) {
            totals[j] = (float) sums[j];
        }
        FloatVector total = FloatVector.fromArray(SPECIES, totals, 0);
        for (int c = 0; c < n; c++) {
            int p = c * LANES;
            FLOATS.cast(FLOATS.cast(FloatVector.fromArray(SPECIES, t, p)).div(total)).intoArray(t, p);
        }
        for (int j = 0; j < count; j++) {
            float[] row = rows[first + j];
            for (int c = 0, p = j; c < n; c++, p += LANES) {
                row[c] = t[p];
            }
        }
    }

    /**
     * {@code values[at + j] = }{@link FloatExp#expOfDifference}{@code (values[at + j], maxima[j])} for each lane j, right for lanes
     * whose difference {@code d} is in {@code [-87, 88]}: the same float operations in the same order ({@code exp}'s
     * reduction and polynomial, then the TwoSum correction).
     *
     * <p>It reads and writes arrays and returns whether every lane was in range, so that no vector crosses a call: a
     * method that takes or returns vectors must be inlined into its caller, or C2 boxes each vector it passes, and C2
     * inlines a method of more than 35 bytes of bytecode ({@code -XX:MaxInlineSize}) only where the call's profile says
     * it is hot; a compilation that meets the call without a profile (a JVM whose compiler threads were starved may
     * skip the profiled tier) leaves it out of line. Out of line, this method is compiled on its own, with its vectors
     * in registers.
     *
     * @return whether every lane's difference was in range
     */
    private static boolean expOfDifference(float[] values, int at, float[] maxima) {
        FloatVector x = FLOATS.cast(FloatVector.fromArray(SPECIES, values, at));
        FloatVector y = FLOATS.cast(FloatVector.fromArray(SPECIES, maxima, 0));
        FloatVector d = FLOATS.cast(x.sub(y));
        VectorMask<Float> inRange = MASKS.cast(d.compare(VectorOperators.GE, -87f))
                .and(d.compare(VectorOperators.LE, 88f));
        FloatVector t = FLOATS.cast(FLOATS.cast(d.mul(FloatExp.LOG2_E)).add(FloatExp.ROUNDER));
        IntVector n = INTS.cast(INTS.cast(t.reinterpretAsInts()).sub(FloatExp.ROUNDER_BITS));
        FloatVector whole = FLOATS.cast(t.sub(FloatExp.ROUNDER));
        FloatVector r = FLOATS.cast(FLOATS.cast(d.sub(whole.mul(FloatExp.LN2_HIGH))).sub(whole.mul(FloatExp.LN2_LOW)));
        float[] c = COEFFICIENTS;
        FloatVector p = FloatVector.broadcast(SPECIES, c[0]);
        for (int i = 1; i < c.length; i++) {
            p = FLOATS.cast(FLOATS.cast(FLOATS.cast(p).mul(r)).add(c[i]));
        }
        p = FLOATS.cast(FLOATS.cast(FLOATS.cast(p).mul(r.mul(r))).add(r)).add(1f);
        IntVector exponent = INTS.cast(INTS.cast(n.add(127)).lanewise(VectorOperators.LSHL, 23));
        FloatVector e = FLOATS.cast(FLOATS.cast(p).mul(exponent.reinterpretAsFloats()));
        FloatVector yPart = FLOATS.cast(x.sub(d));
        FloatVector xPart = FLOATS.cast(d.add(yPart));
        FloatVector error = FLOATS.cast(x.sub(xPart)).sub(y.sub(yPart));
        FLOATS.cast(e.add(e.mul(error))).intoArray(values, at);
        return MASKS.cast(inRange).allTrue();
    }
}
