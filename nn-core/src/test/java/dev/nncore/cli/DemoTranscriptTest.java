package dev.nncore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's demo transcript is what {@code demo} prints, character for character, under each of the three matrix
 * kernels: each run is a child JVM (the kernel is chosen once, when the library loads) in an empty folder.
 */
class DemoTranscriptTest {

    private static final String FIRST_LINE = "nn-core: a neural network is no magic.";

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"--add-modules=jdk.incubator.vector", "-Dnncore.kernel=plain",
            "-Dnncore.kernel=plain -Dnncore.fma=false"})
    void demoPrintsTheReadmesTranscriptUnderEveryKernel(String kernelOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(kernelOptions.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo"));
        Path stdout = temp.resolve("stdout.txt");
        Path stderr = temp.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).directory(temp.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("demo finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();
        // the Vector API kernel's JVM warns about the incubator module, and says nothing else
        assertThat(Files.readString(stderr).replace("WARNING: Using incubator modules: jdk.incubator.vector", "").strip())
                .isEmpty();
        String printed = Files.readString(stdout, StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        assertThat(printed).isEqualTo(readmeTranscript());
        assertThat(temp.resolve("xor.svg")).isRegularFile();
        assertThat(temp.resolve("xor-loss.svg")).isRegularFile();
    }

    /** The code block of README.md that starts with the demo's first line, up to its closing fence. */
    static String readmeTranscript() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```\n" + FIRST_LINE + "\n");
        assertThat(start).as("README has the demo's transcript").isNotNegative();
        start += "```\n".length();
        int end = readme.indexOf("\n```", start);
        return readme.substring(start, end + 1);
    }
}
