package dev.nncore.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Dropout;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What {@code DocExamplesTest} does not check in dev.nncore.explain's Javadoc: the output the Javadoc prints in its
 * {@code <pre>} blocks, the README excerpt, and what the diagram example says the picture shows.
 */
class ExplainExamplesTest {

    private final Network video = ExplanationTest.video();
    private final Network network = ExplanationTest.denseBatchNormDropoutSoftmax();

    @Test
    void explanation() {
        Network video = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).build()
                .withWeights(List.of(
                        Matrix.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}), Matrix.row(-1.3f, 0),
                        Matrix.of(new float[][] {{-1.6f}, {0.8f}}), Matrix.row(0)));
        Explanation explanation = video.explain(0, 1);
        float[] y = explanation.output();            // {0.96000004}, the same bits as video.forward(0, 1)
        String exact = explanation.toString();       // ... "  h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0" ...
        String rounded = explanation.toString(2);    // ... "  y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96" ...

        assertThat(y).containsExactly(0.96000004f).containsExactly(video.forward(0, 1));
        assertThat(exact).contains("  h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0");
        assertThat(rounded).contains("  y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96");
        assertThat(javadocOutput("Explanation.java", 0)).isEqualTo(exact);
    }

    @Test
    void explanationOfEveryLayerKind() {
        Network network = Network.of(
                Dense.of(new float[][] {{1, -1, 0.5f}, {2, 0.5f, -1}}, new float[] {0.5f, 0, 0.1f}, Activation.RELU),
                BatchNormalization.of(0.99, 0.001, new float[] {0.5f, 2, 1}, new float[] {0.1f, -0.2f, 0},
                        new float[] {1, 0.5f, -0.25f}, new float[] {4, 0.25f, 1}),
                Dropout.of(3, 0.2),
                Dense.of(new float[][] {{1, -1}, {0.5f, 0.25f}, {-1, 2}}, new float[] {0, 0.1f}, Activation.LINEAR),
                ActivationLayer.of(2, Activation.SOFTMAX));
        String text = network.explain(1, 0.75f).toString();   // as below
        float[] y = network.explain(1, 0.75f).output();       // {0.4504746, 0.5495254}, the bits of network.forward(1, 0.75f)

        assertThat(network).isEqualTo(this.network);
        assertThat(text).isEqualTo(this.network.explain(1, 0.75f).toString()); // the text ExplanationTest checks line by line
        assertThat(javadocOutput("Explanation.java", 1)).isEqualTo(text);
        assertThat(y).containsExactly(0.4504746f, 0.5495254f).containsExactly(network.forward(1, 0.75f));
    }

    /** README's Show-your-work excerpt for the same network: every line it shows (not its "...") is the real text. */
    @Test
    void readmeExcerptOfEveryLayerKind() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        Matcher block = Pattern.compile("```\n(layer 1 \"dense\": 2 inputs -> 3 neurons.*?)```", Pattern.DOTALL).matcher(readme);

        assertThat(block.find()).isTrue();
        String text = network.explain(1, 0.75f).toString();
        for (String line : block.group(1).split("\n")) {
            if (!line.strip().equals("...")) {
                assertThat(text).contains(line + "\n");
            }
        }
    }

    @Test
    void networkDiagram() {
        String svg = NetworkDiagram.of(video).withInput(0, 1).toSvg();   // h1[1] shows 1.2, y[0] shows 0.96
        String dot = NetworkDiagram.of(video).withDigits(1).toDot();     // dot -Tsvg net.dot > net.svg
        String bn = NetworkDiagram.of(network).withInput(1, 0.75f).toSvg(); // Explanation's second example: h2[0] shows 0.6

        assertThat(svg).contains(">1.2</text>", ">0.96</text>");
        assertThat(bn).contains(">h2[0]</text><text x=", ">0.6</text>");
        assertThat(dot).startsWith("digraph network {");
    }

    /**
     * The {@code index}-th {@code <pre>} block without {@code {@code}} in {@code file}'s source, counting from 0,
     * as the text it shows: the leading {@code " * "} removed and HTML entities decoded. So the output printed in
     * the Javadoc is checked, not a copy of it.
     */
    private static String javadocOutput(String file, int index) {
        try {
            String source = Files.readString(Path.of("src/main/java/dev/nncore/explain", file));
            Matcher block = Pattern.compile(" \\* <pre>\n(.*?) \\* </pre>", Pattern.DOTALL).matcher(source);
            for (int i = 0; i <= index; i++) {
                assertThat(block.find()).as("<pre> block %d of %s", i, file).isTrue();
            }
            return block.group(1).replaceAll("(?m)^ \\* ", "").replace("&gt;", ">").replace("&lt;", "<")
                    .replace("&amp;", "&");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
