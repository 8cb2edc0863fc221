package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.nncore.Activation;
import dev.nncore.Network;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths that are not the regular files a reader or a save expects: a directory, the root, an empty file, a device, a
 * FIFO, a symbolic link; and a shard swapped for a link to a file outside the model's directory while it loads.
 */
class HostilePathsTest {

    @TempDir
    Path temp;

    private static Network network() {
        return Network.builder(3).dense(5, Activation.RELU, "hidden").dense(2, Activation.SOFTMAX).seed(5).build();
    }

    /** Every public reader, given {@code path}, ends in a ModelFormatException whose message starts as given. */
    private void everyReaderRefuses(Path path, String message) throws IOException {
        Path json = Files.writeString(temp.resolve("arch.json"), "{\"class_name\": \"Sequential\"}");
        assertThatThrownBy(() -> Keras.load(path)).isInstanceOf(ModelFormatException.class).hasMessage(message);
        assertThatThrownBy(() -> Keras.loadWeights(path, network())).isInstanceOf(ModelFormatException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> Keras.load(path, json)).isInstanceOf(ModelFormatException.class).hasMessage(message);
        assertThatThrownBy(() -> Keras.load(json, path)).isInstanceOf(ModelFormatException.class).hasMessage(message);
    }

    @Test
    void readersRefuseADirectoryTheRootAnEmptyFileAndDevicesNamingThem() throws IOException {
        everyReaderRefuses(Path.of("/"), "/: is a directory, not a file");
        everyReaderRefuses(temp, temp.getFileName() + ": is a directory, not a file");
        everyReaderRefuses(Path.of(""), Path.of("").toAbsolutePath() + ": is a directory, not a file");
        everyReaderRefuses(Files.createFile(temp.resolve("empty.keras")), "empty.keras: the file is empty");
        everyReaderRefuses(Path.of("/dev/null"), "null: is not a regular file (a device, FIFO or socket)");
        everyReaderRefuses(Path.of("/dev/zero"), "zero: is not a regular file (a device, FIFO or socket)");
        Path fifo = fifo("model.keras");
        everyReaderRefuses(fifo, "model.keras: is not a regular file (a device, FIFO or socket)");
    }

    @Test
    void savesRefuseTheRootADirectoryAndNonRegularFilesBeforeWriting() throws IOException {
        assertThatThrownBy(() -> Keras.save(network(), Path.of("/"))).isInstanceOf(FileSystemException.class)
                .hasMessage("/: is the root directory, not a file");
        assertThatThrownBy(() -> Keras.saveNpz(network(), temp)).isInstanceOf(FileSystemException.class)
                .hasMessage(temp + ": is a directory, not a file");
        Path fifo = fifo("weights.npz");
        assertThatThrownBy(() -> Keras.saveNpz(network(), fifo)).isInstanceOf(FileSystemException.class)
                .hasMessage(fifo + ": is not a regular file (a device, FIFO or socket); a save only replaces regular files");
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.exists(fifo)).isTrue();
        // a link to a device is not written through either
        Path toFifo = Files.createSymbolicLink(temp.resolve("link.keras"), fifo);
        assertThatThrownBy(() -> Keras.save(network(), toFifo)).isInstanceOf(FileSystemException.class)
                .hasMessageEndingWith("is not a regular file (a device, FIFO or socket); a save only replaces regular files");
        assertThat(Files.isSymbolicLink(toFifo)).isTrue();
        // saveTfjs with a FIFO where model.json goes writes nothing
        Path web = Files.createDirectories(temp.resolve("web"));
        Path modelJson = fifo("web/model.json");
        assertThatThrownBy(() -> Keras.saveTfjs(network(), web)).isInstanceOf(FileSystemException.class)
                .hasMessage(modelJson + ": is not a regular file (a device, FIFO or socket); a save only replaces regular files");
        assertThat(Files.exists(web.resolve("weights.bin"))).isFalse();
        try (var files = Files.list(temp)) {
            assertThat(files.filter(file -> file.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void aSaveThroughASymbolicLinkReplacesTheFileItPointsToAndKeepsTheLink() throws IOException {
        Path models = Files.createDirectories(temp.resolve("models"));
        Path real = models.resolve("v3.keras");
        Keras.save(Network.builder(2).dense(1, Activation.SIGMOID).seed(1).build(), real);
        Path link = Files.createSymbolicLink(temp.resolve("current.keras"), Path.of("models/v3.keras"));
        Keras.save(network(), link);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Keras.load(real).toString()).isEqualTo(Keras.load(link).toString()).contains("Dense(5, relu)");
    }

    @Test
    void aShardSwappedForALinkWhileLoadingNeverGivesOutsideBytes() throws Exception {
        Path model = temp.resolve("web/model.json");
        Keras.saveTfjs(network(), model.getParent());
        Path shard = model.resolveSibling("weights.bin");
        byte[] inside = Files.readAllBytes(shard);
        Path real = Files.write(model.resolveSibling("real.bin"), inside);
        byte[] outsideBytes = inside.clone();
        java.nio.ByteBuffer.wrap(outsideBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(0, 12345f);
        Path outside = Files.write(temp.resolve("secret.bin"), outsideBytes);
        Path link = model.resolveSibling("link.bin");
        Path copy = model.resolveSibling("copy.bin");
        float expected = Keras.load(model).layers().get(0).getWeights().get(0).get(0, 0);
        AtomicBoolean stop = new AtomicBoolean();
        Thread swapper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Files.deleteIfExists(link);
                    Files.createSymbolicLink(link, outside);
                    Files.move(link, shard, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    Files.copy(real, copy, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(copy, shard, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        swapper.start();
        int loaded = 0;
        int refused = 0;
        List<String> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        try {
            for (int i = 0; i < 2000 && System.nanoTime() < deadline; i++) {
                try {
                    assertThat(Keras.load(model).layers().get(0).getWeights().get(0).get(0, 0)).isEqualTo(expected);
                    loaded++;
                } catch (ModelFormatException e) {
                    refused++;
                    if (messages.size() < 3 && !e.getMessage().contains("is not a file in the model's directory")
                            && !e.getMessage().contains("does not exist beside model.json")) {
                        messages.add(e.getMessage());
                    }
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertThat(messages).isEmpty();
        assertThat(loaded + refused).isGreaterThan(10);
    }

    private Path fifo(String name) throws IOException {
        Path fifo = temp.resolve(name);
        try {
            Process process = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assumeThat(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0).as("mkfifo").isTrue();
        } catch (IOException | InterruptedException e) {
            assumeThat(false).as("mkfifo: " + e).isTrue();
        }
        return fifo;
    }
}
