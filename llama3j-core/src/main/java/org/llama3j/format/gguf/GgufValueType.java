package org.llama3j.format.gguf;

/**
 * Metadata value types of the GGUF spec (ggml/docs/gguf.md, {@code enum gguf_metadata_value_type}),
 * with their wire ids. Java representation of a value of each type (see {@link GgufValue}):
 * UINT8, INT8, UINT16, INT16, INT32 as {@code Integer}; UINT32, INT64, UINT64 (raw bits) as
 * {@code Long}; FLOAT32 as {@code Float}; FLOAT64 as {@code Double}; BOOL as {@code Boolean};
 * STRING as {@code String}; ARRAY as {@link GgufArray}.
 */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 8),   // minimum: the uint64 length
    ARRAY(9, 12),   // minimum: uint32 element type + uint64 count
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = new GgufValueType[13];

    static {
        for (GgufValueType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int minBytes;

    GgufValueType(int id, int minBytes) {
        this.id = id;
        this.minBytes = minBytes;
    }

    /** Wire id. */
    public int id() {
        return id;
    }

    /** Bytes a value of this type takes at least on the wire (exactly, for the fixed-size types). */
    int minBytes() {
        return minBytes;
    }

    /** Whether a value of this type is an integer. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The type with wire id {@code id}, or {@code null}. */
    public static GgufValueType fromId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }
}
