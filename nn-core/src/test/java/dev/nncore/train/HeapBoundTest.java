package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.math.Matrix;
import dev.nncore.testing.ChildJvm;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Training from data held once, measured: 60,000 rows of 784 inputs and one-hot targets of 10 classes (MNIST's shape)
 * fit a 784-128-10 network for one epoch ({@link TrainingHeapProbe}) in a JVM of its own whose whole heap is the
 * data's size + {@value #MARGIN_MIB} MiB, when the rows are handed to {@link Matrix#wrap(float[][])}; with
 * {@link Matrix#of(float[][])}, which copies them, the same heap runs out. The data's size counts every row as an
 * array (a 16-byte header, then 4 bytes per float, padded to 8) and each outer array of references (4 bytes each, the
 * compressed references of any heap below 32 GiB): 192,960,032 bytes, 185 MiB rounded up, so the bound is 249 MiB.
 *
 * <p>The serial collector, as in {@code MemoryModelTest}: what is measured is what the data and the fit hold, not G1's
 * region layout. The child's class path is nn-core's classes and test classes, nothing else.
 */
@Tag("slow")   // three JVMs of a quarter of a gigabyte, 5-13 s on a shared 2-core machine; kernel-independent
class HeapBoundTest {

    private static final long MIB = 1 << 20;
    private static final long MARGIN_MIB = 64;
    private static final Pattern LOSSES = Pattern.compile("loss=(\\S+) val_loss=(\\S+) rows=60000x784\\+60000x10\\n?");

    /** Bytes of one float array of {@code length} values: header and values, padded to 8 bytes. */
    private static long floatArray(long length) {
        return (16 + 4 * length + 7) / 8 * 8;
    }

    /** Bytes of the training set: every x and y row, and the two outer arrays of references. */
    static long dataBytes() {
        long rows = TrainingHeapProbe.ROWS;
        long references = 2 * ((16 + 4 * rows + 7) / 8 * 8);
        return rows * (floatArray(TrainingHeapProbe.INPUTS) + floatArray(TrainingHeapProbe.CLASSES)) + references;
    }

    private static ChildJvm.Result probe(long heapMib, String mode) {
        return ChildJvm.withOptions("-Xmx" + heapMib + "m", "-XX:+UseSerialGC").classPathOf(Matrix.class, TrainingHeapProbe.class)
                .run(TrainingHeapProbe.class, mode);
    }

    @Test
    void sixtyThousandMnistSizedRowsTrainWithinTheirSizePlus64MiBWhenWrapped() throws Exception {
        assertThat(dataBytes()).isEqualTo(192_960_032L);
        long heapMib = (dataBytes() + MIB - 1) / MIB + MARGIN_MIB;
        assertThat(heapMib).isEqualTo(249);

        for (String mode : List.of("wrap", "split")) {
            ChildJvm.Result run = probe(heapMib, mode);
            assertThat(run.exitCode()).as("%s in -Xmx%dm: %s", mode, heapMib, run.output()).isZero();
            Matcher losses = LOSSES.matcher(run.output());
            assertThat(losses.matches()).as(run.output()).isTrue();
            assertThat(Double.parseDouble(losses.group(1))).as("loss").isFinite().isPositive();
            assertThat(Double.parseDouble(losses.group(2))).as("val_loss").isFinite().isPositive();
        }

        // the control: the same data copied by Matrix.of does not fit, so the bound above is a real one
        ChildJvm.Result copied = probe(heapMib, "of");
        assertThat(copied.exitCode()).as(copied.output()).isNotZero();
        assertThat(copied.output()).contains("java.lang.OutOfMemoryError");
    }
}
