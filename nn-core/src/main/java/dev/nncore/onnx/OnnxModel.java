package dev.nncore.onnx;

import dev.nncore.keras.ModelFormatException;
import dev.nncore.keras.UnsupportedModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of ONNX's protobuf messages nn-core reads ({@code ModelProto}, {@code GraphProto}, {@code NodeProto},
 * {@code AttributeProto}, {@code TensorProto}, {@code ValueInfoProto}), decoded from bytes with {@link ProtoReader}.
 * Fields nn-core does not use are skipped; subgraphs (attributes of type GRAPH) are skipped unread, so decoding is not
 * recursive. Every tensor is converted to float32 (floating types) or int64 (integer types) here, after its element
 * count has been checked against the bytes that really hold it.
 */
final class OnnxModel {

    // TensorProto.DataType
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int UINT16 = 4;
    static final int INT16 = 5;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int STRING = 8;
    static final int BOOL = 9;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;
    static final int UINT32 = 12;
    static final int UINT64 = 13;
    static final int BFLOAT16 = 16;

    /** A decoded model: the default-domain opset and the graph. */
    record Model(long irVersion, int opset, Map<String, Long> opsets, String producer, Graph graph) { }

    record Graph(String name, List<Node> nodes, Map<String, Tensor> initializers, List<ValueInfo> inputs,
            List<ValueInfo> outputs) { }

    record Node(int index, String name, String opType, String domain, List<String> inputs, List<String> outputs,
            Map<String, Attribute> attributes) {

        /** @return the i-th input's name, or "" when absent (ONNX's optional inputs) */
        String input(int i) {
            return i < inputs.size() ? inputs.get(i) : "";
        }

        /** How error messages name the node: {@code node 3 "fc1" (Gemm)}. */
        String describe() {
            return "node " + index + (name.isEmpty() ? "" : " \"" + name + "\"") + " (" + opType + ")";
        }
    }

    /** An attribute; which fields are set depends on {@code type} (AttributeProto.AttributeType). */
    record Attribute(String name, int type, float f, long i, String s, Tensor t, float[] floats, long[] ints) {
        static final int FLOAT = 1;
        static final int INT = 2;
        static final int STRING = 3;
        static final int TENSOR = 4;
        static final int FLOATS = 6;
        static final int INTS = 7;
    }

    /**
     * A graph input or output: elem type and shape; a dimension is its value, or -1 when symbolic or unknown.
     * {@code shape} is null when the type has no shape.
     */
    record ValueInfo(String name, int elemType, long[] shape) { }

    /**
     * A tensor, converted: {@code floats} for FLOAT, DOUBLE, FLOAT16 and BFLOAT16, {@code ints} for the integer types
     * and BOOL; the other array is null.
     */
    record Tensor(String name, int dataType, long[] dims, float[] floats, long[] ints) {
        long count() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        /** @return the values as doubles, whichever kind they are */
        double[] values() {
            int n = floats != null ? floats.length : ints.length;
            double[] out = new double[n];
            for (int k = 0; k < n; k++) {
                out[k] = floats != null ? floats[k] : ints[k];
            }
            return out;
        }
    }

    /** Where external data may be read from; null when the model came from a stream. */
    record Source(String name, Path folder, long maxFileBytes) { }

    private final Source source;

    private OnnxModel(Source source) {
        this.source = source;
    }

    static Model parse(byte[] bytes, Source source) throws ModelFormatException {
        return new OnnxModel(source).model(new ProtoReader(bytes, 0, bytes.length, source.name()));
    }

    /** Decodes a serialized {@code TensorProto} alone, as ONNX's test data stores inputs and outputs. */
    static Tensor parseTensor(byte[] bytes, String source) throws ModelFormatException {
        return new OnnxModel(new Source(source, null, Long.MAX_VALUE)).tensor(new ProtoReader(bytes, 0, bytes.length, source));
    }

