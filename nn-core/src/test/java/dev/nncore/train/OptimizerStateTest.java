package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.Regularizer;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Training N epochs, then M more from the result's optimizer state, against one fit of N + M epochs. */
class OptimizerStateTest {

    /** Dense with an L2 kernel regularizer, BatchNormalization, Dense: weights, moving statistics and slots. */
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
                Arguments.of(Optimizer.adam(0.01)),
                Arguments.of(Optimizer.sgd(0.01, 0.9, true)),
                Arguments.of(Optimizer.rmsprop(0.005, 0.9, 0.5, 1e-7, true)),
                Arguments.of(Optimizer.adam(0.01, 0.9, 0.999, 1e-7, true)));
    }

    static BackpropTrainer.Builder trainer(Optimizer optimizer, int epochs) {
        return BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(optimizer).epochs(epochs)
                .batchSize(8).seed(42);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void continuedFitEqualsOneFitBitForBit(Optimizer optimizer) {
        Matrix[] data = data();
        TrainingResult whole = trainer(optimizer, 7).build().fit(network(), data[0], data[1]);
        TrainingResult first = trainer(optimizer, 3).build().fit(network(), data[0], data[1]);
        TrainingResult rest = trainer(optimizer, 7).initialEpoch(3).optimizerState(first.optimizerState()).build()
                .fit(first.network(), data[0], data[1]);

        assertThat(rest.optimizerState().iterations()).isEqualTo(whole.optimizerState().iterations()).isEqualTo(35);
        assertSameWeights(rest.network(), whole.network());
        assertThat(rest.optimizerState().variables()).usingRecursiveComparison()
                .isEqualTo(whole.optimizerState().variables());
    }

    @Test
    void withoutTheStateTheContinuedFitDiffers() {
        Matrix[] data = data();
        Optimizer adam = Optimizer.adam(0.01);
        TrainingResult whole = trainer(adam, 7).build().fit(network(), data[0], data[1]);
        TrainingResult first = trainer(adam, 3).build().fit(network(), data[0], data[1]);
        TrainingResult fresh = trainer(adam, 7).initialEpoch(3).build().fit(first.network(), data[0], data[1]);
        assertThat(fresh.network().layers().get(0).getWeights().get(0).toArray())
                .isNotEqualTo(whole.network().layers().get(0).getWeights().get(0).toArray());
    }

    /**
     * With EMA, Keras's fit ends by writing the averages into the weights (finalize_variable_values), so a continued fit
     * goes on from the averages: the same as Keras's two fits, fit(3) then fit(4), not one fit(7).
     */
    @Test
    void adamWWithClipNormAndEmaContinuesFromTheAverages() {
        Matrix[] data = data();
        Optimizer adamW = Optimizer.adamW(0.01).clipNorm(0.5).ema(0.9);
        TrainingResult first = trainer(adamW, 3).build().fit(network(), data[0], data[1]);
        OptimizerState state = first.optimizerState();
        TrainingResult rest = trainer(adamW, 7).initialEpoch(3).optimizerState(state).build()
                .fit(first.network(), data[0], data[1]);
        TrainingResult again = trainer(adamW, 7).initialEpoch(3).optimizerState(state).build()
                .fit(first.network(), data[0], data[1]);
        assertSameWeights(rest.network(), again.network());
        assertThat(state.variables()).hasSize(2 * 6 + 6); // m and v of 6 trainable weights, then their averages
        assertThat(rest.optimizerState().iterations()).isEqualTo(35);
    }

    @Test
    void aStateOfAnotherOptimizerIsRefused() {
        Matrix[] data = data();
        OptimizerState adam = trainer(Optimizer.adam(0.01), 1).build().fit(network(), data[0], data[1]).optimizerState();
        assertThatThrownBy(() -> trainer(Optimizer.sgd(0.1), 2).initialEpoch(1).optimizerState(adam).build()
                .fit(network(), data[0], data[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("this optimizer state is Adam's, not SGD's");
        OptimizerState amsgrad = trainer(Optimizer.adam(0.01, 0.9, 0.999, 1e-7, true), 1).build()
                .fit(network(), data[0], data[1]).optimizerState();
        assertThatThrownBy(() -> trainer(Optimizer.adam(0.01), 2).optimizerState(amsgrad).build()
                .fit(network(), data[0], data[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("this optimizer state has 18 slots, the fit needs 12");
    }

    @Test
    void kerasOrderInterleavesAdamsMomentsAndPutsAveragesFirst() {
        float[][] m0 = {{1}};
        float[][] m1 = {{2}};
        float[][] v0 = {{3}};
        float[][] v1 = {{4}};
        float[][] a0 = {{5}};
        float[][] a1 = {{6}};
        Optimizer adam = Optimizer.adam().ema(0.99);
        // Keras 3: averages of both weights, then m0, v0, m1, v1
        OptimizerState state = OptimizerState.fromKerasVariables(adam, 4, 0.001, List.of(a0, a1, m0, v0, m1, v1), 2);
        assertThat(state.variables()).usingRecursiveComparison().isEqualTo(List.of(m0, m1, v0, v1, a0, a1));
        assertThat(state.kerasVariables(adam)).usingRecursiveComparison().isEqualTo(List.of(a0, a1, m0, v0, m1, v1));

        Optimizer centered = Optimizer.rmsprop(0.001, 0.9, 0.5, 1e-7, true);
        OptimizerState blocks = OptimizerState.fromKerasVariables(centered, 4, 0.001, List.of(m0, m1, v0, v1, a0, a1), 2);
        assertThat(blocks.variables()).usingRecursiveComparison().isEqualTo(List.of(m0, m1, v0, v1, a0, a1));

        // Adadelta, Adamax, Nadam, Ftrl: two slots interleaved per weight as Adam's; Nadam's u_product last
        OptimizerState adadelta = OptimizerState.fromKerasVariables(Optimizer.adadelta(), 4, 1, List.of(m0, v0, m1, v1), 2);
        assertThat(adadelta.variables()).usingRecursiveComparison().isEqualTo(List.of(m0, m1, v0, v1));
        assertThat(adadelta.kerasVariables(Optimizer.adadelta())).usingRecursiveComparison()
                .isEqualTo(List.of(m0, v0, m1, v1));
        float[][] product = {{0.5f}};
        Optimizer nadam = Optimizer.nadam();
        OptimizerState withProduct = OptimizerState.fromKerasVariables(nadam, 4, 0.001, List.of(m0, v0, m1, v1, product), 2);
        assertThat(withProduct.variables()).usingRecursiveComparison().isEqualTo(List.of(m0, m1, v0, v1));
        assertThat(withProduct.kerasVariables(nadam)).usingRecursiveComparison()
                .isEqualTo(List.of(m0, v0, m1, v1, product));
        assertThat(withProduct.kerasVariableWeights(nadam)).containsExactly(0, 0, 1, 1, -1);

        Optimizer mine = Optimizer.custom("heavy_ball", 0.01, new UpdateRule() {
            @Override
            public int slots() {
                return 1;
            }

            @Override
            public void update(float[][] weight, float[][] gradient, float[][][] slots, double learningRate,
                    long iterations) {
            }
        });
        assertThatThrownBy(() -> OptimizerState.fromKerasVariables(mine, 1, 0.001, List.<float[][]>of(m0), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the Keras 3 order of heavy_ball's optimizer variables is not mapped");
        assertThatThrownBy(() -> OptimizerState.fromKerasVariables(adam, 1, 0.001, List.of(m0, v0), 2))
                .hasMessageContaining("Adam with use_ema for 2 trainable weights cannot have 2 optimizer variables");
    }

    static void assertSameWeights(Network actual, Network expected) {
        for (int l = 0; l < expected.layers().size(); l++) {
            List<Matrix> a = actual.layers().get(l).getWeights();
            List<Matrix> e = expected.layers().get(l).getWeights();
            for (int w = 0; w < e.size(); w++) {
                assertThat(a.get(w).toArray()).as("layer %d weight %d", l, w).isEqualTo(e.get(w).toArray());
            }
        }
    }
}
