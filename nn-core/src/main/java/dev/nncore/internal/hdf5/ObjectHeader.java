package dev.nncore.internal.hdf5;

import static dev.nncore.internal.hdf5.Hdf5FormatException.hex;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An object header (spec IV.A): version 1 (no signature, 8-byte aligned messages) or version 2 (signature
 * OHDR, continuation blocks OCHK), flattened into its list of messages, following continuation messages with a
 * visited set so a continuation loop cannot hang the reader.
 */
final class ObjectHeader {
    static final int NIL = 0x00;
    static final int DATASPACE = 0x01;
    static final int LINK_INFO = 0x02;
    static final int DATATYPE = 0x03;
    static final int FILL_VALUE_OLD = 0x04;
    static final int FILL_VALUE = 0x05;
    static final int LINK = 0x06;
    static final int EXTERNAL_FILES = 0x07;
    static final int LAYOUT = 0x08;
    static final int BOGUS = 0x09;
    static final int GROUP_INFO = 0x0A;
    static final int FILTER_PIPELINE = 0x0B;
    static final int ATTRIBUTE = 0x0C;
    static final int COMMENT = 0x0D;
    static final int MODIFICATION_TIME_OLD = 0x0E;
    static final int SHARED_MESSAGE_TABLE = 0x0F;
    static final int CONTINUATION = 0x10;
    static final int SYMBOL_TABLE = 0x11;
    static final int MODIFICATION_TIME = 0x12;
    static final int BTREE_K = 0x13;
    static final int DRIVER_INFO = 0x14;
    static final int ATTRIBUTE_INFO = 0x15;
    static final int REFERENCE_COUNT = 0x16;
    static final int FILE_SPACE_INFO = 0x17;

    private static final int MAX_MESSAGES = 65_536;
    private static final int FLAG_SHARED = 0x02;
    private static final int FLAG_FAIL_IF_UNKNOWN = 0x80;

    /** One header message: its type, flags and where its body lies in the file. */
    record Message(int type, int flags, long offset, int size) {
        boolean shared() {
            return (flags & FLAG_SHARED) != 0;
        }
    }

    private final FileContext ctx;
    private final long address;
    private final String path;
    private final List<Message> messages;

    private ObjectHeader(FileContext ctx, long address, String path, List<Message> messages) {
        this.ctx = ctx;
        this.address = address;
        this.path = path;
        this.messages = messages;
    }

    long address() {
        return address;
    }

    String path() {
        return path;
    }

    List<Message> messages() {
        return messages;
    }

    Message first(int type) {
        for (Message m : messages) {
            if (m.type() == type) {
                return m;
            }
        }
        return null;
    }

    boolean has(int type) {
        return first(type) != null;
    }

    /** The body of a message, named for error messages. */
    Cursor body(Message m) throws Hdf5FormatException {
        return Cursor.of(ctx.data, m.offset(), m.size(), "message 0x" + Integer.toHexString(m.type()) + " of "
                + path + " (object header " + hex(address) + ")");
    }

    static ObjectHeader read(FileContext ctx, long address, String path) throws Hdf5FormatException {
        Cursor start = ctx.atToEnd(address, "object header of " + path);
        ctx.parseSteps++;
        List<Message> messages = new ArrayList<>();
        if (start.remaining() >= 4 && start.u8() == 'O' && start.u8() == 'H' && start.u8() == 'D' && start.u8() == 'R') {
            readVersion2(ctx, start, path, messages);
        } else {
            start.seek(0);
            readVersion1(ctx, start, path, messages);
        }
        ObjectHeader header = new ObjectHeader(ctx, address, path, messages);
        for (Message m : messages) {
            if ((m.flags() & FLAG_FAIL_IF_UNKNOWN) != 0 && !known(m.type())) {
                throw new Hdf5FormatException("object header of " + path + " at offset " + hex(start.start())
                        + ": message type 0x" + Integer.toHexString(m.type())
                        + " is marked 'fail if unknown' and is not supported");
            }
        }
        return header;
    }

    private static boolean known(int type) {
        return type <= FILE_SPACE_INFO;
    }

