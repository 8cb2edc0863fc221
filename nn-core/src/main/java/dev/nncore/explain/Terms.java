package dev.nncore.explain;

import java.util.function.IntFunction;

/** Sums written out term by term, long ones as their first and last terms around an ellipsis. */
final class Terms {

    /** Sums of more terms than this are written as their first {@link #HEAD} and last {@link #TAIL} terms. */
    static final int MAX_WRITTEN = 12;
    static final int HEAD = 6;
    static final int TAIL = 2;

    private Terms() {
    }

    /** {@code t0 + t1 + ... + t(n-1)}, or {@code t0 + ... + t5 + ... (n more terms) + t(n-2) + t(n-1)}. */
    static String sum(int count, IntFunction<String> term) {
        return join(" + ", count, term);
    }

    /** The terms joined by {@code separator} ({@code " + "}, {@code " x "}, {@code ", "}), shortened as {@link #sum}. */
    static String join(String separator, int count, IntFunction<String> term) {
        StringBuilder text = new StringBuilder();
        boolean shorten = count > MAX_WRITTEN;
        for (int k = 0; k < count; k++) {
            if (k > 0) {
                text.append(separator);
            }
            if (shorten && k == HEAD) {
                text.append("... (").append(count - HEAD - TAIL).append(" more terms)");
                k = count - TAIL - 1;
                continue;
            }
            text.append(term.apply(k));
        }
        return text.toString();
    }

    /** {@code x0 x w0 + x1 x w1 + ... + b}; without a bias (null) the sum ends at the last product. */
    static String weightedSum(float[] inputs, float[] weights, Float bias, int digits) {
        String products = sum(inputs.length,
                k -> Numbers.operand(inputs[k], digits) + " x " + Numbers.operand(weights[k], digits));
        return bias == null ? products : products + " + " + Numbers.operand(bias, digits);
    }
}
