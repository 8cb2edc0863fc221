package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.ChildJvm;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernels allocate nothing even where C2 compiles them without receiver type profiles. On JDK 17 the Vector API's
 * intrinsics are expanded after parsing, so C2 inlines a call on a vector only if it knows the vector's exact class as
 * it parses the call: from the profile, or, profile or not, from a cast to the species' final class
 * ({@code VectorKernel.EXACT}). A call left out of line boxes every vector it passes. A JVM whose compiler threads are
 * starved may compile without the profile: the softmax then allocated one vector per exponential call in about one run
 * in 13 of the allocation tests. Here a JVM of its own runs every path with {@code -XX:-UseTypeProfile}, so that the
 * casts alone must do it: without them a training step allocated 116 MB. The plain kernel is held to the same.
 */
@Tag("slow")   // JVMs of its own with their own options, each kernel among them: .ci/run runs it once
class UnprofiledKernelTest {

    /**
     * The Vector API kernel at the machine's widest vectors (no option: the JVM's default) and at 32 bytes, an AVX2
     * machine's width, as CI's third pass runs (6x2 tiles there); its 5x4 tiles forced, which an AVX2 machine does not
     * run by default; and the plain kernel, whose paths must not depend on profiles either.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "-XX:MaxVectorSize=32", "-Dnncore.vectorTiles=5x4", "-Dnncore.kernel=plain"})
    void everyPathAllocatesNothingWithoutTypeProfiles(String option) throws Exception {
        ChildJvm.Result result = ChildJvm.withOptions("--add-modules", "jdk.incubator.vector", "-XX:-UseTypeProfile", option)
                .classPathOf(Matrix.class, UnprofiledKernelProbe.class).timeout(Duration.ofSeconds(180))
                .run(UnprofiledKernelProbe.class);
        assertThat(result.exitCode()).as(result.output()).isZero();
        check(result.output(), option.contains("plain") ? "kernel plain Java" : "kernel Vector API");
    }

    private static void check(String output, String kernel) {
        assertThat(output).as("the kernel the probe ran").contains(kernel);
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.matches("^(step|forward|multiply).* -?\\d+$")) {
                bytes.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
            }
        }
        assertThat(bytes).as(output).hasSize(11);
        // One boxed vector is 96 bytes at 512 bits; the bound is less than one byte a call.
        assertThat(bytes).as("bytes allocated by 50 calls of each path, fewest of the rounds in 3 s").allSatisfy(
                (path, allocated) -> assertThat(allocated).as(path).isLessThan(50));
    }
}
