package dev.nncore.activations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ReLU's branch-free gradient is {@code a > 0 ? upstream : +0.0} bit for bit, special values included. */
class ReluGradientTest {

    @Test
    void theBranchFreeGradientIsTheConditionalBitForBit() {
        float[] outputs = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, 1f, 3.0e38f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0xFFC00000), Float.intBitsToFloat(0x7F800001), -1f, Float.NEGATIVE_INFINITY};
        float[] upstreams = {1.5f, -2f, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE};
        Relu relu = new Relu(0, null, 0);
        for (float a : outputs) {
            float[] as = new float[upstreams.length];
            java.util.Arrays.fill(as, a);
            float[] out = new float[upstreams.length];
            relu.gradient(null, as, upstreams, out);
            for (int j = 0; j < upstreams.length; j++) {
                float expected = a > 0f ? upstreams[j] : 0f;
                assertThat(Float.floatToRawIntBits(out[j])).as("a = %s, upstream = %s", a, upstreams[j])
                        .isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
        SplittableRandom random = new SplittableRandom(5);
        float[] as = new float[10_000];
        float[] upstream = new float[as.length];
        for (int j = 0; j < as.length; j++) {
            as[j] = Math.max(Float.intBitsToFloat(random.nextInt()), 0f);
            upstream[j] = Float.intBitsToFloat(random.nextInt());
        }
        float[] out = new float[as.length];
        relu.gradient(null, as, upstream, out);
        for (int j = 0; j < as.length; j++) {
            assertThat(Float.floatToRawIntBits(out[j])).isEqualTo(Float.floatToRawIntBits(as[j] > 0f ? upstream[j] : 0f));
        }
    }
}
