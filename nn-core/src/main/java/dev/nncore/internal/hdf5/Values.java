package dev.nncore.internal.hdf5;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Converts raw element bytes (as stored, either byte order) to Java arrays. */
final class Values {
    private Values() {
    }

    private static long raw(byte[] b, int at, int size, boolean bigEndian) {
        long v = 0;
        if (bigEndian) {
            for (int i = 0; i < size; i++) {
                v = v << 8 | (b[at + i] & 0xFF);
            }
        } else {
            for (int i = size - 1; i >= 0; i--) {
                v = v << 8 | (b[at + i] & 0xFF);
            }
        }
        return v;
    }

    private static long integer(byte[] b, int at, Hdf5DataType t) {
        long v = raw(b, at, t.size(), t.isBigEndian());
        if (t.kind() == Hdf5DataType.Kind.SIGNED_INTEGER && t.size() < 8) {
            int shift = 64 - 8 * t.size();
            v = v << shift >> shift;
        }
        return v;
    }

    private static double number(byte[] b, int at, Hdf5DataType t) {
        long v = raw(b, at, t.size(), t.isBigEndian());
        return switch (t.kind()) {
            case FLOAT -> switch (t.size()) {
                case 2 -> halfToFloat((int) v);
                case 4 -> Float.intBitsToFloat((int) v);
                default -> Double.longBitsToDouble(v);
            };
            case SIGNED_INTEGER -> integer(b, at, t);
            case UNSIGNED_INTEGER -> t.size() == 8 && v < 0 ? Math.scalb((double) (v >>> 1), 1) + (v & 1) : v;
            default -> throw new IllegalStateException("not numeric: " + t);
        };
    }

    /** IEEE 754 binary16 to float, including subnormals, infinities and NaN. */
    static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | mantissa << 13);
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    static double[] doubles(byte[] b, Hdf5DataType t, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = number(b, i * t.size(), t);
        }
        return out;
    }

    static float[] floats(byte[] b, Hdf5DataType t, int count) {
        float[] out = new float[count];
        if (t.kind() == Hdf5DataType.Kind.FLOAT && t.size() == 4) {
            for (int i = 0; i < count; i++) {
                out[i] = Float.intBitsToFloat((int) raw(b, i * 4, 4, t.isBigEndian()));
            }
            return out;
        }
        for (int i = 0; i < count; i++) {
            out[i] = (float) number(b, i * t.size(), t);
        }
        return out;
    }

    static long[] longs(byte[] b, Hdf5DataType t, int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = integer(b, i * t.size(), t);
        }
        return out;
    }

    /** Fixed-length strings (padding stripped) or variable-length strings (read from the global heap). */
    static String[] strings(FileContext ctx, byte[] b, Hdf5DataType t, int count, String owner)
            throws Hdf5FormatException {
        String[] out = new String[count];
        int size = t.size();
        // Variable-length elements may all point to one large heap object: each distinct (collection, index, length)
        // is decoded once and shared, and the distinct strings together may not exceed the file's size, which an
        // honest file (one heap object per string) never does.
        Map<String, String> decoded = new HashMap<>();
        long[] decodedBytes = new long[1];
        for (int i = 0; i < count; i++) {
            int at = i * size;
            if (t.kind() == Hdf5DataType.Kind.FIXED_STRING) {
                int end = at + size;
                if (t.stringPadding() == 2) {
                    while (end > at && (b[end - 1] == ' ' || b[end - 1] == 0)) {
                        end--;
                    }
                } else {
                    int nul = at;
                    while (nul < end && b[nul] != 0) {
                        nul++;
                    }
                    end = nul;
                }
                out[i] = new String(b, at, end - at, StandardCharsets.UTF_8);
            } else {
                out[i] = variableString(ctx, Cursor.of(b, at, size, "variable-length string " + i + " of " + owner),
                        decoded, decodedBytes);
            }
        }
        return out;
    }

    /** A vlen element: length (4), global heap collection address (O), object index (4) (spec IV.A.2.d class 9). */
    private static String variableString(FileContext ctx, Cursor c, Map<String, String> decoded, long[] decodedBytes)
            throws Hdf5FormatException {
        long length = c.u32();
        long collection = ctx.address(c);
        long index = c.u32();
        if (length == 0) {
            return "";
        }
        if (collection == FileContext.UNDEFINED || index > 0xFFFF) {
            throw c.error("bad global heap reference");
        }
        String key = collection + ":" + index + ":" + length;
        String known = decoded.get(key);
        if (known != null) {
            return known;
        }
        decodedBytes[0] += length;
        if (decodedBytes[0] > ctx.data.length) {
            throw c.error("variable-length strings decode to more than the file's " + ctx.data.length + " bytes"
                    + " (distinct lengths of shared heap objects)");
        }
        String value = heapString(ctx, c, collection, index, length);
        decoded.put(key, value);
        return value;
    }

    private static String heapString(FileContext ctx, Cursor c, long collection, long index, long length)
            throws Hdf5FormatException {
        byte[] bytes = ctx.globalHeap(collection).object((int) index);
        if (length > bytes.length) {
            throw c.error("string of " + length + " bytes but its heap object holds " + bytes.length);
        }
        int end = (int) length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--; // tolerate NUL terminators stored with the string
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
