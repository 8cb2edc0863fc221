package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.math.Matrix;
import dev.nncore.train.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GraphTest {

    /** Two inputs, every merge, a shared Dense and two outputs. */
    static Network everyMerge(long seed) {
        Node a = Node.input("a", 3);
        Node b = Node.input("b", 3);
        Dense shared = Dense.of(new float[][] {{0.5f, -0.3f, 0.2f}, {0.1f, 0.4f, -0.6f}, {-0.2f, 0.3f, 0.7f}},
                new float[] {0.05f, -0.1f, 0.02f}, Activation.TANH).named("shared");
        Node sa = a.apply(shared);
        Node sb = b.apply(shared);
        Node sum = Node.add(sa, sb, a);
        Node difference = Node.subtract(sa, b);
        Node product = Node.multiply(sa, sb);
        Node mean = Node.average(sum, difference);
        Node high = Node.maximum(product, mean, a);
        Node low = Node.minimum(product, mean);
        Node cosine = Node.dot(high, low, true);
        Node plain = Node.dot(sa, b, false);
        Node all = Node.concatenate(high, low, cosine, plain);
        Node main = all.dense(2, Activation.SOFTMAX, "main");
        Node aux = sum.dense(1, Activation.LINEAR, "aux");
        return Network.functional(List.of(a, b), List.of(main, aux), seed);
    }

    @Test
    void namesInputsAndOutputsAndRefusesSingleForward() {
        Network network = everyMerge(1);
        assertThat(network.inputNames()).containsExactly("a", "b");
        assertThat(network.outputNames()).containsExactly("main", "aux");
        assertThat(network.isSequential()).isFalse();
        assertThat(network.inputs()).isEqualTo(6);
        assertThat(network.outputs()).isEqualTo(3);
        assertThat(network.layers()).filteredOn(layer -> layer.name().equals("shared")).hasSize(1);
        assertThatThrownBy(() -> network.forward(1, 2, 3, 4, 5, 6))
                .hasMessageContaining("2 inputs [a, b] and 2 outputs [main, aux]").hasMessageContaining("forwardAll");
        assertThatThrownBy(() -> network.forwardAll(List.of(Matrix.row(1, 2, 3))))
                .hasMessageContaining("expected 2 inputs (a, b), got 1");
    }

    @Test
    void forwardAllMatchesTheMergesComputedByHand() {
        Node a = Node.input("a", 2);
        Node b = Node.input("b", 2);
        Network network = Network.functional(List.of(a, b), List.of(Node.add(a, b), Node.subtract(a, b),
                Node.multiply(a, b), Node.average(a, b), Node.maximum(a, b), Node.minimum(a, b), Node.dot(a, b, false),
                Node.concatenate(b, a)));
        List<Matrix> out = network.forwardAll(List.of(Matrix.row(1, -2), Matrix.row(3, 5)));
        assertThat(out.get(0).toArray()[0]).containsExactly(4, 3);
        assertThat(out.get(1).toArray()[0]).containsExactly(-2, -7);
        assertThat(out.get(2).toArray()[0]).containsExactly(3, -10);
        assertThat(out.get(3).toArray()[0]).containsExactly(2, 1.5f);
        assertThat(out.get(4).toArray()[0]).containsExactly(3, 5);
        assertThat(out.get(5).toArray()[0]).containsExactly(1, -2);
        assertThat(out.get(6).toArray()[0]).containsExactly(-7);
        assertThat(out.get(7).toArray()[0]).containsExactly(3, 5, 1, -2);
    }

    @Test
    void gradientsThroughEveryMergeAndTheSharedLayerMatchFloat64CentralDifferences() {
        Network network = everyMerge(7);
        SplittableRandom random = new SplittableRandom(3);
        float[][] x = new float[5][6];
        float[][] y = new float[5][3];
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 6; c++) {
                x[r][c] = (float) random.nextDouble(-1, 1);
            }
            y[r][random.nextInt(2)] = 1;
            y[r][2] = (float) random.nextDouble(-1, 1);
        }
        GradientCheck check = GradientCheck.of(network, Matrix.of(x), Matrix.of(y), Loss.MEAN_SQUARED_ERROR);
        assertThat(check.isWithin(1e-3)).as(check.toString()).isTrue();
        assertThat(check.weightsChecked()).isEqualTo((9 + 3) + (8 * 2 + 2) + (3 + 1)); // shared, main, aux
    }

    @Test
    void aChainBuiltAsAGraphIsTheSequentialNetwork() {
        Node x = Node.input("x", 4);
        Node out = x.then(b -> b.dense(8, Activation.RELU).dropout(0.1).dense(2, Activation.SOFTMAX));
        Network graph = Network.functional(List.of(x), List.of(out), 5);
        Network chain = Network.builder(4).dense(8, Activation.RELU).dropout(0.1).dense(2, Activation.SOFTMAX).seed(5).build();
        assertThat(graph.isSequential()).isTrue();
        assertThat(graph).isEqualTo(chain);
        assertThat(graph.inputNames()).containsExactly("x");
        assertThat(chain.inputNames()).containsExactly("input_layer");
        assertThat(graph.forward(1, 2, 3, 4)).containsExactly(chain.forward(1, 2, 3, 4));
    }

    @Test
    void aSharedLayerIsOneSetOfWeightsWithSummedGradients() {
        Node a = Node.input("a", 2);
        Dense shared = Dense.of(new float[][] {{2}, {3}}, new float[] {1}, Activation.LINEAR);
        Node twice = a.apply(shared).apply(Dense.of(new float[][] {{1, 1}}, new float[] {0, 0}, Activation.LINEAR));
        // y = shared(shared2(...)) is not shape-compatible; use shared on two inputs instead
        Node b = Node.input("b", 2);
        Network network = Network.functional(List.of(a, b), List.of(Node.add(a.apply(shared), b.apply(shared))));
        assertThat(network.getWeights()).hasSize(2);
        // out = (w.a + c) + (w.b + c); MSE against 0 for one row: dL/dw = 2 out (a + b), dL/dc = 2 out * 2
        List<Matrix> g = network.gradients(Matrix.row(1, 2, 3, 4), Matrix.row(0), Loss.MEAN_SQUARED_ERROR);
        float out = (2 * 1 + 3 * 2 + 1) + (2 * 3 + 3 * 4 + 1);
        assertThat(g.get(0).toArray()).isDeepEqualTo(new float[][] {{2 * out * 4}, {2 * out * 6}});
        assertThat(g.get(1).get(0, 0)).isEqualTo(2 * out * 2);
        assertThat(twice.width()).isEqualTo(2);
    }

    @Test
    void withWeightsKeepsTheGraphAndSharing() {
        Network network = everyMerge(2);
        List<Matrix> weights = new ArrayList<>();
        for (Matrix w : network.getWeights()) {
            float[][] values = w.toArray();
            for (float[] row : values) {
                for (int j = 0; j < row.length; j++) {
                    row[j] *= 0.5f;
                }
            }
            weights.add(Matrix.of(values));
        }
        Network halved = network.withWeights(weights);
        assertThat(halved.getWeights()).isEqualTo(weights);
        assertThat(halved.outputNames()).isEqualTo(network.outputNames());
        assertThat(halved.toString()).isEqualTo(network.toString());
    }

    @Test
    void aNetworkAppliedTwiceIsOneSharedBlock() {
        Network encoder = Network.builder(4).dense(3, Activation.TANH).dense(2, Activation.LINEAR).seed(1).build();
        Node left = Node.input("left", 4);
        Node right = Node.input("right", 4);
        Node distance = Node.subtract(left.apply(encoder), right.apply(encoder));
        Network siamese = Network.functional(List.of(left, right), List.of(distance.dense(1, Activation.SIGMOID, "same")), 3);
        assertThat(siamese.layers()).hasSize(4); // two encoder layers, subtract, the head
        assertThat(siamese.getWeights().subList(0, 4)).isEqualTo(encoder.getWeights());
        Matrix l = Matrix.of(new float[][] {{0.1f, 0.2f, -0.3f, 0.4f}, {1, 0, -1, 0.5f}});
        Matrix r = Matrix.of(new float[][] {{-0.5f, 0.2f, 0.3f, 0.1f}, {0.2f, -0.4f, 0.6f, -0.8f}});
        Matrix codes = Matrix.of(new float[][] {encoder.forward(l.getRow(0)), encoder.forward(l.getRow(1))});
        assertThat(siamese.forwardAll(List.of(l, l)).get(0).toArray())
                .isDeepEqualTo(siamese.forwardAll(List.of(r, r)).get(0).toArray()); // equal codes: distance 0 either way
        assertThat(codes.rows()).isEqualTo(2);
        float[][] x = new float[2][8];
        for (int row = 0; row < 2; row++) {
            System.arraycopy(l.getRow(row), 0, x[row], 0, 4);
            System.arraycopy(r.getRow(row), 0, x[row], 4, 4);
        }
        GradientCheck check = GradientCheck.of(siamese, Matrix.of(x), Matrix.column(1, 0), Loss.BINARY_CROSSENTROPY);
        assertThat(check.isWithin(1e-3)).as(check.toString()).isTrue();
    }

    @Test
    void tenThousandLayersBuildRunAndDifferentiateWithoutRecursion() {
        Node input = Node.input("x", 2);
        Node x = input;
        Dense identity = Dense.of(new float[][] {{1, 0}, {0, 1}}, new float[] {0, 0}, Activation.LINEAR);
        for (int i = 0; i < 5000; i++) {
            x = Node.add(x, x.apply(identity)); // doubles x: 5,000 calls of one shared layer and 5,000 merges
            x = x.then(b -> b.rescaling(0.5, 0)); // halves it back: 5,000 more layers
        }
        Network deep = Network.functional(List.of(input), List.of(x));
        assertThat(deep.layers()).hasSize(1 + 5000 + 5000);
        assertThat(deep.forward(3, -4)).containsExactly(3, -4);
        List<Matrix> gradients = deep.gradients(Matrix.row(1, 1), Matrix.row(0, 0), Loss.MEAN_SQUARED_ERROR);
        assertThat(gradients).hasSize(2);
    }

    @Test
    void anOutputNeedingAnUnlistedInputIsRefusedNamingIt() {
        Node a = Node.input("a", 2);
        Node b = Node.input("b", 2);
        Node sum = Node.add(a, b);
        assertThatThrownBy(() -> Network.functional(List.of(a), List.of(sum)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Input \"b\"")
                .hasMessageContaining("not among the network's inputs [a]");
        assertThatThrownBy(() -> Node.add(a, Node.input("c", 3)))
                .hasMessageContaining("Add needs inputs of one width, got [2, 3]");
        assertThatThrownBy(() -> Network.functional(List.of(a, b), List.of(sum, sum)))
                .hasMessageContaining("output 1").hasMessageContaining("is output 0 again");
        assertThatThrownBy(() -> Network.functional(List.of(a, a), List.of(sum)))
                .hasMessageContaining("listed twice");
        Node named = a.dense(2, Activation.RELU, "twin");
        Node clash = b.dense(2, Activation.RELU, "twin");
        assertThatThrownBy(() -> Network.functional(List.of(a, b), List.of(Node.add(named, clash))))
                .hasMessageContaining("Dense \"twin\" has the name of another layer");
    }
}
