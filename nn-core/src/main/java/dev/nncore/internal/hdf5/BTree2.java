package dev.nncore.internal.hdf5;

import static dev.nncore.internal.hdf5.Hdf5FormatException.hex;

import java.util.HashSet;
import java.util.Set;

/**
 * Version 2 B-tree (spec III.A.2, signatures BTHD, BTIN, BTLF): visits every record in key order. Used for
 * dense link and attribute name indexes (record types 5, 8) and for chunk indexes (types 10, 11).
 */
final class BTree2 {
    /** Receives each record as a cursor over exactly {@code recordSize} bytes. */
    @FunctionalInterface
    interface RecordVisitor {
        void visit(Cursor record) throws Hdf5FormatException;
    }

    private static final int PREFIX_SIZE = 10; // signature, version, type, checksum

    private final FileContext ctx;
    private final String what;
    private final int type;
    private final int nodeSize;
    private final int recordSize;
    private final int maxNrecSize;
    private final int[] cumulativeSizes;
    private final Set<Long> visited = new HashSet<>();

    private BTree2(FileContext ctx, String what, int type, int nodeSize, int recordSize, int depth)
            throws Hdf5FormatException {
        this.ctx = ctx;
        this.what = what;
        this.type = type;
        this.nodeSize = nodeSize;
        this.recordSize = recordSize;
        long leafMax = (nodeSize - PREFIX_SIZE) / recordSize;
        if (leafMax < 1) {
            throw new Hdf5FormatException(what + ": node size " + nodeSize + " holds no " + recordSize + "-byte record");
        }
        this.maxNrecSize = bytesFor(leafMax);
        // Field widths of internal-node child pointers depend on how many records fit below (H5B2 node info).
        this.cumulativeSizes = new int[depth + 1];
        long cumulative = leafMax;
        for (int d = 1; d <= depth; d++) {
            int pointerSize = ctx.offsetSize() + maxNrecSize + (d > 1 ? cumulativeSizes[d - 1] : 0);
            long maxNrec = (nodeSize - (PREFIX_SIZE + pointerSize)) / (recordSize + pointerSize);
            if (maxNrec < 1) {
                throw new Hdf5FormatException(what + ": node size " + nodeSize + " too small for depth " + depth);
            }
            cumulative = saturatingAdd(saturatingMultiply(maxNrec + 1, cumulative), maxNrec);
            cumulativeSizes[d] = bytesFor(cumulative);
        }
    }

    private static int bytesFor(long maxValue) {
        return (63 - Long.numberOfLeadingZeros(Math.max(1, maxValue))) / 8 + 1;
    }

    private static long saturatingMultiply(long a, long b) {
        long r = a * b;
        return (a != 0 && (r / a != b || r < 0)) ? Long.MAX_VALUE / 4 : r;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE / 4 : r;
    }

    /** Visits all records of the tree at {@code address}, which must hold records of {@code expectedType}. */
    static void forEach(FileContext ctx, long address, int expectedType, String what, RecordVisitor visitor)
            throws Hdf5FormatException {
        Cursor c = ctx.atToEnd(address, what + " (v2 B-tree header)");
        c.expectSignature("BTHD");
        int version = c.u8();
        if (version != 0) {
            throw c.error("unknown v2 B-tree version " + version);
        }
        int type = c.u8();
        if (type != expectedType) {
            throw c.error("v2 B-tree of type " + type + ", expected " + expectedType);
        }
        long nodeSize = c.u32();
        int recordSize = c.u16();
        int depth = c.u16();
        c.skip(2); // split and merge percentages
        long root = ctx.address(c);
        int rootRecords = c.u16();
        ctx.length(c); // total records
        Checksum.verify(ctx.data, c.start(), c, what + " (v2 B-tree header)");
        if (nodeSize < PREFIX_SIZE + 1 || nodeSize > (1 << 24) || recordSize == 0 || depth > FileContext.MAX_DEPTH) {
            throw c.error("implausible v2 B-tree parameters (node size " + nodeSize + ", record size " + recordSize
                    + ", depth " + depth + ")");
        }
        if (root == FileContext.UNDEFINED || rootRecords == 0) {
            return;
        }
        BTree2 tree = new BTree2(ctx, what, type, (int) nodeSize, recordSize, depth);
        tree.visit(root, rootRecords, depth, visitor);
    }

    private void visit(long address, int records, int depth, RecordVisitor visitor) throws Hdf5FormatException {
        if (!visited.add(address)) {
            throw new Hdf5FormatException(what + ": v2 B-tree node at " + hex(address) + " is reached twice (cycle)");
        }
        Cursor c = ctx.at(address, nodeSize, what + " (v2 B-tree node)");
        c.expectSignature(depth == 0 ? "BTLF" : "BTIN");
        int version = c.u8();
        int nodeType = c.u8();
        if (version != 0 || nodeType != type) {
            throw c.error("v2 B-tree node version " + version + " type " + nodeType + ", expected version 0 type " + type);
        }
        long recordsAt = c.position() - c.start();
        c.skip((long) records * recordSize); // bounds-check all records at once
        if (depth == 0) {
            Checksum.verify(ctx.data, c.start(), c, what + " (v2 B-tree leaf)");
            c.seek(recordsAt);
            for (int i = 0; i < records; i++) {
                visitor.visit(c.slice(recordSize, what + " record"));
            }
            return;
        }
        long[] children = new long[records + 1];
        int[] childRecords = new int[records + 1];
        for (int i = 0; i <= records; i++) {
            children[i] = ctx.address(c);
            childRecords[i] = c.intValue(maxNrecSize, "child record count");
            if (depth > 1) {
                c.skip(cumulativeSizes[depth - 1]);
            }
        }
        Checksum.verify(ctx.data, c.start(), c, what + " (v2 B-tree internal node)");
        for (int i = 0; i <= records; i++) {
            if (childRecords[i] > 0) {
                visit(children[i], childRecords[i], depth - 1, visitor);
            }
            if (i < records) {
                c.seek(recordsAt + (long) i * recordSize);
                visitor.visit(c.slice(recordSize, what + " record"));
            }
        }
    }
}
