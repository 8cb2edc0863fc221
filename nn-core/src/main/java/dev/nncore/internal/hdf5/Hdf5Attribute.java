package dev.nncore.internal.hdf5;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A named attribute of a group or dataset (spec IV.A.2.m, attribute message versions 1-3), with its value
 * already copied out of the file. Strings may be fixed-length or variable-length; an empty array of any type
 * reads as an empty array from every accessor (Keras writes empty {@code weight_names} as float64).
 */
public final class Hdf5Attribute {
    private final FileContext ctx;
    private final String owner;
    private final String name;
    private final Hdf5DataType type;
    private final long[] shape;
    private final int count;
    private final byte[] raw;

    private Hdf5Attribute(FileContext ctx, String owner, String name, Hdf5DataType type, long[] shape, int count,
            byte[] raw) {
        this.ctx = ctx;
        this.owner = owner;
        this.name = name;
        this.type = type;
        this.shape = shape;
        this.count = count;
        this.raw = raw;
    }

    public String name() {
        return name;
    }

    public Hdf5DataType dataType() {
        return type;
    }

    /** Dimensions; empty for a scalar (and for a null dataspace, which holds no value). */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return count;
    }

    /** A scalar (or single-element) string. */
    public String stringValue() throws Hdf5FormatException {
        if (count != 1) { // before decoding: a hostile attribute may hold millions of elements
            throw problem("holds " + count + " strings, expected one");
        }
        return stringValues()[0];
    }

    /** All elements as strings (fixed-length or variable-length); an empty array of any type gives {}. */
    public String[] stringValues() throws Hdf5FormatException {
        if (count == 0) {
            return new String[0];
        }
        if (!type.isString()) {
            throw problem("is " + type + ", not a string");
        }
        return Hdf5File.guard(() -> Values.strings(ctx, raw, type, count, describe()));
    }

    /** All elements of a numeric attribute as doubles. */
    public double[] doubleValues() throws Hdf5FormatException {
        if (count == 0) {
            return new double[0];
        }
        requireNumeric();
        return Values.doubles(raw, type, count);
    }

    /** All elements of an integer attribute (unsigned 64-bit values above Long.MAX_VALUE wrap). */
    public long[] longValues() throws Hdf5FormatException {
        if (count == 0) {
            return new long[0];
        }
        if (type.kind() != Hdf5DataType.Kind.SIGNED_INTEGER && type.kind() != Hdf5DataType.Kind.UNSIGNED_INTEGER) {
            throw problem("is " + type + ", not an integer type");
        }
        return Values.longs(raw, type, count);
    }

    private void requireNumeric() throws Hdf5FormatException {
        if (!type.isNumeric()) {
            throw problem("is " + type + ", not numeric");
        }
    }

    private Hdf5FormatException problem(String message) {
        return new Hdf5FormatException(describe() + " " + message);
    }

    private String describe() {
        return "attribute '" + name + "' of " + owner;
    }

    @Override
    public String toString() {
        return "Hdf5Attribute[" + name + ", " + type + ", shape " + Arrays.toString(shape) + "]";
    }

    /** Decodes an attribute message body (versions 1-3). */
    static Hdf5Attribute parse(FileContext ctx, Cursor c, String owner, int depth) throws Hdf5FormatException {
        int version = c.u8();
        if (version < 1 || version > 3) {
            throw c.error("unknown attribute message version " + version);
        }
        int flags = c.u8(); // reserved in version 1
        int nameSize = c.u16();
        int typeSize = c.u16();
        int spaceSize = c.u16();
        if (version == 3) {
            c.u8(); // name character set
        }
        boolean padded = version == 1;
        if (version > 1 && (flags & 0x02) != 0) {
            throw c.error("shared dataspaces in attributes are not supported");
        }
        Cursor nameCursor = c.slice(pad(nameSize, padded), "attribute name");
        byte[] nameBytes = nameCursor.bytes(nameSize);
        int end = 0;
        while (end < nameBytes.length && nameBytes[end] != 0) {
            end++;
        }
        String name = new String(nameBytes, 0, end, StandardCharsets.UTF_8);
        Cursor typeCursor = c.slice(pad(typeSize, padded), "datatype of attribute '" + name + "' of " + owner);
        Hdf5DataType type = (version > 1 && (flags & 0x01) != 0)
                ? SharedTypes.resolve(ctx, typeCursor, owner, depth)
                : Hdf5DataType.parse(typeCursor, 0);
        Cursor spaceCursor = c.slice(pad(spaceSize, padded), "dataspace of attribute '" + name + "' of " + owner);
        Messages.Dataspace space = Messages.dataspace(spaceCursor, ctx);
        long elements = space.elementCount(c);
        long bytes = Messages.multiply(elements, type.size(), c, "attribute size");
        if (bytes > c.remaining()) {
            throw c.error("attribute '" + name + "' needs " + bytes + " bytes of data, " + c.remaining() + " present");
        }
        return new Hdf5Attribute(ctx, owner, name, type, space.isNull() ? new long[0] : space.dims(), (int) elements,
                c.bytes((int) bytes));
    }

    private static int pad(int size, boolean padded) {
        return padded ? (size + 7) / 8 * 8 : size;
    }
}
