package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.Gaussian;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The trainer keeps the weights before a step by having the optimizer write the new ones elsewhere; that must give
 * the same bits as updating in place, for every rule and the shared options, and leave the old weights untouched.
 */
class OutOfPlaceUpdateTest {

    @Test
    void everyOptimizerGivesTheSameBitsInPlaceAndOutOfPlace() {
        Optimizer[] optimizers = {Optimizer.sgd(0.1), Optimizer.sgd(0.1, 0.9), Optimizer.sgd(0.1, 0.9, true),
            Optimizer.adam(0.01), Optimizer.adamW(0.01), Optimizer.rmsprop(0.01), Optimizer.rmsprop(0.01, 0.9, 0.5, 1e-7, true), Optimizer.adagrad(0.1),
            Optimizer.adadelta(1.0), Optimizer.adamax(0.01), Optimizer.nadam(0.01), Optimizer.ftrl(0.1),
            Optimizer.lion(0.001), Optimizer.adam(0.01).globalClipNorm(0.5).ema(0.9, 2), Optimizer.sgd(0.1).weightDecay(0.01),
            Optimizer.custom("Halving", 0.1, (w, g, slots, rate, step) -> {
                for (int r = 0; r < w.length; r++) {
                    for (int c = 0; c < w[r].length; c++) {
                        w[r][c] -= (float) (rate * g[r][c]) / 2;
                    }
                }
            })};
        int overGradients = 0;
        for (Optimizer optimizer : optimizers) {
            List<float[][]> inPlace = tensors(1);
            List<float[][]> before = tensors(1);
            List<float[][]> after = tensors(99);
            List<float[][]> current = tensors(1);
            OptimizerRun one = optimizer.start(inPlace);
            OptimizerRun other = optimizer.start(before);
            OptimizerRun third = optimizer.start(current);
            boolean writesOver = third.mayWriteOverGradients();
            overGradients += writesOver ? 1 : 0;
            for (int step = 0; step < 3; step++) {
                List<float[][]> gradients = tensors(10 + step);
                one.apply(inPlace, tensors(10 + step));
                other.apply(before, after, gradients);
                assertThat(after).as(optimizer + ", step " + step).usingRecursiveComparison().isEqualTo(inPlace);
                assertThat(before).as("the weights before the step, kept").usingRecursiveComparison()
                        .isNotEqualTo(inPlace);
                List<float[][]> swap = before;
                before = after;
                after = swap;
                if (writesOver) { // the trainer's way: the new weights over the gradients, which then hold the old ones
                    List<float[][]> overwritten = tensors(10 + step);
                    third.apply(current, overwritten, overwritten);
                    assertThat(overwritten).as(optimizer + " over its gradients, step " + step)
                            .usingRecursiveComparison().isEqualTo(inPlace);
                    current = overwritten;
                }
            }
        }
        // all but AdamW and SGD with weight decay (the decay writes first) and the custom rule (it works in place)
        assertThat(overGradients).as("rules that may write over their gradients").isEqualTo(optimizers.length - 3);
    }

    /** Keras 3's SGD computes in float32: {@code w - g * lr}, and {@code m = m * momentum - g * lr; w + m}. */
    @Test
    void sgdRoundsAsKerasFloat32Arithmetic() {
        float[][] w = {{0.1f, -0.7f, 3.3f}};
        float[][] g = {{0.123456f, 2.5e-3f, -7.77f}};
        float lr = 0.01f;
        float momentum = 0.9f;
        float[][] plain = {w[0].clone()};
        float[][] heavy = {w[0].clone()};
        OptimizerRun sgd = Optimizer.sgd(lr).start(List.<float[][]>of(plain));
        OptimizerRun withMomentum = Optimizer.sgd(lr, momentum).start(List.<float[][]>of(heavy));
        float[] m = new float[3];
        float[] expectedHeavy = w[0].clone();
        for (int step = 0; step < 2; step++) {
            sgd.apply(List.<float[][]>of(plain), List.<float[][]>of(new float[][] {g[0].clone()}));
            withMomentum.apply(List.<float[][]>of(heavy), List.<float[][]>of(new float[][] {g[0].clone()}));
            for (int c = 0; c < 3; c++) {
                m[c] = m[c] * momentum - g[0][c] * lr;
                expectedHeavy[c] = expectedHeavy[c] + m[c];
            }
        }
        float[] expectedPlain = new float[3];
        for (int c = 0; c < 3; c++) {
            expectedPlain[c] = (w[0][c] - g[0][c] * lr) - g[0][c] * lr;
        }
        assertThat(plain[0]).containsExactly(expectedPlain);
        assertThat(heavy[0]).containsExactly(expectedHeavy);
    }

