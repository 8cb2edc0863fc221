package dev.nncore.docs;

import dev.nncore.math.Matrix;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The checks {@link DocExamplesTest} inserts into an example: each compares what a line computed with the value its
 * trailing comment states. The convention is described in {@link DocExamplesTest}; this class only compares.
 *
 * <p>Numbers match to the digits printed: {@code 0.96} accepts 0.96000004 (|difference| at most half a unit in the
 * last printed digit). Arrays, lists and matrices ({@code {1, 2}}, {@code [[0.0], [-0.16]]}) match element by
 * element; other bracketed text ({@code {gamma=0.5}}, {@code [a, b,c]}) matches {@code toString()} exactly. A quoted
 * Java string literal matches {@code String.valueOf(actual)} exactly, and {@code ... "text" ...} matches a string
 * that contains {@code text}.
 */
public final class DocCheck {

    private DocCheck() {
    }

    /** Public for the generated examples: fails unless {@code actual} is the value written as {@code expected}. */
    public static void check(String where, Object actual, String expected) {
        String text = expected.trim();
        boolean ok;
        if (text.startsWith("...")) {
            String inner = text.substring(3, text.length() - 3).trim();
            ok = String.valueOf(actual).contains(unquote(inner));
        } else {
            ok = matches(parse(text), normalize(actual), text);
        }
        if (!ok) {
            throw new AssertionError(where + ": the comment says " + text + ", the code gives " + show(actual));
        }
    }

    /** Public for the generated examples: fails unless {@code actual} equals the constant the comment names. */
    public static void same(String where, Object actual, Object expected, String expectedText) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError(where + ": the comment says " + expectedText + ", the code gives " + show(actual));
        }
    }

    /** Public for the generated examples: the statement of a {@code // throws ...} comment did not throw. */
    public static void notThrown(String where, String exception) {
        throw new AssertionError(where + ": the comment says the line throws " + exception + ", it did not");
    }

    /** Public for the generated examples: checks the message of a thrown exception against {@code ... "text" ...}. */
    public static void thrown(String where, Throwable thrown, String messagePattern) {
        String text = messagePattern.trim();
        if (text.isEmpty()) {
            return;
        }
        if (text.startsWith("\"") && text.contains("...")) {
            // "... some words ..." : the message contains the words
            String inner = unquote(text).replace("...", "\u0000");
            for (String part : inner.split("\u0000")) {
                if (!String.valueOf(thrown.getMessage()).contains(part.trim())) {
                    throw new AssertionError(where + ": the comment says the message contains \"" + part.trim()
                            + "\", it is: " + thrown.getMessage());
                }
            }
        } else {
            check(where, thrown.getMessage(), text);
        }
    }

    private static String show(Object actual) {
        Object normal = normalize(actual);
        return normal instanceof String s ? '"' + s.replace("\n", "\\n") + '"' : String.valueOf(normal);
    }

    /** Arrays and matrices become lists, so one comparison covers them all. */
    static Object normalize(Object value) {
        if (value instanceof Matrix matrix) {
            return normalize(matrix.toArray());
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(normalize(Array.get(value, i)));
            }
            return list;
        }
        if (value instanceof Collection<?> collection && !(value instanceof List<?>)) {
            return value;
        }
        return value;
    }

    // ---- the expected text as a tree: numbers, quoted strings, bare words, bracketed sequences ----

    private sealed interface Node permits Num, Str, Word, Seq {
    }

    private record Num(double value, double tolerance) implements Node {
    }

    private record Str(String text) implements Node {
    }

    private record Word(String text) implements Node {
    }

    private record Seq(List<Node> items, String raw) implements Node {
    }

    static Node parse(String text) {
        String t = text.trim();
        if ((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"))) {
            List<Node> items = new ArrayList<>();
            String inner = t.substring(1, t.length() - 1);
            if (!inner.isBlank()) {
                for (String part : splitTopLevel(inner)) {
                    items.add(parse(part));
                }
            }
            return new Seq(items, t);
        }
        if (t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2) {
            return new Str(unquote(t));
        }
        Num number = number(t);
        return number != null ? number : new Word(t);
    }

    private static Num number(String t) {
        switch (t) {
            case "NaN": return new Num(Double.NaN, 0);
            case "Infinity": return new Num(Double.POSITIVE_INFINITY, 0);
            case "-Infinity": return new Num(Double.NEGATIVE_INFINITY, 0);
            default: break;
        }
        if (!t.matches("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            return null;
        }
        BigDecimal value = new BigDecimal(t);
        // half a unit in the last printed digit: 0.96 -> 0.005, 1.8e-06 -> 5e-8, 10 -> 0.5
        double tolerance = 0.5 * Math.pow(10, -value.scale());
        return new Num(value.doubleValue(), tolerance);
    }

    private static List<String> splitTopLevel(String inner) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '"' && (i == 0 || inner.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == '{' || c == '[')) {
                depth++;
            } else if (!quoted && (c == '}' || c == ']')) {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(inner.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(inner.substring(start));
        return parts;
    }

    private static boolean matches(Node expected, Object actual, String raw) {
        if (expected instanceof Num num) {
            if (!(actual instanceof Number n)) {
                return false;
            }
            double a = n.doubleValue();
            if (Double.isNaN(num.value())) {
                return Double.isNaN(a);
            }
            if (Double.isInfinite(num.value())) {
                return a == num.value();
            }
            return Math.abs(a - num.value()) <= num.tolerance() * (1 + 1e-9);
        }
        if (expected instanceof Str str) {
            return str.text().equals(String.valueOf(actual));
        }
        if (expected instanceof Word word) {
            return word.text().equals(String.valueOf(actual));
        }
        Seq seq = (Seq) expected;
        if (actual instanceof List<?> list && list.size() == seq.items().size()) {
            boolean all = true;
            for (int i = 0; i < list.size() && all; i++) {
                all = matches(seq.items().get(i), list.get(i), null);
            }
            if (all) {
                return true;
            }
        }
        return String.valueOf(actual).equals(seq.raw());
    }

    static String unquote(String literal) {
        String t = literal.trim();
        if (!(t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2)) {
            return t;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < t.length() - 1; i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length() - 1) {
                char next = t.charAt(++i);
                switch (next) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    default -> out.append('\\').append(next);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
