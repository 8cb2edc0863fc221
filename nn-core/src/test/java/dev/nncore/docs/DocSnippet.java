package dev.nncore.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Java example read out of README.md or a Javadoc {@code <pre>{@code ...}</pre>} block, and the class
 * {@link DocExamplesTest} compiles it into. The conventions are described in {@link DocExamplesTest}.
 *
 * @param where the file, as a path relative to the project, e.g. {@code README.md} or {@code dev/nncore/Dense.java}
 * @param firstLine the file's line number of the example's first line
 * @param lines the example's lines, Javadoc's leading {@code " * "} removed
 */
record DocSnippet(String where, int firstLine, List<String> lines) {

    /** Lines of the generated class before the example's first line: package, imports, class and givens. */
    static final int HEADER_LINES = 3;

    /** Every example is compiled with these imports (README.md says so once). */
    static final String PREAMBLE = "import dev.nncore.*; import dev.nncore.math.*; import dev.nncore.train.*;"
            + " import dev.nncore.keras.*; import dev.nncore.onnx.*; import dev.nncore.explain.*;"
            + " import dev.nncore.data.*; import dev.nncore.metrics.*;"
            + " import java.io.*; import java.nio.file.*; import java.util.*; import java.util.stream.*;";

    private static final Pattern GIVEN = Pattern.compile("^\\s*//\\s*given:\\s*(.+)$");
    private static final String NUMBER = "-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|NaN|-?Infinity|true|false";
    private static final Pattern CONSTANT = Pattern.compile("^[A-Z]\\w*(?:\\.[A-Z]\\w*)*\\.[A-Z][A-Z0-9_]*");
    private static final Pattern DECLARATION = Pattern.compile(
            "^(?:final\\s+)?(?:[A-Z][\\w.]*|int|long|float|double|boolean|char|byte|short|var)(?:<.*?>)?(?:\\[\\])*"
                    + "\\s+([a-zA-Z_]\\w*)\\s*=(?!=)");
    private static final Pattern VARIABLE = Pattern.compile("^([a-z_]\\w*) = (.*)$");
    private static final Pattern THROWS = Pattern.compile("^throws (\\w+)(?::\\s*(.*))?$");

