package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each save, failed half-way through writing (as a full disk would) or at the final move, leaves the previous file
 * byte for byte and no temporary file behind.
 */
class AtomicSaveTest {

    @TempDir
    Path temp;

    private static final Network OLD = Network.builder(3).dense(4, Activation.RELU).dense(2, Activation.SOFTMAX).seed(1).build();
    private static final Network NEW = Network.builder(3).dense(8, Activation.TANH).dense(2, Activation.SIGMOID).seed(2).build();

    private List<Path> files(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.sorted().toList();
        }
    }

    @Test
    void saveFailingHalfWayKeepsThePreviousKerasFile() throws IOException {
        Path file = temp.resolve("model.keras");
        Keras.save(OLD, file);
        byte[] before = Files.readAllBytes(file);
        int half = KerasZip.write(NEW).length / 2;
        try (AtomicFiles.Injection full = AtomicFiles.failWrite("model.keras", half)) {
            assertThatThrownBy(() -> Keras.save(NEW, file)).isInstanceOf(IOException.class)
                    .hasMessage("injected failure after " + half + " bytes of model.keras");
        }
        try (AtomicFiles.Injection move = AtomicFiles.failMove("model.keras")) {
            assertThatThrownBy(() -> Keras.save(NEW, file)).hasMessage("injected failure moving model.keras");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(files(temp)).containsExactly(file);
        assertThat(Keras.load(file)).isEqualTo(OLD);
        Keras.save(NEW, file); // the hook is gone once closed
        assertThat(Keras.load(file)).isEqualTo(NEW);
    }

    @Test
    void saveNpzFailingHalfWayKeepsThePreviousArchive() throws IOException {
        Path file = temp.resolve("weights.npz");
        Keras.saveNpz(OLD, file);
        byte[] before = Files.readAllBytes(file);
        try (AtomicFiles.Injection full = AtomicFiles.failWrite("weights.npz", 300)) {
            assertThatThrownBy(() -> Keras.saveNpz(NEW, file)).hasMessage("injected failure after 300 bytes of weights.npz");
        }
        try (AtomicFiles.Injection move = AtomicFiles.failMove("weights.npz")) {
            assertThatThrownBy(() -> Keras.saveNpz(NEW, file)).hasMessage("injected failure moving weights.npz");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(files(temp)).containsExactly(file);
    }

    /**
     * The shard and model.json change together or not at all: a failure while writing either, or while moving
     * model.json after the new shard was already moved into place, leaves both old files.
     */
    @Test
    void saveTfjsFailingAnywhereKeepsBothPreviousFiles() throws IOException {
        Path directory = temp.resolve("web");
        Keras.saveTfjs(OLD, directory);
        Path shard = directory.resolve("weights.bin");
        Path json = directory.resolve("model.json");
        byte[] shardBefore = Files.readAllBytes(shard);
        byte[] jsonBefore = Files.readAllBytes(json);
        String[] expected = {"injected failure after 50 bytes of weights.bin", "injected failure after 500 bytes of model.json",
            "injected failure moving weights.bin", "injected failure moving model.json"};
        for (int i = 0; i < expected.length; i++) {
            try (AtomicFiles.Injection injection = inject(i)) {
                assertThatThrownBy(() -> Keras.saveTfjs(NEW, directory)).as(expected[i]).hasMessage(expected[i]);
            }
            assertThat(Files.readAllBytes(shard)).as(expected[i]).isEqualTo(shardBefore);
            assertThat(Files.readAllBytes(json)).as(expected[i]).isEqualTo(jsonBefore);
            assertThat(files(directory)).as(expected[i]).containsExactly(json, shard);
        }
        assertThat(Keras.load(json)).isEqualTo(OLD);
        Keras.saveTfjs(NEW, directory);
        assertThat(Keras.load(json)).isEqualTo(NEW);
        assertThat(files(directory)).containsExactly(json, shard);
    }

    private static AtomicFiles.Injection inject(int which) {
        return switch (which) {
            case 0 -> AtomicFiles.failWrite("weights.bin", 50);
            case 1 -> AtomicFiles.failWrite("model.json", 500);
            case 2 -> AtomicFiles.failMove("weights.bin");
            default -> AtomicFiles.failMove("model.json");
        };
    }

    @Test
    void aFirstSaveThatFailsLeavesNothing() throws IOException {
        Path directory = temp.resolve("fresh");
        try (AtomicFiles.Injection move = AtomicFiles.failMove("model.json")) {
            assertThatThrownBy(() -> Keras.saveTfjs(NEW, directory)).hasMessage("injected failure moving model.json");
        }
        assertThat(files(directory)).isEmpty();
    }
}
