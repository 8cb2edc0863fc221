package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphSummaryTest {

    /**
     * Rows of a real Keras 2 Functional summary (a ResNet50 printed by TF 2.11, in a public notebook), trailing spaces
     * dropped: a long name cut at 30 characters, a shape cut at 19, and a merge's connections one per line, the second
     * indented by the space after the comma.
     */
    @Test
    void rowsWrapAsKeras2PrintsThem() {
        assertThat(GraphSummary.row("add_29 (Add)", "(None, 8, 8, 512)", "0",
                "['batch_normalization_102[0][0]', 'activation_88[0][0]']")).isEqualTo(String.join("\n",
                " add_29 (Add)                   (None, 8, 8, 512)    0           ['batch_normalization_102[0][0]',",
                "                                                                  'activation_88[0][0]']"));
        assertThat(GraphSummary.row("add_25 (Add)", "(None, 15, 15, 256)", "0",
                "['batch_normalization_88[0][0]', 'batch_normalization_89[0][0]']")).isEqualTo(String.join("\n",
                " add_25 (Add)                   (None, 15, 15, 256)  0           ['batch_normalization_88[0][0]',",
                "                                                                  'batch_normalization_89[0][0]']"));
        assertThat(GraphSummary.row("batch_normalization_100 (BatchNormalization)", "(None, 8, 8, 128)", "512",
                "['conv2d_100[0][0]']")).isEqualTo(String.join("\n",
                " batch_normalization_100 (Batch  (None, 8, 8, 128)   512         ['conv2d_100[0][0]']",
                " Normalization)"));
        assertThat(GraphSummary.row("input_1 (InputLayer)", "[(None, 256, 256, 3)]", "0", "[]")).isEqualTo(String.join("\n",
                " input_1 (InputLayer)           [(None, 256, 256, 3  0           []",
                "                                )]"));
        assertThat(GraphSummary.row("activation_89 (Activation)", "(None, 8, 8, 128)", "0",
                "['batch_normalization_100[0][0]']")).isEqualTo(
                " activation_89 (Activation)     (None, 8, 8, 128)    0           ['batch_normalization_100[0][0]']");
    }

    /**
     * Géron's wide & deep model. Keras 2 lists layers by depth, deepest first: "deep" (4), "dense" (3), then "wide"
     * and "dense_1" (both 2; "wide" is met first walking back from "main_output"), "concatenate" (1), and the two
     * outputs (0). 210 = 6 x 30 + 30, 930 = 30 x 30 + 30, 36 = 35 + 1, 31 = 30 + 1; 1207 x 4 bytes = 4.71 KB.
     */
    @Test
    void wideAndDeepPrintsAsKeras2PrintsAFunctionalModel() {
        Node wide = Node.input("wide", 5);
        Node deep = Node.input("deep", 6);
        Node hidden1 = deep.dense(30, Activation.RELU);
        Node hidden2 = hidden1.dense(30, Activation.RELU);
        Node main = Node.concatenate(wide, hidden2).dense(1, Activation.LINEAR, "main_output");
        Node aux = hidden2.dense(1, Activation.LINEAR, "aux_output");
        Network network = Network.functional(List.of(wide, deep), List.of(main, aux), 42);
        assertThat(network.summary()).isEqualTo(String.join("\n",
                "Model: \"model\"",
                "_".repeat(98),
                " Layer (type)                   Output Shape         Param #     Connected to",
                "=".repeat(98),
                " deep (InputLayer)              [(None, 6)]          0           []",
                "",
                " dense (Dense)                  (None, 30)           210         ['deep[0][0]']",
                "",
                " wide (InputLayer)              [(None, 5)]          0           []",
                "",
                " dense_1 (Dense)                (None, 30)           930         ['dense[0][0]']",
                "",
                " concatenate (Concatenate)      (None, 35)           0           ['wide[0][0]',",
                "                                                                  'dense_1[0][0]']",
                "",
                " main_output (Dense)            (None, 1)            36          ['concatenate[0][0]']",
                "",
                " aux_output (Dense)             (None, 1)            31          ['dense_1[0][0]']",
                "=".repeat(98),
                "Total params: 1207 (4.71 KB)",
                "Trainable params: 1207 (4.71 KB)",
                "Non-trainable params: 0 (0.00 Byte)",
                "_".repeat(98)));
    }

    /**
     * A whole Functional summary printed by Keras 2 (TF 2.11, a public TFX example: three inputs concatenated into a
     * Dense stack), its rows verbatim with trailing spaces dropped. Its last row, a TFX transform layer nn-core does not
     * have, is left out; Keras 2.11 also printed a blank line after the last row, and totals without byte sizes, where
     * nn-core prints Keras 2.13's totals as Network.summary() does for Sequential models.
     */
    @Test
    void threeInputsConcatenatedMatchARealKeras2Summary() {
        Node hr = Node.input("HR_xf", 1);
        Node resp = Node.input("Resp_xf", 1);
        Node temp = Node.input("Temp_xf", 1);
        Node output = Node.concatenate(hr, resp, temp).then(b -> b.dense(100, Activation.RELU).dense(70, Activation.RELU)
                .dense(50, Activation.RELU).dense(20, Activation.RELU).dense(1, Activation.LINEAR));
        Network network = Network.functional(List.of(hr, resp, temp), List.of(output), 0);
        String rows = String.join("\n",
                " HR_xf (InputLayer)             [(None, 1)]          0           []",
                "",
                " Resp_xf (InputLayer)           [(None, 1)]          0           []",
                "",
                " Temp_xf (InputLayer)           [(None, 1)]          0           []",
                "",
                " concatenate (Concatenate)      (None, 3)            0           ['HR_xf[0][0]',",
                "                                                                  'Resp_xf[0][0]',",
                "                                                                  'Temp_xf[0][0]']",
                "",
                " dense (Dense)                  (None, 100)          400         ['concatenate[0][0]']",
                "",
                " dense_1 (Dense)                (None, 70)           7070        ['dense[0][0]']",
                "",
                " dense_2 (Dense)                (None, 50)           3550        ['dense_1[0][0]']",
                "",
                " dense_3 (Dense)                (None, 20)           1020        ['dense_2[0][0]']",
                "",
                " dense_4 (Dense)                (None, 1)            21          ['dense_3[0][0]']");
        assertThat(network.summary()).startsWith(String.join("\n",
                "Model: \"model\"",
                "_".repeat(98),
                " Layer (type)                   Output Shape         Param #     Connected to",
                "=".repeat(98),
                rows,
                "=".repeat(98),
                "Total params: 12061 (47.11 KB)"));
    }

    /** A shared layer has one row listing both calls; the Add reads its calls 0 and 1. 8 = 3 x 2 + 2. */
    @Test
    void sharedLayerHasOneRowListingEveryCall() {
        Node left = Node.input("left", 3);
        Node right = Node.input("right", 3);
        Dense shared = Dense.of(new float[][] {{1, 2}, {3, 4}, {5, 6}}, new float[] {0, 1}, Activation.RELU).named("shared");
        Node sum = Node.add(left.apply(shared), right.apply(shared));
        Network network = Network.functional(List.of(left, right), List.of(sum));
        assertThat(network.summary()).contains(String.join("\n",
                " left (InputLayer)              [(None, 3)]          0           []",
                "",
                " right (InputLayer)             [(None, 3)]          0           []",
                "",
                " shared (Dense)                 (None, 2)            8           ['left[0][0]',",
                "                                                                  'right[0][0]']",
                "",
                " add (Add)                      (None, 2)            0           ['shared[0][0]',",
                "                                                                  'shared[1][0]']",
                "=".repeat(98),
                "Total params: 8 (32.00 Byte)"));
    }

    /**
     * The order Keras 2.4 saved for a real wide & deep model (rogersaloo/example functional_model.h5, in
     * ../shared/keras-models/real-wild): its model_config lists deep_input, dense_10, wide_input, dense_11,
     * concatenate_2, main_output, aux_output, although its input_layers are [wide_input, deep_input].
     */
    @Test
    void rowsComeInTheOrderKerasSavedForARealWideAndDeepModel() {
        Node wide = Node.input("wide_input", 5);
        Node deep = Node.input("deep_input", 6);
        Node hidden1 = deep.dense(30, Activation.RELU, "dense_10");
        Node hidden2 = hidden1.dense(30, Activation.RELU, "dense_11");
        Node concat = Node.merge(Merge.concatenate(5, 30).named("concatenate_2"), wide, hidden2);
        Network network = Network.functional(List.of(wide, deep), List.of(concat.dense(1, Activation.LINEAR, "main_output"),
                hidden2.dense(1, Activation.LINEAR, "aux_output")));
        List<String> rows = network.summary().lines().filter(line -> line.matches(" [a-z_0-9]+ \\(.*"))
                .map(line -> line.substring(1, line.indexOf(' ', 1))).toList();
        assertThat(rows).containsExactly("deep_input", "dense_10", "wide_input", "dense_11", "concatenate_2", "main_output",
                "aux_output");
    }

    /** 300 inputs (beyond Java's small-Integer cache) concatenated, and 10,000 layers deep: no recursion, no mix-up. */
    @Test
    void manyInputsAndDeepGraphs() {
        List<Node> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            inputs.add(Node.input("in_" + i, 1));
        }
        Network wide = Network.functional(inputs, List.of(Node.concatenate(inputs.toArray(Node[]::new))));
        String summary = wide.summary();
        assertThat(summary.lines().filter(line -> line.contains("(InputLayer)")).count()).isEqualTo(300);
        assertThat(summary).contains(" in_299 (InputLayer)");

        Node x = Node.input("x", 2);
        Node node = x;
        for (int i = 0; i < 5_000; i++) {
            node = Node.add(node, node.dense(2, Activation.LINEAR));
        }
        Network deep = Network.functional(List.of(x), List.of(node), 1);
        String text = deep.summary();
        assertThat(text).contains(" x (InputLayer)", "['add_4998[0][0]',");
        assertThat(text.indexOf(" x (InputLayer)")).isLessThan(text.indexOf(" dense (Dense)"));
    }

    @Test
    void sequentialSummaryIsUnchanged() {
        Network chain = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).seed(0).build();
        assertThat(chain.summary()).startsWith("Model: \"sequential\"").doesNotContain("Connected to");
    }
}
