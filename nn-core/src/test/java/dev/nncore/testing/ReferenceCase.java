package dev.nncore.testing;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Loss;
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

/**
 * A reference case from {@code src/test/resources/reference/}: its network, data and expected numbers, read from
 * the class path. Every input number in those files is exactly a float32, so casting loses nothing.
 */
public final class ReferenceCase {

    private final String resource;
    private final Map<String, Object> json;

    private ReferenceCase(String resource, Map<String, Object> json) {
        this.resource = resource;
        this.json = json;
    }

    /** @param resource e.g. {@code "reference/grad/grad_01_mse_3-5-2_tanh-linear.json"} */
    public static ReferenceCase load(String resource) {
        return new ReferenceCase(resource, Json.parseObject(text(resource)));
    }

    /** The text of a class-path resource. */
    public static String text(String resource) {
        try (InputStream in = ReferenceCase.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    public Object get(String key) {
        if (!json.containsKey(key)) {
            throw new IllegalArgumentException(resource + " has no field " + key);
        }
        return json.get(key);
    }

    public Map<?, ?> object(String key) {
        return (Map<?, ?>) get(key);
    }

    public List<?> list(String key) {
        return (List<?>) get(key);
    }

    public double number(String key) {
        return ((Number) get(key)).doubleValue();
    }

    public Loss loss() {
        return Loss.fromKerasName((String) get("loss"));
    }

    /** The network with the case's starting weights. */
    public Network network() {
        List<?> layers = list("layers");
        List<Matrix> weights = weights(list("weights"));
        List<Dense> dense = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            Map<?, ?> layer = (Map<?, ?>) layers.get(l);
            Activation activation = Activation.fromKerasName((String) layer.get("activation"));
            dense.add(Dense.of(weights.get(2 * l), weights.get(2 * l + 1), activation));
        }
        return Network.of(dense);
    }

    public Matrix x() {
        return matrix(list("x"));
    }

    public Matrix y() {
        return matrix(list("y"));
    }

    /** Weight tensors as Keras lists them: 2-D kernels and 1-D biases (as 1 x n rows). */
    public static List<Matrix> weights(List<?> tensors) {
        List<Matrix> out = new ArrayList<>();
        for (Object tensor : tensors) {
            out.add(matrix((List<?>) tensor));
        }
        return out;
    }

    /** A 2-D list as a matrix, a 1-D list as a 1 x n row. */
    public static Matrix matrix(List<?> values) {
        if (!values.isEmpty() && values.get(0) instanceof List) {
            return Matrix.of(toDouble2(values, true).floats);
        }
        float[] row = new float[values.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = ((Number) values.get(i)).floatValue();
        }
        return Matrix.row(row);
    }

    /** A 2-D list, or a 1-D list as one row, as doubles (for float64 expectations). */
    public static double[][] doubles(List<?> values) {
        if (!values.isEmpty() && values.get(0) instanceof List) {
            return toDouble2(values, false).doubles;
        }
        double[] row = new double[values.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = ((Number) values.get(i)).doubleValue();
        }
        return new double[][] {row};
    }

    private record Arrays2(float[][] floats, double[][] doubles) {
    }

    private static Arrays2 toDouble2(List<?> values, boolean asFloat) {
        float[][] floats = new float[values.size()][];
        double[][] doubles = new double[values.size()][];
        for (int r = 0; r < values.size(); r++) {
            List<?> row = (List<?>) values.get(r);
            floats[r] = new float[row.size()];
            doubles[r] = new double[row.size()];
            for (int c = 0; c < row.size(); c++) {
                doubles[r][c] = ((Number) row.get(c)).doubleValue();
                floats[r][c] = (float) doubles[r][c];
            }
        }
        return new Arrays2(asFloat ? floats : null, doubles);
    }

    @Override
    public String toString() {
        return name();
    }
}
