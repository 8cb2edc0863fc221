package dev.nncore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        ChildJvm.Result demo = ChildJvm.withOptions(kernelOptions.split(" ")).in(temp).separateErrors().run(Main.class, "demo");
        assertThat(demo.exitCode()).as(demo.errors()).isZero();
        // the Vector API kernel's JVM warns about the incubator module, and says nothing else
        assertThat(demo.errors().replace("WARNING: Using incubator modules: jdk.incubator.vector", "").strip()).isEmpty();
        String printed = demo.output().replace(System.lineSeparator(), "\n");
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
