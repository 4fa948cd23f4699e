package dev.palaver.media.text;

/**
 * Checks JSON syntax (RFC 8259) without building anything. The engine uses it to refuse tool calls whose
 * arguments are not a JSON object before a tool ever sees them; parsing is the tool's business.
 */
public final class JsonSyntax {

    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private JsonSyntax(String text) {
        this.text = text;
    }

    /** True if {@code text} is exactly one JSON object, optionally surrounded by whitespace. */
    public static boolean isObject(String text) {
        if (text == null) {
            return false;
        }
        JsonSyntax parser = new JsonSyntax(text);
        parser.skipSpace();
        if (parser.peek() != '{') {
            return false;
        }
        try {
            parser.value(0);
            parser.skipSpace();
            return parser.pos == text.length();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("too deep");
        }
        skipSpace();
        switch (peek()) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object(int depth) {
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            skipSpace();
            string();
            skipSpace();
            expect(':');
            value(depth + 1);
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return;
            }
        }
    }

    private void array(int depth) {
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            value(depth + 1);
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return;
            }
        }
    }

    private void string() {
        expect('"');
        while (true) {
            char c = next();
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c == '\\') {
                char e = next();
                if (e == 'u') {
                    for (int i = 0; i < 4; i++) {
                        if (Character.digit(next(), 16) < 0) {
                            throw new IllegalArgumentException("bad unicode escape");
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
            }
        }
    }

    private void number() {
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits();
        }
        if (peek() == '.') {
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
    }

    private void digits() {
        int start = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        if (pos == start) {
            throw new IllegalArgumentException("digit expected");
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw new IllegalArgumentException(word + " expected");
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException(c + " expected");
        }
    }

    private char next() {
        if (pos >= text.length()) {
            throw new IllegalArgumentException("unexpected end");
        }
        return text.charAt(pos++);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }
}
