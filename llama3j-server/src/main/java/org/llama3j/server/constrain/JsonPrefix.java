package org.llama3j.server.constrain;

import java.util.Arrays;

/**
 * A byte-level recognizer of JSON prefixes (RFC 8259 grammar): {@link #accept} answers whether the
 * bytes so far can still be extended to a valid JSON text whose top-level value is an object, and
 * {@link #complete} whether they already are one. Bytes of 0x80 and above are only allowed inside
 * strings, where the grammar permits any Unicode character but the quote, backslash and controls.
 * Whitespace runs outside strings are capped, so a model cannot pad forever.
 */
public final class JsonPrefix {
    /** Deepest nesting allowed (keeps the stack small and the output sane). */
    public static final int MAX_DEPTH = 64;
    /** Longest whitespace run outside strings. */
    public static final int MAX_WHITESPACE = 16;

    private enum Mode {
        START, OBJ_FIRST, OBJ_KEY, COLON, VALUE, ARR_FIRST, AFTER_VALUE, STRING, ESCAPE, UNICODE,
        NUM_MINUS, NUM_ZERO, NUM_INT, NUM_DOT, NUM_FRAC, NUM_E, NUM_E_SIGN, NUM_EXP, LITERAL, DONE
    }

    private final byte[] stack = new byte[MAX_DEPTH];
    private int depth;
    private Mode mode = Mode.START;
    private boolean key;
    private int hexLeft;
    private byte[] literal;
    private int literalPos;
    private int whitespace;

    public JsonPrefix copy() {
        JsonPrefix c = new JsonPrefix();
        c.copyFrom(this);
        return c;
    }

    public void copyFrom(JsonPrefix o) {
        System.arraycopy(o.stack, 0, stack, 0, o.depth);
        depth = o.depth;
        mode = o.mode;
        key = o.key;
        hexLeft = o.hexLeft;
        literal = o.literal;
        literalPos = o.literalPos;
        whitespace = o.whitespace;
    }

    /** True when a complete top-level object has been read (only whitespace may follow). */
    public boolean complete() {
        return mode == Mode.DONE;
    }

    /** Feeds all bytes; false (state then undefined) when any is not allowed. */
    public boolean accept(byte[] bytes) {
        for (byte b : bytes) {
            if (!accept(b)) {
                return false;
            }
        }
        return true;
    }

    public boolean accept(byte b) {
        int c = b & 0xff;
        switch (mode) {
            case STRING -> {
                if (c == '"') {
                    endValueOrKey();
                    return true;
                }
                if (c == '\\') {
                    mode = Mode.ESCAPE;
                    return true;
                }
                return c >= 0x20;
            }
            case ESCAPE -> {
                if (c == 'u') {
                    mode = Mode.UNICODE;
                    hexLeft = 4;
                    return true;
                }
                mode = Mode.STRING;
                return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't';
            }
            case UNICODE -> {
                if (!isHex(c)) {
                    return false;
                }
                if (--hexLeft == 0) {
                    mode = Mode.STRING;
                }
                return true;
            }
            case LITERAL -> {
                if (c != literal[literalPos++]) {
                    return false;
                }
                if (literalPos == literal.length) {
                    mode = Mode.AFTER_VALUE;
                    whitespace = 0;
                }
                return true;
            }
            case NUM_MINUS -> {
                return number(c == '0' ? Mode.NUM_ZERO : isDigit(c) ? Mode.NUM_INT : null);
            }
            case NUM_ZERO, NUM_INT, NUM_FRAC, NUM_EXP -> {
                if (isDigit(c) && mode != Mode.NUM_ZERO) {
                    return true;
                }
                if (c == '.' && (mode == Mode.NUM_ZERO || mode == Mode.NUM_INT)) {
                    mode = Mode.NUM_DOT;
                    return true;
                }
                if ((c == 'e' || c == 'E') && mode != Mode.NUM_EXP) {
                    mode = Mode.NUM_E;
                    return true;
                }
                mode = Mode.AFTER_VALUE; // the number ended: this byte belongs to what follows
                whitespace = 0;
                return accept(b);
            }
            case NUM_DOT -> {
                return number(isDigit(c) ? Mode.NUM_FRAC : null);
            }
            case NUM_E -> {
                return number(c == '+' || c == '-' ? Mode.NUM_E_SIGN : isDigit(c) ? Mode.NUM_EXP : null);
            }
            case NUM_E_SIGN -> {
                return number(isDigit(c) ? Mode.NUM_EXP : null);
            }
            default -> {
                return structural(c);
            }
        }
    }

    private boolean structural(int c) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            return ++whitespace <= MAX_WHITESPACE;
        }
        whitespace = 0;
        switch (mode) {
            case START -> {
                return c == '{' && push('{');
            }
            case OBJ_FIRST -> {
                if (c == '}') {
                    return pop((byte) '{');
                }
                return startKey(c);
            }
            case OBJ_KEY -> {
                return startKey(c);
            }
            case COLON -> {
                if (c != ':') {
                    return false;
                }
                mode = Mode.VALUE;
                return true;
            }
            case ARR_FIRST -> {
                if (c == ']') {
                    return pop((byte) '[');
                }
                return value(c);
            }
            case VALUE -> {
                return value(c);
            }
            case AFTER_VALUE -> {
                byte top = stack[depth - 1];
                if (c == ',') {
                    mode = top == '{' ? Mode.OBJ_KEY : Mode.VALUE;
                    return true;
                }
                if (c == '}' || c == ']') {
                    return pop((byte) (c == '}' ? '{' : '['));
                }
                return false;
            }
            default -> {
                return false; // DONE: only whitespace
            }
        }
    }

    private boolean startKey(int c) {
        if (c != '"') {
            return false;
        }
        mode = Mode.STRING;
        key = true;
        return true;
    }

    private boolean value(int c) {
        switch (c) {
            case '{' -> {
                return push('{');
            }
            case '[' -> {
                return push('[');
            }
            case '"' -> {
                mode = Mode.STRING;
                key = false;
                return true;
            }
            case '-' -> {
                mode = Mode.NUM_MINUS;
                return true;
            }
            case 't', 'f', 'n' -> {
                literal = (c == 't' ? "true" : c == 'f' ? "false" : "null").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                literalPos = 1;
                mode = Mode.LITERAL;
                return true;
            }
            default -> {
                if (c == '0') {
                    mode = Mode.NUM_ZERO;
                    return true;
                }
                if (isDigit(c)) {
                    mode = Mode.NUM_INT;
                    return true;
                }
                return false;
            }
        }
    }

    private boolean number(Mode next) {
        if (next == null) {
            return false;
        }
        mode = next;
        return true;
    }

    private void endValueOrKey() {
        if (key) {
            key = false;
            mode = Mode.COLON;
        } else {
            mode = Mode.AFTER_VALUE;
        }
        whitespace = 0;
    }

    private boolean push(char open) {
        if (depth == MAX_DEPTH) {
            return false;
        }
        stack[depth++] = (byte) open;
        mode = open == '{' ? Mode.OBJ_FIRST : Mode.ARR_FIRST;
        return true;
    }

    private boolean pop(byte open) {
        if (depth == 0 || stack[depth - 1] != open) {
            return false;
        }
        depth--;
        mode = depth == 0 ? Mode.DONE : Mode.AFTER_VALUE;
        return true;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    @Override
    public String toString() {
        return mode + " " + new String(Arrays.copyOf(stack, depth), java.nio.charset.StandardCharsets.US_ASCII);
    }
}
