package dev.nncore.internal.hdf5;

import static dev.nncore.internal.hdf5.Hdf5FormatException.hex;

/**
 * Fractal heap (spec III.G, signatures FRHP, FHDB, FHIB): stores the link and attribute messages of dense groups
 * and dense attribute sets. Managed objects (in direct blocks reached through indirect blocks) and tiny objects
 * (inside the heap ID) are supported; huge objects and filtered heaps are refused.
 */
final class FractalHeap {
    private final FileContext ctx;
    private final String what;
    private final int heapIdLength;
    private final int tableWidth;
    private final long startBlockSize;
    private final int maxDirectRows;
    private final int offsetBytes;
    private final int lengthBytes;
    private final long rootAddress;
    private final int rootRows;

    private FractalHeap(FileContext ctx, String what, int heapIdLength, int tableWidth, long startBlockSize,
            int maxDirectRows, int offsetBytes, int lengthBytes, long rootAddress, int rootRows) {
        this.ctx = ctx;
        this.what = what;
        this.heapIdLength = heapIdLength;
        this.tableWidth = tableWidth;
        this.startBlockSize = startBlockSize;
        this.maxDirectRows = maxDirectRows;
        this.offsetBytes = offsetBytes;
        this.lengthBytes = lengthBytes;
        this.rootAddress = rootAddress;
        this.rootRows = rootRows;
    }

    static FractalHeap read(FileContext ctx, long address, String what) throws Hdf5FormatException {
        Cursor c = ctx.atToEnd(address, what + " (fractal heap header)");
        c.expectSignature("FRHP");
        int version = c.u8();
        if (version != 0) {
            throw c.error("unknown fractal heap version " + version);
        }
        int heapIdLength = c.u16();
        int filterLength = c.u16();
        c.u8(); // flags
        long maxManagedSize = c.u32();
        ctx.length(c); // next huge object id
        ctx.address(c); // huge object B-tree
        ctx.length(c); // free space in managed blocks
        ctx.address(c); // free-space manager
        for (int i = 0; i < 8; i++) {
            ctx.length(c); // managed/allocated space, iterator offset, object counts and sizes
        }
        int tableWidth = c.u16();
        long startBlockSize = ctx.length(c);
        long maxDirectBlockSize = ctx.length(c);
        int maxHeapSizeBits = c.u16();
        c.u16(); // starting rows in the root indirect block
        long rootAddress = ctx.address(c);
        int rootRows = c.u16();
        if (filterLength > 0) {
            throw c.error("filtered fractal heaps are not supported");
        }
        if (!powerOfTwo(tableWidth) || !powerOfTwo(startBlockSize) || !powerOfTwo(maxDirectBlockSize)
                || maxDirectBlockSize < startBlockSize || maxHeapSizeBits < 1 || maxHeapSizeBits > 64
                || maxManagedSize < 1 || heapIdLength < 1 || heapIdLength > 1024) {
            throw c.error("implausible fractal heap parameters");
        }
        int maxDirectRows = log2(maxDirectBlockSize) - log2(startBlockSize) + 2;
        int offsetBytes = (maxHeapSizeBits + 7) / 8;
        int lengthBytes = Math.min((log2(maxDirectBlockSize) + 7) / 8, log2(maxManagedSize) / 8 + 1);
        return new FractalHeap(ctx, what, heapIdLength, tableWidth, startBlockSize, maxDirectRows, offsetBytes,
                lengthBytes, rootAddress, rootRows);
    }

    private static boolean powerOfTwo(long v) {
        return v > 0 && (v & (v - 1)) == 0;
    }

    private static int log2(long v) {
        return 63 - Long.numberOfLeadingZeros(v);
    }

    int heapIdLength() {
        return heapIdLength;
    }

    /** The bytes of the object named by a heap ID (spec III.G.4 "Fractal Heap ID"). */
    Cursor object(Cursor heapId) throws Hdf5FormatException {
        int first = heapId.u8();
        if (first >> 6 != 0) {
            throw heapId.error("unknown heap ID version " + (first >> 6));
        }
        switch (first >> 4 & 0x03) {
            case 0: {
                long offset = heapId.unsigned(offsetBytes);
                long length = heapId.unsigned(lengthBytes);
                return managed(offset, length);
            }
            case 2: {
                int length = heapIdLength <= 18 ? (first & 0x0F) + 1 : ((first & 0x0F) << 8 | heapId.u8()) + 1;
                return heapId.slice(length, what + " (tiny heap object)");
            }
            default:
                throw heapId.error("huge fractal heap objects are not supported");
        }
    }

    private Cursor managed(long offset, long length) throws Hdf5FormatException {
        if (offset < 0 || length < 0) {
            throw new Hdf5FormatException(what + ": heap object offset/length out of range");
        }
        if (rootRows == 0) { // the root is a single direct block
            return inBlock(rootAddress, 0, startBlockSize, offset, length);
        }
        return inIndirect(rootAddress, 0, rootRows, offset, length, 0);
    }

    private Cursor inBlock(long blockAddress, long blockOffset, long blockSize, long offset, long length)
            throws Hdf5FormatException {
        long within = offset - blockOffset;
        if (within < 0 || length > blockSize - within) {
            throw new Hdf5FormatException(what + ": heap object at heap offset " + offset + " (" + length
                    + " bytes) does not fit its " + blockSize + "-byte direct block at " + hex(blockAddress));
        }
        Cursor block = ctx.at(blockAddress, blockSize, what + " (fractal heap direct block)");
        block.expectSignature("FHDB");
        block.seek(within);
        return block.slice(length, what + " (heap object)");
    }

    private long rowBlockSize(int row) {
        return row == 0 ? startBlockSize : startBlockSize << Math.min(row - 1, 62 - log2(startBlockSize));
    }

    private Cursor inIndirect(long address, long blockOffset, int rows, long offset, long length, int depth)
            throws Hdf5FormatException {
        if (depth > FileContext.MAX_DEPTH) {
            throw new Hdf5FormatException(what + ": fractal heap indirect blocks nested too deeply");
        }
        if (rows < 1 || rows > 64) {
            throw new Hdf5FormatException(what + ": indirect block at " + hex(address) + " has " + rows + " rows");
        }
        Cursor c = ctx.atToEnd(address, what + " (fractal heap indirect block)");
        c.expectSignature("FHIB");
        c.skip(1 + ctx.offsetSize() + offsetBytes); // version, heap header address, block offset
        long entriesAt = c.position() - c.start();
        long relative = offset - blockOffset;
        long rowStart = 0;
        for (int row = 0; row < rows; row++) {
            long size = rowBlockSize(row);
            if (size > (Long.MAX_VALUE / 4) / tableWidth) {
                break;
            }
            long span = size * tableWidth;
            if (relative < rowStart + span) {
                int column = (int) ((relative - rowStart) / size);
                long childOffset = blockOffset + rowStart + column * size;
                c.seek(entriesAt + (long) (row * tableWidth + column) * ctx.offsetSize());
                long child = ctx.address(c);
                if (child == FileContext.UNDEFINED) {
                    throw new Hdf5FormatException(what + ": heap offset " + offset + " lies in an unallocated block");
                }
                if (row < maxDirectRows) {
                    return inBlock(child, childOffset, size, offset, length);
                }
                int childRows = log2(size) - log2(startBlockSize * tableWidth) + 1;
                return inIndirect(child, childOffset, childRows, offset, length, depth + 1);
            }
            rowStart += span;
        }
        throw new Hdf5FormatException(what + ": heap offset " + offset + " is beyond the indirect block at "
                + hex(address));
    }
}
