package dev.nncore.internal.hdf5;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the links of a group and the attributes of any object from its header, compact or dense. */
final class ObjectContents {
    private ObjectContents() {
    }

    static boolean isGroup(ObjectHeader h) {
        return h.has(ObjectHeader.SYMBOL_TABLE) || h.has(ObjectHeader.LINK_INFO) || h.has(ObjectHeader.LINK);
    }

    /**
     * Links in stored order: B-tree (name) order for old-style groups, header order for compact new-style
     * groups, creation order (else name order) for dense groups, whose name index is hash-ordered.
     */
    static List<Messages.Link> links(FileContext ctx, ObjectHeader h) throws Hdf5FormatException {
        List<Messages.Link> links = new ArrayList<>();
        ObjectHeader.Message table = h.first(ObjectHeader.SYMBOL_TABLE);
        if (table != null) {
            SymbolTableGroup.read(ctx, Messages.symbolTable(h.body(table), ctx), h.path(), links);
            return links;
        }
        for (ObjectHeader.Message m : h.messages()) {
            if (m.type() == ObjectHeader.LINK) {
                ctx.countLink(h.path());
                links.add(Messages.link(h.body(m), ctx));
            }
        }
        ObjectHeader.Message info = h.first(ObjectHeader.LINK_INFO);
        if (info != null) {
            Messages.DenseStorage dense = Messages.linkInfo(h.body(info), ctx);
            if (dense.present()) {
                List<Messages.Link> denseLinks = new ArrayList<>();
                FractalHeap heap = FractalHeap.read(ctx, dense.heapAddress(), "links of " + h.path());
                // name index records (type 5): name hash (4), heap ID (7)
                BTree2.forEach(ctx, dense.nameIndexAddress(), 5, "link name index of " + h.path(), record -> {
                    record.skip(4);
                    ctx.countLink(h.path());
                    denseLinks.add(Messages.link(heap.object(record), ctx));
                });
                boolean ordered = denseLinks.stream().allMatch(l -> l.creationOrder() >= 0);
                denseLinks.sort(ordered ? Comparator.comparingLong(Messages.Link::creationOrder)
                        : Comparator.comparing(Messages.Link::name));
                links.addAll(denseLinks);
            }
        }
        return links;
    }

    /** Attributes: compact attribute messages in header order, then dense ones (name order). */
    static Map<String, Hdf5Attribute> attributes(FileContext ctx, ObjectHeader h) throws Hdf5FormatException {
        Map<String, Hdf5Attribute> attributes = new LinkedHashMap<>();
        for (ObjectHeader.Message m : h.messages()) {
            if (m.type() == ObjectHeader.ATTRIBUTE) {
                if (m.shared()) {
                    throw h.body(m).error("shared attribute messages are not supported");
                }
                Hdf5Attribute a = Hdf5Attribute.parse(ctx, h.body(m), h.path(), 0);
                attributes.put(a.name(), a);
            }
        }
        ObjectHeader.Message info = h.first(ObjectHeader.ATTRIBUTE_INFO);
        if (info != null) {
            Messages.DenseStorage dense = Messages.attributeInfo(h.body(info), ctx);
            if (dense.present()) {
                List<Hdf5Attribute> denseAttributes = new ArrayList<>();
                FractalHeap heap = FractalHeap.read(ctx, dense.heapAddress(), "attributes of " + h.path());
                // name index records (type 8): heap ID (8), message flags (1), creation order (4), hash (4)
                BTree2.forEach(ctx, dense.nameIndexAddress(), 8, "attribute name index of " + h.path(), record -> {
                    Cursor id = record.slice(8, "attribute heap ID");
                    int flags = record.u8();
                    if ((flags & 0x02) != 0) {
                        throw record.error("shared attribute messages are not supported");
                    }
                    denseAttributes.add(Hdf5Attribute.parse(ctx, heap.object(id), h.path(), 0));
                });
                denseAttributes.sort(Comparator.comparing(Hdf5Attribute::name));
                for (Hdf5Attribute a : denseAttributes) {
                    attributes.put(a.name(), a);
                }
            }
        }
        return attributes;
    }
}
