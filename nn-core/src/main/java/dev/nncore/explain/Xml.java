package dev.nncore.explain;

/** Text escaping for the SVG and DOT writers, so layer names from any file cannot break the markup. */
final class Xml {

    private Xml() {
    }

    /**
     * {@code text} escaped for XML character data and attribute values. Characters XML 1.0 forbids (controls other
     * than tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF) become {@code ?}.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || Character.isSurrogate(c)
                            || c == '\uFFFE' || c == '\uFFFF') {
                        out.append('?');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** {@code text} as the inside of a Graphviz double-quoted string: quotes and backslashes escaped, newlines as {@code \n}. */
    static String dot(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> { }
                default -> out.append(c < 0x20 ? '?' : c);
            }
        }
        return out.toString();
    }
}
