package org.llama3j.format.gguf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llama3j.tensor.DType;

/**
 * Parses and validates a GGUF header (ggml/docs/gguf.md; the checks mirror ggml's gguf.cpp
 * {@code gguf_init_from_file_impl}): magic, version, metadata, tensor infos, data layout.
 */
final class GgufHeaderParser {
    /** "GGUF" read as a little-endian uint32. */
    static final int MAGIC = 0x46554747;
    /** ggml's GGML_MAX_DIMS. */
    static final int MAX_DIMS = 4;
    /** ggml's GGUF_DEFAULT_ALIGNMENT. */
    static final int DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    /** Nesting limit for arrays of arrays: deep enough for any real file, shallow enough for the stack. */
    private static final int MAX_ARRAY_DEPTH = 8;
    /** Smallest tensor info: name length, n_dims, type, offset. */
    private static final long MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
    /** Smallest key/value: key length, value type, one byte of value. */
    private static final long MIN_KV_BYTES = 8 + 4 + 1;

    record Header(int version, GgufMetadata metadata, List<GgufTensorInfo> tensors, int alignment, long dataOffset) {
    }

    private final String source;
    private final GgufCursor in;

    private GgufHeaderParser(String source, GgufCursor in) {
        this.source = source;
        this.in = in;
    }

    static Header parse(String source, java.lang.foreign.MemorySegment data) {
        return new GgufHeaderParser(source, new GgufCursor(source, data)).parse();
    }

    private Header parse() {
        if (in.size() < 4) {
            throw in.error("file too short (" + in.size() + " bytes) for the GGUF magic");
        }
        int magic = in.i32("magic");
        if (magic != MAGIC) {
            throw in.error(String.format("not a GGUF file: magic 0x%08X, expected 0x%08X ('GGUF')", magic, MAGIC));
        }
        long version = in.u32("version");
        if (version != 2 && version != 3) {
            throw in.error("unsupported GGUF version " + version + " (llama3j reads versions 2 and 3"
                    + (version == 1 ? "" : "; a big-endian file reads as a huge version") + ")");
        }
        int tensorCount = in.count("tensor count", MIN_TENSOR_INFO_BYTES);
        int kvCount = in.count("metadata key/value count", MIN_KV_BYTES);

        Map<String, GgufValue> kv = new LinkedHashMap<>();
        for (int i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i);
            GgufValueType type = valueType(in.u32("type of metadata '" + key + "'"), "metadata '" + key + "'");
            GgufValue value = new GgufValue(type, readValue(type, key, 0));
            if (kv.putIfAbsent(key, value) != null) {
                throw in.error("duplicate metadata key '" + key + "'");
            }
        }
        int alignment = alignment(kv.get(ALIGNMENT_KEY));

