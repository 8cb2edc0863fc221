package dev.nncore.internal.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Reads the files made by {@code hdf5/make_fixtures.py} (h5py 3.7, HDF5 1.10.8): default settings (superblock 0,
 * layout v3, v1 B-tree chunk index) and libver='latest' (superblock 3, v2 object headers, link messages, dense
 * fractal-heap groups and attributes, layout v4 with single-chunk, fixed-array, extensible-array and v2 B-tree
 * chunk indexes). Values are the script's arange-based data.
 */
class Hdf5GeneratedFixturesTest {

    @ParameterizedTest
    @ValueSource(strings = {"hdf5/h5py_default.h5", "hdf5/h5py_latest.h5"})
    void commonContent(String file) throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.resource(file));
        assertThat(root.memberNames()).startsWith("g", "many");
        assertThat(root.attribute("title").orElseThrow().stringValue()).isEqualTo("fixture");
        assertThat(root.attribute("fixed").orElseThrow().stringValue()).isEqualTo("abc");
        assertThat(root.attribute("names").orElseThrow().stringValues()).containsExactly("alpha", "be", "gamma");
        assertThat(root.attribute("vnames").orElseThrow().stringValues()).containsExactly("x", "yy", "zzz");
        assertThat(root.attribute("ints").orElseThrow().longValues()).containsExactly(0, 1, 2, 3, 4);
        assertThat(root.attribute("ints").orElseThrow().dataType().toString()).isEqualTo("int32");
        assertThat(root.attribute("empty").orElseThrow().doubleValues()).isEmpty();
        assertThat(root.attribute("pi").orElseThrow().doubleValues()).containsExactly(3.5);
        assertThat(root.attribute("pi").orElseThrow().shape()).isEmpty();

        Hdf5Group g = root.group("g");
        assertThat(g.group("sub").attribute("name").orElseThrow().stringValue()).isEqualTo("sub");
        assertThat(g.dataset("f32").shape()).containsExactly(3L, 4L);
        assertThat(g.dataset("f32").readFloats()).containsExactly(arangeFloats(12, 0.25f));
        assertThat(g.dataset("f64").readDoubles()).containsExactly(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5);
        assertThat(g.dataset("f64").readFloats()).containsExactly(-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f);
        assertThat(g.dataset("i32").readLongs()).containsExactly(-3, -2, -1, 0, 1, 2);
        assertThat(g.dataset("i64").readLongs()).containsExactly(0L, 10_000_000_000L, 20_000_000_000L, 30_000_000_000L);
        assertThat(g.dataset("u8").readLongs()).containsExactly(250, 251, 252, 253, 254, 255);
        assertThat(g.dataset("u8").dataType().kind()).isEqualTo(Hdf5DataType.Kind.UNSIGNED_INTEGER);
        assertThat(g.dataset("i8").readFloats()).containsExactly(-3f, -2f, -1f, 0f, 1f, 2f);
        assertThat(g.dataset("u16").readLongs()).containsExactly(65530, 65531, 65532, 65533, 65534, 65535);
        assertThat(g.dataset("f16").readFloats()).containsExactly(0.5f, -2.0f, 65504.0f, 6.1035156e-05f);
        assertThat(g.dataset("be32").dataType().isBigEndian()).isTrue();
        assertThat(g.dataset("be32").readFloats()).containsExactly(0f, 1f, 2f, 3f);
        assertThat(g.dataset("bei32").readLongs()).containsExactly(-1, 0, 1, 2);
        assertThat(g.dataset("scalar").shape()).isEmpty();
        assertThat(g.dataset("scalar").readFloats()).containsExactly(7.25f);
        assertThat(g.dataset("vstr").readStrings()).containsExactly("one", "two", "three");
        assertThat(g.dataset("fstr").readStrings()).containsExactly("ab", "cde");
        assertThat(g.dataset("compact").readFloats()).containsExactly(0.5f, 1.5f, 2.5f, 3.5f, 4.5f);
        assertThat(g.dataset("gzip").shape()).containsExactly(7L, 10L);
        assertThat(g.dataset("gzip").readFloats()).containsExactly(arangeFloats(70, 1));
        assertThat(g.dataset("fletcher").readDoubles()).containsExactly(arangeDoubles(20));
        assertThat(g.dataset("chunked_plain").readLongs()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(g.dataset("ext").shape()).containsExactly(12L, 2L);
        assertThat(g.dataset("ext").readFloats()).containsExactly(arangeFloats(24, 1));
        assertThat(g.dataset("bt2").readFloats()).containsExactly(arangeFloats(16, 1));
        assertThat(g.dataset("single").readFloats()).containsExactly(arangeFloats(6, 1));
        assertThat(g.dataset("soft").readDoubles()).containsExactly(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5);
        assertThat(g.dataset("soft").path()).isEqualTo("/g/soft");

        Hdf5Dataset withManyAttributes = g.dataset("f32");
        assertThat(withManyAttributes.attributes()).hasSize(20);
        assertThat(withManyAttributes.attribute("a07").orElseThrow().doubleValues()).containsExactly(arangeDoubles(8));
        assertThat(withManyAttributes.attribute("a19").orElseThrow().doubleValues()).containsExactly(arangeDoubles(20));

        Hdf5Group many = root.group("many");
        assertThat(many.memberNames()).hasSize(40).startsWith("d000", "d001").endsWith("d039");
        assertThat(many.dataset("d017").readDoubles()).containsExactly(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5);
        assertThat(root.group("ordered").memberNames()).containsExactly("zeta", "alpha", "mid");
        assertThat(Fixtures.walk(root)).isGreaterThan(60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdf5/h5py_default.h5", "hdf5/h5py_latest.h5"})
    void linksThatCannotBeFollowedAreReportedClearly(String file) throws Exception {
        Hdf5Group g = Fixtures.open(Fixtures.resource(file)).group("g");
        assertThat(g.memberNames()).contains("dangling", "external");
        assertThatThrownBy(() -> g.get("dangling")).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("soft link /g/dangling -> /nowhere points to nothing");
        assertThatThrownBy(() -> g.get("external")).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("external link /g/external -> other.h5:/x is not supported");
        assertThatThrownBy(() -> g.dataset("nothing/here")).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("no object at /g/nothing/here");
        assertThatThrownBy(() -> g.group("f32")).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("/g/f32 is a dataset, not a group");
        assertThatThrownBy(() -> g.dataset("f32").readStrings()).isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("not a string type");
    }

    @Test
    void denseGroupWithIndirectFractalHeapBlocks() throws Exception {
        Hdf5Group wide = Fixtures.open(Fixtures.resource("hdf5/h5py_latest.h5")).group("wide");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            expected.add(String.format("link%04d", i));
        }
        assertThat(wide.memberNames()).containsExactlyElementsOf(expected);
        assertThat(wide.dataset("link0399").readDoubles()).containsExactly(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5);
    }

    @Test
    void superblockVersion2() throws Exception {
        byte[] bytes = Fixtures.resource("hdf5/h5py_v108.h5");
        assertThat(bytes[8]).isEqualTo((byte) 2);
        Hdf5Group root = Fixtures.open(bytes);
        assertThat(root.attribute("title").orElseThrow().stringValue()).isEqualTo("v108");
        assertThat(root.dataset("g/f32").readFloats()).containsExactly(arangeFloats(6, 1));
    }

    @Test
    void userBlockAndFourByteOffsets() throws Exception {
        byte[] bytes = Fixtures.resource("hdf5/h5py_userblock_small_offsets.h5");
        Hdf5Group root = Fixtures.open(bytes);
        assertThat(root.attribute("k").orElseThrow().longValues()).containsExactly(64);
        assertThat(root.attribute("s").orElseThrow().stringValue()).isEqualTo("small");
        assertThat(root.dataset("data").readFloats()).containsExactly(arangeFloats(8, 1));
        long[] chunks = root.dataset("chunks").readLongs();
        assertThat(chunks).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(chunks[i]).isEqualTo(i);
        }
    }

    @Test
    void oldStyleGroupWithTwoLevelBTree() throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.resource("hdf5/h5py_biggroup.h5"));
        Hdf5Group big = root.group("big");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add(String.format("m%03d", i));
        }
        assertThat(big.memberNames()).containsExactlyElementsOf(expected);
        assertThat(big.dataset("m299").readFloats()).containsExactly(0f, 1f, 2f);
    }

    @Test
    void nullDataspacesUnsupportedTypesAndCommittedDatatypes() throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.resource("hdf5/h5py_misc.h5"));
        assertThat(root.memberNames()).containsExactly("bools", "mytype", "null", "pairs", "typed");
        Hdf5Attribute nullAttribute = root.attribute("null").orElseThrow();
        assertThat(nullAttribute.size()).isZero();
        assertThat(nullAttribute.doubleValues()).isEmpty();
        assertThat(root.dataset("null").readDoubles()).isEmpty();

        Hdf5Dataset bools = root.dataset("bools");
        assertThat(bools.dataType().kind()).isEqualTo(Hdf5DataType.Kind.UNSUPPORTED);
        assertThat(bools.shape()).containsExactly(3L);
        assertThatThrownBy(bools::readFloats).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("dataset /bools is unsupported datatype (enumerated), not numeric");
        assertThat(root.dataset("pairs").dataType()).hasToString("unsupported datatype (compound)");
        assertThatThrownBy(() -> root.get("mytype")).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("/mytype is a committed datatype, which is not supported as a member");

        Hdf5Dataset typed = root.dataset("typed");
        assertThat(typed.dataType()).hasToString("float64");
        assertThat(typed.readDoubles()).containsExactly(0.5, 1.5, 2.5);
        assertThat(typed.attribute("shared_type_attr").orElseThrow().doubleValues()).containsExactly(0.0, 1.0);
    }

    /**
     * No tool at hand writes superblock version 1 (it needs a non-default indexed-storage B-tree K), so this
     * converts a version-0 file from {@link Hdf5Writer}: 4 more superblock bytes, everything after moved by 8.
     */
    @Test
    void superblockVersion1() throws Exception {
        byte[] v0 = new Hdf5Writer().fixedStringAttribute("/", "title", "v1").toBytes();
        long header = littleEndian(v0, 64);
        long btree = littleEndian(v0, 80);
        long heap = littleEndian(v0, 88);
        byte[] v1 = new byte[v0.length + 8];
        System.arraycopy(v0, 0, v1, 0, 24);
        v1[8] = 1;
        v1[24] = 32; // indexed storage internal node K
        System.arraycopy(v0, 24, v1, 28, 72);
        System.arraycopy(v0, 96, v1, 104, v0.length - 96);
        Hdf5Writer.putLong(v1, 44, v1.length, 8); // end of file
        Hdf5Writer.putLong(v1, 68, header + 8, 8); // root object header
        Hdf5Writer.putLong(v1, 84, btree + 8, 8); // cached B-tree and heap addresses
        Hdf5Writer.putLong(v1, 92, heap + 8, 8);
        Hdf5Writer.putLong(v1, (int) heap + 8 + 24, littleEndian(v0, (int) heap + 24) + 8, 8); // heap data
        Hdf5Writer.putLong(v1, (int) header + 8 + 24, btree + 8, 8); // symbol table message
        Hdf5Writer.putLong(v1, (int) header + 8 + 32, heap + 8, 8);

        assertThat(FileContext.open(v1, 1 << 20).superblockVersion()).isEqualTo(1);
        Hdf5Group root = Fixtures.open(v1);
        assertThat(root.memberNames()).isEmpty();
        assertThat(root.attribute("title").orElseThrow().stringValue()).isEqualTo("v1");
    }

    private static long littleEndian(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    static float[] arangeFloats(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * scale;
        }
        return v;
    }

    static double[] arangeDoubles(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }
}
