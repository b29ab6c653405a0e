package org.llama3j.server.constrain;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A byte-level recognizer of prefixes of JSON texts (RFC 8259) that follow a {@link Schema}:
 * {@link #accept} answers whether the bytes so far can still be extended to a valid document, and
 * {@link #complete} whether they already are one. The root is an object ({@link Schema.Obj#ANY}
 * for plain JSON mode). Bytes of 0x80 and above appear only inside strings, where the grammar
 * allows any character but the quote, backslash and controls. Property names and enum values are
 * matched byte for byte. Nesting is capped at {@link #MAX_DEPTH}, and whitespace runs outside
 * strings at {@link #MAX_WHITESPACE}, so a model cannot pad forever.
 */
public final class JsonPrefix {
    public static final int MAX_DEPTH = 64;
    public static final int MAX_WHITESPACE = 16;
    private static final int MAX_MATCH = 512;

    private enum Mode {
        START, OBJ_FIRST, OBJ_KEY, COLON, VALUE, ARR_FIRST, AFTER_VALUE, STRING, ESCAPE, UNICODE,
        NUM_MINUS, NUM_ZERO, NUM_INT, NUM_DOT, NUM_FRAC, NUM_E, NUM_E_SIGN, NUM_EXP, LITERAL, DONE
    }

    private final Schema.Obj root;
    private final Schema[] frames = new Schema[MAX_DEPTH];
    private final int[] counts = new int[MAX_DEPTH];
    private final long[] seen = new long[MAX_DEPTH];
    private int depth;
    private Mode mode = Mode.START;
    private int prop = -1;
    private boolean key;
    private boolean integer;
    private List<byte[]> candidates; // names or enum values the current string must match; null = free
    private final byte[] buf = new byte[MAX_MATCH];
    private int bufLen;
    private int hexLeft;
    private byte[] literal;
    private int literalPos;
    private int whitespace;

    /** Plain JSON mode: any object. */
    public JsonPrefix() {
        this(Schema.Obj.ANY);
    }

    public JsonPrefix(Schema.Obj root) {
        this.root = root;
    }

    public JsonPrefix copy() {
        JsonPrefix c = new JsonPrefix(root);
        c.copyFrom(this);
        return c;
    }

    /** Becomes a copy of {@code o} (same root schema), without allocating. */
    public void copyFrom(JsonPrefix o) {
        System.arraycopy(o.frames, 0, frames, 0, o.depth);
        System.arraycopy(o.counts, 0, counts, 0, o.depth);
        System.arraycopy(o.seen, 0, seen, 0, o.depth);
        System.arraycopy(o.buf, 0, buf, 0, o.bufLen);
        depth = o.depth;
        mode = o.mode;
        prop = o.prop;
        key = o.key;
        integer = o.integer;
        candidates = o.candidates;
        bufLen = o.bufLen;
        hexLeft = o.hexLeft;
        literal = o.literal;
        literalPos = o.literalPos;
        whitespace = o.whitespace;
    }

    /** True when a complete document has been read (only whitespace may follow). */
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
                return stringByte(c);
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
                    endValue();
                }
                return true;
            }
            case NUM_MINUS -> {
                return to(c == '0' ? Mode.NUM_ZERO : isDigit(c) ? Mode.NUM_INT : null);
            }
            case NUM_ZERO, NUM_INT, NUM_FRAC, NUM_EXP -> {
                if (isDigit(c) && mode != Mode.NUM_ZERO) {
                    return true;
                }
                if (c == '.' && !integer && (mode == Mode.NUM_ZERO || mode == Mode.NUM_INT)) {
                    mode = Mode.NUM_DOT;
                    return true;
                }
                if ((c == 'e' || c == 'E') && !integer && mode != Mode.NUM_EXP) {
                    mode = Mode.NUM_E;
                    return true;
                }
                endValue(); // the number ended: this byte belongs to what follows
                return accept(b);
            }
            case NUM_DOT -> {
                return to(isDigit(c) ? Mode.NUM_FRAC : null);
            }
            case NUM_E -> {
                return to(c == '+' || c == '-' ? Mode.NUM_E_SIGN : isDigit(c) ? Mode.NUM_EXP : null);
            }
            case NUM_E_SIGN -> {
                return to(isDigit(c) ? Mode.NUM_EXP : null);
            }
            default -> {
                return structural(c);
            }
        }
    }

    private boolean stringByte(int c) {
        if (c == '"') {
            return endString();
        }
        if (c < 0x20) {
            return false;
        }
        if (candidates == null) {
            if (c == '\\') {
                mode = Mode.ESCAPE;
            }
            return true;
        }
        if (c == '\\' || bufLen == MAX_MATCH) {
            return false; // matched strings contain no escapes (the compiler checks)
        }
        buf[bufLen++] = (byte) c;
        for (byte[] cand : candidates) {
            if (cand != null && startsWith(cand)) {
                return true;
            }
        }
        return false;
    }

    private boolean endString() {
        int match = -1;
        if (candidates != null) {
            for (int i = 0; i < candidates.size(); i++) {
                byte[] cand = candidates.get(i);
                if (cand != null && cand.length == bufLen && startsWith(cand)) {
                    match = i;
                    break;
                }
            }
            if (match < 0) {
                return false;
            }
        }
        if (key) {
            key = false;
            prop = match;
            if (match >= 0) {
                seen[depth - 1] |= 1L << match;
            }
            mode = Mode.COLON;
            whitespace = 0;
            return true;
        }
        endValue();
        return true;
    }

    private boolean structural(int c) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            return ++whitespace <= MAX_WHITESPACE;
        }
        whitespace = 0;
        switch (mode) {
            case START -> {
                return c == '{' && push(root);
            }
            case OBJ_FIRST -> {
                if (c == '}') {
                    return requiredSeen() && pop();
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
                Schema.Arr arr = (Schema.Arr) frames[depth - 1];
                if (c == ']') {
                    return arr.min() == 0 && pop();
                }
                return arr.max() > 0 && startValue(c, arr.items());
            }
            case VALUE -> {
                return startValue(c, expected());
            }
            case AFTER_VALUE -> {
                Schema top = frames[depth - 1];
                if (top instanceof Schema.Obj) {
                    if (c == ',') {
                        mode = Mode.OBJ_KEY;
                        return keysLeft();
                    }
                    return c == '}' && requiredSeen() && pop();
                }
                Schema.Arr arr = (Schema.Arr) top;
                if (c == ',') {
                    mode = Mode.VALUE;
                    return counts[depth - 1] < arr.max();
                }
                return c == ']' && counts[depth - 1] >= arr.min() && pop();
            }
            default -> {
                return false; // DONE: only whitespace
            }
        }
    }

    private Schema expected() {
        Schema top = frames[depth - 1];
        if (top instanceof Schema.Arr arr) {
            return arr.items();
        }
        Schema.Obj obj = (Schema.Obj) top;
        return obj.names() == null ? new Schema.Any() : obj.values().get(prop);
    }

    private boolean startKey(int c) {
        if (c != '"' || !keysLeft()) {
            return false;
        }
        Schema.Obj obj = (Schema.Obj) frames[depth - 1];
        candidates = obj.names() == null ? null : unseenNames(obj);
        key = true;
        bufLen = 0;
        mode = Mode.STRING;
        return true;
    }

    private List<byte[]> unseenNames(Schema.Obj obj) {
        byte[][] names = new byte[obj.names().size()][];
        for (int i = 0; i < names.length; i++) {
            if ((seen[depth - 1] & (1L << i)) == 0) {
                names[i] = obj.names().get(i).getBytes(StandardCharsets.UTF_8);
            }
        }
        return java.util.Arrays.asList(names); // seen names stay null so indexes match properties
    }

    private boolean startValue(int c, Schema s) {
        switch (s) {
            case Schema.Any any -> {
                return switch (c) {
                    case '{' -> push(Schema.Obj.ANY);
                    case '[' -> push(Schema.Arr.ANY);
                    case '"' -> startString(null);
                    case 't', 'f', 'n' -> startLiteral(c);
                    default -> startNumber(c, false);
                };
            }
            case Schema.Obj obj -> {
                return c == '{' && push(obj);
            }
            case Schema.Arr arr -> {
                return c == '[' && push(arr);
            }
            case Schema.Str str -> {
                return c == '"' && startString(str.values() == null ? null
                        : str.values().stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList());
            }
            case Schema.Num num -> {
                return startNumber(c, num.integer());
            }
            case Schema.Bool bool -> {
                return (c == 't' || c == 'f') && startLiteral(c);
            }
            case Schema.Null nul -> {
                return c == 'n' && startLiteral(c);
            }
        }
    }

    private boolean startString(List<byte[]> values) {
        candidates = values;
        key = false;
        bufLen = 0;
        mode = Mode.STRING;
        return true;
    }

    private boolean startLiteral(int c) {
        literal = (c == 't' ? "true" : c == 'f' ? "false" : "null").getBytes(StandardCharsets.US_ASCII);
        literalPos = 1;
        mode = Mode.LITERAL;
        return true;
    }

    private boolean startNumber(int c, boolean integerOnly) {
        integer = integerOnly;
        if (c == '-') {
            mode = Mode.NUM_MINUS;
            return true;
        }
        return to(c == '0' ? Mode.NUM_ZERO : isDigit(c) ? Mode.NUM_INT : null);
    }

    /** A value inside the top container ended. */
    private void endValue() {
        if (frames[depth - 1] instanceof Schema.Arr) {
            counts[depth - 1]++;
        }
        mode = Mode.AFTER_VALUE;
        whitespace = 0;
    }

    private boolean keysLeft() {
        Schema.Obj obj = (Schema.Obj) frames[depth - 1];
        if (obj.names() == null) {
            return true;
        }
        return Long.bitCount(seen[depth - 1]) < obj.names().size();
    }

    private boolean requiredSeen() {
        Schema.Obj obj = (Schema.Obj) frames[depth - 1];
        if (obj.names() == null) {
            return true;
        }
        for (String r : obj.required()) {
            if ((seen[depth - 1] & (1L << obj.names().indexOf(r))) == 0) {
                return false;
            }
        }
        return true;
    }

    private boolean push(Schema container) {
        if (depth == MAX_DEPTH) {
            return false;
        }
        frames[depth] = container;
        counts[depth] = 0;
        seen[depth] = 0;
        depth++;
        mode = container instanceof Schema.Obj ? Mode.OBJ_FIRST : Mode.ARR_FIRST;
        return true;
    }

    private boolean pop() {
        depth--;
        if (depth == 0) {
            mode = Mode.DONE;
        } else {
            endValue();
        }
        return true;
    }

    private boolean to(Mode next) {
        if (next == null) {
            return false;
        }
        mode = next;
        return true;
    }

    private boolean startsWith(byte[] cand) {
        if (cand.length < bufLen) {
            return false;
        }
        for (int i = 0; i < bufLen; i++) {
            if (cand[i] != buf[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
