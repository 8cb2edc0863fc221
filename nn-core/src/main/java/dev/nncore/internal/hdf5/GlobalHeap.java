package dev.nncore.internal.hdf5;

import static dev.nncore.internal.hdf5.Hdf5FormatException.hex;

import java.util.HashMap;
import java.util.Map;

/** A global heap collection (spec III.E, signature GCOL): holds the bytes of variable-length strings. */
final class GlobalHeap {
    private final long address;
    private final Map<Integer, byte[]> objects;

    private GlobalHeap(long address, Map<Integer, byte[]> objects) {
        this.address = address;
        this.objects = objects;
    }

    static GlobalHeap read(FileContext ctx, long address) throws Hdf5FormatException {
        Cursor head = ctx.atToEnd(address, "global heap collection");
        head.expectSignature("GCOL");
        int version = head.u8();
        if (version != 1) {
            throw head.error("unknown global heap version " + version);
        }
        head.skip(3);
        long size = ctx.length(head);
        // Collection and object headers are padded to multiples of 8 (matters for 2- and 4-byte lengths).
        long headerSize = align8(8 + ctx.lengthSize());
        int objectHeaderPadding = (int) (align8(8 + ctx.lengthSize()) - (8 + ctx.lengthSize()));
        if (size < headerSize) {
            throw head.error("collection size " + size + " is smaller than its header");
        }
        Cursor c = ctx.at(address, size, "global heap collection");
        c.skip(headerSize);
        Map<Integer, byte[]> objects = new HashMap<>();
        // Each object: index (2), reference count (2), reserved (4), size (L), data padded to 8 bytes.
        while (c.remaining() >= 8 + ctx.lengthSize()) {
            int index = c.u16();
            c.skip(6);
            long objectSize = ctx.length(c);
            if (index == 0) {
                break; // free space runs to the end of the collection
            }
            c.skip(Math.min(objectHeaderPadding, c.remaining()));
            if (objectSize > c.remaining()) {
                throw c.error("global heap object " + index + " claims " + objectSize + " bytes, "
                        + c.remaining() + " left in the collection");
            }
            objects.put(index, c.bytes((int) objectSize));
            long padding = (8 - objectSize % 8) % 8;
            c.skip(Math.min(padding, c.remaining()));
        }
        return new GlobalHeap(address, objects);
    }

    private static long align8(long n) {
        return (n + 7) / 8 * 8;
    }

    byte[] object(int index) throws Hdf5FormatException {
        byte[] bytes = objects.get(index);
        if (bytes == null) {
            throw new Hdf5FormatException("global heap collection at " + hex(address) + ": no object " + index);
        }
        return bytes;
    }
}
