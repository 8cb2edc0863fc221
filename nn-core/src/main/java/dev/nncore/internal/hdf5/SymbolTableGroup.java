package dev.nncore.internal.hdf5;

import static dev.nncore.internal.hdf5.Hdf5FormatException.hex;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Members of an old-style group (spec III.A.1 v1 B-tree of type 0, III.B symbol table nodes SNOD, III.D local
 * heap HEAP), in B-tree order, which is name order.
 */
final class SymbolTableGroup {
    private static final int MAX_LEAF_ENTRIES = 65_535;

    private final FileContext ctx;
    private final String path;
    private final Cursor heapData;
    private final Set<Long> visited = new HashSet<>();

    private SymbolTableGroup(FileContext ctx, String path, Cursor heapData) {
        this.ctx = ctx;
        this.path = path;
        this.heapData = heapData;
    }

    static void read(FileContext ctx, Messages.SymbolTable table, String path, List<Messages.Link> out)
            throws Hdf5FormatException {
        Cursor heap = ctx.atToEnd(table.heapAddress(), "local heap of " + path);
        heap.expectSignature("HEAP");
        int version = heap.u8();
        if (version != 0) {
            throw heap.error("unknown local heap version " + version);
        }
        heap.skip(3);
        long dataSize = ctx.length(heap);
        ctx.length(heap); // free list head
        long dataAddress = ctx.address(heap);
        Cursor data = ctx.at(dataAddress, dataSize, "local heap data of " + path);
        new SymbolTableGroup(ctx, path, data).node(table.btreeAddress(), -1, out, 0);
    }

    private String name(long offset) throws Hdf5FormatException {
        heapData.seek(offset);
        return heapData.cString();
    }

    private void node(long address, int expectedLevel, List<Messages.Link> out, int depth) throws Hdf5FormatException {
        if (depth > FileContext.MAX_DEPTH || !visited.add(address)) {
            throw new Hdf5FormatException("group B-tree of " + path + ": node at " + hex(address)
                    + " is reached twice or nested too deeply");
        }
        Cursor c = ctx.atToEnd(address, "group B-tree node of " + path);
        c.expectSignature("TREE");
        int type = c.u8();
        int level = c.u8();
        int entries = c.u16();
        if (type != 0 || (expectedLevel >= 0 && level != expectedLevel)) {
            throw c.error("expected a group B-tree node" + (expectedLevel >= 0 ? " of level " + expectedLevel : "")
                    + ", found type " + type + " level " + level);
        }
        c.skip(2L * ctx.offsetSize()); // siblings
        for (int i = 0; i < entries; i++) {
            ctx.length(c); // key: heap offset of the largest name to the left
            long child = ctx.address(c);
            if (level == 0) {
                symbolNode(child, out);
            } else {
                node(child, level - 1, out, depth + 1);
            }
        }
    }

    /** Symbol table node (SNOD): entries of link-name offset, object header address, cache type and scratch. */
    private void symbolNode(long address, List<Messages.Link> out) throws Hdf5FormatException {
        if (!visited.add(address)) {
            throw new Hdf5FormatException("group " + path + ": symbol table node at " + hex(address) + " is listed twice");
        }
        Cursor c = ctx.atToEnd(address, "symbol table node of " + path);
        c.expectSignature("SNOD");
        int version = c.u8();
        if (version != 1) {
            throw c.error("unknown symbol table node version " + version);
        }
        c.skip(1);
        int count = c.u16();
        if (count > MAX_LEAF_ENTRIES) {
            throw c.error("too many entries");
        }
        for (int i = 0; i < count; i++) {
            ctx.countLink(path);
            long nameOffset = ctx.length(c);
            long header = ctx.address(c);
            long cacheType = c.u32();
            c.skip(4);
            Cursor scratch = c.slice(16, "symbol table entry scratch pad");
            String name = name(nameOffset);
            if (name.isEmpty()) {
                throw c.error("empty link name");
            }
            if (cacheType == 2) { // soft link: the scratch pad holds the heap offset of the target path
                out.add(new Messages.Link(name, Messages.Link.SOFT, FileContext.UNDEFINED, name(scratch.u32()), -1));
            } else {
                out.add(new Messages.Link(name, Messages.Link.HARD, header, null, -1));
            }
        }
    }
}
