package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.ChildJvm;
import dev.nncore.testing.Gaussian;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every register tile of the Vector API kernel, whatever this machine's vectors and JDK: 5x4 (its default at 512 bits),
 * 6x2 (below, on JDK 17) and 4x2 (below, on later JDKs), each forced in a JVM of its own with
 * {@code -Dnncore.vectorTiles}, give the fused plain kernel's bits on every product. The suite's other tests run the
 * machine's default tile in process.
 */
@Tag("slow")   // JVMs of their own, each with the Vector API kernel whatever the run's kernel: .ci/run runs it once
class VectorTilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"5x4", "6x2", "4x2"})
    void eachTileShapeGivesThePlainKernelsBits(String shape) {
        ChildJvm.Result result = ChildJvm.withOptions("--add-modules", "jdk.incubator.vector", "-Dnncore.vectorTiles=" + shape)
                .classPathOf(Matrix.class, VectorTilesProbe.class, Gaussian.class).run(VectorTilesProbe.class);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(shape + " tiles").contains("same bits");
    }

    @Test
    void theShapeFollowsTheWidthAndTheJdkUnlessSet() {
        assertThat(VectorKernel.tileShape(null, 16, 17)).as("AVX-512").isEqualTo("5x4");
        assertThat(VectorKernel.tileShape(null, 16, 25)).as("AVX-512, JDK 25").isEqualTo("5x4");
        assertThat(VectorKernel.tileShape(null, 8, 17)).as("AVX2").isEqualTo("6x2");
        assertThat(VectorKernel.tileShape(null, 8, 18)).as("AVX2, JDK 18").isEqualTo("4x2");
        assertThat(VectorKernel.tileShape(null, 8, 21)).as("AVX2, JDK 21").isEqualTo("4x2");
        assertThat(VectorKernel.tileShape(null, 8, 25)).as("AVX2, JDK 25").isEqualTo("4x2");
        assertThat(VectorKernel.tileShape("5x4", 8, 17)).isEqualTo("5x4");
        assertThat(VectorKernel.tileShape(" 6x2 ", 16, 25)).isEqualTo("6x2");
        assertThat(VectorKernel.tileShape("4x2", 16, 17)).isEqualTo("4x2");
        assertThat(VectorKernel.tileShape("7x3", 16, 17)).as("a malformed setting is ignored").isEqualTo("5x4");
        assertThat(VectorKernel.tileShape("7x3", 8, 25)).as("a malformed setting is ignored").isEqualTo("4x2");
    }
}
