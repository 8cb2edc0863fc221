package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.Regularizer;
import dev.nncore.internal.hdf5.Hdf5DataType;
import dev.nncore.internal.hdf5.Hdf5File;
import dev.nncore.internal.hdf5.Hdf5Group;
import dev.nncore.math.Matrix;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.LearningRateSchedule;
import dev.nncore.train.Optimizer;
import dev.nncore.train.OptimizerState;
import dev.nncore.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled training setup in Keras files: read from real Keras 3, tf.keras 2.13 and Keras 2 files (values as h5py
 * reads them, recorded here), written and read back, and a fit continued from a saved file against one fit.
 */
class KerasTrainingTest {

    private static final Path MODELS = Path.of("src/test/resources/keras-models");

    @TempDir
    Path dir;

    /** h5py: compile_config Adam(learning_rate=0.0010000000474974513), binary_crossentropy; optimizer/vars 0..9. */
    @Test
    void readsKeras3CompileConfigAndAdamVariables() throws Exception {
        KerasTraining training = Keras.loadTraining(MODELS.resolve("keras3.10.0_xor_mehmetsefabalik.keras"));

        assertThat(training.loss()).isEqualTo(Loss.BINARY_CROSSENTROPY);
        assertThat(training.losses()).isEmpty();
        assertThat(training.metrics()).isEmpty();
        assertThat(training.lossWeights()).isEmpty();
        Optimizer adam = training.optimizer();
        assertThat(adam.kerasClassName()).isEqualTo("Adam");
        Map<String, Object> config = adam.kerasConfig();
        assertThat(config.get("learning_rate")).isEqualTo(0.0010000000474974513);
        assertThat(config.get("beta_1")).isEqualTo(0.9);
        assertThat(config.get("beta_2")).isEqualTo(0.999);
        assertThat(config.get("epsilon")).isEqualTo(1e-7);
        assertThat(config.get("amsgrad")).isEqualTo(false);

        OptimizerState state = training.optimizerState();
        assertThat(state.iterations()).isEqualTo(1000);          // vars/0, int64
        assertThat((float) state.learningRate()).isEqualTo(0.001f); // vars/1, float32
        List<float[][]> slots = state.variables();               // nn-core: m of 4 weights, then v of 4 weights
        assertThat(slots).hasSize(8);
        // vars/2 (momentum of dense kernel [2][4]), vars/3 (its velocity), vars/9 (velocity of dense_1 bias)
        assertThat(slots.get(0)[0]).startsWith(-0.04610743f, -0.026651883f, 0.009263915f).hasSize(8);
        assertThat(slots.get(4)[0]).startsWith(0.0023476135f, 0.000497286f, 3.2887616e-05f);
        assertThat(slots.get(7)[0]).containsExactly(0.0001429436f);
    }

    /** h5py: tf.keras 2.13.1, compile_config optimizer "adam", metrics ["accuracy"]; vars 0 (80400) then m, v per weight. */
    @Test
    void readsTfKeras213CompileConfigWithoutALearningRateVariable() throws Exception {
        KerasTraining training = Keras.loadTraining(MODELS.resolve("real-wild/Kalindin_Deep-Learning-Challenge_"
                + "soup_opt_tfkeras2131_windows/AlphabetSoupCharity_Optimization.keras"));
        assertThat(training.loss()).isEqualTo(Loss.BINARY_CROSSENTROPY);
        assertThat(training.metrics()).containsExactly("accuracy");
        assertThat(training.optimizer().kerasConfig().get("learning_rate")).isEqualTo(0.001);
        OptimizerState state = training.optimizerState();
        assertThat(state.iterations()).isEqualTo(80400);
        assertThat(state.variables()).hasSize(12);
        assertThat(state.variables().get(5)[0]).containsExactly(0.020310756f);  // vars/11: momentum of the last bias
        assertThat(state.variables().get(11)[0]).containsExactly(0.006153277f); // vars/12: its velocity
    }

