package dev.nncore.testing;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.internal.Json;
import dev.nncore.math.Matrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads the independent reference cases (PyTorch float64, TensorFlow.js float32) copied into test resources. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The bytes of a classpath resource such as {@code /reference/forward/x.json}. */
    public static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON resource as a map. */
    public static Map<String, Object> json(String resource) {
        return Json.parseObject(new String(bytes(resource), StandardCharsets.UTF_8));
    }

    /** The network a reference case describes with {@code input_dim}, {@code layers} and {@code weights}. */
    public static Network network(Map<String, Object> referenceCase) {
        List<?> layers = (List<?>) referenceCase.get("layers");
        List<?> weights = (List<?>) referenceCase.get("weights");
        List<Dense> dense = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Map<?, ?> layer = (Map<?, ?>) layers.get(i);
            dense.add(Dense.of(floats2d(weights.get(2 * i)), floats1d(weights.get(2 * i + 1)),
                    Activation.fromKerasName((String) layer.get("activation"))));
        }
        return Network.of(dense);
    }

    /** A JSON array of arrays of numbers as float rows (each number is exactly a float, by the references' rule). */
    public static float[][] floats2d(Object json) {
        List<?> rows = (List<?>) json;
        float[][] out = new float[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = floats1d(rows.get(r));
        }
        return out;
    }

    /** A JSON array of numbers as floats. */
    public static float[] floats1d(Object json) {
        List<?> values = (List<?>) json;
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    /** A JSON array of arrays of numbers as double rows. */
    public static double[][] doubles2d(Object json) {
        List<?> rows = (List<?>) json;
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = doubles1d(rows.get(r));
        }
        return out;
    }

    /** A JSON array of numbers as doubles. */
    public static double[] doubles1d(Object json) {
        List<?> values = (List<?>) json;
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).doubleValue();
        }
        return out;
    }

    /** A JSON matrix as a {@link Matrix}. */
    public static Matrix matrix(Object json) {
        return Matrix.of(floats2d(json));
    }

    /**
     * Asserts {@code |actual - expected| <= atol + rtol * |expected|} element by element, the rule the reference
     * cases state, naming the first element that fails.
     */
    public static void assertClose(Matrix actual, double[][] expected, double atol, double rtol, String what) {
        if (actual.rows() != expected.length || actual.cols() != expected[0].length) {
            throw new AssertionError(what + ": shape " + actual.shape() + ", expected " + expected.length + "x" + expected[0].length);
        }
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[r].length; c++) {
                double a = actual.get(r, c);
                double e = expected[r][c];
                if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                    throw new AssertionError(what + ": element (" + r + ", " + c + ") is " + a + ", expected " + e
                            + " within " + atol + " + " + rtol + " * |expected|");
                }
            }
        }
    }

    /** The first index of {@code needle} in {@code haystack}, or -1. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
