package dev.nncore.internal.hdf5;

/**
 * The element type of a dataset or attribute (spec IV.A.2.d, datatype message), reduced to what nn-core can
 * decode: IEEE floats (16/32/64 bit), signed and unsigned integers (8..64 bit), fixed-length and
 * variable-length strings, either byte order. Anything else is {@link Kind#UNSUPPORTED}: it can be listed and
 * its shape read, but reading its values fails with a clear {@link Hdf5FormatException}.
 */
public final class Hdf5DataType {
    /** What the elements are. */
    public enum Kind { FLOAT, SIGNED_INTEGER, UNSIGNED_INTEGER, FIXED_STRING, VARIABLE_STRING, UNSUPPORTED }

    private static final String[] CLASS_NAMES = {"fixed-point", "floating-point", "time", "string", "bitfield",
        "opaque", "compound", "reference", "enumerated", "variable-length", "array"};

    private final Kind kind;
    private final int size;
    private final boolean bigEndian;
    private final boolean utf8;
    private final int stringPadding;
    private final String description;

    private Hdf5DataType(Kind kind, int size, boolean bigEndian, boolean utf8, int stringPadding, String description) {
        this.kind = kind;
        this.size = size;
        this.bigEndian = bigEndian;
        this.utf8 = utf8;
        this.stringPadding = stringPadding;
        this.description = description;
    }

    static Hdf5DataType floatType(int size) {
        return new Hdf5DataType(Kind.FLOAT, size, false, false, 0, "float" + size * 8);
    }

    static Hdf5DataType integerType(int size, boolean signed) {
        return new Hdf5DataType(signed ? Kind.SIGNED_INTEGER : Kind.UNSIGNED_INTEGER, size, false, false, 0,
                (signed ? "int" : "uint") + size * 8);
    }

    public Kind kind() {
        return kind;
    }

    /** Bytes per element as stored (for variable-length strings: the size of the heap reference). */
    public int size() {
        return size;
    }

    public boolean isBigEndian() {
        return bigEndian;
    }

    /** True for strings declared UTF-8 (otherwise ASCII); both are decoded as UTF-8. */
    public boolean isUtf8() {
        return utf8;
    }

    /** Floats and integers: readable with {@code readFloats}, {@code readDoubles}, {@code doubleValues}. */
    public boolean isNumeric() {
        return kind == Kind.FLOAT || kind == Kind.SIGNED_INTEGER || kind == Kind.UNSIGNED_INTEGER;
    }

    /** Fixed-length or variable-length strings. */
    public boolean isString() {
        return kind == Kind.FIXED_STRING || kind == Kind.VARIABLE_STRING;
    }

    /** Padding of fixed-length strings: 0 null-terminated, 1 null-padded, 2 space-padded. */
    int stringPadding() {
        return stringPadding;
    }

    /** E.g. {@code float32}, {@code int64}, {@code uint8 (big-endian)}, {@code string[16]}, {@code vlen string}. */
    @Override
    public String toString() {
        return description;
    }

    /** Decodes a datatype message; {@code depth} bounds the recursion through variable-length base types. */
    static Hdf5DataType parse(Cursor c, int depth) throws Hdf5FormatException {
        if (depth > 8) {
            throw c.error("datatype nested too deeply");
        }
        int classAndVersion = c.u8();
        int typeClass = classAndVersion & 0x0F;
        int version = classAndVersion >> 4;
        if (version < 1 || version > 5) {
            throw c.error("unknown datatype version " + version);
        }
        int bits0 = c.u8();
        int bits1 = c.u8();
        c.u8();
        long size = c.u32();
        if (size <= 0 || size > (1 << 24)) {
            throw c.error("datatype size " + size + " is out of range");
        }
        int n = (int) size;
        boolean big = (bits0 & 1) != 0;
        String order = big ? " (big-endian)" : "";
        switch (typeClass) {
            case 0: { // fixed-point: bit offset (2), precision (2)
                int offset = c.u16();
                int precision = c.u16();
                boolean signed = (bits0 & 0x08) != 0;
                String name = (signed ? "int" : "uint") + n * 8;
                if ((n == 1 || n == 2 || n == 4 || n == 8) && offset == 0 && precision == n * 8) {
                    return new Hdf5DataType(signed ? Kind.SIGNED_INTEGER : Kind.UNSIGNED_INTEGER, n, big, false, 0,
                            name + order);
                }
                return unsupported(n, name + " with bit offset " + offset + " and precision " + precision);
            }
            case 1: { // floating-point: bit offset, precision, exponent/mantissa location and size, bias
                int offset = c.u16();
                int precision = c.u16();
                int expLocation = c.u8();
                int expSize = c.u8();
                int mantLocation = c.u8();
                int mantSize = c.u8();
                long bias = c.u32();
                boolean vax = (bits0 & 0x40) != 0;
                boolean ieee = !vax && offset == 0 && precision == n * 8 && mantLocation == 0
                        && ((n == 2 && expLocation == 10 && expSize == 5 && mantSize == 10 && bias == 15)
                        || (n == 4 && expLocation == 23 && expSize == 8 && mantSize == 23 && bias == 127)
                        || (n == 8 && expLocation == 52 && expSize == 11 && mantSize == 52 && bias == 1023));
                if (ieee) {
                    return new Hdf5DataType(Kind.FLOAT, n, big, false, 0, "float" + n * 8 + order);
                }
                return unsupported(n, "non-IEEE " + n * 8 + "-bit floating point");
            }
            case 3: { // string: padding in bits 0-3, character set in bits 4-7
                boolean isUtf8 = (bits0 >> 4 & 0x0F) == 1;
                return new Hdf5DataType(Kind.FIXED_STRING, n, false, isUtf8, bits0 & 0x0F, "string[" + n + "]");
            }
            case 9: { // variable-length: type in bits 0-3 (1 = string), character set in bits 8-11; base type follows
                int vlenType = bits0 & 0x0F;
                Hdf5DataType baseType = parse(c, depth + 1);
                if (vlenType == 1) {
                    return new Hdf5DataType(Kind.VARIABLE_STRING, n, false, (bits1 & 0x0F) == 1, 0, "vlen string");
                }
                return unsupported(n, "variable-length sequence of " + baseType);
            }
            default:
                return unsupported(n, typeClass < CLASS_NAMES.length ? CLASS_NAMES[typeClass] : "class " + typeClass);
        }
    }

    private static Hdf5DataType unsupported(int size, String what) {
        return new Hdf5DataType(Kind.UNSUPPORTED, size, false, false, 0, "unsupported datatype (" + what + ")");
    }
}
