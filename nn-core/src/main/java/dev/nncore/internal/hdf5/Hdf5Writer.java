package dev.nncore.internal.hdf5;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds an HDF5 file in memory in the most widely readable format (what h5py writes by default): superblock
 * version 0, version-1 object headers, old-style groups (symbol table message, v1 B-tree, symbol table nodes,
 * local heap), contiguous little-endian float32/float64 datasets, and attributes (scalar fixed or
 * variable-length strings, 1-D fixed-length string arrays, numeric arrays). Paths are slash-separated and
 * relative to the root; missing parent groups are created.
 *
 * <pre>{@code
 * // given: kernel
 * import dev.nncore.internal.hdf5.Hdf5Writer;
 *
 * Hdf5Writer w = new Hdf5Writer();
 * w.dataset("layers/dense/vars/0", new long[] {2, 3}, kernel);
 * w.attribute("/", "keras_version", "3.10.0");
 * byte[] file = w.toBytes();
 * }</pre>
 */
public final class Hdf5Writer {
    private static final int OFFSET_SIZE = 8;
    private static final long UNDEFINED = -1L;
    private static final int GROUP_LEAF_K = 4; // symbol table nodes hold up to 2K entries (library default)
    private static final int GROUP_INTERNAL_K = 16; // B-tree nodes hold up to 2K children (library default)
    private static final int SYMBOL_ENTRY_SIZE = 40;
    private static final int SNOD_SIZE = 8 + 2 * GROUP_LEAF_K * SYMBOL_ENTRY_SIZE;
    private static final int BTREE_NODE_SIZE = 24 + (2 * GROUP_INTERNAL_K + 1) * 8 + 2 * GROUP_INTERNAL_K * 8;
    private static final int MAX_MESSAGE_SIZE = 0xFFF8;
    private static final int MIN_GLOBAL_HEAP_SIZE = 4096;
    private static final Comparator<String> HDF5_NAME_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final GroupNode root = new GroupNode();

    /** Creates the group at {@code path} and any missing parents. */
    public Hdf5Writer group(String path) {
        groupAt(path, true);
        return this;
    }

    /** Adds a float32 dataset; {@code shape} may be empty (scalar) and its product must equal data.length. */
    public Hdf5Writer dataset(String path, long[] shape, float[] data) {
        byte[] bytes = new byte[data.length * 4];
        for (int i = 0; i < data.length; i++) {
            putLong(bytes, i * 4, Float.floatToRawIntBits(data[i]), 4);
        }
        return addDataset(path, shape, data.length, FLOAT32, bytes);
    }

    /** Adds a float64 dataset; {@code shape} may be empty (scalar) and its product must equal data.length. */
    public Hdf5Writer dataset(String path, long[] shape, double[] data) {
        byte[] bytes = new byte[data.length * 8];
        for (int i = 0; i < data.length; i++) {
            putLong(bytes, i * 8, Double.doubleToRawLongBits(data[i]), 8);
        }
        return addDataset(path, shape, data.length, FLOAT64, bytes);
    }

    /** Adds an int64 dataset (Keras's integer variables, such as Normalization's count); as the float forms. */
    public Hdf5Writer dataset(String path, long[] shape, long[] data) {
        byte[] bytes = new byte[data.length * 8];
        for (int i = 0; i < data.length; i++) {
            putLong(bytes, i * 8, data[i], 8);
        }
        return addDataset(path, shape, data.length, INT64, bytes);
    }

    /** A scalar variable-length UTF-8 string attribute (what h5py writes for a Python {@code str}). */
    public Hdf5Writer attribute(String path, String name, String value) {
        return addAttribute(path, new Attribute(name, VLEN_STRING, null, null, value));
    }

    /** A scalar fixed-length string attribute (null-padded). */
    public Hdf5Writer fixedStringAttribute(String path, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return addAttribute(path, new Attribute(name, fixedString(Math.max(1, bytes.length), !isAscii(bytes)), null,
                Arrays.copyOf(bytes, Math.max(1, bytes.length)), null));
    }

