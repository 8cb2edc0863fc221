package dev.nncore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FloatExpTest {

    /** Distance in representable floats (both finite, same sign). */
    private static int ulps(float a, float b) {
        return Math.abs(Float.floatToIntBits(a) - Float.floatToIntBits(b));
    }

    @Test
    void classExample() {
        float e = FloatExp.exp(1f);
        float tiny = FloatExp.expOfDifference(-90f, 0f);
        assertThat(e).isEqualTo((float) Math.E);
        assertThat(tiny).isEqualTo((float) Math.exp(-90)).isCloseTo(8.194e-40f, within(1e-43f));
    }

    @Test
    void withinOneUlpOfTheCorrectlyRoundedValueAcrossTheFastRange() {
        // every 61st float in [-87, 88], about 37 million inputs, against Math.exp's double rounded once to float
        int worst = 0;
        long inexact = 0;
        long checked = 0;
        int[][] ranges = {{Float.floatToIntBits(0f), Float.floatToIntBits(88f)},
            {Float.floatToIntBits(-0f), Float.floatToIntBits(-87f)}};
        for (int[] range : ranges) {
            for (int bits = range[0]; bits <= range[1]; bits += 61) {
                float x = Float.intBitsToFloat(bits);
                int d = ulps(FloatExp.exp(x), (float) Math.exp(x));
                worst = Math.max(worst, d);
                inexact += d == 0 ? 0 : 1;
                checked++;
            }
        }
        assertThat(worst).isEqualTo(1);
        assertThat((double) inexact / checked).isLessThan(0.2); // most results are the correctly rounded float
    }

    @Test
    void exactAtZeroAndPowersOfTwoOfE() {
        assertThat(FloatExp.exp(0f)).isEqualTo(1f);
        assertThat(FloatExp.exp(-0f)).isEqualTo(1f);
        assertThat(ulps(FloatExp.exp(1f), (float) Math.E)).isLessThanOrEqualTo(1);
        assertThat(ulps(FloatExp.exp(-1f), (float) (1 / Math.E))).isLessThanOrEqualTo(1);
    }

    @Test
    void outsideTheFastRangeItIsMathExp() {
        float[] xs = {-87.5f, -100f, -103.9f, -104f, -150f, 88.5f, 88.72f, 88.73f, 1000f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (float x : xs) {
            assertThat(Float.floatToIntBits(FloatExp.exp(x))).as("exp(%s)", x)
                    .isEqualTo(Float.floatToIntBits((float) Math.exp(x)));
        }
        assertThat(FloatExp.exp(-100f)).isGreaterThan(0f); // subnormal, not flushed
        assertThat(FloatExp.exp(89f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FloatExp.exp(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
        assertThat(FloatExp.exp(Float.NaN)).isNaN();
    }

    @Test
    void theEdgesOfTheFastRangeMeetTheFallback() {
        for (float x : new float[] {-87f, Math.nextDown(-87f), 88f, Math.nextUp(88f)}) {
            assertThat(ulps(FloatExp.exp(x), (float) Math.exp(x))).as("exp(%s)", x).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void expOfDifferenceTakesTheDifferenceExactly() {
        // x - y rounded to float is off by up to |x - y| * 2^-24, which exp turns into ulps of its own: e^(-13.9)
        // would carry ~14 ulp. The corrected result stays within 2 ulp of e^(x - y) computed in double.
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int worst = 0;
        int worstUncorrected = 0;
        for (int i = 0; i < 2_000_000; i++) {
            float y = (float) (random.nextDouble() * 60 - 30);
            float x = (float) (y - random.nextDouble() * 80);
            float exact = (float) Math.exp((double) x - y);
            worst = Math.max(worst, ulps(FloatExp.expOfDifference(x, y), exact));
            worstUncorrected = Math.max(worstUncorrected, ulps(FloatExp.exp(x - y), exact));
        }
        assertThat(worst).isLessThanOrEqualTo(2);
        assertThat(worstUncorrected).isGreaterThan(10); // the rounding the correction removes is real
    }

    @Test
    void expOfDifferenceAtTheEdges() {
        assertThat(FloatExp.expOfDifference(Float.NEGATIVE_INFINITY, 3f)).isEqualTo(0f);
        assertThat(FloatExp.expOfDifference(3f, Float.NEGATIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FloatExp.expOfDifference(0f, Float.MAX_VALUE)).isEqualTo(0f);
        assertThat(FloatExp.expOfDifference(Float.MAX_VALUE, Float.MAX_VALUE)).isEqualTo(1f);
        assertThat(FloatExp.expOfDifference(Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY)).isNaN();
        assertThat(FloatExp.expOfDifference(Float.NaN, 1f)).isNaN();
        assertThat(FloatExp.expOfDifference(100f, 1f)).isEqualTo(Float.POSITIVE_INFINITY);
    }
}
