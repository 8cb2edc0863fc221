package dev.nncore.internal.hdf5;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decoders for the object header messages nn-core uses (spec IV.A.2); each cites its section. */
final class Messages {
    private Messages() {
    }

    /** Dataspace (IV.A.2.b): dimensions; {@code dims.length == 0} is a scalar, {@code isNull} has no elements. */
    record Dataspace(long[] dims, long[] maxDims, boolean isNull) {
        /** Maximum dimensions; {@code -1} stands for unlimited. Equal to {@code dims} when not stored. */
        long[] maxDimsOrDims() {
            return maxDims != null ? maxDims : dims;
        }

        long elementCount(Cursor where) throws Hdf5FormatException {
            if (isNull) {
                return 0;
            }
            long n = 1;
            for (long d : dims) {
                n = multiply(n, d, where, "dataspace element count");
            }
            return n;
        }
    }

    static Dataspace dataspace(Cursor c, FileContext ctx) throws Hdf5FormatException {
        int version = c.u8();
        int rank = c.u8();
        int flags = c.u8();
        boolean isNull = false;
        if (version == 1) {
            c.skip(5); // reserved
        } else if (version == 2) {
            int type = c.u8();
            if (type > 2) {
                throw c.error("unknown dataspace type " + type);
            }
            isNull = type == 2;
        } else {
            throw c.error("unknown dataspace version " + version);
        }
        if (rank > 32) {
            throw c.error("dataspace rank " + rank + " exceeds the HDF5 maximum of 32");
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = ctx.length(c);
        }
        long[] maxDims = null;
        if ((flags & 0x01) != 0) {
            maxDims = new long[rank];
            for (int i = 0; i < rank; i++) {
                long max = c.unsigned(ctx.lengthSize());
                maxDims[i] = max < 0 || max == (ctx.lengthSize() == 8 ? -1L : (1L << 8 * ctx.lengthSize()) - 1) ? -1 : max;
            }
        }
        return new Dataspace(dims, maxDims, isNull);
    }

