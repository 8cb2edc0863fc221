package dev.nncore.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Merge;
import dev.nncore.Network;
import dev.nncore.Node;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExplanationGraphTest {

    /** Input a through a Dense (1, 0 / 0, 2, bias 0.5, 0), added to input b. */
    static Network residual() {
        Node a = Node.input("a", 2);
        Node b = Node.input("b", 2);
        Node hidden = a.apply(Dense.of(new float[][] {{1, 0}, {0, 2}}, new float[] {0.5f, 0}, Activation.RELU));
        return Network.functional(List.of(a, b), List.of(Node.add(hidden, b)));
    }

    /** The class comment's example, verbatim. */
    @Test
    void javadocExample() {
        Node a = Node.input("a", 2);
        Node b = Node.input("b", 2);
        Node hidden = a.apply(Dense.of(new float[][] {{1, 0}, {0, 2}}, new float[] {0.5f, 0}, Activation.RELU));
        Network graph = Network.functional(List.of(a, b), List.of(Node.add(hidden, b)));
        Explanation explanation = Explanation.of(graph, List.of(new float[] {1, 2}, new float[] {0.25f, -1}));
        List<float[]> y = explanation.outputs();   // [{1.75, 3}], the bits of graph.forwardAll(...)
        String text = explanation.toString();      // ... "  add[0] = dense[0] + b[0] = 1.5 + 0.25 = 1.75" ...

        assertThat(y).hasSize(1);
        assertThat(y.get(0)).containsExactly(1.75f, 3f)
                .containsExactly(graph.forwardAll(List.of(Matrix.row(1, 2), Matrix.row(0.25f, -1))).get(0).getRow(0));
        assertThat(text).contains("  add[0] = dense[0] + b[0] = 1.5 + 0.25 = 1.75\n");
    }

    /** Worked by hand: dense = relu(1 x 1 + 2 x 0 + 0.5, 1 x 0 + 2 x 2 + 0) = (1.5, 4); add = (1.5 + 0.25, 4 - 1). */
    @Test
    void residualIsWrittenOutNodeByNode() {
        Network network = residual();
        Explanation explanation = Explanation.of(network, List.of(new float[] {1, 2}, new float[] {0.25f, -1}));
        assertThat(explanation.toString()).isEqualTo(network + "\n"
                + "input a = [1, 2]\n"
                + "input b = [0.25, -1]\n"
                + "layer 1 \"dense\" <- a: 2 inputs -> 2 neurons, relu\n"
                + "  dense[0] = relu(1 x 1 + 2 x 0 + 0.5) = relu(1.5) = 1.5\n"
                + "  dense[1] = relu(1 x 0 + 2 x 2 + 0) = relu(4) = 4\n"
                + "layer 2 \"add\" <- dense, b: Add of 2 inputs of 2 values: the sum at each position\n"
                + "  add[0] = dense[0] + b[0] = 1.5 + 0.25 = 1.75\n"
                + "  add[1] = dense[1] + b[1] = 4 + (-1) = 3\n"
                + "output add = [1.75, 3]\n");
        assertThat(explanation.layers()).extracting(LayerExplanation::layerName).containsExactly("dense", "add");
        assertThat(explanation.layers().get(1).neurons().get(1).inputs()).containsExactly(4, -1);
        assertThat(explanation.inputs()).hasSize(2);
        assertThat(explanation.input()).containsExactly(1, 2, 0.25f, -1);
        // the weights 1, 0, 0, 2, 0.5, 0 are round already
        assertThat(explanation.toString(1)).endsWith("output add = [1.8, 3]\n"
                + "Numbers are rounded to 1 digit after the point for reading; every sum above was computed with the exact\n"
                + "float32 weights, so rounded terms may not add up exactly.\n"
                + "Rounding the weights themselves to 1 digit after the point would not change the outputs (add).\n");
        // one row of all inputs side by side, as Network.explain(float...) takes it for a graph
        assertThat(network.explain(1, 2, 0.25f, -1).toString()).isEqualTo(explanation.toString());
    }

    /** Every merge's arithmetic, with numbers checked by hand. */
    @Test
    void everyMergeIsWrittenAsItsArithmetic() {
        Node a = Node.input("a", 2);
        Node b = Node.input("b", 2);
        Node c = Node.input("c", 2);
        Network network = Network.functional(List.of(a, b, c), List.of(Node.subtract(a, b), Node.multiply(a, b, c),
                Node.average(a, b), Node.maximum(a, b, c), Node.minimum(a, b), Node.dot(a, b, false), Node.concatenate(b, a),
                Node.dot(a, c, true)));
        String text = Explanation.of(network, List.of(new float[] {1, -2}, new float[] {3, 5}, new float[] {0, 4})).toString();
        assertThat(text).contains(
                "layer 1 \"subtract\" <- a, b: Subtract of 2 inputs of 2 values: the difference at each position\n"
                        + "  subtract[0] = a[0] - b[0] = 1 - 3 = -2\n",
                "  multiply[1] = a[1] x b[1] x c[1] = (-2) x 5 x 4 = -40\n",
                "  average[1] = (a[1] + b[1]) / 2 = ((-2) + 5) / 2 = 1.5\n",
                "  maximum[0] = max(a[0], b[0], c[0]) = max(1, 3, 0) = 3\n",
                "  minimum[1] = min(a[1], b[1]) = min(-2, 5) = -2\n",
                "layer 6 \"dot\" <- a, b: Dot of 2 inputs of 2 values: the sum of their products, as a neuron's weighted sum\n"
                        + "  dot[0] = sum over k of a[k] x b[k] = 1 x 3 + (-2) x 5 = -7\n",
                "layer 7 \"concatenate\" <- b, a: Concatenate of 2 + 2 values, side by side\n"
                        + "  concatenate = [b[0..1], a[0..1]] = [3, 5, 1, -2]\n",
                // |a| = sqrt(5), |c| = 4: (1/sqrt 5) x 0 + (-2/sqrt 5) x 1 = -0.8944272
                "  |a| = sqrt(1^2 + (-2)^2) = 2.236068\n  |c| = sqrt(0^2 + 4^2) = 4\n",
                "  dot_1[0] = sum over k of a[k] / |a| x c[k] / |c| = 0.4472136 x 0 + (-0.8944272) x 1 = -0.8944272\n",
                "output concatenate = [3, 5, 1, -2]\n");
    }

    /** Wide merges are shortened as long sums are: the first 6 and last 2 terms, the first 12 and last 2 values. */
    @Test
    void wideMergesAreSummarised() {
        Node a = Node.input("a", 20);
        Node b = Node.input("b", 20);
        Network network = Network.functional(List.of(a, b), List.of(Node.dot(a, b, false), Node.concatenate(a, b)));
        float[] ones = new float[20];
        java.util.Arrays.fill(ones, 1);
        String text = Explanation.of(network, List.of(ones, ones)).toString();
        assertThat(text).contains("  dot[0] = sum over k of a[k] x b[k] = 1 x 1 + 1 x 1 + 1 x 1 + 1 x 1 + 1 x 1 + 1 x 1"
                + " + ... (12 more terms) + 1 x 1 + 1 x 1 = 20\n");
        assertThat(text).contains("  concatenate = [a[0..19], b[0..19]] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ... (26 more), 1, 1]\n");
    }

    /** A shared layer is explained once per call, each call named by its number. */
    @Test
    void sharedLayerIsExplainedPerCall() {
        Node left = Node.input("left", 2);
        Node right = Node.input("right", 2);
        Dense shared = Dense.of(new float[][] {{1}, {1}}, new float[] {0}, Activation.LINEAR).named("shared");
        Network network = Network.functional(List.of(left, right),
                List.of(Node.maximum(left.apply(shared), right.apply(shared))));
        Explanation explanation = Explanation.of(network, List.of(new float[] {1, 2}, new float[] {-3, 10}));
        assertThat(explanation.toString()).contains(
                "layer 1 \"shared\" (shared, call @0 of 2) <- left: 2 inputs -> 1 neuron, linear\n"
                        + "  shared@0[0] = 1 x 1 + 2 x 1 + 0 = 3\n"
                        + "layer 2 \"shared\" (shared, call @1 of 2) <- right: 2 inputs -> 1 neuron, linear\n"
                        + "  shared@1[0] = (-3) x 1 + 10 x 1 + 0 = 7\n"
                        + "layer 3 \"maximum\" <- shared@0, shared@1: ",
                "  maximum[0] = max(shared@0[0], shared@1[0]) = max(3, 7) = 7\n");
        assertThat(explanation.outputs().get(0)).containsExactly(7);
    }

    /** Random graphs of every merge, shared layers, BatchNormalization and two outputs: the outputs are forwardAll's bits. */
    @Test
    void randomGraphsMatchForwardAllBitForBit() {
        for (long seed = 0; seed < 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Network network = randomGraph(random);
            List<float[]> inputs = new ArrayList<>();
            List<Matrix> rows = new ArrayList<>();
            for (int i = 0; i < network.inputNames().size(); i++) {
                float[] values = new float[network.inputShape(i)[0]];
                for (int j = 0; j < values.length; j++) {
                    values[j] = (float) random.nextDouble(-2, 2);
                }
                inputs.add(values);
                rows.add(Matrix.row(values));
            }
            Explanation explanation = Explanation.of(network, inputs);
            List<Matrix> expected = network.forwardAll(rows);
            assertThat(explanation.outputs()).hasSameSizeAs(expected);
            for (int k = 0; k < expected.size(); k++) {
                float[] want = expected.get(k).getRow(0);
                float[] got = explanation.outputs().get(k);
                assertThat(got).hasSameSizeAs(want);
                for (int j = 0; j < want.length; j++) {
                    assertThat(Float.floatToIntBits(got[j])).as("seed %d output %d value %d", seed, k, j)
                            .isEqualTo(Float.floatToIntBits(want[j]));
                }
            }
            assertThat(explanation.toString()).contains("output " + network.outputNames().get(0) + " = ");
            assertThat(explanation.toString(2)).contains("Numbers are rounded to 2 digits");
        }
    }

    static Network randomGraph(SplittableRandom random) {
        int width = 2 + random.nextInt(4);
        List<Node> inputs = List.of(Node.input("p", width), Node.input("q", width), Node.input("r", 1 + random.nextInt(3)));
        List<Node> pool = new ArrayList<>(inputs);
        Dense shared = Dense.of(randomMatrix(random, width, width), randomMatrix(random, 1, width)[0], Activation.TANH);
        for (int step = 0; step < 8; step++) {
            Node x = pick(random, pool, width);
            Node y = pick(random, pool, width);
            Node next = switch (random.nextInt(11)) {
                case 0 -> Node.add(x, y, pick(random, pool, width));
                case 1 -> Node.subtract(x, y);
                case 2 -> Node.multiply(x, y);
                case 3 -> Node.average(x, y);
                case 4 -> Node.maximum(x, y);
                case 5 -> Node.minimum(x, y);
                case 6 -> Node.dot(x, y, random.nextBoolean()).dense(width, Activation.RELU);
                case 7 -> Node.concatenate(x, pool.get(random.nextInt(pool.size()))).dense(width, Activation.SIGMOID);
                case 8 -> x.apply(shared);
                case 9 -> x.apply(BatchNormalization.of(0.99, 0.001, randomMatrix(random, 1, width)[0],
                        randomMatrix(random, 1, width)[0], randomMatrix(random, 1, width)[0], new float[width]
                        .clone())).dense(width, Activation.LINEAR);
                default -> Node.merge(Merge.Kind.ADD, null, x, pool.get(2).dense(width, Activation.GELU));
            };
            pool.add(next);
        }
        Node last = pool.get(pool.size() - 1);
        Node aux = pick(random, pool, width).dense(2, Activation.SOFTMAX);
        return Network.functional(inputs, List.of(last.dense(3, Activation.LINEAR), aux), random.nextLong());
    }

    /** A node of {@code width} values: one from the pool, through a Dense if it has another width. */
    private static Node pick(SplittableRandom random, List<Node> pool, int width) {
        Node node = pool.get(random.nextInt(pool.size()));
        return node.width() == width ? node : node.dense(width, Activation.TANH);
    }

    private static float[][] randomMatrix(SplittableRandom random, int rows, int cols) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextDouble(0.1, 1.5);
            }
        }
        return values;
    }

    /** Layers of every kind inside a graph keep their own text, and the outputs are forwardAll's bits. */
    @Test
    void everyLayerKindInAGraph() {
        Node image = Node.input("image", 3, 4);
        Node extra = Node.input("extra", 2);
        Node flat = image.then(b -> b.flatten().dense(6, Activation.RELU).batchNormalization().dropout(0.3)
                .layerNormalization().prelu().dense(2, Activation.TANH));
        Node both = Node.multiply(flat, extra.then(b -> b.rescaling(0.5, 1).dense(2, Activation.SIGMOID)));
        Network network = Network.functional(List.of(image, extra), List.of(both.then(b -> b.activation(Activation.SOFTMAX))), 11);
        float[] pixels = new float[12];
        for (int i = 0; i < 12; i++) {
            pixels[i] = (i - 5) / 4f;
        }
        Explanation explanation = Explanation.of(network, List.of(pixels, new float[] {0.5f, -2}));
        float[] expected = network.forwardAll(List.of(Matrix.row(pixels), Matrix.row(0.5f, -2))).get(0).getRow(0);
        assertThat(explanation.outputs().get(0)).containsExactly(expected);
        assertThat(explanation.toString()).contains(
                "layer 1 \"flatten\" <- image: Flatten (3, 4) -> (12,), the same values in the same order: flatten = image\n",
                "\"batch_normalization\" <- dense: BatchNormalization of 6 values",
                "\"dropout\" <- batch_normalization: Dropout(rate=0.3), identity at inference: dropout = batch_normalization\n",
                "  layer_normalization[0] = (",
                "\"rescaling\" <- extra: Rescaling of 2 values\n",
                "  multiply[0] = dense_1[0] x dense_2[0] = ",
                "softmax over the row multiply\n");
    }

    @Test
    void wrongInputsAreNamed() {
        Network network = residual();
        assertThatThrownBy(() -> Explanation.of(network, List.of(new float[] {1, 2})))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Network expected 2 inputs [a, b], got 1");
        assertThatThrownBy(() -> Explanation.of(network, List.of(new float[] {1, 2}, new float[] {1, 2, 3})))
                .hasMessage("input 1 (\"b\") expects 2 values, got 3");
        assertThatThrownBy(() -> network.explain(1, 2, 3))
                .hasMessage("Network expected 4 inputs, got 3 (a: 2 + b: 2 side by side)");
    }

    @Test
    void sequentialNetworkTakesOneInputInTheList() {
        Network chain = ExplanationTest.video();
        Explanation explanation = Explanation.of(chain, List.of(new float[] {0, 1}));
        assertThat(explanation.toString()).isEqualTo(chain.explain(0, 1).toString());
        assertThat(explanation.outputs()).hasSize(1);
        assertThat(explanation.outputs().get(0)).containsExactly(chain.forward(0, 1));
    }
}