    private Model model(ProtoReader in) throws ModelFormatException {
        long irVersion = 0;
        Map<String, Long> opsets = new LinkedHashMap<>();
        String producer = "";
        Graph graph = null;
        int opsetIndex = 0;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> irVersion = in.readVarint("ir_version");
                case 2 -> producer = in.string("producer_name");
                case 7 -> {
                    if (graph != null) {
                        throw in.error("graph", "appears twice");
                    }
                    graph = graph(in.message("graph"));
                }
                case 8 -> {
                    ProtoReader opset = in.message("opset_import[" + opsetIndex++ + "]");
                    String domain = "";
                    long version = 1;
                    while (opset.next()) {
                        switch (opset.field()) {
                            case 1 -> domain = opset.string("domain");
                            case 2 -> version = opset.readVarint("version");
                            default -> opset.skip();
                        }
                    }
                    opsets.put(domain.equals("ai.onnx") ? "" : domain, version);
                }
                default -> in.skip();
            }
        }
        if (graph == null) {
            throw in.error("no graph: not an ONNX model (ModelProto field 7 is missing)");
        }
        Long opset = opsets.get("");
        if (opset == null) {
            if (!opsets.isEmpty()) {
                opset = 1L;
            } else {
                throw in.error("opset_import names no default-domain opset");
            }
        }
        if (opset < 1 || opset > 100) {
            throw in.error("opset_import", "default-domain opset " + opset + " is out of range");
        }
        return new Model(irVersion, opset.intValue(), opsets, producer, graph);
    }

    private Graph graph(ProtoReader in) throws ModelFormatException {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        List<ValueInfo> inputs = new ArrayList<>();
        List<ValueInfo> outputs = new ArrayList<>();
        String name = "";
        while (in.next()) {
            switch (in.field()) {
                case 1 -> nodes.add(node(in.message("node[" + nodes.size() + "]"), nodes.size()));
                case 2 -> name = in.string("name");
                case 5 -> {
                    Tensor tensor = tensor(in.message("initializer[" + initializers.size() + "]"));
                    if (initializers.put(tensor.name(), tensor) != null) {
                        throw in.error("initializer", "two initializers are named \"" + tensor.name() + "\"");
                    }
                }
                case 15 -> throw new UnsupportedModelException(in.path + ".sparse_initializer: sparse initializers are not supported");
                case 11 -> inputs.add(valueInfo(in.message("input[" + inputs.size() + "]")));
                case 12 -> outputs.add(valueInfo(in.message("output[" + outputs.size() + "]")));
                default -> in.skip();
            }
        }
        return new Graph(name, List.copyOf(nodes), initializers, List.copyOf(inputs), List.copyOf(outputs));
    }

    private Node node(ProtoReader in, int index) throws ModelFormatException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Attribute> attributes = new HashMap<>();
        String name = "";
        String opType = "";
        String domain = "";
        while (in.next()) {
            switch (in.field()) {
                case 1 -> inputs.add(in.string("input"));
                case 2 -> outputs.add(in.string("output"));
                case 3 -> name = in.string("name");
                case 4 -> opType = in.string("op_type");
                case 7 -> domain = in.string("domain");
                case 5 -> {
                    Attribute attribute = attribute(in.message("attribute[" + attributes.size() + "]"));
                    if (attributes.put(attribute.name(), attribute) != null) {
                        throw in.error("attribute", "attribute \"" + attribute.name() + "\" appears twice");
                    }
                }
                default -> in.skip();
            }
        }
        if (opType.isEmpty()) {
            throw in.error("op_type", "missing");
        }
        return new Node(index, name, opType, domain.equals("ai.onnx") ? "" : domain, List.copyOf(inputs),
                List.copyOf(outputs), attributes);
    }

    private Attribute attribute(ProtoReader in) throws ModelFormatException {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        String s = null;
        Tensor t = null;
        FloatList floats = new FloatList();
        LongList ints = new LongList();
        while (in.next()) {
            switch (in.field()) {
                case 1 -> name = in.string("name");
                case 20 -> type = in.readInt("type");
                case 2 -> f = in.readFloat("f");
                case 3 -> i = in.readVarint("i");
                case 4 -> s = in.string("s");
                case 5 -> t = tensor(in.message("t"));
                case 7 -> floats.read(in, "floats");
                case 8 -> ints.read(in, "ints");
                default -> in.skip(); // g, graphs, tensors, strings, sparse tensors: not used by nn-core's operators
            }
        }
        if (name.isEmpty()) {
            throw in.error("name", "missing");
        }
        if (type == 0) { // IR version 1 files leave the type out; infer it from what is set
            type = t != null ? Attribute.TENSOR : s != null ? Attribute.STRING : floats.size > 0 ? Attribute.FLOATS
                    : ints.size > 0 ? Attribute.INTS : f != 0 ? Attribute.FLOAT : Attribute.INT;
        }
        return new Attribute(name, type, f, i, s, t, floats.toArray(), ints.toArray());
    }

    private ValueInfo valueInfo(ProtoReader in) throws ModelFormatException {
        String name = "";
        int elemType = 0;
        long[] shape = null;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> name = in.string("name");
                case 2 -> {
                    ProtoReader type = in.message("type");
                    while (type.next()) {
                        if (type.field() == 1) {
                            ProtoReader tensorType = type.message("tensor_type");
                            while (tensorType.next()) {
                                switch (tensorType.field()) {
                                    case 1 -> elemType = tensorType.readInt("elem_type");
                                    case 2 -> shape = shape(tensorType.message("shape"));
                                    default -> tensorType.skip();
                                }
                            }
                        } else if (type.field() == 6) {
                            type.skip();
                        } else if (type.field() >= 4 && type.field() <= 9) {
                            throw new UnsupportedModelException(type.path + ": input or output \"" + name
                                    + "\" is a sequence, map, optional or sparse tensor; nn-core takes dense tensors");
                        } else {
                            type.skip();
                        }
                    }
                }
                default -> in.skip();
            }
        }
        return new ValueInfo(name, elemType, shape);
    }

    private static long[] shape(ProtoReader in) throws ModelFormatException {
        LongList dims = new LongList();
        while (in.next()) {
            if (in.field() == 1) {
                ProtoReader dim = in.message("dim[" + dims.size + "]");
                long value = -1;
                while (dim.next()) {
                    if (dim.field() == 1) {
                        value = dim.readVarint("dim_value");
                        if (value < 0) {
                            throw dim.error("dim_value", "negative dimension " + value);
                        }
                    } else {
                        dim.skip();
                    }
                }
                dims.add(value);
            } else {
                in.skip();
            }
        }
        return dims.toArray();
    }

    Tensor tensor(ProtoReader in) throws ModelFormatException {
        LongList dims = new LongList();
        int dataType = 0;
        String name = "";
        FloatList floatData = new FloatList();
        LongList intData = new LongList();
        LongList int64Data = new LongList();
        LongList uint64Data = new LongList();
        double[] doubleData = null;
        int doubleCount = 0;
        int[] raw = null;
        boolean external = false;
        Map<String, String> externalData = new HashMap<>();
        while (in.next()) {
            switch (in.field()) {
                case 1 -> dims.read(in, "dims");
                case 2 -> dataType = in.readInt("data_type");
                case 3 -> throw new UnsupportedModelException(in.path + ".segment: segmented tensors are not supported");
                case 4 -> floatData.read(in, "float_data");
                case 5 -> intData.read(in, "int32_data");
                case 7 -> int64Data.read(in, "int64_data");
                case 8 -> name = in.string("name");
                case 9 -> raw = in.span("raw_data");
                case 10 -> {
                    if (in.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        int[] span = in.span("double_data");
                        int count = (span[1] - span[0]) / 8;
                        if ((span[1] - span[0]) % 8 != 0) {
                            throw in.error("double_data", "packed length " + (span[1] - span[0]) + " is not a multiple of 8");
                        }
                        ByteBuffer buffer = ByteBuffer.wrap(in.array(), span[0], span[1] - span[0]).order(ByteOrder.LITTLE_ENDIAN);
                        double[] grown = doubleData == null ? new double[count] : Arrays.copyOf(doubleData, doubleCount + count);
                        for (int k = 0; k < count; k++) {
                            grown[doubleCount + k] = buffer.getDouble();
                        }
                        doubleData = grown;
                        doubleCount += count;
                    } else if (in.wireType() == ProtoReader.FIXED64) {
                        if (doubleData == null) {
                            doubleData = new double[8];
                        } else if (doubleCount == doubleData.length) {
                            doubleData = Arrays.copyOf(doubleData, doubleCount * 2);
                        }
                        doubleData[doubleCount++] = Double.longBitsToDouble(in.fixed64());
                    } else {
                        throw in.error("double_data", "wire type " + in.wireType());
                    }
                }
                case 11 -> uint64Data.read(in, "uint64_data");
                case 13 -> {
                    ProtoReader entry = in.message("external_data");
                    String key = "";
                    String value = "";
                    while (entry.next()) {
                        switch (entry.field()) {
                            case 1 -> key = entry.string("key");
                            case 2 -> value = entry.string("value");
                            default -> entry.skip();
                        }
                    }
                    externalData.put(key, value);
                }
                case 14 -> external = in.readInt("data_location") == 1;
                default -> in.skip();
            }
        }
        String where = in.path + (name.isEmpty() ? "" : " (\"" + name + "\")");
        long[] shape = dims.toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new ModelFormatException(where + ".dims: negative dimension " + d);
            }
            count = d == 0 ? 0 : count;
            if (d != 0 && count > Integer.MAX_VALUE / d) {
                throw new ModelFormatException(where + ".dims: " + Arrays.toString(shape) + " holds more values than a Java array");
            }
            count *= d;
        }
        int n = (int) count;
        int size = elementSize(dataType, where);
        if (external) {
            byte[] bytes = externalBytes(externalData, (long) n * size, where);
            return fromRaw(name, dataType, shape, bytes, 0, bytes.length, n, where);
        }
        if (raw != null) {
            return fromRaw(name, dataType, shape, in.array(), raw[0], raw[1], n, where);
        }
        switch (dataType) {
            case FLOAT -> {
                return new Tensor(name, dataType, shape, exact(floatData.toArray(), n, where + ".float_data"), null);
            }
            case DOUBLE -> {
                if (doubleCount != n) {
                    throw new ModelFormatException(where + ".double_data: " + doubleCount + " values for shape "
                            + Arrays.toString(shape) + " (" + n + " values)");
                }
                float[] out = new float[n];
                for (int k = 0; k < n; k++) {
                    out[k] = (float) doubleData[k];
                }
                return new Tensor(name, dataType, shape, out, null);
            }
            case FLOAT16, BFLOAT16 -> {
                long[] bits = exact(intData.toArray(), n, where + ".int32_data");
                float[] out = new float[n];
                for (int k = 0; k < n; k++) {
                    out[k] = dataType == FLOAT16 ? halfToFloat((int) bits[k]) : Float.intBitsToFloat(((int) bits[k] & 0xFFFF) << 16);
                }
                return new Tensor(name, dataType, shape, out, null);
            }
            case INT8, UINT8, INT16, UINT16, INT32, BOOL -> {
                return new Tensor(name, dataType, shape, null, exact(intData.toArray(), n, where + ".int32_data"));
            }
            case INT64 -> {
                return new Tensor(name, dataType, shape, null, exact(int64Data.toArray(), n, where + ".int64_data"));
            }
            case UINT32, UINT64 -> {
                return new Tensor(name, dataType, shape, null, exact(uint64Data.toArray(), n, where + ".uint64_data"));
            }
            default -> throw new UnsupportedModelException(where + ".data_type: type " + dataType + " is not supported");
        }
    }

    private static float[] exact(float[] values, int n, String where) throws ModelFormatException {
        if (values.length != n) {
            throw new ModelFormatException(where + ": " + values.length + " values, the shape needs " + n);
        }
        return values;
    }

    private static long[] exact(long[] values, int n, String where) throws ModelFormatException {
        if (values.length != n) {
            throw new ModelFormatException(where + ": " + values.length + " values, the shape needs " + n);
        }
        return values;
    }

    static int elementSize(int dataType, String where) throws ModelFormatException {
        return switch (dataType) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64 -> 8;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            case 0 -> throw new ModelFormatException(where + ".data_type: missing");
            default -> throw new UnsupportedModelException(where + ".data_type: type " + dataType
                    + " (strings, complex numbers, 8-bit floats) is not supported");
        };
    }

    private static Tensor fromRaw(String name, int type, long[] shape, byte[] bytes, int from, int to, int n, String where)
            throws ModelFormatException {
        int size = elementSize(type, where);
        if ((long) n * size != to - from) {
            throw new ModelFormatException(where + ".raw_data: " + (to - from) + " bytes, the shape "
                    + Arrays.toString(shape) + " needs " + ((long) n * size));
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, from, to - from).order(ByteOrder.LITTLE_ENDIAN);
        float[] floats = null;
        long[] ints = null;
        switch (type) {
            case FLOAT -> {
                floats = new float[n];
                buffer.asFloatBuffer().get(floats);
            }
            case DOUBLE -> {
                floats = new float[n];
                for (int k = 0; k < n; k++) {
                    floats[k] = (float) buffer.getDouble();
                }
            }
            case FLOAT16 -> {
                floats = new float[n];
                for (int k = 0; k < n; k++) {
                    floats[k] = halfToFloat(buffer.getShort() & 0xFFFF);
                }
            }
            case BFLOAT16 -> {
                floats = new float[n];
                for (int k = 0; k < n; k++) {
                    floats[k] = Float.intBitsToFloat((buffer.getShort() & 0xFFFF) << 16);
                }
            }
            default -> {
                ints = new long[n];
                for (int k = 0; k < n; k++) {
                    ints[k] = switch (type) {
                        case INT8 -> buffer.get();
                        case UINT8, BOOL -> buffer.get() & 0xFF;
                        case INT16 -> buffer.getShort();
                        case UINT16 -> buffer.getShort() & 0xFFFF;
                        case INT32 -> buffer.getInt();
                        case UINT32 -> buffer.getInt() & 0xFFFFFFFFL;
                        default -> buffer.getLong();
                    };
                }
            }
        }
        return new Tensor(name, type, shape, floats, ints);
    }

    /** IEEE 754 half precision to float, subnormals, infinities and NaN included. */
    static float halfToFloat(int half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | mantissa << 13);
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    /**
     * The bytes of an external-data tensor: {@code location} relative to the model's folder, which the resolved file
     * (symbolic links followed) must stay inside; {@code offset} and {@code length} within the file's real size.
     */
    private byte[] externalBytes(Map<String, String> entries, long expected, String where) throws ModelFormatException {
        String location = entries.get("location");
        if (location == null || location.isEmpty()) {
            throw new ModelFormatException(where + ".external_data: no location");
        }
        if (source.folder() == null) {
            throw new UnsupportedModelException(where + ".external_data: the tensor is stored in \"" + location
                    + "\" beside the model; load the model from a file (Onnx.load(Path)) to read it");
        }
        long offset = number(entries.get("offset"), 0, where + ".external_data.offset");
        long length = number(entries.get("length"), expected, where + ".external_data.length");
        if (length != expected) {
            throw new ModelFormatException(where + ".external_data.length: " + length + " bytes, the shape needs " + expected);
        }
        try {
            Path folder = source.folder().toRealPath();
            Path relative = Path.of(location);
            Path target = folder.resolve(relative).normalize();
            if (relative.isAbsolute() || !target.startsWith(folder)) {
                throw new ModelFormatException(where + ".external_data.location: \"" + location
                        + "\" is outside the model's folder; nn-core reads external data only beside the model");
            }
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target)) {
                throw new ModelFormatException(where + ".external_data.location: no file \"" + location + "\" beside the model");
            }
            Path real = target.toRealPath();
            if (!real.startsWith(folder)) {
                throw new ModelFormatException(where + ".external_data.location: \"" + location
                        + "\" links outside the model's folder");
            }
            long size = Files.size(real);
            if (offset > size || length > size - offset) {
                throw new ModelFormatException(where + ".external_data: bytes " + offset + " to " + (offset + length)
                        + " run past the end of \"" + location + "\" (" + size + " bytes)");
            }
            if (length > source.maxFileBytes() || length > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(where + ".external_data: " + length + " bytes, over the limit of "
                        + source.maxFileBytes() + " (raise it with -Dnncore.maxFileBytes)");
            }
            byte[] out = new byte[(int) length];
            try (FileChannel channel = FileChannel.open(real, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.wrap(out);
                long at = offset;
                while (buffer.hasRemaining()) {
                    int read = channel.read(buffer, at);
                    if (read < 0) {
                        throw new ModelFormatException(where + ".external_data: \"" + location + "\" ended early");
                    }
                    at += read;
                }
            }
            return out;
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(where + ".external_data.location: cannot read \"" + location + "\": " + e, e);
        }
    }

    private static long number(String text, long fallback, String where) throws ModelFormatException {
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value < 0) {
                throw new ModelFormatException(where + ": negative " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ModelFormatException(where + ": \"" + text + "\" is not a number");
        }
    }

    /** A growing float array for repeated float fields, packed or not. */
    static final class FloatList {
        float[] values = new float[0];
        int size;

        void read(ProtoReader in, String name) throws ModelFormatException {
            if (in.wireType() == ProtoReader.LENGTH_DELIMITED) {
                int[] span = in.span(name);
                int bytes = span[1] - span[0];
                if (bytes % 4 != 0) {
                    throw in.error(name, "packed length " + bytes + " is not a multiple of 4");
                }
                ensure(bytes / 4);
                ByteBuffer buffer = ByteBuffer.wrap(in.array(), span[0], bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < bytes / 4; k++) {
                    values[size++] = buffer.getFloat();
                }
            } else {
                ensure(1);
                values[size++] = in.readFloat(name);
            }
        }

        private void ensure(int more) {
            if (size + more > values.length) {
                values = Arrays.copyOf(values, Math.max(size + more, Math.min(Integer.MAX_VALUE - 8, values.length * 2 + 8)));
            }
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** A growing long array for repeated varint fields, packed or not. */
    static final class LongList {
        long[] values = new long[0];
        int size;

        void read(ProtoReader in, String name) throws ModelFormatException {
            if (in.wireType() == ProtoReader.LENGTH_DELIMITED) {
                ProtoReader packed = in.message(name);
                while (packed.hasMore()) {
                    add(packed.varint());
                }
            } else {
                add(in.readVarint(name));
            }
        }

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2 + 8);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
