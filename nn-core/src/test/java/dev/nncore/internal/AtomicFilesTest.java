package dev.nncore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Test
    void anInjectedFailureStopsTheWriteAfterThatManyBytes() throws IOException {
        Path file = Files.writeString(temp.resolve("model.keras"), "the previous model");
        try (AtomicFiles.Injection injection = AtomicFiles.failWrite("model.keras", 10)) {
            assertThatThrownBy(() -> AtomicFiles.write(file, new byte[100]))
                    .isInstanceOf(IOException.class).hasMessage("injected failure after 10 bytes of model.keras");
            AtomicFiles.write(temp.resolve("other.bin"), new byte[100]); // only the named file fails
        }
        AtomicFiles.write(temp.resolve("after.bin"), new byte[100]); // closed: nothing fails
        assertThat(Files.readString(file)).isEqualTo("the previous model");
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("after.bin", "model.keras", "other.bin");
        }
    }

    @Test
    void writeAllReplacesEveryFileOrNone() throws IOException {
        Path shard = Files.writeString(temp.resolve("weights.bin"), "old shard");
        Path json = temp.resolve("model.json"); // does not exist yet
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        contents.put(shard, "new shard".getBytes(StandardCharsets.UTF_8));
        contents.put(json, "new json".getBytes(StandardCharsets.UTF_8));
        try (AtomicFiles.Injection injection = AtomicFiles.failMove("model.json")) {
            assertThatThrownBy(() -> AtomicFiles.writeAll(contents)).hasMessage("injected failure moving model.json");
        }
        assertThat(Files.readString(shard)).isEqualTo("old shard"); // moved, then put back
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files).containsExactly(shard);
        }
        try (AtomicFiles.Injection injection = AtomicFiles.failWrite("model.json", 3)) {
            assertThatThrownBy(() -> AtomicFiles.writeAll(contents)).hasMessage("injected failure after 3 bytes of model.json");
        }
        assertThat(Files.readString(shard)).isEqualTo("old shard");
        AtomicFiles.writeAll(contents);
        assertThat(Files.readString(shard)).isEqualTo("new shard");
        assertThat(Files.readString(json)).isEqualTo("new json");
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.sorted()).containsExactly(json, shard);
        }
    }

    @Test
    void aSaveDeletesTheTemporaryFilesThatCrashedSavesOfTheSameTargetLeft() throws IOException {
        Path file = Files.writeString(temp.resolve("model.keras"), "old");
        java.nio.file.attribute.FileTime anHourAgo = java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 3_600_000);
        Path crashed = Files.write(temp.resolve(".model.keras.8841236612.tmp"), new byte[1 << 20]);
        Path crashedBackup = Files.write(temp.resolve(".model.keras.-77.old.tmp"), new byte[10]);
        Path running = Files.write(temp.resolve(".model.keras.5.tmp"), new byte[10]); // fresh: maybe a live save
        Path otherTarget = Files.write(temp.resolve(".other.keras.1234.tmp"), new byte[10]);
        Path notOurs = Files.write(temp.resolve(".model.keras.backup.tmp"), new byte[10]);
        for (Path old : new Path[] {crashed, crashedBackup, otherTarget, notOurs}) {
            Files.setLastModifiedTime(old, anHourAgo);
        }
        AtomicFiles.write(file, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(crashed).doesNotExist();
        assertThat(crashedBackup).doesNotExist();
        assertThat(running).exists();
        assertThat(otherTarget).exists();
        assertThat(notOurs).exists();
    }

    @Test
    void aTemporaryFileLockedByALiveSaveIsLeftAlone() throws IOException {
        Path file = Files.writeString(temp.resolve("model.keras"), "old");
        Path live = Files.write(temp.resolve(".model.keras.42.tmp"), new byte[10]);
        Files.setLastModifiedTime(live, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        try (var channel = java.nio.channels.FileChannel.open(live, java.nio.file.StandardOpenOption.WRITE);
                var lock = channel.lock()) {
            AtomicFiles.write(file, "new".getBytes(StandardCharsets.UTF_8));
            assertThat(live).exists();
        }
    }
}
