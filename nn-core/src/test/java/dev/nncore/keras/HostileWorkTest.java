package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.internal.hdf5.Hdf5Writer;
import org.junit.jupiter.api.Test;

/**
 * Small files that used to ask for quadratic work: a legacy {@code layer_names} of thousands of entries, each a path
 * into one group of as many links. Ten times the entries must cost at most about ten times the time (measured with
 * wide margins: the suite runs on busy two-core machines), and the message lists ten names, not all of them.
 */
class HostileWorkTest {

    private static Network network() {
        return Network.builder(3).dense(2, Activation.RELU, "hidden").seed(5).build();
    }

    /** A save_weights-style file whose layer_names are {@code b/0, b/1, ...}: groups with no weights, all in {@code b}. */
    static byte[] manyLayerNames(int count) {
        Hdf5Writer writer = new Hdf5Writer();
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = "b/" + i;
            writer.group(names[i]);
            writer.attribute(names[i], "weight_names", new double[0]);
        }
        writer.attribute("/", "layer_names", names);
        return writer.toBytes();
    }

    private static long millisToRefuse(byte[] file, int count) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Keras.loadWeights(file, "many.h5", network())).isInstanceOf(ModelFormatException.class)
                .hasMessage("many.h5: no weights for Dense layer \"hidden\" in /, which holds weights for []");
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aLayerNamesListTenTimesLongerTakesAboutTenTimesAsLong() {
        byte[] small = manyLayerNames(800);
        byte[] large = manyLayerNames(8_000);
        millisToRefuse(small, 800); // warm up the JIT
        long smallMillis = millisToRefuse(small, 800);
        long largeMillis = millisToRefuse(large, 8_000);
        // quadratic, the large file took 11.7 s (about 100 times the small one); linear, about 10 times
        assertThat(largeMillis).as("8,000 names took %d ms, 800 took %d ms", largeMillis, smallMillis)
                .isLessThan(Math.max(2_000, 30 * smallMillis));
    }

    @Test
    void aMessageAboutManyLayersNamesTenOfThem() {
        Hdf5Writer writer = new Hdf5Writer();
        String[] names = new String[5_000];
        for (int i = 0; i < names.length; i++) {
            names[i] = "d" + i;
            writer.dataset(names[i] + "/k", new long[] {1}, new float[] {1});
            writer.attribute(names[i], "weight_names", new String[] {"k"});
        }
        writer.attribute("/", "layer_names", names);
        assertThatThrownBy(() -> Keras.loadWeights(writer.toBytes(), "many.h5", network()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("many.h5: 1 layers with weights [Dense layer \"hidden\"] but / has weights for 5000 layers"
                        + " [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9] and 4990 more");
    }

    /**
     * Links are counted before they are built, per file (each costs a name and an object on the heap): over the
     * limit, the load ends in a message naming it; the default, 262,144, is far above a Keras model's few per layer.
     */
    @Test
    void linksPerFileAreCountedBeforeTheyAreBuilt() {
        byte[] links = manyLayerNames(8_000);
        String previous = System.getProperty("nncore.maxHdf5Links");
        System.setProperty("nncore.maxHdf5Links", "1000");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Keras.loadWeights(links, "links.h5",
                    dev.nncore.Network.builder(2).dense(2, dev.nncore.Activation.LINEAR).build()))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("more than 1000 links read in one file (raise the limit with -Dnncore.maxHdf5Links)");
        } finally {
            if (previous == null) {
                System.clearProperty("nncore.maxHdf5Links");
            } else {
                System.setProperty("nncore.maxHdf5Links", previous);
            }
        }
    }
}