    static long multiply(long a, long b, Cursor where, String what) throws Hdf5FormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw where.error(what + " overflows");
        }
    }

    /** Link (IV.A.2.g): a named hard, soft or external link of a new-style group. */
    record Link(String name, int type, long address, String target, long creationOrder) {
        static final int HARD = 0;
        static final int SOFT = 1;
        static final int EXTERNAL = 64;
    }

    static Link link(Cursor c, FileContext ctx) throws Hdf5FormatException {
        int version = c.u8();
        if (version != 1) {
            throw c.error("unknown link message version " + version);
        }
        int flags = c.u8();
        int type = (flags & 0x08) != 0 ? c.u8() : Link.HARD;
        long creationOrder = (flags & 0x04) != 0 ? c.unsigned(8) : -1;
        if ((flags & 0x10) != 0) {
            c.u8(); // character set of the name
        }
        int nameLength = c.intValue(1 << (flags & 0x03), "link name length");
        if (nameLength == 0) {
            throw c.error("empty link name");
        }
        String name = new String(c.bytes(nameLength), StandardCharsets.UTF_8);
        switch (type) {
            case Link.HARD:
                return new Link(name, type, ctx.address(c), null, creationOrder);
            case Link.SOFT:
                return new Link(name, type, FileContext.UNDEFINED,
                        new String(c.bytes(c.u16()), StandardCharsets.UTF_8), creationOrder);
            case Link.EXTERNAL: {
                byte[] info = c.bytes(c.u16()); // version/flags byte, file name NUL, object path NUL
                String text = info.length > 1 ? new String(info, 1, info.length - 1, StandardCharsets.UTF_8) : "";
                return new Link(name, type, FileContext.UNDEFINED, text.replace('\0', ':').replaceAll(":$", ""),
                        creationOrder);
            }
            default:
                return new Link(name, type, FileContext.UNDEFINED, null, creationOrder);
        }
    }

    /** Link Info (IV.A.2.c) and Attribute Info (IV.A.2.v): where dense storage lives, if any. */
    record DenseStorage(long heapAddress, long nameIndexAddress) {
        boolean present() {
            return heapAddress != FileContext.UNDEFINED;
        }
    }

    static DenseStorage linkInfo(Cursor c, FileContext ctx) throws Hdf5FormatException {
        int version = c.u8();
        if (version != 0) {
            throw c.error("unknown link info version " + version);
        }
        int flags = c.u8();
        if ((flags & 0x01) != 0) {
            c.skip(8); // maximum creation index
        }
        return new DenseStorage(ctx.address(c), ctx.address(c));
    }

    static DenseStorage attributeInfo(Cursor c, FileContext ctx) throws Hdf5FormatException {
        int version = c.u8();
        if (version != 0) {
            throw c.error("unknown attribute info version " + version);
        }
        int flags = c.u8();
        if ((flags & 0x01) != 0) {
            c.skip(2); // maximum creation index
        }
        return new DenseStorage(ctx.address(c), ctx.address(c));
    }

    /** Symbol Table (IV.A.2.r): an old-style group's v1 B-tree and local heap. */
    record SymbolTable(long btreeAddress, long heapAddress) {
    }

    static SymbolTable symbolTable(Cursor c, FileContext ctx) throws Hdf5FormatException {
        return new SymbolTable(ctx.address(c), ctx.address(c));
    }

    /** One filter of a Filter Pipeline message (IV.A.2.l). */
    record Filter(int id, String name, int flags, int[] clientData) {
        static final int DEFLATE = 1;
        static final int SHUFFLE = 2;
        static final int FLETCHER32 = 3;

        String describe() {
            String known = switch (id) {
                case 1 -> "deflate";
                case 2 -> "shuffle";
                case 3 -> "fletcher32";
                case 4 -> "szip";
                case 5 -> "nbit";
                case 6 -> "scaleoffset";
                case 307 -> "bzip2";
                case 32000 -> "lzf";
                case 32001 -> "blosc";
                case 32004 -> "lz4";
                case 32015 -> "zstd";
                default -> null;
            };
            String label = known != null ? known : (name != null && !name.isEmpty() ? name : "unknown");
            return "filter " + id + " (" + label + ")";
        }
    }

    static List<Filter> filterPipeline(Cursor c) throws Hdf5FormatException {
        int version = c.u8();
        if (version != 1 && version != 2) {
            throw c.error("unknown filter pipeline version " + version);
        }
        int count = c.u8();
        if (count > 32) {
            throw c.error("filter pipeline lists " + count + " filters (HDF5 allows 32)");
        }
        if (version == 1) {
            c.skip(6);
        }
        List<Filter> filters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int id = c.u16();
            int nameLength = (version == 1 || id >= 256) ? c.u16() : 0;
            int flags = c.u16();
            int values = c.u16();
            String name = null;
            if (nameLength > 0) {
                int padded = version == 1 ? (nameLength + 7) / 8 * 8 : nameLength;
                Cursor nameCursor = c.slice(padded, "filter name");
                byte[] raw = nameCursor.bytes(padded);
                int end = 0;
                while (end < raw.length && raw[end] != 0) {
                    end++;
                }
                name = new String(raw, 0, end, StandardCharsets.UTF_8);
            }
            int[] clientData = new int[values];
            for (int v = 0; v < values; v++) {
                clientData[v] = (int) c.u32();
            }
            if (version == 1 && values % 2 == 1) {
                c.skip(4);
            }
            filters.add(new Filter(id, name, flags, clientData));
        }
        return filters;
    }

    /**
     * Data Layout (IV.A.2.i), versions 1-4. {@code chunkDims} excludes the trailing element-size dimension.
     * For chunked layout v4, {@code indexType} and {@code indexParams} describe the chunk index.
     */
    record Layout(int layoutClass, long address, long size, byte[] compactData, long[] chunkDims, int version,
            int indexType, long[] indexParams) {
        static final int COMPACT = 0;
        static final int CONTIGUOUS = 1;
        static final int CHUNKED = 2;
        static final int VIRTUAL = 3;
    }

    static Layout layout(Cursor c, FileContext ctx) throws Hdf5FormatException {
        int version = c.u8();
        if (version == 1 || version == 2) {
            int ndims = c.u8();
            int layoutClass = c.u8();
            c.skip(5);
            long address = layoutClass == Layout.COMPACT ? FileContext.UNDEFINED : ctx.address(c);
            if (ndims < 1 || ndims > 33) {
                throw c.error("layout dimensionality " + ndims + " is out of range");
            }
            long[] dims = new long[ndims];
            long product = 1;
            for (int i = 0; i < ndims; i++) {
                dims[i] = c.u32();
                product = multiply(product, dims[i], c, "layout size");
            }
            switch (layoutClass) {
                case Layout.COMPACT: {
                    int size = c.intValue(4, "compact data size");
                    return new Layout(layoutClass, FileContext.UNDEFINED, size, c.bytes(size), null, version, 0, null);
                }
                case Layout.CONTIGUOUS:
                    return new Layout(layoutClass, address, product, null, null, version, 0, null);
                case Layout.CHUNKED: // the last dimension is the element size
                    return new Layout(layoutClass, address, 0, null, java.util.Arrays.copyOf(dims, ndims - 1), version,
                            0, null);
                default:
                    throw c.error("unknown layout class " + layoutClass);
            }
        }
        if (version != 3 && version != 4) {
            throw c.error("unknown data layout version " + version);
        }
        int layoutClass = c.u8();
        switch (layoutClass) {
            case Layout.COMPACT: {
                int size = c.u16();
                return new Layout(layoutClass, FileContext.UNDEFINED, size, c.bytes(size), null, version, 0, null);
            }
            case Layout.CONTIGUOUS:
                return new Layout(layoutClass, ctx.address(c), ctx.length(c), null, null, version, 0, null);
            case Layout.CHUNKED:
                return version == 3 ? chunkedV3(c, ctx) : chunkedV4(c, ctx);
            case Layout.VIRTUAL:
                throw c.error("virtual datasets (layout class 3) are not supported");
            default:
                throw c.error("unknown layout class " + layoutClass);
        }
    }

    private static Layout chunkedV3(Cursor c, FileContext ctx) throws Hdf5FormatException {
        int ndims = c.u8();
        if (ndims < 2 || ndims > 33) {
            throw c.error("chunk dimensionality " + ndims + " is out of range");
        }
        long address = ctx.address(c);
        long[] dims = new long[ndims - 1];
        for (int i = 0; i < ndims - 1; i++) {
            dims[i] = c.u32();
        }
        c.u32(); // the last "dimension" is the element size
        return new Layout(Layout.CHUNKED, address, 0, null, dims, 3, 0, null);
    }

    /** Layout v4 chunked: encoded-size dimensions then the chunk index type and its parameters. */
    private static Layout chunkedV4(Cursor c, FileContext ctx) throws Hdf5FormatException {
        int flags = c.u8();
        int ndims = c.u8();
        if (ndims < 2 || ndims > 33) {
            throw c.error("chunk dimensionality " + ndims + " is out of range");
        }
        int encodedSize = c.u8();
        long[] dims = new long[ndims - 1];
        for (int i = 0; i < ndims - 1; i++) {
            dims[i] = c.unsigned(encodedSize);
        }
        c.unsigned(encodedSize); // element size
        int indexType = c.u8();
        long[] params;
        switch (indexType) {
            case 1: // single chunk: filtered size and mask only when filtered (flags bit 1)
                params = (flags & 0x02) != 0 ? new long[] {ctx.length(c), c.u32()} : new long[0];
                break;
            case 2: // implicit
                params = new long[0];
                break;
            case 3: // fixed array: page bits
                params = new long[] {c.u8()};
                break;
            case 4: // extensible array: max bits, index elements, min pointers, min elements, page bits
                params = new long[] {c.u8(), c.u8(), c.u8(), c.u8(), c.u8()};
                break;
            case 5: // version 2 B-tree: node size, split percent, merge percent
                params = new long[] {c.u32(), c.u8(), c.u8()};
                break;
            default:
                throw c.error("unknown chunk index type " + indexType);
        }
        return new Layout(Layout.CHUNKED, ctx.address(c), 0, null, dims, 4, indexType, params);
    }
}
