package dev.nncore.explain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How explanations, diagrams and the command line write a float32 value. */
final class Numbers {

    /** Digits value meaning "no rounding": the shortest decimal that reads back as the same float. */
    static final int EXACT = -1;

    private Numbers() {
    }

    /**
     * {@code v} as plain decimal text: {@code 1.3}, {@code -0.16}, {@code 0}. With {@link #EXACT} digits it is the
     * shortest decimal that reads back as the same float32 (Java's {@code Float.toString} without its {@code .0}
     * and exponent, except below 1e-4 or from 1e7 on, where the exponent form is kept); otherwise the exact float
     * value rounded half up to {@code digits} places after the point, trailing zeros dropped. Both zeros are
     * written {@code 0}.
     */
    static String format(float v, int digits) {
        if (Float.isNaN(v)) {
            return "NaN";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0f) {
            return "0";
        }
        float magnitude = Math.abs(v);
        if (magnitude >= 1e7f || (digits == EXACT && magnitude < 1e-4f)) {
            return Float.toString(v);
        }
        BigDecimal value = digits == EXACT
                ? new BigDecimal(Float.toString(v))
                : new BigDecimal(v).setScale(digits, RoundingMode.HALF_UP);
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }

    /** {@link #format}, with a negative value in parentheses, as an operand in a sum: {@code (-1.3)}. */
    static String operand(float v, int digits) {
        String text = format(v, digits);
        return text.startsWith("-") ? "(" + text + ")" : text;
    }

    /** {@code v} rounded half up to {@code digits} places, as the nearest float; {@link #EXACT} returns it unchanged. */
    static float round(float v, int digits) {
        if (digits == EXACT || !Float.isFinite(v)) {
            return v;
        }
        return new BigDecimal(v).setScale(digits, RoundingMode.HALF_UP).floatValue();
    }

    /** Rejects digits outside 0..9 (and {@link #EXACT}), naming the value. */
    static int checkDigits(int digits) {
        if (digits != EXACT && (digits < 0 || digits > 9)) {
            throw new IllegalArgumentException("digits must be between 0 and 9 (places after the decimal point), got " + digits);
        }
        return digits;
    }
}