    /** Spec IV.A.1.a: version 1 prefix is 16 bytes (12 + 4 alignment), messages are 8-byte aligned. */
    private static void readVersion1(FileContext ctx, Cursor c, String path, List<Message> out)
            throws Hdf5FormatException {
        int version = c.u8();
        if (version != 1) {
            throw new Hdf5FormatException("object header of " + path + " at offset " + hex(c.start())
                    + ": unknown version " + version);
        }
        c.skip(1);
        c.u16(); // number of messages: not trusted, the chunk sizes bound the walk
        c.u32(); // reference count
        long size = c.u32();
        c.skip(4);
        Deque<long[]> chunks = new ArrayDeque<>();
        chunks.add(new long[] {c.position(), size});
        Set<Long> visited = new HashSet<>();
        while (!chunks.isEmpty()) {
            long[] chunk = chunks.poll();
            if (!visited.add(chunk[0])) {
                throw new Hdf5FormatException("object header of " + path + ": continuation loop at offset " + hex(chunk[0]));
            }
            Cursor m = Cursor.of(ctx.data, chunk[0], chunk[1], "object header chunk of " + path);
            while (m.remaining() >= 8) {
                int type = m.u16();
                int msgSize = m.u16();
                int flags = m.u8();
                m.skip(3);
                long bodyAt = m.position();
                m.skip(msgSize);
                add(ctx, out, chunks, type, flags, bodyAt, msgSize, path);
            }
        }
    }

    /** Spec IV.A.1.b: version 2 header with signature, optional times and attribute limits, checksummed chunks. */
    private static void readVersion2(FileContext ctx, Cursor c, String path, List<Message> out)
            throws Hdf5FormatException {
        int version = c.u8();
        if (version != 2) {
            throw new Hdf5FormatException("object header of " + path + " at offset " + hex(c.start())
                    + ": unknown version " + version);
        }
        int flags = c.u8();
        if ((flags & 0x20) != 0) {
            c.skip(16); // access, modification, change, birth times
        }
        if ((flags & 0x10) != 0) {
            c.skip(4); // max compact / min dense attribute counts
        }
        long chunk0Size = c.unsigned(1 << (flags & 0x03));
        boolean creationOrder = (flags & 0x04) != 0;
        Deque<long[]> chunks = new ArrayDeque<>();
        chunks.add(new long[] {c.position(), chunk0Size});
        Set<Long> visited = new HashSet<>();
        boolean first = true;
        while (!chunks.isEmpty()) {
            long[] chunk = chunks.poll();
            if (!visited.add(chunk[0])) {
                throw new Hdf5FormatException("object header of " + path + ": continuation loop at offset " + hex(chunk[0]));
            }
            Cursor m;
            if (first) {
                m = Cursor.of(ctx.data, chunk[0], chunk[1], "object header chunk of " + path);
                Cursor checksum = Cursor.of(ctx.data, chunk[0] + chunk[1], 4, "object header checksum of " + path);
                Checksum.verify(ctx.data, c.start(), checksum, "object header of " + path);
                first = false;
            } else {
                Cursor block = Cursor.of(ctx.data, chunk[0], chunk[1], "object header continuation of " + path);
                block.expectSignature("OCHK");
                if (block.remaining() < 4) {
                    throw block.error("continuation block too small");
                }
                m = block.slice(block.remaining() - 4, "object header continuation of " + path);
                Checksum.verify(ctx.data, chunk[0], block, "object header continuation of " + path);
            }
            int headerSize = creationOrder ? 6 : 4;
            while (m.remaining() >= headerSize) {
                int type = m.u8();
                int msgSize = m.u16();
                int msgFlags = m.u8();
                if (creationOrder) {
                    m.skip(2);
                }
                long bodyAt = m.position();
                m.skip(msgSize);
                add(ctx, out, chunks, type, msgFlags, bodyAt, msgSize, path);
            }
        }
    }

    private static void add(FileContext ctx, List<Message> out, Deque<long[]> chunks, int type, int flags, long bodyAt,
            int size, String path) throws Hdf5FormatException {
        if (out.size() >= MAX_MESSAGES) {
            throw new Hdf5FormatException("object header of " + path + ": more than " + MAX_MESSAGES + " messages");
        }
        if (type == CONTINUATION) {
            Cursor body = Cursor.of(ctx.data, bodyAt, size, "continuation message of " + path);
            long address = ctx.address(body);
            long length = ctx.length(body);
            chunks.add(new long[] {ctx.absolute(address, "object header continuation of " + path), length});
        } else if (type != NIL) {
            out.add(new Message(type, flags, bodyAt, size));
        }
    }
}
