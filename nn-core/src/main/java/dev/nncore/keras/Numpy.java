package dev.nncore.keras;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * numpy's {@code .npy} format (versions 1 to 3) and {@code .npz} archives of them, for weights saved with
 * {@code np.savez(f, *model.get_weights())}. Reads little- and big-endian float32 and float64 (and integer)
 * arrays in C or Fortran order; refuses object arrays, which need Python's pickle.
 */
final class Numpy {

    /**
     * The time stamped on every entry: fixed, so the same network gives the same bytes. Two seconds past zip's
     * epoch, because for the epoch itself the JDK adds an extended-time field that depends on the time zone.
     */
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

    /** One array: its shape and its values in C (row-major) order. */
    record Array(long[] shape, float[] values, String name) {

        String shapeText() {
            return Numpy.shapeText(shape);
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** The dtypes read: byte order (optional, as numpy accepts it), kind and size, e.g. {@code <f4}, {@code |u1}. */
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([fiu])(\\d{1,2})");

    private Numpy() {
    }

    static boolean isNpy(byte[] bytes) {
        return startsWith(bytes, MAGIC);
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The arrays of an {@code .npz}: {@code arr_0, arr_1, ...} in numeric order, other names in archive order. */
    static List<Array> readNpz(byte[] zip, String source) throws ModelFormatException {
        Map<String, byte[]> entries = ZipEntries.read(zip, source);
        List<Array> arrays = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            String name = entry.getKey();
            if (!name.endsWith(".npy") && entries.containsKey("config.json") && entries.containsKey("model.weights.h5")) {
                throw new ModelFormatException(source + ": a .keras model, which holds its own architecture; load it with"
                        + " Keras.load(file) (Keras.loadWeights reads weights-only files: .weights.h5, .npz, .npy)");
            }
            if (!name.endsWith(".npy")) {
                throw new ModelFormatException(source + ": entry \"" + name + "\" is not an .npy array; is this an .npz file?");
            }
            ByteBuffer buffer = ByteBuffer.wrap(entry.getValue());
            entry.setValue(null); // each entry's bytes may go once decoded: the entries and the arrays never add up
            arrays.add(readOne(buffer, source + " entry \"" + name + "\"", name.substring(0, name.length() - 4)));
            if (buffer.hasRemaining()) {
                throw new ModelFormatException(source + " entry \"" + name + "\": " + buffer.remaining()
                        + " bytes after the array's data");
            }
        }
        if (arrays.stream().allMatch(array -> array.name().matches("arr_\\d{1,9}"))) { // parseInt cannot overflow
            arrays.sort(Comparator.comparingInt(array -> Integer.parseInt(array.name().substring(4))));
        }
        return arrays;
    }

    /** Every array of an {@code .npy} file: one, or several written one after another with {@code np.save}. */
    static List<Array> readNpy(byte[] bytes, String source) throws ModelFormatException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        List<Array> arrays = new ArrayList<>();
        while (buffer.hasRemaining()) {
            arrays.add(readOne(buffer, source + " (array " + arrays.size() + " at offset " + buffer.position() + ")",
                    "arr_" + arrays.size()));
        }
        return arrays;
    }