    /** Every ```java block of a Markdown file, in order. */
    static List<DocSnippet> fromMarkdown(Path file, String where) throws IOException {
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<DocSnippet> snippets = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (text.get(i).strip().equals("```java")) {
                int start = i + 1;
                int end = start;
                while (end < text.size() && !text.get(end).strip().equals("```")) {
                    end++;
                }
                snippets.add(new DocSnippet(where, start + 1, List.copyOf(text.subList(start, end))));
                i = end;
            }
        }
        return snippets;
    }

    /** Every {@code <pre>{@code ...}</pre>} block of the Java files under {@code root}, by file then line. */
    static List<DocSnippet> fromJavadoc(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        List<DocSnippet> snippets = new ArrayList<>();
        for (Path file : files) {
            List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
            String where = root.relativize(file).toString().replace('\\', '/');
            for (int i = 0; i < text.size(); i++) {
                if (text.get(i).strip().endsWith("<pre>{@code")) {
                    int start = i + 1;
                    int end = start;
                    while (end < text.size() && !text.get(end).strip().endsWith("}</pre>")) {
                        end++;
                    }
                    List<String> lines = new ArrayList<>();
                    for (String line : text.subList(start, end)) {
                        lines.add(line.replaceFirst("^\\s*\\* ?", ""));
                    }
                    snippets.add(new DocSnippet(where, start + 1, lines));
                    i = end;
                }
            }
        }
        return snippets;
    }

    /** The label of a test and of a failure: {@code README.md:114}. */
    String label() {
        return where + ":" + firstLine;
    }

    /** The file's line number of a line of the generated class, for messages. */
    int sourceLine(int generatedLine) {
        return generatedLine <= HEADER_LINES ? firstLine : firstLine + generatedLine - HEADER_LINES - 1;
    }

    /** The names of the first line's {@code // given: a, b}, or none. */
    List<String> givens() {
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = GIVEN.matcher(line);
            return m.matches() ? List.of(m.group(1).trim().split("\\s*,\\s*")) : List.of();
        }
        return List.of();
    }

    /** The source of class {@code docsnippets.<className>}, line for line with the example after the header. */
    String toJava(String className) {
        StringBuilder imports = new StringBuilder(PREAMBLE);
        StringBuilder givens = new StringBuilder();
        for (String name : givens()) {
            String declaration = DocGivens.DECLARATIONS.get(name);
            if (declaration == null) {
                throw new IllegalArgumentException(label() + ": unknown given \"" + name + "\"; DocGivens has "
                        + DocGivens.DECLARATIONS.keySet());
            }
            givens.append(declaration).append(' ');
        }
        String[] out = new String[lines.size()];
        int statementStart = -1;
        boolean body = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int commentAt = commentStart(line);
            String code = commentAt < 0 ? line : line.substring(0, commentAt);
            String comment = commentAt < 0 ? null : line.substring(commentAt + 2).trim();
            String trimmed = code.strip();
            if (!body && trimmed.startsWith("import ")) {
                imports.append(' ').append(trimmed);
                out[i] = "";
                continue;
            }
            if (trimmed.isEmpty()) {
                out[i] = line;
                continue;
            }
            body = true;
            if (statementStart < 0) {
                statementStart = i;
            }
            out[i] = line;
            if (comment != null && trimmed.endsWith(";")) {
                instrument(out, statementStart, i, code, comment);
            }
            if (trimmed.endsWith(";") || trimmed.endsWith("{") || trimmed.endsWith("}")) {
                statementStart = -1;
            }
        }
        StringBuilder java = new StringBuilder();
        java.append("package docsnippets;\n");
        java.append(imports).append(" import dev.nncore.docs.DocCheck; import dev.nncore.docs.DocGivens;\n");
        java.append("public final class ").append(className)
                .append(" { public static void run() throws Exception { ").append(givens).append('\n');
        for (String line : out) {
            java.append(line).append('\n');
        }
        java.append("}}\n");
        return java.toString();
    }

    /** Adds the check a trailing comment asks for to the statement on lines {@code start..end}. */
    private void instrument(String[] out, int start, int end, String code, String comment) {
        String where = quote(where() + ":" + (firstLine + end));
        Matcher thrown = THROWS.matcher(comment);
        if (thrown.matches()) {
            String exception = thrown.group(1);
            String message = thrown.group(2) == null ? "" : thrown.group(2);
            out[start] = insertAtCode(out[start], "try { ");
            String endCode = start == end ? commentFree(out[end]) : code;
            out[end] = withCode(out[end], endCode + " DocCheck.notThrown(" + where + ", " + quote(exception) + "); } catch ("
                    + exception + " thrown__) { DocCheck.thrown(" + where + ", thrown__, " + quote(message) + "); }");
            return;
        }
        String variable = null;
        String value = value(comment);
        Matcher named = VARIABLE.matcher(comment);
        if (value == null && named.matches() && value(named.group(2)) != null) {
            variable = named.group(1);
            value = value(named.group(2));
        }
        if (value == null) {
            return;   // prose, not a value
        }
        boolean constant = CONSTANT.matcher(value).matches();
        String check = constant ? "DocCheck.same(" + where + ", %s, " + value + ", " + quote(value) + ")"
                : "DocCheck.check(" + where + ", %s, " + quote(value) + ")";
        if (variable == null) {
            StringBuilder statement = new StringBuilder();
            for (int i = start; i <= end; i++) {
                statement.append(i == end ? code : commentFree(out[i])).append(' ');
            }
            Matcher declaration = DECLARATION.matcher(statement.toString().strip());
            if (declaration.find()) {
                variable = declaration.group(1);
            }
        }
        if (variable != null) {
            out[end] = withCode(out[end], code + " " + check.formatted(variable) + ";");
        } else {
            // an expression statement: its value is checked
            String[] parts = check.split("%s", -1);
            out[start] = insertAtCode(out[start], parts[0]);
            String endCode = start == end ? commentFree(out[end]) : code;
            int semicolon = endCode.lastIndexOf(';');
            out[end] = withCode(out[end], endCode.substring(0, semicolon) + parts[1] + endCode.substring(semicolon));
        }
    }

    /** The value a comment starts with, if it starts with one followed by its end or by {@code , : ; =}. */
    static String value(String comment) {
        String c = comment.strip();
        int end = -1;
        if (c.startsWith("... \"")) {
            int close = closingQuote(c, 4);
            if (close > 0 && c.startsWith(" ...", close + 1)) {
                end = close + 5;
            }
        } else if (c.startsWith("\"")) {
            int close = closingQuote(c, 0);
            end = close < 0 ? -1 : close + 1;
        } else if (c.startsWith("{") || c.startsWith("[")) {
            end = closingBracket(c);
        } else {
            Matcher number = Pattern.compile("^(?:" + NUMBER + ")").matcher(c);
            Matcher constant = CONSTANT.matcher(c);
            if (number.find()) {
                end = number.end();
            } else if (constant.find()) {
                end = constant.end();
            }
        }
        if (end <= 0) {
            return null;
        }
        String rest = c.substring(end);
        boolean separated = rest.isEmpty() || rest.startsWith(",") || rest.startsWith(":") || rest.startsWith(";")
                || rest.startsWith(" = ");
        return separated ? c.substring(0, end) : null;
    }

    private static int closingQuote(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (ch == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int closingBracket(String text) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted && ch == '\\') {
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && (ch == '{' || ch == '[')) {
                depth++;
            } else if (!quoted && (ch == '}' || ch == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Where a {@code //} comment starts outside string and char literals, or -1. */
    static int commentStart(String line) {
        boolean string = false;
        boolean character = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if ((string || character) && ch == '\\') {
                i++;
            } else if (!character && ch == '"') {
                string = !string;
            } else if (!string && ch == '\'') {
                character = !character;
            } else if (!string && !character && ch == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                return i;
            }
        }
        return -1;
    }

    private static String commentFree(String line) {
        int at = commentStart(line);
        return at < 0 ? line : line.substring(0, at);
    }

    /** The line with its code replaced and its comment kept. */
    private static String withCode(String line, String code) {
        int at = commentStart(line);
        return at < 0 ? code : code + " " + line.substring(at);
    }

    private static String insertAtCode(String line, String prefix) {
        int indent = 0;
        while (indent < line.length() && Character.isWhitespace(line.charAt(indent))) {
            indent++;
        }
        return line.substring(0, indent) + prefix + line.substring(indent);
    }

    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
