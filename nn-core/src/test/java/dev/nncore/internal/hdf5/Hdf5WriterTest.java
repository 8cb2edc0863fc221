package dev.nncore.internal.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes files with {@link Hdf5Writer} and reads them back; {@code hdf5/hdf5writer_sample.h5} was checked with h5py. */
class Hdf5WriterTest {

    /** The content of the committed sample (see resources/hdf5/README.md for the h5py check). */
    static Hdf5Writer sample() {
        Hdf5Writer w = new Hdf5Writer();
        w.attribute("/", "keras_version", "3.10.0");
        w.attribute("/", "backend", "tensorflow");
        w.attribute("/", "model_config", "{\"class_name\": \"Sequential\", \"\u00e9\": 1}");
        w.group("model_weights");
        w.attribute("model_weights", "layer_names", new String[] {"dense", "activation", "dense_1"});
        w.dataset("model_weights/dense/dense/kernel:0", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6.5f});
        w.dataset("model_weights/dense/dense/bias:0", new long[] {3}, new float[] {-1, 0, 1});
        w.attribute("model_weights/dense", "weight_names", new String[] {"dense/kernel:0", "dense/bias:0"});
        w.group("model_weights/activation");
        w.attribute("model_weights/activation", "weight_names", new double[0]);
        w.dataset("model_weights/dense_1/scalar", new long[0], new double[] {2.5});
        w.dataset("model_weights/dense_1/cube", new long[] {2, 2, 2}, new double[] {0, 1, 2, 3, 4, 5, 6, 7});
        w.attribute("model_weights/dense_1/cube", "ints", new long[] {-1, 0, Long.MAX_VALUE});
        w.attribute("model_weights/dense_1/cube", "floats", new float[] {0.5f});
        w.fixedStringAttribute("model_weights/dense_1", "fixed", "fixed-value");
        w.attribute("model_weights/dense_1", "empty", "");
        w.dataset("empty", new long[] {0, 3}, new float[0]);
        for (int i = 0; i < 40; i++) {
            w.dataset("many/m" + i, new long[] {1}, new float[] {i});
        }
        return w;
    }

    @Test
    void writerIsDeterministicAndMatchesTheFileCheckedWithH5py() {
        assertThat(sample().toBytes()).isEqualTo(Fixtures.resource("hdf5/hdf5writer_sample.h5"));
    }

    @Test
    void roundTrip() throws Exception {
        Hdf5Group root = Fixtures.open(sample().toBytes());
        assertThat(root.memberNames()).containsExactly("empty", "many", "model_weights");
        assertThat(root.attribute("keras_version").orElseThrow().stringValue()).isEqualTo("3.10.0");
        assertThat(root.attribute("model_config").orElseThrow().stringValue())
                .isEqualTo("{\"class_name\": \"Sequential\", \"\u00e9\": 1}");
        Hdf5Group weights = root.group("model_weights");
        assertThat(weights.attribute("layer_names").orElseThrow().stringValues())
                .containsExactly("dense", "activation", "dense_1");
        assertThat(weights.group("dense").attribute("weight_names").orElseThrow().stringValues())
                .containsExactly("dense/kernel:0", "dense/bias:0");
        Hdf5Attribute empty = weights.group("activation").attribute("weight_names").orElseThrow();
        assertThat(empty.shape()).containsExactly(0L);
        assertThat(empty.stringValues()).isEmpty();
        Hdf5Dataset kernel = weights.dataset("dense/dense/kernel:0");
        assertThat(kernel.shape()).containsExactly(2L, 3L);
        assertThat(kernel.dataType().toString()).isEqualTo("float32");
        assertThat(kernel.readFloats()).containsExactly(1, 2, 3, 4, 5, 6.5f);
        assertThat(weights.dataset("dense/dense/bias:0").readFloats()).containsExactly(-1, 0, 1);
        assertThat(weights.dataset("dense_1/scalar").shape()).isEmpty();
        assertThat(weights.dataset("dense_1/scalar").readDoubles()).containsExactly(2.5);
        Hdf5Dataset cube = weights.dataset("dense_1/cube");
        assertThat(cube.dataType().toString()).isEqualTo("float64");
        assertThat(cube.readDoubles()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(cube.attribute("ints").orElseThrow().longValues()).containsExactly(-1, 0, Long.MAX_VALUE);
        assertThat(cube.attribute("floats").orElseThrow().doubleValues()).containsExactly(0.5);
        assertThat(weights.group("dense_1").attribute("fixed").orElseThrow().stringValue()).isEqualTo("fixed-value");
        assertThat(weights.group("dense_1").attribute("fixed").orElseThrow().dataType().kind())
                .isEqualTo(Hdf5DataType.Kind.FIXED_STRING);
        assertThat(weights.group("dense_1").attribute("empty").orElseThrow().stringValue()).isEmpty();
        assertThat(root.dataset("empty").shape()).containsExactly(0L, 3L);
        assertThat(root.dataset("empty").readFloats()).isEmpty();
        assertThat(root.dataset("many/m39").readFloats()).containsExactly(39f);
    }

    @Test
    void largeGroupsSplitIntoManySymbolTableNodesAndBTreeLevels() throws Exception {
        Hdf5Writer w = new Hdf5Writer();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String name = "layer_" + i;
            names.add(name);
            w.dataset("big/" + name, new long[] {2}, new float[] {i, -i});
        }
        Hdf5Group big = Fixtures.open(w.toBytes()).group("big");
        assertThat(big.memberNames()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(big.memberNames()).isSorted();
        for (int i = 0; i < 1000; i += 37) {
            assertThat(big.dataset("layer_" + i).readFloats()).containsExactly(i, -i);
        }
    }

    @Test
    void emptyFileHasAnEmptyRoot() throws Exception {
        Hdf5Group root = Fixtures.open(new Hdf5Writer().toBytes());
        assertThat(root.memberNames()).isEmpty();
        assertThat(root.attributes()).isEmpty();
        assertThat(root.path()).isEqualTo("/");
    }

    @Test
    void nonAsciiNamesAndStrings() throws Exception {
        Hdf5Writer w = new Hdf5Writer();
        w.dataset("gr\u00fc\u00dfe/\u65e5\u672c", new long[] {1}, new float[] {1});
        w.attribute("gr\u00fc\u00dfe", "names", new String[] {"\u00e4", "b"});
        Hdf5Group root = Fixtures.open(w.toBytes());
        assertThat(root.group("gr\u00fc\u00dfe").memberNames()).containsExactly("\u65e5\u672c");
        assertThat(root.group("gr\u00fc\u00dfe").attribute("names").orElseThrow().stringValues())
                .containsExactly("\u00e4", "b");
        assertThat(root.group("gr\u00fc\u00dfe").attribute("names").orElseThrow().dataType().isUtf8()).isTrue();
    }

    @Test
    void pathRoundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.h5");
        sample().write(file);
        assertThat(Hdf5File.open(file).root().dataset("model_weights/dense/dense/bias:0").readFloats())
                .containsExactly(-1, 0, 1);
        assertThat(Files.size(file)).isEqualTo(sample().toBytes().length);
    }

    @Test
    void invalidRequestsAreRejected() {
        Hdf5Writer w = new Hdf5Writer();
        w.dataset("a/b", new long[] {2}, new float[] {1, 2});
        assertThatThrownBy(() -> w.dataset("a/b", new long[] {2}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> w.dataset("a/c", new long[] {3}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds 3 elements but 2");
        assertThatThrownBy(() -> w.group("a/b/c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a dataset");
        assertThatThrownBy(() -> w.attribute("nope", "x", "y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no group or dataset at nope");
        assertThatThrownBy(() -> w.attribute("/", "big", new double[10_000]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 KiB");
        assertThatThrownBy(() -> w.dataset("/", new long[0], new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
