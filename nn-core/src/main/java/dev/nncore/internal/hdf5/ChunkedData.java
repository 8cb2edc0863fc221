package dev.nncore.internal.hdf5;

import static dev.nncore.internal.hdf5.Hdf5FormatException.hex;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a chunked dataset (spec IV.A.2.i, layout class 2): finds every chunk through its index (v1 B-tree for
 * layout versions 1-3; single chunk, implicit, fixed array, extensible array or v2 B-tree for version 4),
 * decodes it and copies it into place. Chunks never written read as the fill value (zeros if none).
 */
final class ChunkedData {
    /** One stored chunk: file address, stored size, skipped-filter mask and element offsets of its corner. */
    private record Chunk(long address, long size, long filterMask, long[] offsets) {
    }

    /**
     * Most chunks one dataset's extent may be cut into: 1,048,576. A 256 MiB dataset in chunks of 256 bytes or more
     * stays under it (h5py's automatic chunks are kilobytes to a mebibyte); a hostile file of millions of one-byte
     * chunks is refused before its index is read. Chunks are placed as the index is walked, never collected, and
     * which ones were seen is one bit each.
     */
    static final long MAX_CHUNKS = 1L << 20;

    /** Receives each chunk the index lists. */
    @FunctionalInterface
    private interface Sink {
        void accept(Chunk chunk) throws Hdf5FormatException;
    }

    private final FileContext ctx;
    private final String path;
    private final Messages.Layout layout;
    private final long[] dims;
    private final long[] maxDims;
    private final long[] chunkDims;
    private final int elementSize;
    private final int chunkBytes;
    private final boolean filtered;
    private final long[] gridDims;
    private final Set<Long> visited = new HashSet<>();