    /**
     * Keras 3's Adam computes in float32 too ({@code keras/src/optimizers/adam.py}): {@code alpha = lr sqrt(1 - b2^t) /
     * (1 - b1^t)}, {@code m += (g - m)(1 - b1)}, {@code v += (g^2 - v)(1 - b2)}, {@code w -= m alpha / (sqrt(v) + eps)};
     * and within float32 rounding of the same formula in double.
     */
    @Test
    void adamRoundsAsKerasFloat32Arithmetic() {
        float[] w0 = {0.1f, -0.7f, 3.3f, 1e-3f};
        float[][] grads = {{0.123456f, 2.5e-3f, -7.77f, 0f}, {-0.5f, 1e-6f, 3.1f, 2f}, {0.3f, -0.2f, 0.01f, -4f}};
        float[][] w = {w0.clone()};
        OptimizerRun adam = Optimizer.adam(0.01, 0.9, 0.999, 1e-7).start(List.<float[][]>of(w));
        float[] m = new float[4];
        float[] v = new float[4];
        float[] expected = w0.clone();
        double[] m64 = new double[4];
        double[] v64 = new double[4];
        double[] w64 = {0.1f, -0.7f, 3.3f, 1e-3f};
        for (int step = 0; step < grads.length; step++) {
            adam.apply(List.<float[][]>of(w), List.<float[][]>of(new float[][] {grads[step].clone()}));
            int t = step + 1;
            float alpha = 0.01f * (float) Math.sqrt(1 - (float) Math.pow(0.999f, t)) / (1 - (float) Math.pow(0.9f, t));
            double alpha64 = 0.01 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            for (int c = 0; c < 4; c++) {
                float g = grads[step][c];
                m[c] = m[c] + (g - m[c]) * 0.1f;
                v[c] = v[c] + (g * g - v[c]) * (float) (1 - 0.999);
                expected[c] = expected[c] - m[c] * alpha / ((float) Math.sqrt(v[c]) + 1e-7f);
                m64[c] = 0.9 * m64[c] + 0.1 * g;
                v64[c] = 0.999 * v64[c] + 0.001 * g * g;
                w64[c] = w64[c] - alpha64 * m64[c] / (Math.sqrt(v64[c]) + 1e-7);
            }
            assertThat(w[0]).as("step %d", t).containsExactly(expected);
            for (int c = 0; c < 4; c++) {
                assertThat((double) w[0][c]).isCloseTo(w64[c], org.assertj.core.api.Assertions.within(1e-6));
            }
        }
    }

    /** Keras 3's RMSprop in float32: {@code s = rho s + (1 - rho) g^2; w -= lr g / sqrt(s + eps)}. */
    @Test
    void rmspropRoundsAsKerasFloat32Arithmetic() {
        float[] w0 = {0.1f, -0.7f, 3.3f, 1e-3f};
        float[][] grads = {{0.123456f, 2.5e-3f, -7.77f, 0f}, {-0.5f, 1e-6f, 3.1f, 2f}};
        float[][] w = {w0.clone()};
        OptimizerRun rmsprop = Optimizer.rmsprop(0.01, 0.9, 1e-7).start(List.<float[][]>of(w));
        float[] s = new float[4];
        float[] expected = w0.clone();
        for (float[] gradient : grads) {
            rmsprop.apply(List.<float[][]>of(w), List.<float[][]>of(new float[][] {gradient.clone()}));
            for (int c = 0; c < 4; c++) {
                float g = gradient[c];
                s[c] = 0.9f * s[c] + 0.1f * (g * g);
                expected[c] = expected[c] - 0.01f * g / (float) Math.sqrt(s[c] + 1e-7f);
            }
            assertThat(w[0]).containsExactly(expected);
        }
    }

    /**
     * A large tensor's rows are updated by several threads at once (each the rows it computed): the same bits as the
     * same rows updated one small tensor at a time, which one thread updates alone.
     */
    @Test
    void aLargeTensorUpdatedByRowsOnSeveralThreadsHasTheBitsOfOneThread() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.nncore.internal.Kernels.threads() >= 2, "two threads");
        Optimizer[] rowRules = {Optimizer.sgd(0.1), Optimizer.sgd(0.1, 0.9), Optimizer.sgd(0.1, 0.9, true),
            Optimizer.adam(0.01), Optimizer.rmsprop(0.01), Optimizer.adamW(0.01), Optimizer.adam(0.01).clipValue(0.5)}; // clipping by value: per element, as the cut (a norm is per tensor)
        int rows = 301;
        int cols = 256; // 77,056 weights: cut over the threads
        for (Optimizer optimizer : rowRules) {
            float[][] large = Gaussian.rows(rows, cols, 1);
            List<float[][]> small = new ArrayList<>();
            for (float[] row : Gaussian.rows(rows, cols, 1)) {
                small.add(new float[][] {row}); // 256 weights each: updated on this thread alone
            }
            OptimizerRun cut = optimizer.start(List.<float[][]>of(large));
            OptimizerRun alone = optimizer.start(small);
            for (int step = 0; step < 3; step++) {
                float[][] gradient = Gaussian.rows(rows, cols, 10 + step);
                List<float[][]> smallGradients = new ArrayList<>();
                for (float[] row : Gaussian.rows(rows, cols, 10 + step)) {
                    smallGradients.add(new float[][] {row});
                }
                float[][] updated = new float[rows][cols];
                cut.apply(List.<float[][]>of(large), List.<float[][]>of(updated), List.<float[][]>of(gradient));
                large = updated;
                alone.apply(small, smallGradients);
                for (int r = 0; r < rows; r++) {
                    assertThat(large[r]).as("%s, step %d, row %d", optimizer, step, r).containsExactly(small.get(r)[0]);
                }
            }
        }
    }

    private static List<float[][]> tensors(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[][]> out = new ArrayList<>();
        for (int[] shape : new int[][] {{4, 3}, {1, 3}}) {
            float[][] t = new float[shape[0]][shape[1]];
            for (float[] row : t) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = (float) random.nextGaussian();
                }
            }
            out.add(t);
        }
        return out;
    }
}
