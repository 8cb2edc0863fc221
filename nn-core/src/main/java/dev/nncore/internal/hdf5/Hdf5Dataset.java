package dev.nncore.internal.hdf5;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A dataset: shape, element type, attributes and (read on demand) its values, stored contiguously, compactly or
 * in chunks (optionally deflated, shuffled and fletcher32-checked). Storage never written (unallocated chunks,
 * chunks on fixed-array pages never initialised, contiguous data never allocated) reads as the dataset's fill value
 * (fill value messages 0x05 versions 1-3 and the old 0x04), or zeros when none is declared, as the HDF5 library
 * reads it.
 */
public final class Hdf5Dataset implements Hdf5Node {
    private final FileContext ctx;
    private final String path;
    private final long address;
    private final Messages.Dataspace space;
    private final Hdf5DataType type;
    private final Messages.Layout layout;
    private final List<Messages.Filter> filters;
    private final boolean externalStorage;
    private final Map<String, Hdf5Attribute> attributes;
    /** One element's fill value as stored, or null for zeros. */
    private final byte[] fill;

    private Hdf5Dataset(FileContext ctx, String path, long address, Messages.Dataspace space, Hdf5DataType type,
            Messages.Layout layout, List<Messages.Filter> filters, boolean externalStorage,
            Map<String, Hdf5Attribute> attributes, byte[] fill) {
        this.fill = fill;
        this.ctx = ctx;
        this.path = path;
        this.address = address;
        this.space = space;
        this.type = type;
        this.layout = layout;
        this.filters = filters;
        this.externalStorage = externalStorage;
        this.attributes = attributes;
    }

    static Hdf5Dataset open(FileContext ctx, ObjectHeader h, String path) throws Hdf5FormatException {
        ObjectHeader.Message spaceMessage = h.first(ObjectHeader.DATASPACE);
        ObjectHeader.Message typeMessage = h.first(ObjectHeader.DATATYPE);
        ObjectHeader.Message layoutMessage = h.first(ObjectHeader.LAYOUT);
        if (spaceMessage == null || typeMessage == null) {
            throw new Hdf5FormatException("dataset " + path + " has no " + (spaceMessage == null ? "dataspace" : "datatype")
                    + " message");
        }
        if (spaceMessage.shared()) {
            throw h.body(spaceMessage).error("shared dataspaces are not supported");
        }
        Messages.Dataspace space = Messages.dataspace(h.body(spaceMessage), ctx);
        Hdf5DataType type = SharedTypes.of(ctx, h, typeMessage);
        Messages.Layout layout = Messages.layout(h.body(layoutMessage), ctx);
        ObjectHeader.Message pipeline = h.first(ObjectHeader.FILTER_PIPELINE);
        List<Messages.Filter> filters = pipeline == null ? List.of() : Messages.filterPipeline(h.body(pipeline));
        return new Hdf5Dataset(ctx, path, h.address(), space, type, layout, filters,
                h.has(ObjectHeader.EXTERNAL_FILES), Collections.unmodifiableMap(ObjectContents.attributes(ctx, h)),
                fillValue(h, type, path));
    }

    /**
     * The fill value (spec IV.A.2.f and IV.A.2.e): the new message if present, else the old one; null when neither
     * defines a value or the value is all zeros. A value whose size is not the element's is refused.
     */
    private static byte[] fillValue(ObjectHeader h, Hdf5DataType type, String path) throws Hdf5FormatException {
        ObjectHeader.Message message = h.first(ObjectHeader.FILL_VALUE);
        byte[] value = null;
        if (message != null) {
            Cursor c = h.body(message);
            int version = c.u8();
            boolean present;
            if (version == 1 || version == 2) {
                c.skip(2); // space allocation time, fill value write time
                int defined = c.u8();
                present = version == 1 || defined != 0;
            } else if (version == 3) {
                int flags = c.u8();
                present = (flags & 0x20) != 0;
            } else {
                throw c.error("unknown fill value message version " + version);
            }
            if (present) {
                value = c.bytes(checkedFillSize(c, type, path));
            }
        } else if ((message = h.first(ObjectHeader.FILL_VALUE_OLD)) != null) {
            Cursor c = h.body(message);
            value = c.bytes(checkedFillSize(c, type, path));
        }
        if (value == null || value.length == 0) {
            return null;
        }
        for (byte b : value) {
            if (b != 0) {
                return value;
            }
        }
        return null;
    }

    private static int checkedFillSize(Cursor c, Hdf5DataType type, String path) throws Hdf5FormatException {
        long size = c.u32();
        if (size != 0 && size != type.size()) {
            throw c.error("dataset " + path + ": fill value of " + size + " bytes for elements of " + type.size());
        }
        if (size > c.remaining()) {
            throw c.error("fill value of " + size + " bytes, " + c.remaining() + " present");
        }
        return (int) size;
    }

