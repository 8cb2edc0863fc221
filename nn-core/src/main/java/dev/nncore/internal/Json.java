package dev.nncore.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer (RFC 8259) for model configurations and test fixtures.
 *
 * <p>Objects read as {@code LinkedHashMap<String, Object>} (key order kept), arrays as {@code List<Object>},
 * numbers as {@code Double}, and {@code true}, {@code false}, {@code null} as themselves. Python's
 * {@code NaN}, {@code Infinity} and {@code -Infinity}, which Keras's {@code json.dumps} may write, are accepted.
 * Nesting deeper than {@link #MAX_DEPTH} is refused, so a hostile file cannot overflow the stack.
 *
 * <pre>{@code
 * import dev.nncore.internal.Json;
 *
 * Map<String, Object> config = Json.parseObject("{\"units\": 2, \"activation\": \"relu\"}");
 * double units = (Double) config.get("units");     // 2.0
 * String text = Json.write(config);                 // {"units":2,"activation":"relu"}
 * }</pre>
 */
public final class Json {

    /** The deepest nesting of arrays and objects accepted. Keras configurations nest fewer than 20 levels. */
    public static final int MAX_DEPTH = 256;

    /** A malformed document; the message gives the offset, line and column, and what was expected there. */
    public static final class ParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int offset;

        ParseException(String message, int offset) {
            super(message);
            this.offset = offset;
        }

        /** @return the offset in characters from the start of the text where the problem was found */
        public int offset() {
            return offset;
        }
    }

    /**
     * Estimated heap bytes of what parsing builds, charged as it is built (JDK 17, compressed references): an object
     * {@value #OBJECT_BYTES} and {@value #MEMBER_BYTES} per member, an array {@value #ARRAY_BYTES} and
     * {@value #ELEMENT_BYTES} per element, a string {@value #STRING_BYTES} and two per character, a number that is
     * not a shared small integer {@value #NUMBER_BYTES}. A {@code LinkedHashMap} really takes about this much.
     */
    static final int OBJECT_BYTES = 64;
    static final int MEMBER_BYTES = 48;
    static final int ARRAY_BYTES = 40;
    static final int ELEMENT_BYTES = 8;
    static final int STRING_BYTES = 40;
    static final int NUMBER_BYTES = 16;

    private final String text;
    private final long maxTreeBytes;
    private long treeBytes;
    private int position;
    private int depth;

    private Json(String text, long maxTreeBytes) {
        this.text = text;
        this.maxTreeBytes = maxTreeBytes;
    }

    /**
     * @param text a JSON document
     * @return its value: a Map, List, String, Double, Boolean or null
     * @throws ParseException if the text is not one JSON value
     */
    public static Object parse(String text) {
        return parse(text, Long.MAX_VALUE);
    }

    /**
     * Parses a document whose parsed form may take at most {@code maxTreeBytes} of heap (estimated as it is built,
     * from the sizes listed on the class's byte constants): parsed JSON takes many times its text ({@code {},} is three characters and a
     * 64-byte map), so a limit on the text alone lets 15 MiB of {@code {},{},...} take 800 MiB.
     *
     * @param text a JSON document
     * @param maxTreeBytes the most heap the parsed value may take, estimated
     * @return its value: a Map, List, String, Double, Boolean or null
     * @throws ParseException if the text is not one JSON value, or its parsed form would take more
     */
    public static Object parse(String text, long maxTreeBytes) {
        Checks.notNull(text, "JSON text");
        Json parser = new Json(text, maxTreeBytes);
        parser.skipWhitespace();
        Object value = parser.readValue();
        parser.skipWhitespace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected '" + text.charAt(parser.position) + "' after the JSON value");
        }
        return value;
    }

    /**
     * @param text a JSON document whose top level is an object
     * @return the object
     * @throws ParseException if the text is not a JSON object
     */
    public static Map<String, Object> parseObject(String text) {
        return parseObject(text, Long.MAX_VALUE);
    }

    /**
     * @param text a JSON document whose top level is an object
     * @param maxTreeBytes the most heap the parsed object may take, estimated (see {@link #parse(String, long)})
     * @return the object
     * @throws ParseException if the text is not a JSON object, or its parsed form would take more
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, long maxTreeBytes) {
        Object value = parse(text, maxTreeBytes);
        if (!(value instanceof Map)) {
            throw new ParseException("expected a JSON object at the top level, got " + typeName(value), 0);
        }
        return (Map<String, Object>) value;
    }

    /**
     * @param value a JSON-like value
     * @return a human name for its JSON type, for error messages
     */
    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value.getClass().getSimpleName();
    }

    private Object readValue() {
        if (position >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                expectWord("true");
                return Boolean.TRUE;
            case 'f':
                expectWord("false");
                return Boolean.FALSE;
            case 'n':
                expectWord("null");
                return null;
            case 'N':
                expectWord("NaN");
                return Double.NaN;
            case 'I':
                expectWord("Infinity");
                return Double.POSITIVE_INFINITY;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw error("unexpected '" + c + "', expected a value");
        }
    }

    private Map<String, Object> readObject() {
        enter();
        position++; // '{'
        charge(OBJECT_BYTES);
        Map<String, Object> object = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            depth--;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key in the object");
            }
            String key = readString();
            skipWhitespace();
            expect(':', "after object key \"" + key + "\"");
            skipWhitespace();
            charge(MEMBER_BYTES);
            object.put(key, readValue());
            skipWhitespace();
            char c = peek();
            position++;
            if (c == '}') {
                depth--;
                return object;
            }
            if (c != ',') {
                position--;
                throw error("expected ',' or '}' in the object");
            }
        }
    }

    private List<Object> readArray() {
        enter();
        position++; // '['
        charge(ARRAY_BYTES);
        List<Object> array = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            depth--;
            return array;
        }
        while (true) {
            skipWhitespace();
            charge(ELEMENT_BYTES);
            array.add(readValue());
            skipWhitespace();
            char c = peek();
            position++;
            if (c == ']') {
                depth--;
                return array;
            }
            if (c != ',') {
                position--;
                throw error("expected ',' or ']' in the array");
            }
        }
    }

    private void charge(long bytes) {
        treeBytes += bytes;
        if (treeBytes > maxTreeBytes) {
            throw error("the parsed document would take more than " + maxTreeBytes + " bytes of memory");
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String readString() {
        position++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                charge(STRING_BYTES + 2L * out.length());
                return out.toString();
            }
            if (c == '\\') {
                if (position >= text.length()) {
                    throw error("unterminated escape in string");
                }
                char e = text.charAt(position++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = Character.digit(text.charAt(position + i), 16);
                            if (digit < 0) {
                                throw error("bad hex digit in \\u escape");
                            }
                            code = code * 16 + digit;
                        }
                        position += 4;
                        out.append((char) code);
                    }
                    default -> {
                        position--;
                        throw error("unknown escape '\\" + e + "'");
                    }
                }
            } else if (c < 0x20) {
                position--;
                throw error("control character in string");
            } else {
                out.append(c);
            }
        }
    }

    private static final Double[] SMALL_INTEGERS = new Double[1000];

    static {
        for (int i = 0; i < SMALL_INTEGERS.length; i++) {
            SMALL_INTEGERS[i] = (double) i;
        }
    }

    private Double readNumber() {
        int start = position;
        if (peek() == '-') {
            position++;
            if (position < text.length() && text.charAt(position) == 'I') {
                expectWord("Infinity");
                return Double.NEGATIVE_INFINITY;
            }
        }
        int digitsStart = position;
        while (position < text.length() && isNumberChar(text.charAt(position))) {
            position++;
        }
        if (position == digitsStart) {
            throw error("expected digits in number");
        }
        if (position - start <= 3 && text.charAt(start) != '-' && (position - start == 1 || text.charAt(start) != '0')) {
            int small = 0; // 0 to 999: one shared Double each, so a hostile "[0,0,0,..." costs a reference per element
            for (int i = start; i < position && small >= 0; i++) {
                char c = text.charAt(i);
                small = c >= '0' && c <= '9' ? small * 10 + (c - '0') : -1;
            }
            if (small >= 0) {
                return SMALL_INTEGERS[small];
            }
        }
        String token = text.substring(start, position);
        charge(NUMBER_BYTES);
        try {
            return Double.valueOf(token);
        } catch (NumberFormatException e) {
            position = start;
            throw error("malformed number '" + token + "'");
        }
    }

    private static boolean isNumberChar(char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }

    private void expectWord(String word) {
        if (!text.startsWith(word, position)) {
            throw error("expected '" + word + "'");
        }
        position += word.length();
    }

    private void expect(char c, String where) {
        if (peek() != c) {
            throw error("expected '" + c + "' " + where);
        }
        position++;
    }

    private char peek() {
        if (position >= text.length()) {
            throw error("unexpected end of text");
        }
        return text.charAt(position);
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            position++;
        }
    }

    private ParseException error(String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(position, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new ParseException("JSON at offset " + position + " (line " + line + ", column " + column + "): " + what,
                position);
    }

    /**
     * Writes a value compactly. Floats are written in their shortest form that reads back to the same float, and
     * doubles that are whole numbers below 2^53 without a fraction ({@code 2}, not {@code 2.0}), as Python does for
     * ints.
     *
     * @param value a Map (String keys), Iterable, array of float/double/int, String, Number, Boolean or null
     * @return the JSON text
     * @throws IllegalArgumentException for NaN, infinity or a value of another type
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(value, out);
        return out.toString();
    }

    private static void writeValue(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Float f) {
            checkFinite(f);
            out.append(f == Math.rint(f) && Math.abs(f) < 1e7 ? String.valueOf((long) f.floatValue()) : Float.toString(f));
        } else if (value instanceof Double d) {
            checkFinite(d);
            out.append(d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15 ? String.valueOf((long) d.doubleValue()) : Double.toString(d));
        } else if (value instanceof Number n) {
            out.append(n.longValue());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(String.valueOf(entry.getKey()), out);
                out.append(':');
                writeValue(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Iterable<?> iterable) {
            out.append('[');
            Iterator<?> it = iterable.iterator();
            while (it.hasNext()) {
                writeValue(it.next(), out);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append(']');
        } else if (value instanceof float[] floats) {
            List<Object> list = new ArrayList<>(floats.length);
            for (float f : floats) {
                list.add(f);
            }
            writeValue(list, out);
        } else if (value instanceof int[] ints) {
            List<Object> list = new ArrayList<>(ints.length);
            for (int i : ints) {
                list.add(i);
            }
            writeValue(list, out);
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void checkFinite(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON has no representation for " + d);
        }
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
