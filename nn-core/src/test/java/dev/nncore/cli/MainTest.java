package dev.nncore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void demoTellsTheVideosStory() {
        assertThat(run()).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Total params: 9")
                .contains("0B -> L1N0: -1.3\n0B -> L1N1: 0.0\nL0N0 -> L1N0 = 1.3\nL0N0 -> L1N1 = 1.2\n"
                        + "L0N1 -> L1N0 = 1.3\nL0N1 -> L1N1 = 1.2\n1B -> L2N0: 0.0\nL1N0 -> L2N0 = -1.6\nL1N1 -> L2N0 = 0.8\n")
                .contains("(0, 0) ->  0.0000")
                .contains("(0, 1) ->  0.9600")
                .contains("(1, 0) ->  0.9600")
                .contains("(1, 1) -> -0.1600");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(run("demo")).isZero();
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(run("train-my-model")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Unknown command 'train-my-model'.").contains("Usage:");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: java -jar nn-core.jar");
    }

    @Test
    void demoRejectsArguments() {
        assertThat(run("demo", "extra")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("demo takes no arguments, got 1");
    }
}
