package org.llama3j.format.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order, with typed accessors. A missing key or a
 * value of the wrong type is a {@link GgufFormatException} naming the file and the key.
 */
public final class GgufMetadata {
    private final String source;
    private final Map<String, GgufValue> values;

    GgufMetadata(String source, Map<String, GgufValue> values) {
        this.source = source;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** All entries, in file order. */
    public Map<String, GgufValue> asMap() {
        return values;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    public Optional<GgufValue> find(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public GgufValue get(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            throw new GgufFormatException(source + ": missing metadata key '" + key + "'");
        }
        return v;
    }

    public String getString(String key) {
        return (String) expect(key, GgufValueType.STRING).value();
    }

    public Optional<String> optString(String key) {
        return contains(key) ? Optional.of(getString(key)) : Optional.empty();
    }

    /** An integer value of any integer type that fits an {@code int}. */
    public int getInt(String key) {
        long v = getLong(key);
        if (v != (int) v) {
            throw new GgufFormatException(source + ": metadata '" + key + "' = " + v + " does not fit an int");
        }
        return (int) v;
    }

    public OptionalInt optInt(String key) {
        return contains(key) ? OptionalInt.of(getInt(key)) : OptionalInt.empty();
    }

    /** An integer value of any integer type that fits a signed {@code long}. */
    public long getLong(String key) {
        GgufValue v = get(key);
        if (!v.type().isInteger()) {
            throw wrongType(key, v, "an integer");
        }
        long n = v.value() instanceof Integer i ? i : (Long) v.value();
        if (v.type() == GgufValueType.UINT64 && n < 0) {
            throw new GgufFormatException(source + ": metadata '" + key + "' = " + Long.toUnsignedString(n)
                    + " does not fit a signed long");
        }
        return n;
    }

    public OptionalLong optLong(String key) {
        return contains(key) ? OptionalLong.of(getLong(key)) : OptionalLong.empty();
    }

    /** A FLOAT32 value (FLOAT64 is narrowed). */
    public float getFloat(String key) {
        GgufValue v = get(key);
        return switch (v.value()) {
            case Float f -> f;
            case Double d -> d.floatValue();
            default -> throw wrongType(key, v, "a float");
        };
    }

    public Optional<Float> optFloat(String key) {
        return contains(key) ? Optional.of(getFloat(key)) : Optional.empty();
    }

    public boolean getBoolean(String key) {
        return (Boolean) expect(key, GgufValueType.BOOL).value();
    }

    public Optional<Boolean> optBoolean(String key) {
        return contains(key) ? Optional.of(getBoolean(key)) : Optional.empty();
    }

    public GgufArray getArray(String key) {
        return (GgufArray) expect(key, GgufValueType.ARRAY).value();
    }

    public Optional<GgufArray> optArray(String key) {
        return contains(key) ? Optional.of(getArray(key)) : Optional.empty();
    }

    public String[] getStringArray(String key) {
        GgufArray a = getArray(key);
        if (a.elementType() != GgufValueType.STRING) {
            throw wrongArray(key, a, "strings");
        }
        return ((String[]) a.values()).clone();
    }

    /** An array of any integer element type whose elements all fit an {@code int}. */
    public int[] getIntArray(String key) {
        GgufArray a = getArray(key);
        return switch (a.values()) {
            case int[] ints -> ints.clone();
            case long[] longs -> {
                int[] out = new int[longs.length];
                for (int i = 0; i < longs.length; i++) {
                    if (longs[i] != (int) longs[i]) {
                        throw new GgufFormatException(source + ": metadata '" + key + "' element " + i + " = "
                                + longs[i] + " does not fit an int");
                    }
                    out[i] = (int) longs[i];
                }
                yield out;
            }
            default -> throw wrongArray(key, a, "integers");
        };
    }

    /** A FLOAT32 array (FLOAT64 elements are narrowed). */
    public float[] getFloatArray(String key) {
        GgufArray a = getArray(key);
        return switch (a.values()) {
            case float[] floats -> floats.clone();
            case double[] doubles -> {
                float[] out = new float[doubles.length];
                for (int i = 0; i < doubles.length; i++) {
                    out[i] = (float) doubles[i];
                }
                yield out;
            }
            default -> throw wrongArray(key, a, "floats");
        };
    }

    private GgufValue expect(String key, GgufValueType type) {
        GgufValue v = get(key);
        if (v.type() != type) {
            throw wrongType(key, v, type.name());
        }
        return v;
    }

    private GgufFormatException wrongType(String key, GgufValue v, String wanted) {
        return new GgufFormatException(source + ": metadata '" + key + "' is " + v.type() + ", expected " + wanted);
    }

    private GgufFormatException wrongArray(String key, GgufArray a, String wanted) {
        return new GgufFormatException(source + ": metadata '" + key + "' is an array of " + a.elementType()
                + ", expected " + wanted);
    }

    @Override
    public String toString() {
        return "GgufMetadata[" + source + ", " + values.size() + " keys]";
    }
}
