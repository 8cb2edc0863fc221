package dev.nncore;

import static dev.nncore.testing.Fixtures.assertClose;
import static dev.nncore.testing.Fixtures.doubles1d;
import static dev.nncore.testing.Fixtures.doubles2d;
import static dev.nncore.testing.Fixtures.floats1d;
import static dev.nncore.testing.Fixtures.floats2d;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer's forward pass against {@code reference/layers/layers.json}: Keras's formulas computed in float64 by
 * numpy and cross-checked against PyTorch (see that folder's README), never by nn-core. Training-mode cases replay
 * the reference's own Dropout masks and noise through a scripted random source.
 */
class LayerReferenceTest {

    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-5;

    static Stream<Map<?, ?>> cases() {
        return ((List<?>) Fixtures.json("/reference/layers/layers.json").get("cases")).stream().map(c -> (Map<?, ?>) c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("named")
    void inferenceMatchesTheReference(String name, Map<?, ?> c) {
        Layer layer = layer(c);
        Matrix x = Matrix.of(floats2d(c.get("x")));
        Map<?, ?> config = (Map<?, ?>) c.get("config");
        if (Boolean.TRUE.equals(c.get("training")) && "BatchNormalization".equals(c.get("layer"))) {
            return; // the training cases below
        }
        assertClose(layer.forward(x), doubles2d(c.get("output_f64")), ATOL, RTOL, name + " " + config);
        // one sample at a time gives the same bits as the batch
        Matrix batch = layer.forward(x);
        for (int r = 0; r < x.rows(); r++) {
            assertThat(layer.forward(x.getRow(r))).containsExactly(batch.getRow(r));
        }
    }

    static Stream<Object[]> named() {
        return cases().map(c -> new Object[] {c.get("name"), c});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchNormalizationTraining")
    void batchNormalizationTrainsOnBatchStatisticsAndUpdatesItsMovingOnesAsKeras(String name, Map<?, ?> c) {
        BatchNormalization layer = (BatchNormalization) layer(c);
        List<float[][]> weights = new ArrayList<>();
        for (Matrix weight : layer.getWeights()) {
            weights.add(weight.toArray());
        }
        Layer.Pass pass = layer.pass(weights, new SplittableRandom(1));
        List<?> steps = c.containsKey("steps") ? (List<?>) c.get("steps") : List.of(c);
        for (Object s : steps) {
            Map<?, ?> step = (Map<?, ?>) s;
            float[][] x = floats2d(step.get("x"));
            float[][] out = new float[x.length][x[0].length];
            pass.forward(x, out, true);
            assertClose(Matrix.of(out), doubles2d(step.get("output_f64")), ATOL, RTOL, name + " output");
            int moving = weights.size() - 2;
            assertClose(Matrix.of(weights.get(moving)), new double[][] {doubles1d(step.get("moving_mean_after"))}, 1e-6, 1e-6,
                    name + " moving_mean");
            assertClose(Matrix.of(weights.get(moving + 1)), new double[][] {doubles1d(step.get("moving_variance_after"))}, 1e-6,
                    1e-6, name + " moving_variance");
        }
        // inference afterwards: the moving statistics, not the batch's
        Layer trained = layer.withWeights(weights.stream().map(Matrix::of).toList());
        float[][] x = floats2d(((Map<?, ?>) steps.get(0)).get("x"));
        float[][] viaPass = new float[x.length][x[0].length];
        pass.forward(x, viaPass, false);
        assertThat(Matrix.of(viaPass)).isEqualTo(trained.forward(Matrix.of(x)));
    }

    static Stream<Object[]> batchNormalizationTraining() {
        return cases().filter(c -> "BatchNormalization".equals(c.get("layer")) && Boolean.TRUE.equals(c.get("training")))
                .map(c -> new Object[] {c.get("name"), c});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomLayers")
    void dropoutAndNoiseReplayTheReferenceMasks(String name, Map<?, ?> c) {
        Layer layer = layer(c);
        Map<?, ?> example = (Map<?, ?>) c.get("training_example");
        float[][] x = floats2d(c.get("x"));
        double rate = ((Number) ((Map<?, ?>) c.get("config")).get("rate")).doubleValue();
        RandomGenerator scripted;
        if (example.containsKey("kept_mask")) {
            // Dropout drops where nextDouble() < rate; AlphaDropout keeps where nextDouble() >= rate.
            double[] draws = Arrays.stream(doubles2d(example.get("kept_mask"))).flatMapToDouble(Arrays::stream)
                    .map(kept -> kept == 1 ? Math.nextUp(rate) : rate / 2).toArray();
            scripted = scripted(draws, false);
        } else {
            double stddev = ((Number) ((Map<?, ?>) c.get("constants")).get("stddev")).doubleValue();
            double[] draws = Arrays.stream(doubles2d(example.get("noise"))).flatMapToDouble(Arrays::stream)
                    .map(noise -> (noise - 1) / stddev).toArray();
            scripted = scripted(draws, true);
        }
        float[][] out = new float[x.length][x[0].length];
        layer.pass(List.of(), scripted).forward(x, out, true);
        assertClose(Matrix.of(out), doubles2d(example.get("output_f64")), ATOL, RTOL, name + " in training");
        // and at inference the identity, in Network.forward too
        assertThat(Network.of(layer).forward(Matrix.of(x))).isEqualTo(Matrix.of(x));
    }

    static Stream<Object[]> randomLayers() {
        return cases().filter(c -> c.containsKey("training_example")).map(c -> new Object[] {c.get("name"), c});
    }

    @org.junit.jupiter.api.Test
    void alphaDropoutConstantsAreKeras() {
        for (Map<?, ?> c : cases().filter(c -> "AlphaDropout".equals(c.get("layer"))).toList()) {
            Map<?, ?> constants = (Map<?, ?>) c.get("constants");
            double rate = ((Number) ((Map<?, ?>) c.get("config")).get("rate")).doubleValue();
            assertThat(NoiseLayer.alphaDropout(3, rate).alphaA())
                    .isCloseTo(((Number) constants.get("a")).doubleValue(), org.assertj.core.data.Offset.offset(1e-15));
        }
    }

    @org.junit.jupiter.api.Test
    void normalizationAdaptComputesThePopulationStatistics() {
        Map<?, ?> c = cases().filter(x -> "normalization_adapt".equals(x.get("name"))).findFirst().orElseThrow();
        Normalization adapted = Normalization.adapt(Matrix.of(floats2d(c.get("adapt_data"))));
        assertClose(adapted.mean(), new double[][] {doubles1d(c.get("adapt_mean_f64"))}, 1e-6, 1e-6, "mean");
        assertClose(adapted.variance(), new double[][] {doubles1d(c.get("adapt_variance_f64"))}, 1e-6, 1e-6, "variance");
        assertClose(adapted.forward(Matrix.of(floats2d(c.get("x")))), doubles2d(c.get("output_f64")), ATOL, RTOL, "output");
    }

    /** A generator whose nextDouble() (or nextGaussian()) replays {@code draws} in order. */
    private static RandomGenerator scripted(double[] draws, boolean gaussian) {
        return new RandomGenerator() {
            private int next;

            @Override
            public long nextLong() {
                throw new AssertionError("unexpected draw");
            }

            @Override
            public double nextDouble() {
                assertThat(gaussian).isFalse();
                return draws[next++];
            }

            @Override
            public double nextGaussian() {
                assertThat(gaussian).isTrue();
                return draws[next++];
            }
        };
    }

    /** The nn-core layer a case describes, from its Keras config and weights. */
    static Layer layer(Map<?, ?> c) {
        Map<?, ?> config = (Map<?, ?>) c.get("config");
        Map<?, ?> w = (Map<?, ?>) c.get("weights");
        int width = floats2d(c.get("x"))[0].length;
        String kind = (String) c.get("layer");
        switch (kind) {
            case "BatchNormalization" -> {
                return BatchNormalization.of(number(config, "momentum"), number(config, "epsilon"),
                        w.containsKey("gamma") ? floats1d(w.get("gamma")) : null, w.containsKey("beta") ? floats1d(w.get("beta")) : null,
                        floats1d(w.get("moving_mean")), floats1d(w.get("moving_variance")));
            }
            case "LayerNormalization" -> {
                LayerNormalization layer = LayerNormalization.of(width, number(config, "epsilon"),
                        Boolean.TRUE.equals(config.get("center")), Boolean.TRUE.equals(config.get("scale")));
                List<Matrix> weights = new ArrayList<>();
                for (String name : layer.weightNames()) {
                    weights.add(Matrix.row(floats1d(w.get(name))));
                }
                return layer.withWeights(weights);
            }
            case "Normalization" -> {
                boolean fromConfig = config.get("mean") != null;
                return Normalization.of(floats1d(fromConfig ? config.get("mean") : w.get("mean")),
                        floats1d(fromConfig ? config.get("variance") : w.get("variance")), Boolean.TRUE.equals(config.get("invert")));
            }
            case "Rescaling" -> {
                return Rescaling.of(width, number(config, "scale"), number(config, "offset"));
            }
            case "PReLU" -> {
                float[] alpha = floats1d(w.get("alpha"));
                if (alpha.length == 1) { // shared_axes [1]: one slope for every feature
                    alpha = new float[width];
                    Arrays.fill(alpha, floats1d(w.get("alpha"))[0]);
                }
                return PReLU.of(alpha);
            }
            case "LeakyReLU" -> {
                return ActivationLayer.of(width, Activation.leakyRelu(number(config, "negative_slope")), kind);
            }
            case "ELU" -> {
                return ActivationLayer.of(width, Activation.elu(number(config, "alpha")), kind);
            }
            case "ReLU" -> {
                Object max = config.get("max_value");
                return ActivationLayer.of(width, Activation.relu(max == null ? null : ((Number) max).doubleValue(),
                        number(config, "negative_slope"), number(config, "threshold")), kind);
            }
            case "Softmax" -> {
                return ActivationLayer.of(width, Activation.SOFTMAX, kind);
            }
            case "Dropout" -> {
                return Dropout.of(width, number(config, "rate"));
            }
            case "AlphaDropout" -> {
                return NoiseLayer.alphaDropout(width, number(config, "rate"));
            }
            case "GaussianDropout" -> {
                return NoiseLayer.gaussianDropout(width, number(config, "rate"));
            }
            default -> throw new AssertionError("no layer for " + kind);
        }
    }

    private static double number(Map<?, ?> config, String key) {
        return ((Number) config.get(key)).doubleValue();
    }

}
