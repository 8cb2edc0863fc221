package dev.nncore.internal.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Reads the real Keras-written files under {@code keras-models/}; expected values were printed independently with
 * h5py 3.7 / HDF5 1.10.8.
 */
class Hdf5KerasFixturesTest {
    private static final float EPS = 1e-7f;

    @Test
    void keras224FullModel() throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.resource("keras-models/keras2.2.4_xor_full_kishikishi-kishio.h5"));
        assertThat(root.memberNames()).containsExactly("model_weights", "optimizer_weights");
        assertThat(root.attribute("keras_version").orElseThrow().stringValue()).isEqualTo("2.2.4");
        assertThat(root.attribute("backend").orElseThrow().stringValue()).isEqualTo("tensorflow");
        assertThat(root.attribute("model_config").orElseThrow().stringValue())
                .startsWith("{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential_1\"");

        Hdf5Group weights = root.group("model_weights");
        Hdf5Attribute layerNames = weights.attribute("layer_names").orElseThrow();
        assertThat(layerNames.dataType().kind()).isEqualTo(Hdf5DataType.Kind.FIXED_STRING);
        assertThat(layerNames.dataType().size()).isEqualTo(12);
        assertThat(layerNames.stringValues()).containsExactly("dense_1", "activation_1", "dense_2", "activation_2");
        assertThat(weights.group("dense_1").attribute("weight_names").orElseThrow().stringValues())
                .containsExactly("dense_1/kernel:0", "dense_1/bias:0");

        Hdf5Attribute empty = weights.group("activation_1").attribute("weight_names").orElseThrow();
        assertThat(empty.dataType().toString()).isEqualTo("float64");
        assertThat(empty.shape()).containsExactly(0L);
        assertThat(empty.stringValues()).isEmpty();
        assertThat(empty.doubleValues()).isEmpty();

        Hdf5Dataset kernel = root.dataset("model_weights/dense_1/dense_1/kernel:0");
        assertThat(kernel.path()).isEqualTo("/model_weights/dense_1/dense_1/kernel:0");
        assertThat(kernel.shape()).containsExactly(2L, 2L);
        assertThat(kernel.dataType().toString()).isEqualTo("float32");
        assertThat(kernel.readFloats()).containsExactly(new float[] {2.5426283f, -5.166839f, 2.5596986f, -5.239501f},
                within(EPS));
        assertThat(root.dataset("model_weights/dense_2/dense_2/bias:0").readFloats()).containsExactly(2.6939027f);
        Hdf5Dataset iterations = root.dataset("optimizer_weights/SGD/iterations:0");
        assertThat(iterations.shape()).isEmpty();
        assertThat(iterations.readLongs()).containsExactly(4000L);
        assertThat(iterations.readFloats()).containsExactly(4000f);
    }

    @Test
    void tfKerasSaveWeights() throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.resource("keras-models/keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5"));
        assertThat(root.attribute("layer_names").orElseThrow().stringValues()).containsExactly("dense", "dense_1");
        assertThat(root.group("dense").attribute("weight_names").orElseThrow().stringValues())
                .containsExactly("sequential/dense/kernel:0", "sequential/dense/bias:0");
        assertThat(root.dataset("dense/sequential/dense/kernel:0").readFloats())
                .containsExactly(new float[] {8.372385f, 7.4740534f, -8.176952f, -6.788361f}, within(EPS));
        assertThat(root.dataset("/dense_1/sequential/dense_1/kernel:0").readDoubles())
                .containsExactly(new double[] {8.382573, -8.1833}, within(1e-6));
        assertThat(root.has("dense/sequential/dense/bias:0")).isTrue();
        assertThat(root.has("dense/sequential/nothing")).isFalse();
        assertThat(root.get("dense/missing/deeper")).isEmpty();
    }

    @Test
    void keras36LegacyH5WithVariableLengthStringArrays() throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.resource("keras-models/keras3.6.0_xor_legacyh5_ArnavKhurana22.h5"));
        Hdf5Attribute layerNames = root.group("model_weights").attribute("layer_names").orElseThrow();
        assertThat(layerNames.dataType().kind()).isEqualTo(Hdf5DataType.Kind.VARIABLE_STRING);
        assertThat(layerNames.stringValues()).containsExactly("dense", "dense_1");
        assertThat(root.group("model_weights/dense").attribute("weight_names").orElseThrow().stringValues())
                .containsExactly("sequential/dense/kernel", "sequential/dense/bias");
        assertThat(root.group("model_weights").memberNames())
                .containsExactly("dense", "dense_1", "top_level_model_weights");
        Hdf5Dataset kernel = root.dataset("model_weights/dense/sequential/dense/kernel");
        assertThat(kernel.shape()).containsExactly(2L, 4L);
        assertThat(kernel.readFloats()).containsExactly(new float[] {1.7772715f, 4.165267f, -2.72975f, -3.247543f,
            1.7772089f, -3.5682158f, 2.7300248f, 3.3704238f}, within(EPS));
        assertThat(root.dataset("model_weights/dense_1/sequential/dense_1/bias").readFloats())
                .containsExactly(-8.556455f);
        assertThat(root.dataset("optimizer_weights/adam/iteration").readLongs()).containsExactly(5000L);
        assertThat(root.dataset("optimizer_weights/adam/learning_rate").readFloats()).containsExactly(0.01f);
        assertThat(root.group("optimizer_weights").attribute("weight_names").orElseThrow().stringValues())
                .hasSize(10).startsWith("adam/iteration", "adam/learning_rate");
        assertThat(root.attribute("training_config").orElseThrow().stringValue()).contains("binary_crossentropy");
    }

    @Test
    void keras310ZipWeights() throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.kerasWeights("keras3.10.0_xor_mehmetsefabalik.keras"));
        assertThat(root.memberNames()).containsExactly("layers", "optimizer", "vars");
        assertThat(root.group("vars").attribute("name").orElseThrow().stringValue()).isEqualTo("sequential_5");
        assertThat(root.group("layers/dense/vars").attribute("name").orElseThrow().stringValue()).isEqualTo("dense_10");
        assertThat(root.group("layers/dense_1/vars").attribute("name").orElseThrow().stringValue()).isEqualTo("dense_11");
        assertThat(root.dataset("layers/dense/vars/0").readFloats()).containsExactly(new float[] {1.3868723f,
            1.4619015f, -1.068533f, -2.1817143f, 1.6486334f, -1.9339058f, 0.37300965f, 1.1579049f}, within(EPS));
        assertThat(root.dataset("layers/dense_1/vars/1").readFloats()).containsExactly(0.22344978f);
        assertThat(root.dataset("optimizer/vars/0").readLongs()).containsExactly(1000L);
        assertThat(root.group("optimizer/vars").memberNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7",
                "8", "9");
    }

    @Test
    void tfKeras213ZipWeights() throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.kerasWeights("keras2.13.1_iris_untrained_tyza66.keras"));
        assertThat(root.memberNames()).containsExactly("_layer_checkpoint_dependencies", "vars");
        Hdf5Dataset kernel = root.dataset("_layer_checkpoint_dependencies/dense/vars/0");
        assertThat(kernel.shape()).containsExactly(4L, 16L);
        assertThat(kernel.readFloats()[0]).isEqualTo(0.33384407f, within(EPS));
        assertThat(root.dataset("_layer_checkpoint_dependencies/dense_2/vars/1").readFloats()).containsExactly(0f, 0f, 0f);
        assertThat(root.group("_layer_checkpoint_dependencies").memberNames()).containsExactly("dense", "dense_2");
    }

    @Test
    void keras315NestedZipWeights() throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.kerasWeights("keras3.15.0_nested_subclassed_keras-team-testdata.keras"));
        assertThat(root.group("vars").attribute("name").orElseThrow().stringValue()).isEqualTo("nested_dense_model");
        assertThat(root.group("layers/dense/vars").attribute("name").orElseThrow().stringValue()).isEqualTo("d_0");
        assertThat(root.dataset("layers/dense_3/vars/0").shape()).containsExactly(4L, 2L);
        assertThat(root.dataset("layers/dense_3/vars/0").readFloats()).containsOnly(0.5f);
        assertThat(root.dataset("layers/dense_2/vars/0").readFloats()).hasSize(16).containsOnly(0.3f);
    }

    @Test
    void everyKerasFixtureCanBeWalkedCompletely() throws Exception {
        String[] h5 = {"keras2.2.4_xor_full_kishikishi-kishio.h5", "keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5",
            "keras3.6.0_xor_legacyh5_ArnavKhurana22.h5"};
        for (String name : h5) {
            assertThat(Fixtures.walk(Fixtures.open(Fixtures.resource("keras-models/" + name)))).as(name).isGreaterThan(5);
        }
        String[] keras = {"keras3.10.0_xor_mehmetsefabalik.keras", "keras2.13.1_iris_untrained_tyza66.keras",
            "keras3.15.0_nested_subclassed_keras-team-testdata.keras"};
        for (String name : keras) {
            assertThat(Fixtures.walk(Fixtures.open(Fixtures.kerasWeights(name)))).as(name).isGreaterThan(5);
        }
    }
}
