package dev.nncore.internal.hdf5;

/**
 * Resolves a shared datatype message (spec IV.A.2 "shared message"): only a datatype committed in another
 * object header is followed; types kept in the shared-message heap are refused.
 */
final class SharedTypes {
    private SharedTypes() {
    }

    static Hdf5DataType resolve(FileContext ctx, Cursor c, String owner, int depth) throws Hdf5FormatException {
        if (depth > 2) {
            throw c.error("shared datatype chain too long");
        }
        int version = c.u8();
        int type = c.u8();
        if (version == 1) {
            c.skip(6);
        } else if (version != 2 && version != 3) {
            throw c.error("unknown shared message version " + version);
        }
        if (version == 3 && type != 2) {
            throw c.error("datatypes in the shared-message heap are not supported");
        }
        long address = ctx.address(c);
        ObjectHeader committed = ObjectHeader.read(ctx, address, "committed datatype used by " + owner);
        ObjectHeader.Message m = committed.first(ObjectHeader.DATATYPE);
        if (m == null || m.shared()) {
            throw c.error("committed datatype at " + Hdf5FormatException.hex(address) + " has no datatype message");
        }
        return Hdf5DataType.parse(committed.body(m), 0);
    }

    /** The datatype of an object header, following a shared (committed) datatype if needed. */
    static Hdf5DataType of(FileContext ctx, ObjectHeader header, ObjectHeader.Message m) throws Hdf5FormatException {
        Cursor body = header.body(m);
        return m.shared() ? resolve(ctx, body, header.path(), 1) : Hdf5DataType.parse(body, 0);
    }
}
