package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.ChildJvm;
import dev.nncore.testing.Gaussian;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both register tiles of the Vector API kernel, whatever this machine's vectors: 5x4 (its default at 512 bits) and 6x2
 * (below), each forced in a JVM of its own with {@code -Dnncore.vectorTiles}, give the fused plain kernel's bits on
 * every product. The suite's other tests run the machine's default tile in process.
 */
@Tag("slow")   // JVMs of their own, each with the Vector API kernel whatever the run's kernel: .ci/run runs it once
class VectorTilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"5x4", "6x2"})
    void eachTileShapeGivesThePlainKernelsBits(String shape) {
        ChildJvm.Result result = ChildJvm.withOptions("--add-modules", "jdk.incubator.vector", "-Dnncore.vectorTiles=" + shape)
                .classPathOf(Matrix.class, VectorTilesProbe.class, Gaussian.class).run(VectorTilesProbe.class);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(shape + " tiles").contains("same bits");
    }

    @Test
    void theShapeFollowsTheWidthUnlessSet() {
        assertThat(VectorKernel.sixByTwo(null, 16)).as("AVX-512").isFalse();
        assertThat(VectorKernel.sixByTwo(null, 8)).as("AVX2").isTrue();
        assertThat(VectorKernel.sixByTwo("5x4", 8)).isFalse();
        assertThat(VectorKernel.sixByTwo(" 6x2 ", 16)).isTrue();
        assertThat(VectorKernel.sixByTwo("7x3", 16)).as("a malformed setting is ignored").isFalse();
    }
}