        List<GgufTensorInfo> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tensorCount; i++) {
            GgufTensorInfo t = readTensorInfo(i, alignment);
            if (!names.add(t.name())) {
                throw in.error("duplicate tensor name '" + t.name() + "'");
            }
            tensors.add(t);
        }
        long dataOffset = in.alignedPosition(alignment);
        checkLayout(tensors, dataOffset);
        return new Header((int) version, new GgufMetadata(source, kv), List.copyOf(tensors), alignment, dataOffset);
    }

    private GgufValueType valueType(long id, String what) {
        GgufValueType t = GgufValueType.fromId(id);
        if (t == null) {
            throw in.error("unknown value type id " + id + " for " + what);
        }
        return t;
    }

    private Object readValue(GgufValueType type, String key, int depth) {
        String what = "value of '" + key + "'";
        return switch (type) {
            case UINT8 -> in.u8(what);
            case INT8 -> in.i8(what);
            case UINT16 -> in.u16(what);
            case INT16 -> in.i16(what);
            case UINT32 -> in.u32(what);
            case INT32 -> in.i32(what);
            case UINT64, INT64 -> in.i64(what);
            case FLOAT32 -> in.f32(what);
            case FLOAT64 -> in.f64(what);
            case BOOL -> in.bool(what);
            case STRING -> in.string(what);
            case ARRAY -> readArray(key, depth);
        };
    }

    private GgufArray readArray(String key, int depth) {
        if (depth >= MAX_ARRAY_DEPTH) {
            throw in.error("metadata '" + key + "' nests arrays deeper than " + MAX_ARRAY_DEPTH);
        }
        GgufValueType et = valueType(in.u32("element type of '" + key + "'"), "elements of metadata '" + key + "'");
        int n = in.count("element count of '" + key + "'", et.minBytes());
        String what = "element of '" + key + "'";
        Object values = switch (et) {
            // element by element without readValue, which would box each one and build its message text
            // (token_type arrays have 128,256 elements, read while the JVM is cold)
            case UINT8, INT8, UINT16, INT16, INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = switch (et) {
                        case UINT8 -> in.u8(what);
                        case INT8 -> in.i8(what);
                        case UINT16 -> in.u16(what);
                        case INT16 -> in.i16(what);
                        default -> in.i32(what);
                    };
                }
                yield a;
            }
            case UINT32, INT64, UINT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = et == GgufValueType.UINT32 ? in.u32(what) : in.i64(what);
                }
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.f32(what);
                }
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.f64(what);
                }
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.bool(what);
                }
                yield a;
            }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.string(what);
                }
                yield a;
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readArray(key, depth + 1);
                }
                yield a;
            }
        };
        return new GgufArray(et, values);
    }

    private int alignment(GgufValue v) {
        if (v == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (v.type() != GgufValueType.UINT32) {
            throw in.error("'" + ALIGNMENT_KEY + "' is " + v.type() + ", expected UINT32");
        }
        long a = (Long) v.value();
        if (a == 0 || Long.bitCount(a) != 1 || a > (1 << 30)) {
            throw in.error("'" + ALIGNMENT_KEY + "' = " + a + " is not a power of two up to 2^30");
        }
        return (int) a;
    }

    private GgufTensorInfo readTensorInfo(int index, int alignment) {
        String name = in.string("name of tensor #" + index);
        String t = "tensor '" + name + "'";
        long nDims = in.u32("dimension count of " + t);
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw in.error(t + " has " + nDims + " dimensions (1 to " + MAX_DIMS + " supported)");
        }
        long[] shape = new long[(int) nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            shape[d] = in.i64("dimension " + d + " of " + t);
            if (shape[d] <= 0) {
                throw in.error(t + " dimension " + d + " is " + Long.toUnsignedString(shape[d]) + " (must be positive)");
            }
            if (elements > Long.MAX_VALUE / shape[d]) {
                throw in.error(t + " element count overflows: " + java.util.Arrays.toString(shape));
            }
            elements *= shape[d];
        }
        long typeId = in.u32("type of " + t);
        DType type = typeId <= Integer.MAX_VALUE ? DType.fromGgmlId((int) typeId) : null;
        if (type == null) {
            throw in.error(t + " has unknown or unsupported tensor type id " + typeId);
        }
        if (shape[0] % type.blockSize() != 0) {
            throw in.error(t + " row length " + shape[0] + " is not a multiple of the " + type + " block size "
                    + type.blockSize());
        }
        if (elements / type.blockSize() > Long.MAX_VALUE / type.blockBytes()) {
            throw in.error(t + " byte size overflows: " + java.util.Arrays.toString(shape) + " " + type);
        }
        long bytes = type.bytesFor(elements);
        long offset = in.i64("data offset of " + t);
        if (offset < 0) {
            throw in.error(t + " data offset " + Long.toUnsignedString(offset) + " is past any file");
        }
        if (offset % alignment != 0) {
            throw in.error(t + " data offset " + offset + " is not a multiple of the alignment " + alignment);
        }
        return new GgufTensorInfo(name, type, shape, offset, bytes);
    }

    private void checkLayout(List<GgufTensorInfo> tensors, long dataOffset) {
        long fileSize = in.size();
        for (GgufTensorInfo t : tensors) {
            // Compare without adding first, so huge offsets cannot overflow.
            if (dataOffset > fileSize || t.offset() > fileSize - dataOffset
                    || t.byteSize() > fileSize - dataOffset - t.offset()) {
                throw in.error("tensor '" + t.name() + "' data [offset " + t.offset() + ", " + t.byteSize()
                        + " bytes] runs past end of file (" + fileSize + " bytes, data section at " + dataOffset + ")");
            }
        }
        List<GgufTensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            GgufTensorInfo prev = byOffset.get(i - 1);
            GgufTensorInfo cur = byOffset.get(i);
            if (cur.offset() < prev.offset() + prev.byteSize()) {
                throw in.error("tensor '" + cur.name() + "' data [offset " + cur.offset() + "] overlaps tensor '"
                        + prev.name() + "' [offset " + prev.offset() + ", " + prev.byteSize() + " bytes]");
            }
        }
    }
}