    /** h5py: Keras 2.2.4 training_config {"optimizer_config": {"class_name": "SGD", "config": {"lr": 0.1...}}}. */
    @Test
    void readsKeras2TrainingConfig() throws Exception {
        KerasTraining training = Keras.loadTraining(MODELS.resolve("keras2.2.4_xor_full_kishikishi-kishio.h5"));
        assertThat(training.loss()).isEqualTo(Loss.BINARY_CROSSENTROPY);
        assertThat(training.metrics()).isEmpty();
        Map<String, Object> config = training.optimizer().kerasConfig();
        assertThat(training.optimizer().kerasClassName()).isEqualTo("SGD");
        assertThat(config.get("learning_rate")).isEqualTo(0.10000000149011612);
        assertThat(config.get("momentum")).isEqualTo(0.0);
        assertThat(config.get("nesterov")).isEqualTo(false);
        // optimizer_weights: SGD/iterations:0 = 4000 (int64), training/SGD/Variable..Variable_3:0 the moments of
        // kernel [2][2], bias [2], kernel [2][1], bias [1]; SGD without momentum never reads them, so no slots
        OptimizerState state = training.optimizerState();
        assertThat(state.iterations()).isEqualTo(4000);
        assertThat(state.variables()).isEmpty();
        assertThat(state.learningRate()).isEqualTo(0.10000000149011612);
    }

    /**
     * h5py: Keras 3.6 legacy .h5, optimizer_weights weight_names adam/iteration (int64 5000), adam/learning_rate
     * (float32 0.009999999776482582), then sequential_dense_kernel_momentum [2][4], ..._velocity, and so on per weight.
     */
    @Test
    void readsKeras3LegacyH5OptimizerWeights() throws Exception {
        KerasTraining training = Keras.loadTraining(MODELS.resolve("keras3.6.0_xor_legacyh5_ArnavKhurana22.h5"));
        assertThat(training.optimizer().kerasClassName()).isEqualTo("Adam");
        OptimizerState state = training.optimizerState();
        assertThat(state.iterations()).isEqualTo(5000);
        assertThat(state.learningRate()).isEqualTo(0.009999999776482582);
        List<float[][]> slots = state.variables();   // nn-core: m of the 4 weights, then v of the 4 weights
        assertThat(slots).hasSize(8);
        assertThat(slots.get(0)[0]).startsWith(-3.651366341728135e-06f, -3.0519662686856464e-05f,
                9.679210052127019e-06f, 8.604948561696801e-06f).hasSize(8);         // dense kernel momentum
        assertThat(slots.get(4)[0]).startsWith(7.472117999896e-07f, 4.688045464718016e-06f).hasSize(8); // velocity
        assertThat(slots.get(1)[0]).startsWith(7.364209977822611e-06f).hasSize(4);  // dense bias momentum
        assertThat(slots.get(3)[0]).containsExactly(3.517363438731991e-05f);        // dense_1 bias momentum
        assertThat(slots.get(7)[0]).containsExactly(3.5084141813968017e-07f);       // dense_1 bias velocity
        Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        TrainingResult more = training.trainer().epochs(1).build().fit(training.network(), x, Matrix.column(0, 1, 1, 0));
        assertThat(more.optimizerState().iterations()).isEqualTo(5001);
    }

    /** h5py: tf.keras 2.4 training_config loss ["mse", "mse"], loss_weights [0.9, 0.1], SGD learning_rate 0.00999... */
    @Test
    void readsALossPerOutputAndLossWeights() throws Exception {
        KerasTraining training = Keras.loadTraining(
                MODELS.resolve("real-wild/rogersaloo_example_wide_deep_multi_io/functional_model.h5"));
        assertThat(training.loss()).isNull();
        assertThat(training.losses()).containsExactly(Map.entry("main_output", Loss.MEAN_SQUARED_ERROR),
                Map.entry("aux_output", Loss.MEAN_SQUARED_ERROR));
        assertThat(training.lossWeights()).containsExactly(Map.entry("main_output", 0.9), Map.entry("aux_output", 0.1));
        assertThat(training.optimizer().kerasConfig().get("learning_rate")).isEqualTo(0.009999999776482582);
        // optimizer_weights: SGD/iter:0 = 7260 (int64), tf.keras's name for the step count; no momentum, no slots
        assertThat(training.optimizerState().iterations()).isEqualTo(7260);
        assertThat(training.optimizerState().variables()).isEmpty();
    }