    private static Array readOne(ByteBuffer buffer, String source, String name) throws ModelFormatException {
        int start = buffer.position();
        if (buffer.remaining() < 10) {
            throw new ModelFormatException(source + ": truncated .npy header (" + buffer.remaining() + " bytes)");
        }
        for (byte b : MAGIC) {
            if (buffer.get() != b) {
                throw new ModelFormatException(source + ": not an .npy array (no \\x93NUMPY magic at offset " + start + ")");
            }
        }
        int major = buffer.get() & 0xff;
        buffer.get(); // minor version
        long headerLength;
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            headerLength = buffer.getShort() & 0xffff;
        } else if (major == 2 || major == 3) {
            if (buffer.remaining() < 4) {
                throw new ModelFormatException(source + ": truncated .npy header");
            }
            headerLength = buffer.getInt() & 0xffffffffL;
        } else {
            throw new ModelFormatException(source + ": .npy format version " + major + " is not supported (1 to 3 are)");
        }
        if (headerLength > buffer.remaining()) {
            throw new ModelFormatException(source + ": the .npy header declares " + headerLength + " bytes but only "
                    + buffer.remaining() + " remain");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        buffer.get(headerBytes);
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader parsed = NpyHeader.parse(header, major < 3, source);
        Matcher descr = DESCR.matcher(parsed.descr());
        if (!descr.matches()) {
            if (parsed.descr().matches("[<>|=]?O\\d*")) {
                throw new ModelFormatException(source + ": an object array, which only Python's pickle can read; save the"
                        + " weights with np.savez(f, *model.get_weights()) instead");
            }
            throw new ModelFormatException(source + ": dtype '" + parsed.descr() + "' is not supported (float32, float64"
                    + " and integers are)");
        }
        char kind = descr.group(2).charAt(0);
        int itemSize = Integer.parseInt(descr.group(3));
        boolean validSize = kind == 'f' ? itemSize == 4 || itemSize == 8 : itemSize == 1 || itemSize == 2 || itemSize == 4 || itemSize == 8;
        if (!validSize) {
            throw new ModelFormatException(source + ": dtype " + descr.group(2) + descr.group(3) + " is not supported"
                    + " (float32, float64 and integers are)");
        }
        ByteOrder order = ">".equals(descr.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long[] shape = parsed.shape();
        if (shape.length > 2) {
            throw new ModelFormatException(source + ": a " + shape.length + "-D array; Dense weights are 1-D or 2-D");
        }
        long bytes = byteCount(shape, itemSize);
        if (bytes > buffer.remaining()) {
            throw new ModelFormatException(source + ": shape " + shapeText(shape) + " of " + itemSize + "-byte values needs "
                    + (bytes == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.valueOf(bytes)) + " bytes but only "
                    + buffer.remaining() + " remain");
        }
        int count = (int) (bytes / itemSize);
        float[] values = new float[count];
        buffer.order(order);
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (kind) {
                case 'f' -> itemSize == 4 ? buffer.getFloat() : (float) buffer.getDouble();
                case 'u' -> (float) readUnsigned(buffer, itemSize);
                default -> (float) readSigned(buffer, itemSize);
            };
        }
        if (parsed.fortranOrder() && shape.length == 2) {
            values = transposeColumnMajor(values, (int) shape[0], (int) shape[1]);
        }
        return new Array(shape, values, name);
    }

    /**
     * The bytes an array of {@code shape} takes at {@code itemSize} bytes a value, or {@link Long#MAX_VALUE} if that
     * overflows a long: compare it with the bytes really there before allocating anything.
     */
    static long byteCount(long[] shape, int itemSize) {
        long bytes = itemSize;
        for (long dimension : shape) {
            if (dimension == 0) {
                return 0;
            }
        }
        for (long dimension : shape) {
            if (dimension < 0 || bytes > Long.MAX_VALUE / dimension) {
                return Long.MAX_VALUE;
            }
            bytes *= dimension;
        }
        return bytes;
    }

    /** numpy's way of writing a shape: {@code (2, 3)}, {@code (3,)}, {@code ()}. */
    static String shapeText(long[] shape) {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return text.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static long readSigned(ByteBuffer buffer, int size) {
        return switch (size) {
            case 1 -> buffer.get();
            case 2 -> buffer.getShort();
            case 4 -> buffer.getInt();
            default -> buffer.getLong();
        };
    }

    private static double readUnsigned(ByteBuffer buffer, int size) {
        return switch (size) {
            case 1 -> buffer.get() & 0xff;
            case 2 -> buffer.getShort() & 0xffff;
            case 4 -> buffer.getInt() & 0xffffffffL;
            default -> {
                long value = buffer.getLong();
                yield value >= 0 ? value : value + 0x1p64;
            }
        };
    }

    private static float[] transposeColumnMajor(float[] values, int rows, int cols) {
        float[] rowMajor = new float[values.length];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                rowMajor[r * cols + c] = values[c * rows + r];
            }
        }
        return rowMajor;
    }

    /** One little-endian float32 array in .npy version 1.0, as {@code np.save} writes it. */
    static byte[] npy(long[] shape, float[] values) {
        byte[] header = npyHeader("<f4", shape);
        ByteBuffer buffer = ByteBuffer.allocate(header.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(header);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    /** One little-endian int64 array in .npy version 1.0, as {@code np.save} writes Keras's integer variables. */
    static byte[] npyInt64(long[] shape, long[] values) {
        byte[] header = npyHeader("<i8", shape);
        ByteBuffer buffer = ByteBuffer.allocate(header.length + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(header);
        for (long value : values) {
            buffer.putLong(value);
        }
        return buffer.array();
    }

    /** The magic, version 1.0 and the header dict of an array, padded as numpy pads it. */
    private static byte[] npyHeader(String descr, long[] shape) {
        StringBuilder shapeText = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            shapeText.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            shapeText.append(',');
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        // numpy pads the header with spaces and a newline so that the data starts at a multiple of 64 bytes.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 4 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buffer.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return buffer.array();
    }

    /** An .npz archive of {@code arr_0.npy, arr_1.npy, ...}, stored uncompressed as {@code np.savez} does. */
    static byte[] npz(List<byte[]> arrays) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < arrays.size(); i++) {
                byte[] data = arrays.get(i);
                ZipEntry entry = new ZipEntry("arr_" + i + ".npy");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(data.length);
                entry.setCompressedSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(ZIP_EPOCH);
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