    /** {@code bytes} bytes of the fill value repeated, or zeros. */
    static byte[] filled(int bytes, byte[] fill) {
        byte[] out = new byte[bytes];
        if (fill != null) {
            for (int at = 0; at + fill.length <= bytes; at += fill.length) {
                System.arraycopy(fill, 0, out, at, fill.length);
            }
        }
        return out;
    }

    long address() {
        return address;
    }

    /** The same dataset reached by another path (a second hard link), named by that path in messages. */
    Hdf5Dataset at(String otherPath) {
        return otherPath.equals(path) ? this
                : new Hdf5Dataset(ctx, otherPath, address, space, type, layout, filters, externalStorage, attributes, fill);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Map<String, Hdf5Attribute> attributes() {
        return attributes;
    }

    /** Dimensions; empty for a scalar dataset. */
    public long[] shape() {
        return space.isNull() ? new long[0] : space.dims().clone();
    }

    public Hdf5DataType dataType() {
        return type;
    }

    /** Values as float32 (float64 and integers are converted), in row-major order. */
    public float[] readFloats() throws Hdf5FormatException {
        requireNumeric();
        return Hdf5File.guard(() -> Values.floats(readRaw(), type, elementCount()));
    }

    /** Values as float64, in row-major order. */
    public double[] readDoubles() throws Hdf5FormatException {
        requireNumeric();
        return Hdf5File.guard(() -> Values.doubles(readRaw(), type, elementCount()));
    }

    /** Values of an integer dataset as longs, in row-major order. */
    public long[] readLongs() throws Hdf5FormatException {
        if (type.kind() != Hdf5DataType.Kind.SIGNED_INTEGER && type.kind() != Hdf5DataType.Kind.UNSIGNED_INTEGER) {
            throw new Hdf5FormatException("dataset " + path + " is " + type + ", not an integer type");
        }
        return Hdf5File.guard(() -> Values.longs(readRaw(), type, elementCount()));
    }

    /** Values of a fixed-length or variable-length string dataset. */
    public String[] readStrings() throws Hdf5FormatException {
        if (!type.isString()) {
            throw new Hdf5FormatException("dataset " + path + " is " + type + ", not a string type");
        }
        return Hdf5File.guard(() -> Values.strings(ctx, readRaw(), type, elementCount(), "dataset " + path));
    }

    private void requireNumeric() throws Hdf5FormatException {
        if (!type.isNumeric()) {
            throw new Hdf5FormatException("dataset " + path + " is " + type + ", not numeric");
        }
    }

    private int elementCount() throws Hdf5FormatException {
        return (int) (totalBytes() / type.size());
    }

    private long totalBytes() throws Hdf5FormatException {
        Cursor where = Cursor.of(new byte[0], 0, 0, "dataset " + path);
        long bytes = Messages.multiply(space.elementCount(where), type.size(), where, "data size");
        if (bytes > ctx.maxDecodedBytes) {
            throw new Hdf5FormatException("dataset " + path + " holds " + bytes + " bytes, more than the limit of "
                    + ctx.maxDecodedBytes);
        }
        // Deflate expands at most ~1032:1, so more than this cannot be stored data, only a hostile claim (or an
        // unwritten sparse dataset, which Keras never produces).
        long plausible = ctx.data.length * 1100L + (1 << 20);
        if (bytes > plausible) {
            throw new Hdf5FormatException("dataset " + path + " claims " + bytes + " bytes, more than a "
                    + ctx.data.length + "-byte file can hold even compressed");
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new Hdf5FormatException("dataset " + path + " holds " + bytes + " bytes, more than a Java array can");
        }
        return bytes;
    }

    /** The element bytes in row-major order, as stored (byte order of the datatype). */
    private byte[] readRaw() throws Hdf5FormatException {
        if (externalStorage) {
            throw new Hdf5FormatException("dataset " + path + " keeps its data in external files, which is not supported");
        }
        int bytes = (int) totalBytes();
        switch (layout.layoutClass()) {
            case Messages.Layout.COMPACT: {
                if (layout.compactData().length < bytes) {
                    throw new Hdf5FormatException("dataset " + path + ": compact data holds " + layout.compactData().length
                            + " bytes, " + bytes + " needed");
                }
                return java.util.Arrays.copyOf(layout.compactData(), bytes);
            }
            case Messages.Layout.CONTIGUOUS: {
                if (layout.address() == FileContext.UNDEFINED || bytes == 0) {
                    return filled(bytes, fill); // never written
                }
                if (layout.size() < bytes) {
                    throw new Hdf5FormatException("dataset " + path + ": contiguous storage holds " + layout.size()
                            + " bytes, " + bytes + " needed");
                }
                return ctx.at(layout.address(), bytes, "data of " + path).bytes(bytes);
            }
            case Messages.Layout.CHUNKED:
                return ChunkedData.read(ctx, path, layout, space, type.size(), filters, bytes, fill);
            default:
                throw new Hdf5FormatException("dataset " + path + ": unsupported layout class " + layout.layoutClass());
        }
    }

    @Override
    public String toString() {
        return "Hdf5Dataset[" + path + ", " + type + ", shape " + java.util.Arrays.toString(shape()) + "]";
    }
}