    /** h5py: Keras 1.2.2 training_config Adam {"lr": 0.0010000000474974513, "beta_1": 0.8999999761581421, "decay": 0.0, "epsilon": 1e-08}. */
    @Test
    void readsKeras1TrainingConfig() throws Exception {
        KerasTraining training = Keras.loadTraining(MODELS.resolve("real-wild/malfaro2_dl4j-test-resources_dense_tf_keras1/"
                + "dense_tensorflow_1.h5"));
        assertThat(training.loss()).isEqualTo(Loss.MEAN_SQUARED_ERROR);
        Map<String, Object> config = training.optimizer().kerasConfig();
        assertThat(config.get("learning_rate")).isEqualTo(0.0010000000474974513);
        assertThat(config.get("beta_1")).isEqualTo(0.8999999761581421);
        assertThat(config.get("beta_2")).isEqualTo(0.9990000128746033);
        assertThat(config.get("epsilon")).isEqualTo(1e-08);
    }

    @Test
    void readsKeras2DecayAsInverseTimeDecay() throws Exception {
        Network small = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        Path file = dir.resolve("m.keras");
        Keras.save(KerasTraining.of(small, Loss.MEAN_SQUARED_ERROR, Optimizer.sgd(0.5)), file);
        rewriteConfig(file, "\"learning_rate\":0.5,", "\"lr\":0.5,\"decay\":0.25,");
        Optimizer optimizer = Keras.loadTraining(file).optimizer();
        assertThat(optimizer.schedule().at(0)).isEqualTo(0.5);
        assertThat(optimizer.schedule().at(4)).isEqualTo(0.25);   // 0.5 / (1 + 0.25 * 4)
    }

    @Test
    void aFileWithoutCompileConfigHasNoSetup() throws Exception {
        KerasTraining training = Keras.loadTraining(MODELS.resolve("nncore_dense_relu_softmax_layer/model.keras"));
        assertThat(training.loss()).isNull();
        assertThat(training.optimizer()).isNull();
        assertThat(training.optimizerState()).isNull();
        assertThatThrownBy(training::trainer).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("saved without a loss");
    }

