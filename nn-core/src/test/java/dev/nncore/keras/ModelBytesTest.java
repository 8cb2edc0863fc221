package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Network#toBytes()} and {@link Network#fromBytes(byte[])}: a round trip, and hostile bytes refused. */
class ModelBytesTest {

    private static Network everyKind() {
        return Network.builder(4)
                .normalization(Matrix.of(new float[][] {{1, 2, 3, 4}, {2, 4, 6, 9}, {0, 1, 0, 1}}))
                .dense(8, Activation.RELU)
                .batchNormalization()
                .dropout(0.2)
                .dense(6, Activation.leakyRelu(0.1))
                .dense(3, Activation.SOFTMAX, "probabilities")
                .seed(11)
                .build();
    }

    @Test
    void roundTripGivesTheSameNetworkBitForBit() throws IOException {
        Network network = everyKind();

        byte[] bytes = network.toBytes();
        Network back = Network.fromBytes(bytes);

        assertThat(back.toString()).isEqualTo(network.toString());
        assertThat(back.getWeights()).isEqualTo(network.getWeights());
        float[] x = {0.5f, -1, 2, 7};
        assertThat(back.forward(x)).containsExactly(network.forward(x));
        assertThat(back.toBytes()).as("the same network gives the same bytes").isEqualTo(bytes);
    }

    @Test
    void bytesAreAKerasFile() throws IOException {
        Network network = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).seed(1).build();
        byte[] bytes = network.toBytes();

        assertThat(Arrays.copyOf(bytes, 4)).containsExactly('P', 'K', 3, 4);
        assertThat(Keras.load(bytes, "x.keras", null).getWeights()).isEqualTo(network.getWeights());
        // about 1.4 KB, as ModelBytes's Javadoc says (1,438 bytes with Debian's OpenJDK 17; zlib decides the last bytes)
        assertThat(bytes.length).as("a 2-2-1 network").isBetween(1_200, 1_700);
    }

    @Test
    void emptyAndForeignBytesAreRefusedByName() {
        assertThatThrownBy(() -> Network.fromBytes(new byte[0]))
                .isInstanceOf(ModelFormatException.class).hasMessage("Network.fromBytes: the file is empty");
        assertThatThrownBy(() -> Network.fromBytes("hello".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("Network.fromBytes: not a model file");
        assertThatThrownBy(() -> Network.fromBytes(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bytes must not be null");
    }

    @Test
    void tfjsJsonCannotBeReadFromMemory() {
        byte[] json = ("{\"modelTopology\": {\"class_name\": \"Sequential\", \"config\": {\"layers\": []}},"
                + " \"weightsManifest\": [{\"paths\": [\"group1-shard1of1.bin\"], \"weights\": []}]}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Network.fromBytes(json)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("Network.fromBytes");
    }

    @Test
    void everyTruncationIsAModelFormatException() throws IOException {
        byte[] bytes = everyKind().toBytes();
        for (int length = 0; length < bytes.length; length += Math.max(1, bytes.length / 400)) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> Network.fromBytes(cut)).as("first %d of %d bytes", length, bytes.length)
                    .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("Network.fromBytes");
        }
    }

    @Test
    void mutatedBytesGiveAModelFormatExceptionOrANetwork() throws IOException {
        byte[] bytes = everyKind().toBytes();
        Random random = new Random(17);
        for (int variant = 0; variant < 300; variant++) {
            byte[] mutated = bytes.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            try {
                Network network = Network.fromBytes(mutated);
                assertThat(network.forward(new float[network.inputs()])).hasSize(network.outputs());
            } catch (ModelFormatException expected) {
                assertThat(expected).hasMessageStartingWith("Network.fromBytes");
            }
        }
    }

    @Test
    void aZipBombIsRefusedBeforeItIsInflated() throws IOException {
        byte[] bomb = HostileBuilds.zipBomb(1100, -1);     // 1.1 GiB of zeros in about 1 MB

        assertThatThrownBy(() -> Network.fromBytes(bomb)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("Network.fromBytes");
    }

    @Test
    void aHugeDeclaredSizeIsRefused() throws IOException {
        byte[] lie = HostileBuilds.zipBomb(2, Long.MAX_VALUE / 2);

        assertThatThrownBy(() -> Network.fromBytes(lie)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("Network.fromBytes");
    }
}
