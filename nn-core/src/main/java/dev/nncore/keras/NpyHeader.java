package dev.nncore.keras;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code .npy} header read as numpy reads it: a Python literal (numpy calls {@code ast.literal_eval}) that must be
 * a dict with exactly the keys {@code descr}, {@code fortran_order} and {@code shape}, where a key given twice takes
 * its last value, as in Python. Only the literals a header can hold are parsed: dicts, tuples, lists, strings
 * (single or double quoted, with backslash escapes), integers (with {@code _} separators, and Python 2's {@code L}
 * suffix in version 1 and 2 headers, which numpy still reads), {@code True}, {@code False} and {@code None}, with
 * blanks and {@code #} comments between them.
 * Anything else is refused with the offset where it went wrong: nn-core never reads a header numpy would not.
 *
 * @param descr the dtype string, e.g. {@code <f4}
 * @param fortranOrder whether the data is in column-major order
 * @param shape the dimensions, each at least 0
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

    /** Python's {@code True} and {@code False}, distinct from the integers 1 and 0 for the checks below. */
    private enum Bool { TRUE, FALSE }

    /** A Python tuple, distinct from a list. */
    private record Tuple(List<Object> items) {
    }

    private static final Object NONE = new Object();

    /**
     * @param text the header after its length field
     * @param legacy whether Python 2's long suffix {@code L} may follow integers (format versions 1 and 2)
     * @param source the file and array, for messages
     */
    static NpyHeader parse(String text, boolean legacy, String source) throws ModelFormatException {
        Parser parser = new Parser(text, legacy, source);
        Object value = parser.value(0);
        parser.skipSpace();
        if (parser.at < text.length()) {
            throw parser.error("unexpected '" + text.charAt(parser.at) + "' after the header's dict");
        }
        if (!(value instanceof Map<?, ?> dict)) {
            throw new ModelFormatException(source + ": the .npy header is not a dict");
        }
        if (dict.size() != 3 || !dict.containsKey("descr") || !dict.containsKey("fortran_order") || !dict.containsKey("shape")) {
            throw new ModelFormatException(source + ": the .npy header has the keys " + dict.keySet()
                    + ", numpy's has exactly descr, fortran_order and shape");
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new ModelFormatException(source + ": the .npy header's descr is not a string (a structured dtype?);"
                    + " nn-core reads float and integer arrays");
        }
        if (!(dict.get("fortran_order") instanceof Bool order)) {
            throw new ModelFormatException(source + ": the .npy header's fortran_order is not True or False");
        }
        if (!(dict.get("shape") instanceof Tuple tuple)) {
            throw new ModelFormatException(source + ": the .npy header's shape is not a tuple");
        }
        long[] shape = new long[tuple.items().size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(tuple.items().get(i) instanceof Long dimension) || dimension < 0) {
                throw new ModelFormatException(source + ": the .npy header's shape has a dimension that is not a"
                        + " non-negative integer");
            }
            shape[i] = dimension;
        }
        return new NpyHeader(descr, order == Bool.TRUE, shape);
    }

    /** A recursive-descent reader of the Python literals above; nesting is bounded. */
    private static final class Parser {
        private static final int MAX_DEPTH = 32;
        private final String text;
        private final boolean legacy;
        private final String source;
        private int at;

        Parser(String text, boolean legacy, String source) {
            this.text = text;
            this.legacy = legacy;
            this.source = source;
        }

        ModelFormatException error(String message) {
            return new ModelFormatException(source + ": .npy header at character " + at + ": " + message);
        }

        /** Skips blanks and Python comments ({@code #} to the end of the line), as Python's tokenizer does. */
        void skipSpace() {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '#') {
                    while (at < text.length() && text.charAt(at) != '\n') {
                        at++;
                    }
                } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                    at++;
                } else {
                    return;
                }
            }
        }

        Object value(int depth) throws ModelFormatException {
            if (depth > MAX_DEPTH) {
                throw error("nested more than " + MAX_DEPTH + " deep");
            }
            skipSpace();
            if (at >= text.length()) {
                throw error("the header ends before its value");
            }
            char c = text.charAt(at);
            switch (c) {
                case '{':
                    return dict(depth);
                case '(':
                    return new Tuple(sequence(')', depth));
                case '[':
                    return sequence(']', depth);
                case '\'':
                case '"':
                    return string(c);
                default:
                    break;
            }
            if (c == '-' || c == '+' || Character.isDigit(c)) {
                return integer();
            }
            for (Map.Entry<String, Object> word : Map.of("True", Bool.TRUE, "False", Bool.FALSE, "None", NONE).entrySet()) {
                if (text.startsWith(word.getKey(), at) && !identifierAt(at + word.getKey().length())) {
                    at += word.getKey().length();
                    return word.getValue();
                }
            }
            throw error("'" + c + "' starts no Python literal numpy reads");
        }

        private boolean identifierAt(int index) {
            return index < text.length() && (Character.isLetterOrDigit(text.charAt(index)) || text.charAt(index) == '_');
        }

        private Map<Object, Object> dict(int depth) throws ModelFormatException {
            at++; // {
            Map<Object, Object> map = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (at < text.length() && text.charAt(at) == '}') {
                    at++;
                    return map;
                }
                Object key = value(depth + 1);
                if (key instanceof Map || key instanceof List) {
                    throw error("a dict or list cannot be a key");
                }
                skipSpace();
                expect(':');
                map.put(key, value(depth + 1)); // a key given twice keeps its last value, as in Python
                skipSpace();
                if (at < text.length() && text.charAt(at) == ',') {
                    at++;
                } else if (at >= text.length() || text.charAt(at) != '}') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        /** Items up to {@code close}; a parenthesis around one item without a comma is that item, not a tuple. */
        private List<Object> sequence(char close, int depth) throws ModelFormatException {
            int start = at++;
            List<Object> items = new ArrayList<>();
            boolean comma = false;
            while (true) {
                skipSpace();
                if (at < text.length() && text.charAt(at) == close) {
                    at++;
                    if (close == ')' && items.size() == 1 && !comma) {
                        at = start;
                        throw error("(x) is x, not a tuple: numpy's shape of one dimension is written (x,)");
                    }
                    return items;
                }
                items.add(value(depth + 1));
                skipSpace();
                comma = false;
                if (at < text.length() && text.charAt(at) == ',') {
                    at++;
                    comma = true;
                } else if (at >= text.length() || text.charAt(at) != close) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        private void expect(char c) throws ModelFormatException {
            if (at >= text.length() || text.charAt(at) != c) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        private String string(char quote) throws ModelFormatException {
            at++;
            StringBuilder out = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == quote) {
                    return out.toString();
                }
                if (c == '\n') {
                    break;
                }
                if (c == '\\') {
                    if (at >= text.length()) {
                        break;
                    }
                    char escaped = text.charAt(at++);
                    switch (escaped) {
                        case '\\', '\'', '"' -> out.append(escaped);
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case '0' -> out.append('\0');
                        default -> throw error("escape \\" + escaped + " is not read by nn-core");
                    }
                    continue;
                }
                out.append(c);
            }
            throw error("unterminated string");
        }

        private Long integer() throws ModelFormatException {
            int start = at;
            boolean negative = false;
            if (text.charAt(at) == '-' || text.charAt(at) == '+') {
                negative = text.charAt(at) == '-';
                at++;
                skipSpace();
            }
            int digitsStart = at;
            StringBuilder digits = new StringBuilder();
            while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                char c = text.charAt(at++);
                if (c == '_') {
                    if (digits.length() == 0 || at >= text.length() || !Character.isDigit(text.charAt(at))) {
                        throw error("misplaced '_' in a number");
                    }
                } else {
                    digits.append(c);
                }
            }
            if (digits.length() == 0) {
                at = start;
                throw error("a sign without a number");
            }
            if (digits.length() > 1 && digits.charAt(0) == '0') {
                at = digitsStart;
                throw error("a number with a leading zero, which Python refuses");
            }
            if (legacy && at < text.length() && (text.charAt(at) == 'L' || text.charAt(at) == 'l')) {
                at++; // Python 2's long, which numpy filters out of old headers
            }
            if (at < text.length() && (Character.isLetter(text.charAt(at)) || text.charAt(at) == '.')) {
                throw error("'" + text.charAt(at) + "' after a number: only integers are read");
            }
            try {
                long value = Long.parseLong(digits.toString());
                return negative ? -value : value;
            } catch (NumberFormatException e) {
                at = start;
                throw error("integer " + digits + " is too large");
            }
        }
    }
}
