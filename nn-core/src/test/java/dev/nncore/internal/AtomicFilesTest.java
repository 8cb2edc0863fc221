package dev.nncore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path temp;

    @Test
    void aWriteThatFailsHalfWayLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
        Path file = Files.writeString(temp.resolve("model.keras"), "the previous model");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write(new byte[1000]);
            throw new IOException("No space left on device");
        })).isInstanceOf(IOException.class).hasMessage("No space left on device");
        assertThat(Files.readString(file)).isEqualTo("the previous model");
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void replacesTheFileKeepingItsPermissions() throws IOException {
        Path file = Files.writeString(temp.resolve("weights.npz"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw-r--");
        Path fresh = temp.resolve("sub/new.bin");
        AtomicFiles.write(fresh, new byte[] {4});
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-r--r--");
    }
}