    private ChunkedData(FileContext ctx, String path, Messages.Layout layout, Messages.Dataspace space, int elementSize,
            int chunkBytes, boolean filtered) throws Hdf5FormatException {
        this.ctx = ctx;
        this.path = path;
        this.layout = layout;
        this.dims = space.dims();
        this.maxDims = space.maxDimsOrDims();
        this.chunkDims = layout.chunkDims();
        this.elementSize = elementSize;
        this.chunkBytes = chunkBytes;
        this.filtered = filtered;
        this.gridDims = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            long extent = maxDims[i] < 0 ? dims[i] : Math.max(dims[i], maxDims[i]);
            gridDims[i] = (extent + chunkDims[i] - 1) / chunkDims[i];
        }
    }

    static byte[] read(FileContext ctx, String path, Messages.Layout layout, Messages.Dataspace space,
            int elementSize, List<Messages.Filter> filters, int totalBytes, byte[] fill) throws Hdf5FormatException {
        long[] chunkDims = layout.chunkDims();
        if (chunkDims.length != space.dims().length || chunkDims.length == 0) {
            throw new Hdf5FormatException("dataset " + path + ": chunk rank " + chunkDims.length
                    + " does not match dataspace rank " + space.dims().length);
        }
        long chunkSize = elementSize;
        for (long d : chunkDims) {
            if (d <= 0) {
                throw new Hdf5FormatException("dataset " + path + ": chunk dimension " + d + " is not positive");
            }
            chunkSize *= d;
            if (chunkSize > ctx.maxDecodedBytes || chunkSize > Integer.MAX_VALUE - 16) {
                throw new Hdf5FormatException("dataset " + path + ": chunk of more than " + ctx.maxDecodedBytes
                        + " bytes exceeds the limit");
            }
        }
        if (space.maxDims() != null && space.maxDims().length != chunkDims.length) {
            throw new Hdf5FormatException("dataset " + path + ": maximum dimensions do not match the rank");
        }
        Filters.checkSupported(filters, path);
        ChunkedData reader = new ChunkedData(ctx, path, layout, space, elementSize, (int) chunkSize, !filters.isEmpty());
        byte[] out = Hdf5Dataset.filled(totalBytes, fill); // what chunks never written read as
        if (totalBytes == 0 || layout.address() == FileContext.UNDEFINED) {
            return out; // nothing stored yet
        }
        long extentChunks = 1;
        for (int d = 0; d < chunkDims.length; d++) {
            extentChunks *= (space.dims()[d] + chunkDims[d] - 1) / chunkDims[d]; // <= elements <= 2^31: no overflow
        }
        if (extentChunks > MAX_CHUNKS) {
            throw new Hdf5FormatException("dataset " + path + ": " + extentChunks + " chunks of shape "
                    + Arrays.toString(chunkDims) + ", more than the " + MAX_CHUNKS + " one dataset may have");
        }
        BitSet seen = new BitSet((int) extentChunks);
        reader.chunks(chunk -> reader.place(chunk, filters, out, seen));
        return out;
    }

    private void chunks(Sink chunks) throws Hdf5FormatException {
        if (layout.version() < 4) {
            v1BTree(layout.address(), -1, chunks, 0);
            return;
        }
        switch (layout.indexType()) {
            case 1 -> {
                long[] p = layout.indexParams();
                chunks.accept(p.length == 2 ? new Chunk(layout.address(), p[0], p[1], new long[dims.length])
                        : new Chunk(layout.address(), chunkBytes, 0, new long[dims.length]));
            }
            case 2 -> implicit(chunks);
            case 3 -> fixedArray(chunks);
            case 4 -> extensibleArray(chunks);
            case 5 -> BTree2.forEach(ctx, layout.address(), filtered ? 11 : 10, "chunk index of " + path,
                    record -> chunks.accept(btree2Record(record)));
            default -> throw new Hdf5FormatException("dataset " + path + ": unknown chunk index " + layout.indexType());
        }
    }

    /** Copies one decoded chunk into the output, clipping edge chunks to the dataset extent. */
    private void place(Chunk chunk, List<Messages.Filter> filters, byte[] out, BitSet seen)
            throws Hdf5FormatException {
        String where = "chunk of " + path + " at offset " + hex(chunk.address());
        long key = 0;
        for (int d = 0; d < dims.length; d++) {
            long o = chunk.offsets()[d];
            if (o < 0 || o % chunkDims[d] != 0) {
                throw new Hdf5FormatException(where + ": offset " + o + " is not on the chunk grid");
            }
            if (o >= dims[d]) {
                return; // beyond the current extent (a shrunk dataset): nothing to copy
            }
            key = key * ((dims[d] + chunkDims[d] - 1) / chunkDims[d]) + o / chunkDims[d];
        }
        if (seen.get((int) key)) {
            throw new Hdf5FormatException(where + ": chunk " + Arrays.toString(chunk.offsets()) + " is listed twice");
        }
        seen.set((int) key);
        if (chunk.address() == FileContext.UNDEFINED) {
            return;
        }
        if (chunk.size() < 0 || chunk.size() > ctx.maxDecodedBytes) {
            throw new Hdf5FormatException(where + ": stored size " + chunk.size() + " is out of range");
        }
        byte[] stored = ctx.at(chunk.address(), chunk.size(), where).bytes((int) chunk.size());
        byte[] data = filters.isEmpty() ? stored : Filters.decode(stored, filters, chunk.filterMask(), chunkBytes, where);
        if (data.length < chunkBytes) {
            throw new Hdf5FormatException(where + ": holds " + data.length + " bytes, expected " + chunkBytes);
        }
        int rank = dims.length;
        long[] index = new long[rank]; // position inside the chunk, last dimension handled as a run
        long run = Math.min(chunkDims[rank - 1], dims[rank - 1] - chunk.offsets()[rank - 1]) * elementSize;
        while (true) {
            boolean inside = true;
            long src = 0;
            long dst = 0;
            for (int d = 0; d < rank; d++) {
                long coordinate = chunk.offsets()[d] + index[d];
                if (coordinate >= dims[d]) {
                    inside = false;
                }
                src = src * chunkDims[d] + index[d];
                dst = dst * dims[d] + coordinate;
            }
            if (inside) {
                System.arraycopy(data, (int) (src * elementSize), out, (int) (dst * elementSize), (int) run);
            }
            int d = rank - 2;
            while (d >= 0 && ++index[d] == chunkDims[d]) {
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    /** Version 1 B-tree of type 1 (spec III.A.1): keys hold chunk size, filter mask and element offsets. */
    private void v1BTree(long address, int expectedLevel, Sink out, int depth) throws Hdf5FormatException {
        if (depth > FileContext.MAX_DEPTH || !visited.add(address)) {
            throw new Hdf5FormatException("chunk B-tree of " + path + ": node at " + hex(address)
                    + " is reached twice or nested too deeply");
        }
        Cursor c = ctx.atToEnd(address, "chunk B-tree node of " + path);
        c.expectSignature("TREE");
        int type = c.u8();
        int level = c.u8();
        int entries = c.u16();
        if (type != 1 || (expectedLevel >= 0 && level != expectedLevel)) {
            throw c.error("expected a chunk B-tree node" + (expectedLevel >= 0 ? " of level " + expectedLevel : "")
                    + ", found type " + type + " level " + level);
        }
        c.skip(2L * ctx.offsetSize()); // siblings
        int rank = dims.length;
        for (int i = 0; i < entries; i++) {
            long size = c.u32();
            long mask = c.u32();
            long[] offsets = new long[rank];
            for (int d = 0; d < rank; d++) {
                offsets[d] = c.unsigned(8);
            }
            c.skip(8); // element-size dimension
            long child = ctx.address(c);
            if (level == 0) {
                out.accept(new Chunk(child, size, mask, offsets));
            } else {
                v1BTree(child, level - 1, out, depth + 1);
            }
        }
    }

    /** An index that lists every chunk of the maximum extent may list at most {@link #MAX_CHUNKS}. */
    private void checkIndexSize(long entries) throws Hdf5FormatException {
        if (entries > MAX_CHUNKS) {
            throw new Hdf5FormatException("dataset " + path + ": chunk index of " + entries + " entries, more than the "
                    + MAX_CHUNKS + " one dataset may have");
        }
    }

    private boolean withinExtent(long[] offsets) {
        for (int d = 0; d < dims.length; d++) {
            if (offsets[d] >= dims[d]) {
                return false;
            }
        }
        return true;
    }

    private long[] unravel(long linear, long[] grid, int[] order) {
        long[] offsets = new long[dims.length];
        for (int k = order.length - 1; k >= 0; k--) {
            int d = order[k];
            long g = Math.max(1, grid[d]);
            offsets[d] = (k == 0 ? linear : linear % g) * chunkDims[d];
            linear /= g;
        }
        return offsets;
    }

    private int[] naturalOrder() {
        int[] order = new int[dims.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return order;
    }

    private long gridCount() throws Hdf5FormatException {
        long n = 1;
        for (long g : gridDims) {
            n = Messages.multiply(n, g, Cursor.of(new byte[0], 0, 0, "chunk grid of " + path), "chunk count");
        }
        return n;
    }

    /** Implicit index: unfiltered chunks stored back to back in row-major chunk order. */
    private void implicit(Sink out) throws Hdf5FormatException {
        long count = gridCount();
        if (Messages.multiply(count, chunkBytes, Cursor.of(new byte[0], 0, 0, path), "implicit index size")
                > ctx.data.length) {
            throw new Hdf5FormatException("dataset " + path + ": implicit chunk index larger than the file");
        }
        checkIndexSize(count);
        int[] order = naturalOrder();
        for (long i = 0; i < count; i++) {
            long[] offsets = unravel(i, gridDims, order);
            if (withinExtent(offsets)) { // the grid may reach past the extent to the maximum dimensions
                out.accept(new Chunk(layout.address() + i * chunkBytes, chunkBytes, 0, offsets));
            }
        }
    }

    private Chunk entry(Cursor c, int entrySize, long[] offsets) throws Hdf5FormatException {
        long address = ctx.address(c);
        if (!filtered) {
            return new Chunk(address, chunkBytes, 0, offsets);
        }
        int sizeBytes = entrySize - ctx.offsetSize() - 4;
        if (sizeBytes < 1 || sizeBytes > 8) {
            throw c.error("bad filtered chunk entry size " + entrySize);
        }
        long size = c.unsigned(sizeBytes);
        return new Chunk(address, size, c.u32(), offsets);
    }

    /** Fixed array index (signatures FAHD/FADB): one entry per chunk of the maximum extent. */
    private void fixedArray(Sink out) throws Hdf5FormatException {
        Cursor h = ctx.atToEnd(layout.address(), "fixed array header of " + path);
        h.expectSignature("FAHD");
        int version = h.u8();
        h.u8(); // client id
        int entrySize = h.u8();
        int pageBits = h.u8();
        long entries = ctx.length(h);
        long blockAddress = ctx.address(h);
        if (version != 0 || entrySize < ctx.offsetSize() || pageBits > 32) {
            throw h.error("unsupported fixed array (version " + version + ", entry size " + entrySize + ")");
        }
        if (entries > gridCount()) {
            throw h.error("fixed array lists " + entries + " chunks but the dataset has " + gridCount());
        }
        checkIndexSize(entries);
        if (blockAddress == FileContext.UNDEFINED) {
            return;
        }
        Cursor b = ctx.atToEnd(blockAddress, "fixed array data block of " + path);
        b.expectSignature("FADB");
        b.skip(2 + ctx.offsetSize()); // version, client id, header address
        long pageSize = 1L << pageBits;
        boolean paged = entries > pageSize;
        long pages = (entries + pageSize - 1) / pageSize;
        byte[] initialised = null;
        if (paged) {
            initialised = b.bytes((int) ((pages + 7) / 8)); // page-initialised bitmap, most significant bit first
            b.skip(4); // checksum
        }
        if (entries > b.remaining() / entrySize) {
            throw b.error("fixed array of " + entries + " entries of " + entrySize + " bytes runs past the end of the file");
        }
        int[] order = naturalOrder();
        for (long i = 0; i < entries; i++) {
            if (paged && i > 0 && i % pageSize == 0) {
                b.skip(4); // checksum closing the previous page
            }
            long page = i / pageSize;
            if (paged && (initialised[(int) (page / 8)] & (0x80 >>> (page % 8))) == 0) {
                // a page never written holds no addresses (h5py leaves zeros there): its chunks are unwritten
                b.skip(entrySize);
                continue;
            }
            long[] offsets = unravel(i, gridDims, order);
            Chunk chunk = entry(b, entrySize, offsets);
            if (withinExtent(offsets)) {
                out.accept(chunk);
            }
        }
    }

    /** Extensible array index (signatures EAHD/EAIB/EASB/EADB): chunks along the one unlimited dimension. */
    private void extensibleArray(Sink out) throws Hdf5FormatException {
        Cursor h = ctx.atToEnd(layout.address(), "extensible array header of " + path);
        h.expectSignature("EAHD");
        int version = h.u8();
        h.u8(); // client id
        int elementBytes = h.u8();
        int maxBits = h.u8();
        int indexElements = h.u8();
        int dataBlockMin = h.u8();
        int superBlockMinPointers = h.u8();
        int pageBits = h.u8();
        for (int i = 0; i < 4; i++) {
            ctx.length(h); // super/data block counts and sizes
        }
        long maxIndexSet = ctx.length(h);
        ctx.length(h); // elements realized
        long indexBlock = ctx.address(h);
        if (version != 0 || elementBytes < ctx.offsetSize() || maxBits < 1 || maxBits > 63
                || Long.bitCount(dataBlockMin) != 1 || Long.bitCount(superBlockMinPointers) != 1 || pageBits > 32) {
            throw h.error("unsupported extensible array parameters");
        }
        int unlimited = -1;
        for (int d = 0; d < maxDims.length; d++) {
            if (maxDims[d] < 0) {
                unlimited = d;
            }
        }
        if (unlimited < 0) {
            throw h.error("extensible array index on a dataset without an unlimited dimension");
        }
        // Chunks are numbered with the unlimited dimension moved to the front ("swizzled").
        int[] order = new int[dims.length];
        order[0] = unlimited;
        for (int d = 0, k = 1; d < dims.length; d++) {
            if (d != unlimited) {
                order[k++] = d;
            }
        }
        long[] grid = gridDims.clone();
        grid[unlimited] = Long.MAX_VALUE;
        long limit = 1;
        for (int d = 0; d < dims.length; d++) {
            limit = Messages.multiply(limit, d == unlimited ? (dims[d] + chunkDims[d] - 1) / chunkDims[d] : gridDims[d],
                    h, "chunk count");
        }
        if (maxIndexSet > limit || maxIndexSet > ctx.data.length) {
            throw h.error("extensible array claims " + maxIndexSet + " chunks, the dataset has at most " + limit);
        }
        if (indexBlock == FileContext.UNDEFINED || maxIndexSet == 0) {
            return;
        }
        int superBlocks = 1 + maxBits - Long.numberOfTrailingZeros(dataBlockMin);
        int indexSuperBlocks = 2 * Long.numberOfTrailingZeros(superBlockMinPointers);
        int indexDataBlocks = 2 * (superBlockMinPointers - 1);
        Cursor ib = ctx.atToEnd(indexBlock, "extensible array index block of " + path);
        ib.expectSignature("EAIB");
        ib.skip(2 + ctx.offsetSize());
        long elementsAt = ib.position() - ib.start();
        long dataBlocksAt = elementsAt + (long) indexElements * elementBytes;
        long superBlocksAt = dataBlocksAt + (long) indexDataBlocks * ctx.offsetSize();
        int blockOffsetBytes = (maxBits + 7) / 8;
        for (long i = 0; i < maxIndexSet; i++) {
            long[] offsets = unravel(i, grid, order);
            if (i < indexElements) {
                ib.seek(elementsAt + i * elementBytes);
                out.accept(entry(ib, elementBytes, offsets));
                continue;
            }
            long e = i - indexElements;
            int s = 63 - Long.numberOfLeadingZeros(e / dataBlockMin + 1); // super block index
            long startIndex = 0;
            long startBlock = 0;
            for (int k = 0; k < s; k++) {
                startIndex += (1L << (k / 2)) * ((1L << ((k + 1) / 2)) * dataBlockMin);
                startBlock += 1L << (k / 2);
            }
            long blockElements = (1L << ((s + 1) / 2)) * dataBlockMin;
            if (blockElements > (1L << pageBits)) {
                throw h.error("paged extensible array data blocks are not supported");
            }
            long within = e - startIndex;
            long dataBlock;
            if (s < indexSuperBlocks) {
                ib.seek(dataBlocksAt + (startBlock + within / blockElements) * ctx.offsetSize());
                dataBlock = ctx.address(ib);
            } else if (s < superBlocks) {
                ib.seek(superBlocksAt + (long) (s - indexSuperBlocks) * ctx.offsetSize());
                long superBlock = ctx.address(ib);
                if (superBlock == FileContext.UNDEFINED) {
                    continue;
                }
                Cursor sb = ctx.atToEnd(superBlock, "extensible array super block of " + path);
                sb.expectSignature("EASB");
                sb.skip(2 + ctx.offsetSize() + blockOffsetBytes + (within / blockElements) * ctx.offsetSize());
                dataBlock = ctx.address(sb);
            } else {
                throw h.error("chunk " + i + " beyond the extensible array's super blocks");
            }
            if (dataBlock == FileContext.UNDEFINED) {
                continue;
            }
            Cursor db = ctx.atToEnd(dataBlock, "extensible array data block of " + path);
            db.expectSignature("EADB");
            db.skip(2 + ctx.offsetSize() + blockOffsetBytes + (within % blockElements) * elementBytes);
            out.accept(entry(db, elementBytes, offsets));
        }
    }

    /** Version 2 B-tree chunk records: type 10 (address, scaled offsets) or 11 (plus size and filter mask). */
    private Chunk btree2Record(Cursor r) throws Hdf5FormatException {
        long address = ctx.address(r);
        long size = chunkBytes;
        long mask = 0;
        if (filtered) {
            int sizeBytes = r.remaining() - 4 - 8 * dims.length;
            if (sizeBytes < 1 || sizeBytes > 8) {
                throw r.error("bad filtered chunk record");
            }
            size = r.unsigned(sizeBytes);
            mask = r.u32();
        }
        long[] offsets = new long[dims.length];
        for (int d = 0; d < dims.length; d++) {
            long scaled = r.unsigned(8);
            offsets[d] = Messages.multiply(scaled, chunkDims[d], r, "chunk offset");
        }
        return new Chunk(address, size, mask, offsets);
    }

    @Override
    public String toString() {
        return "chunks of " + path + " " + Arrays.toString(chunkDims);
    }
}
