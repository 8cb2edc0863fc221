package dev.nncore.internal.hdf5;

import static dev.nncore.internal.hdf5.Hdf5FormatException.hex;

import java.util.HashMap;
import java.util.Map;

/**
 * Shared state of one open file: its bytes, the superblock parameters (spec II.A) needed to decode addresses
 * and lengths, the resource limits, and caches of structures read more than once.
 */
final class FileContext {
    static final long UNDEFINED = -1L;
    /** Nesting limit for groups, B-trees, heaps and datatypes: deeper structures are treated as hostile. */
    static final int MAX_DEPTH = 64;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};

    final byte[] data;
    final long maxDecodedBytes;
    private long base;
    private int offsetSize;
    private int lengthSize;
    private int superblockVersion;
    private long rootAddress;
    private final Map<Long, GlobalHeap> globalHeaps = new HashMap<>();
    /**
     * Objects already parsed, by object header address: a group's links and attributes, or a dataset. A hostile file
     * may reach one group of many links many times (30,000 links, each looked up by name): each object is parsed
     * once per open file, so the work stays linear in the file.
     */
    final Map<Long, Object> parsedObjects = new HashMap<>();
    /** Object headers and links parsed so far: what the scaling tests count. */
    long parseSteps;
    /**
     * Links one file may hold in the groups a load reads: each is kept as a name and an object, so their count bounds
     * the heap a file of links can take (a Keras model has a few per layer).
     */
    static final long DEFAULT_MAX_LINKS = 262_144;
    private final long maxLinks = Long.getLong("nncore.maxHdf5Links", DEFAULT_MAX_LINKS);
    private long links;

    private FileContext(byte[] data, long maxDecodedBytes) {
        this.data = data;
        this.maxDecodedBytes = maxDecodedBytes;
    }

    static FileContext open(byte[] data, long maxDecodedBytes) throws Hdf5FormatException {
        FileContext ctx = new FileContext(data, maxDecodedBytes);
        ctx.readSuperblock();
        return ctx;
    }

    /** Counts one more link read, before it is built. */
    void countLink(String group) throws Hdf5FormatException {
        if (++links > maxLinks) {
            throw new Hdf5FormatException("group " + group + ": more than " + maxLinks + " links read in one file (raise the"
                    + " limit with -Dnncore.maxHdf5Links)");
        }
    }

    int offsetSize() {
        return offsetSize;
    }

    int lengthSize() {
        return lengthSize;
    }

    int superblockVersion() {
        return superblockVersion;
    }

    long rootAddress() {
        return rootAddress;
    }

    /** Spec II.A: the superblock sits at 0 or at 512, 1024, 2048... after a user block. */
    private void readSuperblock() throws Hdf5FormatException {
        long at = -1;
        for (long candidate = 0; candidate + SIGNATURE.length <= data.length; candidate = candidate == 0 ? 512 : candidate * 2) {
            if (matchesSignature((int) candidate)) {
                at = candidate;
                break;
            }
        }
        if (at < 0) {
            throw new Hdf5FormatException("not an HDF5 file: no superblock signature at offset 0, 512, 1024, ... ("
                    + data.length + " bytes)");
        }
        base = at;
        Cursor c = Cursor.of(data, at, data.length - at, "superblock");
        c.skip(SIGNATURE.length);
        superblockVersion = c.u8();
        long eof;
        if (superblockVersion == 0 || superblockVersion == 1) {
            c.skip(4); // free-space, root symbol table entry, reserved, shared header message versions
            offsetSize = c.u8();
            lengthSize = c.u8();
            checkSizes(c);
            c.skip(1 + 2 + 2 + 4); // reserved, group leaf K, group internal K, consistency flags
            if (superblockVersion == 1) {
                c.skip(4); // indexed storage internal K, reserved
            }
            address(c); // base address: the library uses where the signature was found
            address(c); // free-space info
            eof = address(c);
            address(c); // driver info block
            // root group symbol table entry (III.C): link name offset, object header address, cache...
            address(c);
            rootAddress = address(c);
        } else if (superblockVersion == 2 || superblockVersion == 3) {
            offsetSize = c.u8();
            lengthSize = c.u8();
            checkSizes(c);
            c.skip(1); // consistency flags
            address(c); // base address
            address(c); // superblock extension (only file-space and shared-message settings live there)
            eof = address(c);
            rootAddress = address(c);
            Checksum.verify(data, at, c, "superblock");
        } else {
            throw new Hdf5FormatException("superblock at offset " + hex(at) + ": unknown version " + superblockVersion);
        }
        if (rootAddress == UNDEFINED) {
            throw new Hdf5FormatException("superblock at offset " + hex(at) + ": no root group address");
        }
        // The stored end-of-file address counts from the start of the file (user block included).
        if (eof != UNDEFINED && (eof < 0 || eof > data.length)) {
            throw new Hdf5FormatException("file truncated: superblock says it is " + Long.toUnsignedString(eof)
                    + " bytes but only " + data.length + " are present");
        }
    }

    private void checkSizes(Cursor c) throws Hdf5FormatException {
        if (!validSize(offsetSize) || !validSize(lengthSize)) {
            throw c.error("unsupported size of offsets " + offsetSize + " / lengths " + lengthSize
                    + " (expected 2, 4 or 8)");
        }
    }

    private static boolean validSize(int size) {
        return size == 2 || size == 4 || size == 8;
    }

    private boolean matchesSignature(int at) {
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (data[at + i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads an address field; all bits set means the "undefined address", returned as {@link #UNDEFINED}. */
    long address(Cursor c) throws Hdf5FormatException {
        long v = c.unsigned(offsetSize);
        if (offsetSize == 8 ? v == -1L : v == (1L << (8 * offsetSize)) - 1) {
            return UNDEFINED;
        }
        return v;
    }

    /** Reads a length field, which must be a non-negative long. */
    long length(Cursor c) throws Hdf5FormatException {
        long at = c.position();
        long v = c.unsigned(lengthSize);
        if (v < 0) {
            throw new Hdf5FormatException(c.what() + " at offset " + hex(at) + ": length " + Long.toUnsignedString(v)
                    + " is out of range");
        }
        return v;
    }

    /** A cursor over {@code length} bytes at file address {@code address} (relative to the base address). */
    Cursor at(long address, long length, String what) throws Hdf5FormatException {
        return Cursor.of(data, absolute(address, what), length, what);
    }

    /** A cursor from {@code address} to the end of the file, for structures whose size is only known inside. */
    Cursor atToEnd(long address, String what) throws Hdf5FormatException {
        long abs = absolute(address, what);
        return Cursor.of(data, abs, data.length - abs, what);
    }

    long absolute(long address, String what) throws Hdf5FormatException {
        if (address == UNDEFINED) {
            throw new Hdf5FormatException(what + ": undefined address");
        }
        if (address < 0 || address > data.length - base) {
            throw new Hdf5FormatException(what + " at address " + hex(address) + ": outside the file ("
                    + data.length + " bytes)");
        }
        return base + address;
    }

    GlobalHeap globalHeap(long address) throws Hdf5FormatException {
        GlobalHeap heap = globalHeaps.get(address);
        if (heap == null) {
            heap = GlobalHeap.read(this, address);
            globalHeaps.put(address, heap);
        }
        return heap;
    }
}
