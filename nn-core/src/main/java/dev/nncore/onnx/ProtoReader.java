package dev.nncore.onnx;

import dev.nncore.keras.ModelFormatException;
import java.nio.charset.StandardCharsets;

/**
 * A protobuf wire-format cursor over a slice of a byte array, for hostile input: every length is checked against the
 * bytes really left before anything is allocated, varints are at most 10 bytes, and the deprecated group wire types
 * are refused. A sub-message is another cursor over the same array (no copy). The readers built on it are not
 * recursive (ONNX subgraphs inside attributes are skipped unread), so nesting cannot exhaust the stack.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private int position;
    private final int limit;
    /** Where this message is, for messages: {@code model.onnx: graph.node[3]}. */
    final String path;

    private int fieldNumber;
    private int wireType;

    ProtoReader(byte[] bytes, int offset, int limit, String path) {
        this.bytes = bytes;
        this.position = offset;
        this.limit = limit;
        this.path = path;
    }

    /** @return whether another field follows; then {@link #field()} and {@link #wireType()} describe it */
    boolean next() throws ModelFormatException {
        if (position >= limit) {
            return false;
        }
        int at = position;
        long tag = varint();
        if (tag >>> 32 != 0 || (tag >>> 3) == 0) {
            throw error("bad field tag " + tag + " at byte " + at);
        }
        fieldNumber = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw error("field " + fieldNumber + " at byte " + at + " has wire type " + wireType
                    + " (groups and unknown wire types are not read)");
        }
        return true;
    }

    /** @return the offset of the next byte to read */
    int position() {
        return position;
    }

    boolean hasMore() {
        return position < limit;
    }

    int field() {
        return fieldNumber;
    }

    int wireType() {
        return wireType;
    }

    ModelFormatException error(String message) {
        return new ModelFormatException(path + ": " + message);
    }

    ModelFormatException error(String field, String message) {
        return new ModelFormatException(path + "." + field + ": " + message);
    }

    private void expect(int type, String name) throws ModelFormatException {
        if (wireType != type) {
            throw error(name, "wire type " + wireType + ", expected " + type);
        }
    }

    long varint() throws ModelFormatException {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (position >= limit) {
                throw error("truncated varint at byte " + position);
            }
            byte b = bytes[position++];
            if (shift == 63 && (b & 0x7E) != 0) {
                throw error("varint longer than 64 bits at byte " + (position - 1));
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw error("varint longer than 10 bytes at byte " + position);
    }

    long readVarint(String name) throws ModelFormatException {
        expect(VARINT, name);
        return varint();
    }

    /** An int64 field that must fit an int, e.g. an enum or an attribute index. */
    int readInt(String name) throws ModelFormatException {
        long value = readVarint(name);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw error(name, "value " + value + " is out of range");
        }
        return (int) value;
    }

    int fixed32() throws ModelFormatException {
        if (limit - position < 4) {
            throw error("truncated fixed32 at byte " + position);
        }
        int value = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8 | (bytes[position + 2] & 0xFF) << 16
                | (bytes[position + 3] & 0xFF) << 24;
        position += 4;
        return value;
    }

    long fixed64() throws ModelFormatException {
        long low = fixed32() & 0xFFFFFFFFL;
        long high = fixed32() & 0xFFFFFFFFL;
        return low | high << 32;
    }

    float readFloat(String name) throws ModelFormatException {
        expect(FIXED32, name);
        return Float.intBitsToFloat(fixed32());
    }

    /** Checks a length-delimited field's length against the bytes left, and returns its start. */
    private int lengthDelimited(String name) throws ModelFormatException {
        expect(LENGTH_DELIMITED, name);
        int at = position;
        long length = varint();
        if (length < 0 || length > limit - position) {
            throw error(name, "length " + length + " at byte " + at + " runs past the end of its message ("
                    + (limit - position) + " bytes left)");
        }
        int start = position;
        position += (int) length;
        return start;
    }

    /** @return a cursor over the embedded message, named {@code path.name} */
    ProtoReader message(String name) throws ModelFormatException {
        int start = lengthDelimited(name);
        return new ProtoReader(bytes, start, position, path + "." + name);
    }

    /** @return the start and end of the field's bytes, without copying */
    int[] span(String name) throws ModelFormatException {
        int start = lengthDelimited(name);
        return new int[] {start, position};
    }

    byte[] array() {
        return bytes;
    }

    String string(String name) throws ModelFormatException {
        int start = lengthDelimited(name);
        return new String(bytes, start, position - start, StandardCharsets.UTF_8);
    }

    byte[] byteArray(String name) throws ModelFormatException {
        int start = lengthDelimited(name);
        byte[] out = new byte[position - start];
        System.arraycopy(bytes, start, out, 0, out.length);
        return out;
    }

    void skip() throws ModelFormatException {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> fixed64();
            case FIXED32 -> fixed32();
            case LENGTH_DELIMITED -> lengthDelimited("field " + fieldNumber);
            default -> throw error("cannot skip wire type " + wireType);
        }
    }
}