    /** A 1-D fixed-length string array attribute (like Keras 2 {@code layer_names}); null-padded to the longest. */
    public Hdf5Writer attribute(String path, String name, String[] values) {
        int width = 1;
        boolean ascii = true;
        List<byte[]> encoded = new ArrayList<>();
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            encoded.add(b);
            width = Math.max(width, b.length);
            ascii &= isAscii(b);
        }
        byte[] data = new byte[Math.multiplyExact(width, values.length)];
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(encoded.get(i), 0, data, i * width, encoded.get(i).length);
        }
        return addAttribute(path, new Attribute(name, fixedString(width, !ascii), new long[] {values.length}, data, null));
    }

    /** A 1-D float64 array attribute (may be empty, like Keras's {@code weight_names} of weightless layers). */
    public Hdf5Writer attribute(String path, String name, double[] values) {
        byte[] data = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            putLong(data, i * 8, Double.doubleToRawLongBits(values[i]), 8);
        }
        return addAttribute(path, new Attribute(name, FLOAT64, new long[] {values.length}, data, null));
    }

    /** A 1-D float32 array attribute. */
    public Hdf5Writer attribute(String path, String name, float[] values) {
        byte[] data = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            putLong(data, i * 4, Float.floatToRawIntBits(values[i]), 4);
        }
        return addAttribute(path, new Attribute(name, FLOAT32, new long[] {values.length}, data, null));
    }

    /** A 1-D int64 array attribute. */
    public Hdf5Writer attribute(String path, String name, long[] values) {
        byte[] data = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            putLong(data, i * 8, values[i], 8);
        }
        return addAttribute(path, new Attribute(name, INT64, new long[] {values.length}, data, null));
    }

    /** Writes {@link #toBytes()} to a file. */
    public void write(Path file) throws IOException {
        Files.write(file, toBytes());
    }

    // ---------------------------------------------------------------- model

    private abstract static class Node {
        final Map<String, Attribute> attributes = new LinkedHashMap<>();
    }

    private static final class GroupNode extends Node {
        final TreeMap<String, Node> children = new TreeMap<>(HDF5_NAME_ORDER);
    }

    private static final class DatasetNode extends Node {
        final long[] shape;
        final byte[] datatype;
        final byte[] data;

        DatasetNode(long[] shape, byte[] datatype, byte[] data) {
            this.shape = shape;
            this.datatype = datatype;
            this.data = data;
        }
    }

    /** An attribute; {@code shape == null} means scalar; {@code vlen} is set for variable-length strings. */
    private record Attribute(String name, byte[] datatype, long[] shape, byte[] data, String vlen) {
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                if (p.equals(".") || p.equals("..")) {
                    throw new IllegalArgumentException("path elements '.' and '..' are not allowed: " + path);
                }
                if (p.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("names must not contain NUL characters: " + path);
                }
                if (p.getBytes(StandardCharsets.UTF_8).length > 65_000) {
                    throw new IllegalArgumentException("name too long in " + path);
                }
                parts.add(p);
            }
        }
        return parts;
    }

    private GroupNode groupAt(String path, boolean create) {
        GroupNode g = root;
        for (String part : split(path)) {
            Node child = g.children.get(part);
            if (child == null) {
                if (!create) {
                    throw new IllegalArgumentException("no group or dataset at " + path);
                }
                child = new GroupNode();
                g.children.put(part, child);
            }
            if (!(child instanceof GroupNode next)) {
                throw new IllegalArgumentException(part + " in " + path + " is a dataset, not a group");
            }
            g = next;
        }
        return g;
    }

    private Hdf5Writer addDataset(String path, long[] shape, int length, byte[] datatype, byte[] bytes) {
        List<String> parts = split(path);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs a name: '" + path + "'");
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        if (count != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " elements but " + length + " were given for " + path);
        }
        if (shape.length > 32) {
            throw new IllegalArgumentException("rank " + shape.length + " exceeds HDF5's 32");
        }
        GroupNode parent = groupAt(String.join("/", parts.subList(0, parts.size() - 1)), true);
        String name = parts.get(parts.size() - 1);
        if (parent.children.containsKey(name)) {
            throw new IllegalArgumentException(path + " already exists");
        }
        parent.children.put(name, new DatasetNode(shape.clone(), datatype, bytes));
        return this;
    }

    private Hdf5Writer addAttribute(String path, Attribute attribute) {
        if (attribute.name().isEmpty() || attribute.name().indexOf('\0') >= 0) {
            throw new IllegalArgumentException("attribute names must be non-empty and free of NUL characters");
        }
        Node node = root;
        for (String part : split(path)) {
            if (!(node instanceof GroupNode g) || !g.children.containsKey(part)) {
                throw new IllegalArgumentException("no group or dataset at " + path);
            }
            node = g.children.get(part);
        }
        if (attributeMessage(attribute, 0, 0).length > MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("attribute " + attribute.name() + " on " + path
                    + " exceeds the 64 KiB limit of a compact HDF5 attribute");
        }
        node.attributes.put(attribute.name(), attribute);
        return this;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- datatype messages (spec IV.A.2.d)

    private static final byte[] FLOAT32 = {0x11, 0x20, 0x1F, 0x00, 4, 0, 0, 0, 0, 0, 32, 0, 23, 8, 0, 23, 127, 0, 0, 0};
    private static final byte[] FLOAT64 = {0x11, 0x20, 0x3F, 0x00, 8, 0, 0, 0, 0, 0, 64, 0, 52, 11, 0, 52,
        (byte) 0xFF, 0x03, 0, 0};
    private static final byte[] INT64 = {0x10, 0x08, 0, 0, 8, 0, 0, 0, 0, 0, 64, 0};
    /** Variable-length UTF-8 string whose base type is an unsigned byte, exactly as h5py writes it. */
    private static final byte[] VLEN_STRING = {0x19, 0x01, 0x01, 0x00, 16, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 8, 0};

    private static byte[] fixedString(int size, boolean utf8) {
        byte[] t = {0x13, (byte) (utf8 ? 0x11 : 0x01), 0, 0, 0, 0, 0, 0};
        putLong(t, 4, size, 4);
        return t;
    }

    /** Dataspace message version 1 (IV.A.2.b): rank 0 is a scalar. */
    private static byte[] dataspace(long[] shape) {
        int rank = shape == null ? 0 : shape.length;
        byte[] s = new byte[8 + 8 * rank];
        s[0] = 1;
        s[1] = (byte) rank;
        for (int i = 0; i < rank; i++) {
            putLong(s, 8 + 8 * i, shape[i], 8);
        }
        return s;
    }

    // ---------------------------------------------------------------- serialisation

    /** Lays the file out children-first, so every structure only points backwards, then fills the superblock. */
    public byte[] toBytes() {
        ByteArrayBuilder out = new ByteArrayBuilder();
        out.skip(96); // superblock, written last
        GlobalHeapPlan heap = new GlobalHeapPlan();
        collectStrings(root, heap);
        heap.write(out);
        GroupLayout rootLayout = writeGroup(root, out, heap);
        long eof = out.size();
        byte[] file = out.toByteArray();
        writeSuperblock(file, rootLayout, eof);
        return file;
    }

    private static void collectStrings(Node node, GlobalHeapPlan heap) {
        for (Attribute a : node.attributes.values()) {
            if (a.vlen() != null) {
                heap.add(a.vlen());
            }
        }
        if (node instanceof GroupNode g) {
            for (Node child : g.children.values()) {
                collectStrings(child, heap);
            }
        }
    }

    /** Superblock version 0 (II.A) with the root group's symbol table entry caching its B-tree and heap. */
    private static void writeSuperblock(byte[] f, GroupLayout root, long eof) {
        byte[] signature = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};
        System.arraycopy(signature, 0, f, 0, 8);
        // versions: superblock 0, free space 0, root entry 0, reserved, shared header 0; sizes 8/8
        f[13] = OFFSET_SIZE;
        f[14] = 8;
        putLong(f, 16, GROUP_LEAF_K, 2);
        putLong(f, 18, GROUP_INTERNAL_K, 2);
        putLong(f, 24, 0, 8); // base address
        putLong(f, 32, UNDEFINED, 8); // free-space info
        putLong(f, 40, eof, 8);
        putLong(f, 48, UNDEFINED, 8); // driver info
        putLong(f, 56, 0, 8); // root link name offset
        putLong(f, 64, root.objectHeader, 8);
        putLong(f, 72, 1, 4); // cache type 1: scratch pad holds B-tree and heap addresses
        putLong(f, 80, root.btree, 8);
        putLong(f, 88, root.heap, 8);
    }

    private record GroupLayout(long objectHeader, long btree, long heap) {
    }

    private GroupLayout writeGroup(GroupNode group, ByteArrayBuilder out, GlobalHeapPlan strings) {
        List<String> names = new ArrayList<>(group.children.keySet());
        long[] addresses = new long[names.size()];
        for (int i = 0; i < names.size(); i++) {
            Node child = group.children.get(names.get(i));
            addresses[i] = child instanceof GroupNode g ? writeGroup(g, out, strings).objectHeader
                    : writeDataset((DatasetNode) child, out, strings);
        }
        // Local heap (III.D): the empty string at offset 0, then each name NUL-terminated, 8-byte aligned.
        ByteArrayBuilder heapData = new ByteArrayBuilder();
        heapData.skip(8);
        long[] nameOffsets = new long[names.size()];
        for (int i = 0; i < names.size(); i++) {
            nameOffsets[i] = heapData.size();
            heapData.put(names.get(i).getBytes(StandardCharsets.UTF_8));
            heapData.skip(1);
            heapData.align8();
        }
        out.align8();
        long heapAddress = out.size();
        out.put(new byte[] {'H', 'E', 'A', 'P', 0, 0, 0, 0});
        out.putLong(heapData.size(), 8);
        out.putLong(1, 8); // free list head: H5HL_FREE_NULL, no free block
        out.putLong(heapAddress + 32, 8);
        out.put(heapData.toByteArray());

        // Symbol table nodes (III.B), each holding up to 2K entries in name order.
        int perNode = 2 * GROUP_LEAF_K;
        int snodCount = (names.size() + perNode - 1) / perNode;
        List<long[]> level = new ArrayList<>(); // {address, heap offset of largest name}
        out.align8();
        for (int s = 0; s < snodCount; s++) {
            int from = s * names.size() / snodCount;
            int to = (s + 1) * names.size() / snodCount;
            long address = out.size();
            byte[] node = new byte[SNOD_SIZE];
            node[0] = 'S';
            node[1] = 'N';
            node[2] = 'O';
            node[3] = 'D';
            node[4] = 1;
            putLong(node, 6, to - from, 2);
            for (int i = from; i < to; i++) {
                int at = 8 + (i - from) * SYMBOL_ENTRY_SIZE;
                putLong(node, at, nameOffsets[i], 8);
                putLong(node, at + 8, addresses[i], 8);
            }
            out.put(node);
            level.add(new long[] {address, nameOffsets[to - 1]});
        }
        long btree = writeGroupBTree(level, out);
        // Object header with the symbol table message (IV.A.2.r) and the attributes.
        List<byte[][]> messages = new ArrayList<>();
        byte[] table = new byte[16];
        putLong(table, 0, btree, 8);
        putLong(table, 8, heapAddress, 8);
        messages.add(new byte[][] {{ObjectHeader.SYMBOL_TABLE}, table});
        addAttributeMessages(group, messages, strings);
        long header = writeObjectHeader(messages, out);
        return new GroupLayout(header, btree, heapAddress);
    }

    /** Version 1 B-tree of type 0 (III.A.1), built bottom-up; returns the root node address. */
    private static long writeGroupBTree(List<long[]> children, ByteArrayBuilder out) {
        int level = 0;
        List<long[]> current = children;
        while (true) {
            int perNode = 2 * GROUP_INTERNAL_K;
            int nodeCount = Math.max(1, (current.size() + perNode - 1) / perNode);
            out.align8();
            long first = out.size();
            List<long[]> parents = new ArrayList<>();
            for (int n = 0; n < nodeCount; n++) {
                int from = n * current.size() / nodeCount;
                int to = (n + 1) * current.size() / nodeCount;
                byte[] node = new byte[BTREE_NODE_SIZE];
                node[0] = 'T';
                node[1] = 'R';
                node[2] = 'E';
                node[3] = 'E';
                node[4] = 0; // group node
                node[5] = (byte) level;
                putLong(node, 6, to - from, 2);
                putLong(node, 8, n == 0 ? UNDEFINED : first + (long) (n - 1) * BTREE_NODE_SIZE, 8);
                putLong(node, 16, n == nodeCount - 1 ? UNDEFINED : first + (long) (n + 1) * BTREE_NODE_SIZE, 8);
                // key i is the largest name left of child i (the empty string before the first child)
                putLong(node, 24, from == 0 ? 0 : current.get(from - 1)[1], 8);
                for (int i = from; i < to; i++) {
                    int at = 32 + (i - from) * 16;
                    putLong(node, at, current.get(i)[0], 8);
                    putLong(node, at + 8, current.get(i)[1], 8);
                }
                out.put(node);
                parents.add(new long[] {first + (long) n * BTREE_NODE_SIZE, to > from ? current.get(to - 1)[1] : 0});
            }
            if (nodeCount == 1) {
                return first;
            }
            current = parents;
            level++;
        }
    }

    private long writeDataset(DatasetNode d, ByteArrayBuilder out, GlobalHeapPlan strings) {
        out.align8();
        long dataAddress = d.data.length == 0 ? UNDEFINED : out.size();
        out.put(d.data);
        List<byte[][]> messages = new ArrayList<>();
        messages.add(new byte[][] {{ObjectHeader.DATASPACE}, dataspace(d.shape)});
        messages.add(new byte[][] {{ObjectHeader.DATATYPE}, d.datatype});
        byte[] layout = new byte[18]; // version 3, contiguous, address, size (IV.A.2.i)
        layout[0] = 3;
        layout[1] = 1;
        putLong(layout, 2, dataAddress, 8);
        putLong(layout, 10, d.data.length, 8);
        messages.add(new byte[][] {{ObjectHeader.LAYOUT}, layout});
        addAttributeMessages(d, messages, strings);
        return writeObjectHeader(messages, out);
    }

    private void addAttributeMessages(Node node, List<byte[][]> messages, GlobalHeapPlan strings) {
        for (Attribute a : node.attributes.values()) {
            long[] ref = a.vlen() == null ? null : strings.reference(a.vlen());
            messages.add(new byte[][] {{ObjectHeader.ATTRIBUTE},
                attributeMessage(a, ref == null ? 0 : ref[0], ref == null ? 0 : ref[1])});
        }
    }

    /** Attribute message version 1 (IV.A.2.m): name, datatype and dataspace each padded to 8 bytes. */
    private static byte[] attributeMessage(Attribute a, long heapAddress, long heapIndex) {
        byte[] name = a.name().getBytes(StandardCharsets.UTF_8);
        byte[] space = dataspace(a.shape());
        byte[] data = a.data();
        if (a.vlen() != null) {
            data = new byte[16];
            putLong(data, 0, a.vlen().getBytes(StandardCharsets.UTF_8).length, 4);
            putLong(data, 4, heapAddress, 8);
            putLong(data, 12, heapIndex, 4);
        }
        ByteArrayBuilder m = new ByteArrayBuilder();
        m.put(new byte[] {1, 0});
        m.putLong(name.length + 1, 2);
        m.putLong(a.datatype().length, 2);
        m.putLong(space.length, 2);
        m.put(name);
        m.skip(1);
        m.align8();
        m.put(a.datatype());
        m.align8();
        m.put(space);
        m.align8();
        m.put(data);
        return m.toByteArray();
    }

    /** Version 1 object header (IV.A.1.a): 16-byte prefix, then 8-byte aligned messages. */
    private static long writeObjectHeader(List<byte[][]> messages, ByteArrayBuilder out) {
        int size = 0;
        for (byte[][] m : messages) {
            size += 8 + (m[1].length + 7) / 8 * 8;
        }
        out.align8();
        long address = out.size();
        out.put(new byte[] {1, 0});
        out.putLong(messages.size(), 2);
        out.putLong(1, 4); // reference count
        out.putLong(size, 4);
        out.skip(4);
        for (byte[][] m : messages) {
            int padded = (m[1].length + 7) / 8 * 8;
            out.putLong(m[0][0], 2);
            out.putLong(padded, 2);
            out.putLong(m[0][0] == ObjectHeader.DATATYPE ? 1 : 0, 1); // datatypes are constant
            out.skip(3);
            out.put(m[1]);
            out.skip(padded - m[1].length);
        }
        return address;
    }

    /** The one global heap collection (III.E) holding every variable-length string. */
    private static final class GlobalHeapPlan {
        private final List<byte[]> objects = new ArrayList<>();
        private final Map<String, Integer> indexes = new LinkedHashMap<>();
        private long address = UNDEFINED;

        void add(String s) {
            if (!indexes.containsKey(s)) {
                if (objects.size() >= 0xFFFF) {
                    throw new IllegalStateException("more than 65535 distinct variable-length strings");
                }
                objects.add(s.getBytes(StandardCharsets.UTF_8));
                indexes.put(s, objects.size());
            }
        }

        long[] reference(String s) {
            return new long[] {address, indexes.get(s)};
        }

        void write(ByteArrayBuilder out) {
            if (objects.isEmpty()) {
                return;
            }
            long size = 16;
            for (byte[] o : objects) {
                size += 16 + (o.length + 7) / 8 * 8;
            }
            long total = Math.max(MIN_GLOBAL_HEAP_SIZE, size + 16);
            out.align8();
            address = out.size();
            out.put(new byte[] {'G', 'C', 'O', 'L', 1, 0, 0, 0});
            out.putLong(total, 8);
            for (int i = 0; i < objects.size(); i++) {
                byte[] o = objects.get(i);
                out.putLong(i + 1, 2);
                out.putLong(1, 2); // reference count
                out.skip(4);
                out.putLong(o.length, 8);
                out.put(o);
                out.skip((8 - o.length % 8) % 8);
            }
            // object 0 describes the free space up to the end of the collection, its own header included
            out.putLong(0, 2);
            out.skip(6);
            out.putLong(total - size, 8);
            out.skip(total - size - 16);
        }
    }

    static void putLong(byte[] b, int at, long v, int size) {
        for (int i = 0; i < size; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Growable little-endian byte buffer. */
    private static final class ByteArrayBuilder {
        private byte[] bytes = new byte[1024];
        private int size;

        int size() {
            return size;
        }

        private void ensure(long extra) {
            long needed = size + extra;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("HDF5 file larger than 2 GiB");
            }
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 16, 2L * bytes.length)));
            }
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        void putLong(long v, int n) {
            ensure(n);
            putLong(bytes, size, v, n);
            size += n;
        }

        private static void putLong(byte[] b, int at, long v, int n) {
            Hdf5Writer.putLong(b, at, v, n);
        }

        void skip(long n) {
            ensure(n);
            size += (int) n;
        }

        void align8() {
            skip((8 - size % 8) % 8);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
