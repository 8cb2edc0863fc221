package dev.nncore.internal.hdf5;

import static dev.nncore.internal.hdf5.Hdf5FormatException.hex;

/**
 * Sequential little-endian reader over one bounded region of the file. Every read is checked against the
 * region, which itself was checked against the real file length, so a lying length field can never make
 * us read (or allocate) past the bytes that exist.
 */
final class Cursor {
    private final byte[] data;
    private final int start;
    private final int end;
    private final String what;
    private int pos;

    private Cursor(byte[] data, int start, int end, String what) {
        this.data = data;
        this.start = start;
        this.end = end;
        this.what = what;
        this.pos = start;
    }

    /** A cursor over {@code length} bytes at absolute file offset {@code offset}. */
    static Cursor of(byte[] data, long offset, long length, String what) throws Hdf5FormatException {
        if (offset < 0 || offset > data.length) {
            throw new Hdf5FormatException(what + " at offset " + hex(offset) + ": outside the file (" + data.length
                    + " bytes)");
        }
        if (length < 0 || length > data.length - offset) {
            throw new Hdf5FormatException(what + " at offset " + hex(offset) + ": needs " + length
                    + " bytes but the file ends after " + (data.length - offset));
        }
        return new Cursor(data, (int) offset, (int) (offset + length), what);
    }

    String what() {
        return what;
    }

    /** Absolute file offset of the next byte. */
    long position() {
        return pos;
    }

    long start() {
        return start;
    }

    int remaining() {
        return end - pos;
    }

    /** Moves to {@code offsetInRegion} bytes after the start of the region. */
    void seek(long offsetInRegion) throws Hdf5FormatException {
        if (offsetInRegion < 0 || offsetInRegion > end - start) {
            throw error("offset " + offsetInRegion + " outside the " + (end - start) + "-byte structure");
        }
        pos = start + (int) offsetInRegion;
    }

    void skip(long n) throws Hdf5FormatException {
        need(n);
        pos += (int) n;
    }

    private void need(long n) throws Hdf5FormatException {
        if (n < 0 || n > end - pos) {
            throw error("truncated: needs " + n + " more bytes, " + (end - pos) + " left");
        }
    }

    int u8() throws Hdf5FormatException {
        need(1);
        return data[pos++] & 0xFF;
    }

    int u16() throws Hdf5FormatException {
        need(2);
        int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    long u32() throws Hdf5FormatException {
        return unsigned(4);
    }

    /** An unsigned little-endian integer of 1..8 bytes; 8-byte values above Long.MAX_VALUE stay negative. */
    long unsigned(int size) throws Hdf5FormatException {
        if (size < 1 || size > 8) {
            throw error("unsupported field size " + size);
        }
        need(size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (data[pos + i] & 0xFF);
        }
        pos += size;
        return v;
    }

    /** A non-negative count or length that must fit in an int (array sizes, message sizes). */
    int intValue(int size, String field) throws Hdf5FormatException {
        long at = pos;
        long v = unsigned(size);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new Hdf5FormatException(what + " at offset " + hex(at) + ": " + field + " " + Long.toUnsignedString(v)
                    + " is out of range");
        }
        return (int) v;
    }

    byte[] bytes(int n) throws Hdf5FormatException {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** Checks the 4-byte signature that starts most HDF5 structures. */
    void expectSignature(String signature) throws Hdf5FormatException {
        long at = pos;
        need(4);
        for (int i = 0; i < 4; i++) {
            if (data[pos + i] != signature.charAt(i)) {
                throw new Hdf5FormatException(what + " at offset " + hex(at) + ": expected signature " + signature);
            }
        }
        pos += 4;
    }

    /** A sub-cursor over the next {@code n} bytes; this cursor moves past them. */
    Cursor slice(long n, String sliceWhat) throws Hdf5FormatException {
        need(n);
        Cursor c = new Cursor(data, pos, pos + (int) n, sliceWhat);
        pos += (int) n;
        return c;
    }

    /** Null-terminated string starting here (the terminator must lie inside the region). */
    String cString() throws Hdf5FormatException {
        int i = pos;
        while (i < end && data[i] != 0) {
            i++;
        }
        if (i >= end) {
            throw error("unterminated string");
        }
        String s = new String(data, pos, i - pos, java.nio.charset.StandardCharsets.UTF_8);
        pos = i + 1;
        return s;
    }

    Hdf5FormatException error(String message) {
        return new Hdf5FormatException(what + " at offset " + hex(pos) + ": " + message);
    }
}
