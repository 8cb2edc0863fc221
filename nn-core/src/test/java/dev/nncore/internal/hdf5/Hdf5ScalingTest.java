package dev.nncore.internal.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Lookups cost work linear in the file, not in lookups times links: a group of many links reached once per link
 * (what a Keras {@code layer_names} of thousands of {@code group/name} entries asks for) is parsed once. Counted in
 * parse steps (object headers and links parsed), so the test does not depend on the machine's speed.
 */
class Hdf5ScalingTest {

    /** A root with a group {@code b} of {@code links} empty groups {@code 0, 1, ...}. */
    static byte[] wideGroup(int links) {
        Hdf5Writer writer = new Hdf5Writer();
        for (int i = 0; i < links; i++) {
            writer.group("b/" + i);
        }
        return writer.toBytes();
    }

    /** Parse steps to look up every member of {@code b} by its path from the root. */
    private static long stepsToReachEveryMember(int links) throws Hdf5FormatException {
        Hdf5File file = Hdf5File.open(wideGroup(links));
        for (int i = 0; i < links; i++) {
            assertThat(file.root().has("b/" + i)).isTrue();
            assertThat(file.root().group("b").has(String.valueOf(i))).isTrue();
        }
        return file.parseSteps();
    }

    @Test
    void aGroupReachedOncePerLinkIsParsedOnce() throws Hdf5FormatException {
        long small = stepsToReachEveryMember(1_000);
        long large = stepsToReachEveryMember(10_000);
        // each object header once, each link once: about 2 per member (was members squared: 10^8 for the large one)
        assertThat(small).isBetween(1_000L, 3_000L);
        assertThat(large).isLessThanOrEqualTo(10 * small + 10);
    }

    @Test
    void aDatasetReachedByTwoPathsIsNamedByEach() throws Hdf5FormatException {
        Hdf5Writer writer = new Hdf5Writer();
        writer.dataset("a/x", new long[] {2}, new float[] {1, 2});
        Hdf5File file = Hdf5File.open(writer.toBytes());
        Hdf5Dataset first = file.root().dataset("a/x");
        Hdf5Dataset again = file.root().group("a").dataset("x");
        assertThat(again.path()).isEqualTo("/a/x");
        assertThat(again.readFloats()).containsExactly(1, 2);
        assertThat(again.address()).isEqualTo(first.address());
    }
}