    @Test
    void writesKeras3Layout() throws Exception {
        Network network = network();
        Path file = dir.resolve("m.keras");
        Keras.save(KerasTraining.of(network, Loss.binaryCrossentropy(true, 0.1), Optimizer.adam(0.01))
                .withMetrics(List.of("accuracy")), file);
        Map<String, byte[]> entries = ZipEntries.read(java.nio.file.Files.readAllBytes(file), "m.keras");
        String config = new String(entries.get("config.json"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(config).contains("\"compile_config\":{\"optimizer\":{\"module\":\"keras.optimizers\","
                + "\"class_name\":\"Adam\",\"config\":{\"name\":\"adam\",\"learning_rate\":0.01")
                .contains("\"loss\":{\"module\":\"keras.losses\",\"class_name\":\"BinaryCrossentropy\","
                        + "\"config\":{\"name\":\"binary_crossentropy\",\"reduction\":\"sum_over_batch_size\"")
                .contains("\"metrics\":[\"accuracy\"]");
        Hdf5Group vars = Hdf5File.open(entries.get("model.weights.h5")).root().group("optimizer/vars");
        // iterations, learning_rate, then m and v of each of the 6 trainable weights (BatchNormalization's gamma, beta)
        assertThat(vars.memberNames()).hasSize(2 + 12);
        assertThat(vars.attributes().get("name").stringValue()).isEqualTo("adam");
        assertThat(vars.dataset("0").dataType().kind()).isEqualTo(Hdf5DataType.Kind.SIGNED_INTEGER);
        assertThat(vars.dataset("0").shape()).isEmpty();
        assertThat(vars.dataset("1").readFloats()).containsExactly(0.01f);
        assertThat(vars.dataset("2").shape()).containsExactly(3, 6);  // momentum of the first kernel
        assertThat(vars.dataset("3").shape()).containsExactly(3, 6);  // its velocity
        assertThat(vars.dataset("4").shape()).containsExactly(6);     // momentum of the first bias, 1-D as in Keras

        KerasTraining back = Keras.loadTraining(file);
        assertThat(back.loss()).isEqualTo(Loss.binaryCrossentropy(true, 0.1));
        assertThat(back.optimizer().kerasConfig()).isEqualTo(Optimizer.adam(0.01).kerasConfig());
        assertThat(back.optimizerState().iterations()).isZero();
        assertThat(back.metrics()).containsExactly("accuracy");
    }

    static Network network() {
        Network start = Network.builder(3).dense(6, Activation.TANH).batchNormalization().dense(1, Activation.LINEAR)
                .seed(5).build();
        List<Layer> layers = new ArrayList<>(start.layers());
        layers.set(0, ((Dense) layers.get(0)).withRegularizers(Regularizer.l2(0.01), null, null));
        return Network.of(layers.toArray(Layer[]::new));
    }

    static Matrix[] data() {
        Random random = new Random(11);
        float[][] x = new float[40][3];
        float[][] y = new float[40][1];
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i][0] = x[i][0] - 2 * x[i][1] + 0.5f * x[i][2] * x[i][0];
        }
        return new Matrix[] {Matrix.of(x), Matrix.of(y)};
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of(Optimizer.adam(0.01), true),
                Arguments.of(Optimizer.sgd(0.01, 0.9, true), true),
                Arguments.of(Optimizer.rmsprop(0.005, 0.9, 0.5, 1e-7, true), true),
                Arguments.of(Optimizer.adam(0.01, 0.9, 0.999, 1e-7, true), true),
                // a schedule: no learning_rate variable; the step count carries it on
                Arguments.of(Optimizer.adam(0.01).withSchedule(LearningRateSchedule.cosineDecay(0.01, 30, 0.1)), true),
                // with EMA the first fit ends on the averages (Keras's finalize_variable_values): compared with the
                // same continuation in memory
                Arguments.of(Optimizer.adamW(0.01).clipNorm(0.5).ema(0.9), false),
                Arguments.of(Optimizer.adagrad(0.05), true),
                Arguments.of(Optimizer.adadelta(1.0), true),
                Arguments.of(Optimizer.adamax(0.01), true),
                // Nadam: its u_product, a scalar after the slots, carries on too
                Arguments.of(Optimizer.nadam(0.01), true),
                Arguments.of(Optimizer.nadam(0.01).ema(0.9), false),
                Arguments.of(Optimizer.lion(0.001), true),
                Arguments.of(Optimizer.ftrl(0.05), true));
    }

    /**
     * Keras 2.2's Adam layout (keras/optimizers.py: weights = [iterations] + ms + vs + vhats, a vhat of one value per
     * weight without amsgrad), written here as such a file holds it: the moments in blocks, nn-core's order.
     */
    @Test
    void readsKeras2AdamOptimizerWeightsInBlocks() throws Exception {
        Network small = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        dev.nncore.internal.hdf5.Hdf5Writer writer = new dev.nncore.internal.hdf5.Hdf5Writer();
        writer.group("optimizer_weights").group("optimizer_weights/Adam").group("optimizer_weights/training")
                .group("optimizer_weights/training/Adam");
        String[] names = {"Adam/iterations:0", "training/Adam/Variable:0", "training/Adam/Variable_1:0",
            "training/Adam/Variable_2:0", "training/Adam/Variable_3:0", "training/Adam/Variable_4:0",
            "training/Adam/Variable_5:0"};
        writer.attribute("optimizer_weights", "weight_names", names);
        writer.dataset("optimizer_weights/" + names[0], new long[0], new long[] {12});
        float[][] values = {{1, 2}, {3}, {4, 5}, {6}, {0}, {0}};
        long[][] shapes = {{2, 1}, {1}, {2, 1}, {1}, {1}, {1}};
        for (int i = 0; i < values.length; i++) {
            writer.dataset("optimizer_weights/" + names[i + 1], shapes[i], values[i]);
        }
        Hdf5File file = Hdf5File.open(writer.toBytes());
        OptimizerState state = CompileConfig.readLegacyWeights(file, small, Optimizer.adam(0.01), "k2.h5");
        assertThat(state.iterations()).isEqualTo(12);
        assertThat(state.learningRate()).isEqualTo(0.01);
        assertThat(state.variables()).usingRecursiveComparison()
                .isEqualTo(List.of(new float[][] {{1, 2}}, new float[][] {{3}}, new float[][] {{4, 5}},
                        new float[][] {{6}}));
        assertThat(state.kerasVariables(Optimizer.adam(0.01)).get(1)[0]).containsExactly(4, 5); // v of the kernel

        Network wider = Network.builder(3).dense(1, Activation.LINEAR).seed(1).build();
        assertThatThrownBy(() -> CompileConfig.readLegacyWeights(file, wider, Optimizer.adam(0.01), "k2.h5"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("k2.h5 optimizer_weights training/Adam/Variable:0: 2 values, but it is a slot of trainable"
                        + " weight 0 of 3 values");
    }

    /** Train 3 epochs, save, load, train to 7: the same weights as one fit of 7 epochs, bit for bit. */
    @ParameterizedTest
    @MethodSource("optimizers")
    void savedLoadedAndTrainedFurtherEqualsOneFit(Optimizer optimizer, boolean uninterrupted) throws Exception {
        Matrix[] data = data();
        TrainingResult first = trainer(optimizer, 3).build().fit(network(), data[0], data[1]);
        Path file = dir.resolve("checkpoint.keras");
        Keras.save(KerasTraining.of(first.network(), Loss.MEAN_SQUARED_ERROR, optimizer)
                .withOptimizerState(first.optimizerState()), file);

        KerasTraining loaded = Keras.loadTraining(file);
        assertThat(loaded.optimizer().kerasConfig()).isEqualTo(optimizer.kerasConfig());
        TrainingResult resumed = loaded.trainer().epochs(7).initialEpoch(3).batchSize(8).seed(42).build()
                .fit(loaded.network(), data[0], data[1]);

        TrainingResult expected = uninterrupted
                ? trainer(optimizer, 7).build().fit(network(), data[0], data[1])
                : trainer(optimizer, 7).initialEpoch(3).optimizerState(first.optimizerState()).build()
                        .fit(first.network(), data[0], data[1]);
        assertThat(resumed.optimizerState().iterations()).isEqualTo(35);
        for (int l = 0; l < expected.network().layers().size(); l++) {
            List<Matrix> a = resumed.network().layers().get(l).getWeights();
            List<Matrix> e = expected.network().layers().get(l).getWeights();
            for (int w = 0; w < e.size(); w++) {
                assertThat(a.get(w).toArray()).as("layer %d weight %d", l, w).isEqualTo(e.get(w).toArray());
            }
        }
    }

    private static BackpropTrainer.Builder trainer(Optimizer optimizer, int epochs) {
        return BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(optimizer).epochs(epochs)
                .batchSize(8).seed(42);
    }

    @Test
    void withAScheduleTheFileHasNoLearningRateVariable() throws Exception {
        Optimizer scheduled = Optimizer.sgd(0.1, 0.9, false).withSchedule(LearningRateSchedule.exponentialDecay(0.1, 10,
                0.5, false));
        Network small = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        Path file = dir.resolve("s.keras");
        Keras.save(KerasTraining.of(small, Loss.MEAN_SQUARED_ERROR, scheduled), file);
        Map<String, byte[]> entries = ZipEntries.read(java.nio.file.Files.readAllBytes(file), "s.keras");
        Hdf5Group vars = Hdf5File.open(entries.get("model.weights.h5")).root().group("optimizer/vars");
        assertThat(vars.memberNames()).hasSize(1 + 2);             // iterations, momentum of kernel and bias
        assertThat(vars.dataset("1").shape()).containsExactly(2, 1);
        KerasTraining back = Keras.loadTraining(file);
        assertThat(back.optimizer().kerasConfig()).isEqualTo(scheduled.kerasConfig());
        assertThat(back.optimizerState().variables()).hasSize(2);
    }

    @Test
    void refusesVariablesThatDoNotFitTheWeights() throws Exception {
        Network small = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        OptimizerState other = OptimizerState.initial(Optimizer.adam(), network());
        assertThatThrownBy(() -> Keras.save(KerasTraining.of(small, Loss.MEAN_SQUARED_ERROR, Optimizer.adam())
                .withOptimizerState(other), dir.resolve("x.keras")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the optimizer state is for 6 trainable weights, the network has 2");
        Optimizer mine = Optimizer.custom("heavy_ball", 0.01, new OneSlot());
        OptimizerState custom = OptimizerState.initial(mine, small);
        assertThatThrownBy(() -> Keras.save(KerasTraining.of(small, Loss.MEAN_SQUARED_ERROR, mine)
                .withOptimizerState(custom), dir.resolve("y.keras")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the Keras 3 order of heavy_ball's optimizer variables is not mapped");
    }

    /** A custom rule with one slot per weight: its Keras order is nn-core's to guess, so it is refused. */
    private static final class OneSlot implements dev.nncore.train.UpdateRule {
        @Override
        public int slots() {
            return 1;
        }

        @Override
        public void update(float[][] weight, float[][] gradient, float[][][] slots, double learningRate,
                long iterations) {
        }
    }

    /** Nadam's file: iterations, learning_rate, m and v of kernel and bias interleaved, then u_product, a scalar. */
    @Test
    void writesNadamsUProductAfterItsSlots() throws Exception {
        Network small = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        Matrix x = Matrix.of(new float[][] {{1, 2}, {3, 4}});
        Matrix y = Matrix.column(1, 2);
        TrainingResult fit = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.nadam(0.01))
                .epochs(3).seed(1).build().fit(small, x, y);
        Path file = dir.resolve("nadam.keras");
        Keras.save(KerasTraining.of(fit.network(), Loss.MEAN_SQUARED_ERROR, Optimizer.nadam(0.01))
                .withOptimizerState(fit.optimizerState()), file);
        Map<String, byte[]> entries = ZipEntries.read(java.nio.file.Files.readAllBytes(file), "nadam.keras");
        Hdf5Group vars = Hdf5File.open(entries.get("model.weights.h5")).root().group("optimizer/vars");
        assertThat(vars.memberNames()).hasSize(2 + 4 + 1);
        assertThat(vars.dataset("2").shape()).containsExactly(2, 1); // momentum of the kernel
        assertThat(vars.dataset("3").shape()).containsExactly(2, 1); // its velocity
        assertThat(vars.dataset("4").shape()).containsExactly(1);    // momentum of the bias
        assertThat(vars.dataset("6").shape()).isEmpty();             // u_product
        double u = 1;
        for (int step = 1; step <= 3; step++) {
            u *= 0.9 * (1 - 0.5 * Math.pow(0.96, step));
        }
        assertThat(vars.dataset("6").readFloats()).containsExactly((float) u);
        assertThat(Keras.loadTraining(file).optimizerState().variables()).hasSize(4);
    }

    @Test
    void refusesALossItDoesNotKnowNamingWhereItIs() throws Exception {
        Network small = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        Path file = dir.resolve("m.keras");
        Keras.save(KerasTraining.of(small, Loss.MEAN_SQUARED_ERROR, Optimizer.sgd(0.1)), file);
        rewriteConfig(file, "\"loss\":\"mean_squared_error\"", "\"loss\":\"my_custom_loss\"");
        assertThatThrownBy(() -> Keras.loadTraining(file))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageStartingWith("m.keras config.json compile_config loss: ");
    }

    @Test
    void refusesOptimizerVariablesOfAnotherOptimizer() throws Exception {
        Network small = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        Path file = dir.resolve("m.keras");
        Keras.save(KerasTraining.of(small, Loss.MEAN_SQUARED_ERROR, Optimizer.sgd(0.1, 0.9, false)), file);
        // SGD's momentum for 2 weights (vars 2 and 3) told to be Adam's, which needs m and v for each
        rewriteConfig(file, "\"class_name\":\"SGD\"", "\"class_name\":\"Adam\"");
        assertThatThrownBy(() -> Keras.loadTraining(file))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessage("m.keras model.weights.h5 optimizer/vars: Adam for 2 trainable weights cannot have 2"
                        + " optimizer variables (the model has 2 trainable weights); load the network alone with"
                        + " Keras.load");
    }

    private static void rewriteConfig(Path file, String from, String to) throws Exception {
        Map<String, byte[]> entries = ZipEntries.read(java.nio.file.Files.readAllBytes(file), file.toString());
        String config = new String(entries.get("config.json"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(config).contains(from);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(entry.getKey()));
                zip.write(entry.getKey().equals("config.json")
                        ? config.replace(from, to).getBytes(java.nio.charset.StandardCharsets.UTF_8) : entry.getValue());
                zip.closeEntry();
            }
        }
        java.nio.file.Files.write(file, bytes.toByteArray());
    }
}
