package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Constraint;
import dev.nncore.Dense;
import dev.nncore.Initializer;
import dev.nncore.Network;
import dev.nncore.Regularizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Dense layer's initializers, regularizers and constraints go into Keras and TensorFlow.js files and come back, and
 * the Keras 2 and Keras 1 spellings of them are read.
 */
class KerasWeightOptionsTest {

    @TempDir
    Path dir;

    private static Network network(Regularizer kernelRegularizer) {
        Network start = Network.builder(3).dense(4, Activation.RELU, Initializer.HE_NORMAL, Initializer.constant(0.1))
                .dense(2, Activation.SOFTMAX, Initializer.randomNormal(0, 0.02), Initializer.ZEROS).seed(5).build();
        Dense hidden = ((Dense) start.layers().get(0)).withRegularizers(kernelRegularizer, Regularizer.l1(0.001),
                Regularizer.l1l2(0.0, 0.002)).withConstraints(Constraint.maxNorm(3, 0), Constraint.nonNeg());
        Dense output = ((Dense) start.layers().get(1)).withConstraints(Constraint.minMaxNorm(0.5, 2, 0.5, 1), null);
        return Network.of(hidden, output);
    }

    @Test
    void keras3FilesKeepEveryOption() throws IOException {
        Network network = network(Regularizer.orthogonal(0.01, "columns"));
        Path file = dir.resolve("model.keras");
        Keras.save(network, file);
        Network loaded = Keras.load(file);
        assertThat(loaded).isEqualTo(network);
        Dense hidden = (Dense) loaded.layers().get(0);
        assertThat(hidden.kernelRegularizer()).contains(Regularizer.orthogonal(0.01, "columns"));
        assertThat(hidden.activityRegularizer()).contains(Regularizer.l1l2(0, 0.002));
        assertThat(hidden.biasInitializer()).isEqualTo(Initializer.constant(0.1));
        assertThat(((Dense) loaded.layers().get(1)).kernelConstraint()).contains(Constraint.minMaxNorm(0.5, 2, 0.5, 1));
    }

    @Test
    void tfjsFilesKeepEveryOptionTheyCanExpress() throws IOException {
        Network network = network(Regularizer.l2(0.01));
        Keras.saveTfjs(network, dir);
        String json = Files.readString(dir.resolve("model.json"));
        assertThat(json).contains("\"kernel_regularizer\":{\"class_name\":\"L1L2\",\"config\":{\"l1\":0,\"l2\":0.01}}");
        Network loaded = Keras.load(dir.resolve("model.json"));
        Dense hidden = (Dense) loaded.layers().get(0);
        assertThat(hidden.kernelRegularizer()).contains(Regularizer.l1l2(0, 0.01)); // L2 travels as TF.js's L1L2
        assertThat(hidden.kernelInitializer()).isEqualTo(Initializer.HE_NORMAL);
        assertThat(hidden.kernelConstraint()).contains(Constraint.maxNorm(3, 0));
        assertThat(hidden.biasConstraint()).contains(Constraint.nonNeg());
        assertThatThrownBy(() -> Keras.saveTfjs(network(Regularizer.orthogonal(0.01, "rows")), dir.resolve("other")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TensorFlow.js has no OrthogonalRegularizer");
    }

    /** A .keras file Keras 3 wrote (real-wild FlowNet): its first Dense says HeNormal, the others GlorotUniform. */
    @Test
    void aKeras3FileFromTheWildKeepsItsInitializers() throws IOException {
        Path file = Files.write(dir.resolve("final_model.keras"), dev.nncore.testing.Fixtures.bytes(
                "/keras-models/real-wild/2mdtln_FlowNet-ANN_final_leakyrelu/final_model.keras"));
        java.util.List<Dense> dense = Keras.load(file).layers().stream().filter(Dense.class::isInstance)
                .map(Dense.class::cast).toList();
        assertThat(dense.get(0).kernelInitializer()).isEqualTo(Initializer.HE_NORMAL);
        assertThat(dense.get(1).kernelInitializer()).isEqualTo(Initializer.GLOROT_UNIFORM);
        assertThat(dense.get(0).kernelRegularizer()).isEmpty();
        Path again = dir.resolve("again.keras");
        Keras.save(Keras.load(file), again);
        assertThat(Keras.load(again)).isEqualTo(Keras.load(file));
    }

    /** The same model.json with its options in Keras 2's {class_name, config} and Keras 1's W_regularizer forms. */
    @Test
    void keras2AndKeras1SpellingsAreRead() throws IOException {
        Keras.saveTfjs(Network.builder(3).dense(2, Activation.LINEAR).seed(1).build(), dir);
        Path modelJson = dir.resolve("model.json");
        String json = Files.readString(modelJson);
        String keras2 = json.replace("\"kernel_regularizer\":null", "\"kernel_regularizer\":{\"class_name\":\"L2\",\"config\":{\"l2\":0.03}}")
                .replace("\"kernel_constraint\":null", "\"kernel_constraint\":{\"class_name\":\"UnitNorm\",\"config\":{\"axis\":0}}");
        Files.writeString(modelJson, keras2, StandardCharsets.UTF_8);
        Dense dense = (Dense) Keras.load(modelJson).layers().get(0);
        assertThat(dense.kernelRegularizer()).contains(Regularizer.l2(0.03));
        assertThat(dense.kernelConstraint()).contains(Constraint.unitNorm(0));

        String keras1 = json.replace("\"units\":2", "\"output_dim\":2")
                .replace("\"kernel_regularizer\":null", "\"W_regularizer\":{\"name\":\"L1L2Regularizer\",\"l1\":0.0,\"l2\":0.01}")
                .replace("\"kernel_constraint\":null", "\"W_constraint\":{\"name\":\"MaxNorm\",\"m\":2,\"axis\":0}")
                .replace("\"kernel_initializer\":{", "\"init\":\"he_uniform\",\"ignored\":{");
        assertThat(keras1).contains("output_dim").contains("W_regularizer").contains("W_constraint").contains("\"init\"");
        Files.writeString(modelJson, keras1, StandardCharsets.UTF_8);
        Dense old = (Dense) Keras.load(modelJson).layers().get(0);
        assertThat(old.kernelRegularizer()).contains(Regularizer.l1l2(0, 0.01));
        assertThat(old.kernelConstraint()).contains(Constraint.maxNorm(2, 0));
        assertThat(old.kernelInitializer()).isEqualTo(Initializer.HE_UNIFORM);
    }
}
