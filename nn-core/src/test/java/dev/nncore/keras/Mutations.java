package dev.nncore.keras;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Seeded mutations for fuzzing the readers: of raw bytes (flips, interesting integers, truncation, splices), of JSON
 * text token by token (numbers, strings, structure), and of zip archives entry by entry. Every method takes the
 * {@link Random} of one variant, so a failing variant is reproduced from its seed and index alone.
 */
final class Mutations {

    private static final int[] INTERESTING_BYTES = {0x00, 0xFF, 0x7F, 0x80, 0x01, 0x02, 0x08, 0x10, 0x20, 0x40, 0xFE};
    private static final long[] INTERESTING_INTS = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFFL,
        0x80000000L, 0xFFFFFFFFL, 0x7FFFFFFFFFFFFFFFL, -1, 1L << 40, 4096, 65536};
    private static final String[] INTERESTING_NUMBERS = {"0", "-1", "1", "2", "3", "1.5", "-0", "1e12", "1e308", "-1e308",
        "2147483647", "2147483648", "4294967296", "9007199254740993", "100000000000", "1e-320", "NaN", "Infinity",
        "-Infinity", "65536", "1000000"};
    private static final String[] INTERESTING_STRINGS = {"", " ", "..", "../weights.bin", "/etc/passwd", "weights.bin",
        "\\u0000", "a\\u0000b", "relu", "softmax", "elu", "linear", "Dense", "InputLayer", "Conv2D", "Activation", "ReLU",
        "Softmax", "Dropout", "Flatten", "Functional", "Model", "Sequential", "function", "float16", "float32", "float64",
        "int32", "uint8", "uint16", "bool", "string", "complex64", "layers-model", "graph-model", "kernel", "bias",
        "dense/kernel", "dense_1/bias", "config", "class_name", "layers", "x".repeat(300)};
    private static final String[] VALUES = {"null", "true", "false", "{}", "[]", "[null]", "[[]]", "[1,2]", "[0]",
        "[-1]", "[1e12,1e12]", "{\"class_name\":\"Dense\"}", "\"\"", "0", "[2147483647,0]", "[0,2147483647]"};
    private static final java.util.Set<String> KEYS = java.util.Set.of("\"name\"", "\"units\"", "\"activation\"",
        "\"class_name\"", "\"config\"", "\"use_bias\"", "\"shape\"", "\"dtype\"", "\"paths\"",
        "\"batch_input_shape\"", "\"batch_shape\"", "\"input_dim\"", "\"layers\"", "\"inbound_nodes\"",
        "\"input_layers\"", "\"output_layers\"", "\"quantization\"", "\"scale\"", "\"min\"", "\"format\"",
        "\"axis\"", "\"max_value\"", "\"negative_slope\"", "\"weights\"", "\"weightsManifest\"", "\"modelTopology\"",
        "\"model_config\"", "\"keras_history\"");
    private static final String[] PUNCTUATION = {"{", "}", "[", "]", ",", ":", "\"", "\\", "-", "."};

    private Mutations() {
    }

    // ---- bytes ---------------------------------------------------------------------------------------------------

    /** One to four random or interesting bytes, sometimes an interesting 2-, 4- or 8-byte integer, at random places. */
    static byte[] flipBytes(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        if (out.length == 0) {
            return out;
        }
        int changes = 1 + random.nextInt(4);
        for (int c = 0; c < changes; c++) {
            int at = random.nextInt(out.length);
            if (random.nextInt(4) == 0) {
                putInteger(out, at, INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)], 1 << (1 + random.nextInt(3)),
                        random.nextBoolean());
            } else {
                out[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]);
            }
        }
        return out;
    }

    /** Writes {@code size} bytes of {@code value} at {@code at} (as far as the array goes), in either byte order. */
    static void putInteger(byte[] out, int at, long value, int size, boolean littleEndian) {
        for (int i = 0; i < size && at + i < out.length; i++) {
            int shift = 8 * (littleEndian ? i : size - 1 - i);
            out[at + i] = (byte) (value >>> shift);
        }
    }

    /** A prefix of random length, cut anywhere including inside the first bytes. */
    static byte[] truncate(byte[] bytes, Random random) {
        return Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
    }

    /** Deletes, duplicates or inserts a random range, or appends garbage: the file grows, shrinks or shifts. */
    static byte[] splice(byte[] bytes, Random random) {
        if (bytes.length < 2) {
            return bytes.clone();
        }
        int from = random.nextInt(bytes.length);
        int length = 1 + random.nextInt(Math.min(64, bytes.length - from));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(4)) {
            case 0 -> { // delete
                out.write(bytes, 0, from);
                out.write(bytes, from + length, bytes.length - from - length);
            }
            case 1 -> { // duplicate
                out.write(bytes, 0, from + length);
                out.write(bytes, from, bytes.length - from);
            }
            case 2 -> { // insert random bytes
                byte[] garbage = new byte[length];
                random.nextBytes(garbage);
                out.write(bytes, 0, from);
                out.write(garbage, 0, garbage.length);
                out.write(bytes, from, bytes.length - from);
            }
            default -> { // append random bytes
                byte[] garbage = new byte[1 + random.nextInt(4096)];
                random.nextBytes(garbage);
                out.write(bytes, 0, bytes.length);
                out.write(garbage, 0, garbage.length);
            }
        }
        return out.toByteArray();
    }

    /** Any byte mutation: flips (half the time), truncation, or a splice. */
    static byte[] anyBytes(byte[] bytes, Random random) {
        int choice = random.nextInt(8);
        if (choice < 4) {
            return flipBytes(bytes, random);
        }
        if (choice < 6) {
            return truncate(bytes, random);
        }
        return splice(bytes, random);
    }

    // ---- JSON text -----------------------------------------------------------------------------------------------

    /** A token of JSON text: [start, end) and its kind. */
    record Token(int start, int end, char kind) {
    }

    /**
     * Splits JSON-like text into tokens: {@code s} string, {@code n} number, {@code w} word (null, true, NaN, ...),
     * {@code p} punctuation. Tolerates broken text, so a mutated document can be mutated again.
     */
    static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != '"') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j + 1, text.length());
                tokens.add(new Token(i, j, 's'));
                i = j;
            } else if (c == '-' || Character.isDigit(c)) {
                int j = i + 1;
                while (j < text.length() && "0123456789.eE+-".indexOf(text.charAt(j)) >= 0) {
                    j++;
                }
                tokens.add(new Token(i, j, 'n'));
                i = j;
            } else if (Character.isLetter(c)) {
                int j = i + 1;
                while (j < text.length() && Character.isLetter(text.charAt(j))) {
                    j++;
                }
                tokens.add(new Token(i, j, 'w'));
                i = j;
            } else {
                tokens.add(new Token(i, i + 1, 'p'));
                i++;
            }
        }
        return tokens;
    }

    /** One to three token-level mutations of JSON text; now and then a truncation or a raw character change. */
    static String json(String text, Random random) {
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            text = jsonOnce(text, random);
        }
        return text;
    }

    private static String jsonOnce(String text, Random random) {
        List<Token> tokens = tokens(text);
        if (tokens.isEmpty() || random.nextInt(20) == 0) {
            return text.substring(0, text.isEmpty() ? 0 : random.nextInt(text.length()));
        }
        int choice = random.nextInt(14);
        if (choice >= 12) { // the value of a key a reader looks at: sizes, names, classes, dtypes, paths
            String value = switch (random.nextInt(3)) {
                case 0 -> VALUES[random.nextInt(VALUES.length)];
                case 1 -> INTERESTING_NUMBERS[random.nextInt(INTERESTING_NUMBERS.length)];
                default -> "\"" + INTERESTING_STRINGS[random.nextInt(INTERESTING_STRINGS.length)] + "\"";
            };
            List<Token> values = new ArrayList<>();
            for (int i = 0; i + 2 < tokens.size(); i++) {
                Token key = tokens.get(i);
                if (key.kind() == 's' && KEYS.contains(text.substring(key.start(), key.end()))
                        && text.charAt(tokens.get(i + 1).start()) == ':') {
                    values.add(tokens.get(i + 2));
                }
            }
            return values.isEmpty() ? text : replace(text, pick(values, random), value);
        }
        if (choice == 0) { // a raw character
            StringBuilder out = new StringBuilder(text);
            int at = random.nextInt(out.length());
            out.setCharAt(at, "{}[]\",:0123456789-.eE nulltrue\\az".charAt(random.nextInt(33)));
            return out.toString();
        }
        List<Token> numbers = tokens.stream().filter(t -> t.kind() == 'n').toList();
        List<Token> strings = tokens.stream().filter(t -> t.kind() == 's').toList();
        if (choice <= 3 && !numbers.isEmpty()) {
            return replace(text, pick(numbers, random), INTERESTING_NUMBERS[random.nextInt(INTERESTING_NUMBERS.length)]);
        }
        if (choice <= 6 && !strings.isEmpty()) {
            Token other = pick(strings, random); // another string of the document: a name, a dtype, a path
            String replacement = random.nextInt(4) == 0 ? text.substring(other.start(), other.end())
                    : "\"" + INTERESTING_STRINGS[random.nextInt(INTERESTING_STRINGS.length)] + "\"";
            return replace(text, pick(strings, random), replacement);
        }
        Token token = pick(tokens, random);
        return switch (choice) {
            case 7 -> replace(text, token, ""); // delete
            case 8 -> replace(text, token, text.substring(token.start(), token.end()) + text.substring(token.start(), token.end()));
            case 9 -> replace(text, token, VALUES[random.nextInt(VALUES.length)]);
            case 10 -> replace(text, token, PUNCTUATION[random.nextInt(PUNCTUATION.length)]);
            default -> { // swap two tokens
                Token other = pick(tokens, random);
                if (other.start() == token.start()) {
                    yield text;
                }
                Token first = other.start() < token.start() ? other : token;
                Token second = first == token ? other : token;
                yield text.substring(0, first.start()) + text.substring(second.start(), second.end())
                        + text.substring(first.end(), second.start()) + text.substring(first.start(), first.end())
                        + text.substring(second.end());
            }
        };
    }

    private static String replace(String text, Token token, String replacement) {
        return text.substring(0, token.start()) + replacement + text.substring(token.end());
    }

    private static <T> T pick(List<T> list, Random random) {
        return list.get(random.nextInt(list.size()));
    }

    /**
     * Changes characters inside the JSON that starts at {@code from} in {@code bytes} without changing its length, so
     * that a JSON string stored in a binary container (an HDF5 attribute) is mutated while the container stays valid.
     */
    static byte[] jsonInPlace(byte[] bytes, int from, int to, Random random) {
        byte[] out = bytes.clone();
        int changes = 1 + random.nextInt(3);
        String alphabet = "{}[]\",:0123456789-.e nulltrueDense";
        for (int c = 0; c < changes; c++) {
            int at = from + random.nextInt(to - from);
            char now = (char) out[at];
            if (Character.isDigit(now) && random.nextBoolean()) {
                out[at] = (byte) ('0' + random.nextInt(10)); // another digit: units, shapes, input widths
            } else {
                out[at] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
        }
        return out;
    }

    // ---- zip -----------------------------------------------------------------------------------------------------

    /** The entries of a valid zip, in order. */
    static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** A zip of {@code entries}, each stored or deflated. */
    static byte[] zip(Map<String, byte[]> entries, boolean stored) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ZipEntry zipEntry = new ZipEntry(entry.getKey());
                byte[] data = entry.getValue();
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    zipEntry.setMethod(ZipEntry.STORED);
                    zipEntry.setSize(data.length);
                    zipEntry.setCompressedSize(data.length);
                    zipEntry.setCrc(crc.getValue());
                }
                zip.putNextEntry(zipEntry);
                zip.write(data);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Mutates a zip at the entry level: one entry's contents (JSON entries token by token, others byte by byte),
     * or the set of entries (dropped, renamed, duplicated, a directory or many empty entries added), then zips it
     * again, stored or deflated.
     */
    static byte[] zipEntries(Map<String, byte[]> original, Random random) {
        Map<String, byte[]> entries = new LinkedHashMap<>(original);
        List<String> names = new ArrayList<>(entries.keySet());
        String name = pick(names, random);
        int choice = random.nextInt(10);
        if (choice < 7) {
            byte[] data = entries.get(name);
            entries.put(name, name.endsWith(".json")
                    ? json(new String(data, StandardCharsets.UTF_8), random).getBytes(StandardCharsets.UTF_8)
                    : anyBytes(data, random));
        } else if (choice == 7) {
            entries.remove(name);
            if (entries.isEmpty()) {
                entries.put("empty/", new byte[0]);
            }
        } else if (choice == 8) {
            byte[] data = entries.remove(name);
            entries.put(random.nextBoolean() ? name.toUpperCase() : "sub/" + name, data);
        } else {
            for (int i = 0; i < 1 + random.nextInt(50); i++) {
                entries.put("extra_" + i + (random.nextBoolean() ? "/" : ".npy"), new byte[0]);
            }
        }
        return zip(entries, random.nextBoolean());
    }
}
