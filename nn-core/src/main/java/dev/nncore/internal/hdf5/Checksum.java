package dev.nncore.internal.hdf5;

/**
 * Bob Jenkins' lookup3 {@code hashlittle} with seed 0, which HDF5 uses for the checksums of version-2 metadata
 * (superblock 2/3, OHDR/OCHK object header chunks, v2 B-tree nodes).
 */
final class Checksum {
    private Checksum() {
    }

    static int lookup3(byte[] k, int offset, int length) {
        int a = 0xDEADBEEF + length;
        int b = a;
        int c = a;
        int i = offset;
        int remaining = length;
        while (remaining > 12) {
            a += word(k, i);
            b += word(k, i + 4);
            c += word(k, i + 8);
            // mix
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            remaining -= 12;
            i += 12;
        }
        if (remaining == 0) {
            return c;
        }
        // the tail: bytes 0-3 go to a, 4-7 to b, 8-11 to c, little-endian
        for (int j = remaining - 1; j >= 0; j--) {
            int v = (k[i + j] & 0xFF) << (8 * (j % 4));
            if (j >= 8) {
                c += v;
            } else if (j >= 4) {
                b += v;
            } else {
                a += v;
            }
        }
        // final
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    private static int word(byte[] k, int i) {
        return (k[i] & 0xFF) | (k[i + 1] & 0xFF) << 8 | (k[i + 2] & 0xFF) << 16 | (k[i + 3] & 0xFF) << 24;
    }

    /**
     * Verifies the 4-byte checksum at the cursor's position against the bytes from {@code from} (absolute) up to
     * it, and moves past it.
     */
    static void verify(byte[] data, long from, Cursor c, String what) throws Hdf5FormatException {
        long end = c.position();
        long stored = c.u32();
        long computed = lookup3(data, (int) from, (int) (end - from)) & 0xFFFFFFFFL;
        if (stored != computed) {
            throw new Hdf5FormatException(what + " at offset " + Hdf5FormatException.hex(from) + ": checksum mismatch");
        }
    }
}
