package org.llama3j.format.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.llama3j.format.io.AtomicFiles;
import org.llama3j.quant.BlockCodec;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Builds a GGUF v3 file: metadata of every type, and tensors given as floats (encoded on write to
 * F32, F16, BF16, Q8_0 or Q4_0) or as raw bytes of any type. Tensors are written in the order added,
 * each padded to the alignment (32 unless {@link #alignment(int)} sets {@code general.alignment}),
 * as ggml's gguf writer does. {@link #write(Path)} is atomic (temp file, fsync, rename).
 */
public final class GgufWriter {
    private static final int VERSION = 3;
    /** Elements encoded per write chunk (a multiple of every block size). */
    private static final int CHUNK = 1 << 16;

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private int alignment = GgufHeaderParser.DEFAULT_ALIGNMENT;

    private sealed interface Source permits FloatSource, RawSource {
    }

    private record FloatSource(float[] data) implements Source {
    }

    private record RawSource(MemorySegment data) implements Source {
    }

    private record PendingTensor(String name, DType type, long[] shape, long byteSize, Source source) {
    }

    /** Adds a metadata entry. */
    public GgufWriter put(String key, GgufValue value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (metadata.containsKey(key)) {
            throw new IllegalArgumentException("duplicate metadata key '" + key + "'");
        }
        if (key.equals(GgufHeaderParser.ALIGNMENT_KEY)) {
            setAlignment(value);
        }
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValue.ofString(value));
    }

    public GgufWriter putUInt32(String key, long value) {
        return put(key, GgufValue.ofUInt32(value));
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValue.ofInt32(value));
    }

    public GgufWriter putUInt64(String key, long value) {
        return put(key, GgufValue.ofUInt64(value));
    }

    public GgufWriter putInt64(String key, long value) {
        return put(key, GgufValue.ofInt64(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValue.ofFloat32(value));
    }

    public GgufWriter putFloat64(String key, double value) {
        return put(key, GgufValue.ofFloat64(value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValue.ofBool(value));
    }

    public GgufWriter putArray(String key, GgufArray value) {
        return put(key, GgufValue.ofArray(value));
    }

    /** Sets the data alignment (a power of two) and records it as {@code general.alignment}. */
    public GgufWriter alignment(int alignment) {
        return put(GgufHeaderParser.ALIGNMENT_KEY, GgufValue.ofUInt32(alignment));
    }

    private void setAlignment(GgufValue v) {
        if (v.type() != GgufValueType.UINT32 || Long.bitCount((Long) v.value()) != 1 || (Long) v.value() > (1 << 30)) {
            throw new IllegalArgumentException(GgufHeaderParser.ALIGNMENT_KEY + " must be a UINT32 power of two, got " + v);
        }
        alignment = (int) (long) (Long) v.value();
    }

    /**
     * Adds a tensor from floats, encoded as {@code type} when written.
     *
     * @param shape ggml order: {@code shape[0]} is the row length
     */
    public GgufWriter addTensor(String name, long[] shape, float[] data, DType type) {
        BlockCodec codec = BlockCodecs.of(type);
        if (!codec.canQuantize()) {
            throw new IllegalArgumentException("tensor '" + name + "': llama3j cannot encode floats as " + type);
        }
        long n = checkShape(name, shape, type);
        if (data.length != n) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " has "
                    + n + " elements, data has " + data.length);
        }
        return add(new PendingTensor(name, type, shape.clone(), type.bytesFor(n), new FloatSource(data)));
    }

    /** Adds a tensor from its encoded bytes ({@code type.bytesFor(elements)} of them). */
    public GgufWriter addTensor(String name, DType type, long[] shape, MemorySegment bytes) {
        long n = checkShape(name, shape, type);
        long size = type.bytesFor(n);
        if (bytes.byteSize() != size) {
            throw new IllegalArgumentException("tensor '" + name + "': " + Arrays.toString(shape) + " " + type
                    + " takes " + size + " bytes, got " + bytes.byteSize());
        }
        return add(new PendingTensor(name, type, shape.clone(), size, new RawSource(bytes)));
    }

    /** Adds a tensor with its name, type, shape and bytes. */
    public GgufWriter addTensor(Tensor tensor) {
        return addTensor(tensor.name(), tensor.type(), tensor.shape(), tensor.data().asSlice(0, tensor.byteSize()));
    }

    private GgufWriter add(PendingTensor t) {
        for (PendingTensor p : tensors) {
            if (p.name().equals(t.name())) {
                throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
            }
        }
        tensors.add(t);
        return this;
    }

    private static long checkShape(String name, long[] shape, DType type) {
        Objects.requireNonNull(name, "name");
        if (shape.length < 1 || shape.length > GgufHeaderParser.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "': " + shape.length + " dimensions (1 to 4)");
        }
        long n = 1;
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor '" + name + "': dimension " + d + " in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': row length " + shape[0]
                    + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        return n;
    }

    /** Writes the file atomically. */
    public void write(Path path) throws IOException {
        byte[] header = header();
        AtomicFiles.write(path, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            for (PendingTensor t : tensors) {
                writeData(ch, t);
                pad(ch, t.byteSize());
            }
        });
    }

    private byte[] header() {
        Out out = new Out();
        out.u32(GgufHeaderParser.MAGIC);
        out.u32(VERSION);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            out.string(e.getKey());
            out.u32(e.getValue().type().id());
            out.value(e.getValue().type(), e.getValue().value());
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            out.string(t.name());
            out.u32(t.shape().length);
            for (long d : t.shape()) {
                out.u64(d);
            }
            out.u32(t.type().ggmlId());
            out.u64(offset);
            offset = align(offset + t.byteSize());
        }
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private long align(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private void pad(FileChannel ch, long written) throws IOException {
        int padding = (int) (align(written) - written);
        AtomicFiles.writeFully(ch, ByteBuffer.allocate(padding));
    }

    private static void writeData(FileChannel ch, PendingTensor t) throws IOException {
        switch (t.source()) {
            case RawSource(MemorySegment data) -> AtomicFiles.writeFully(ch, data);
            case FloatSource(float[] data) -> {
                BlockCodec codec = BlockCodecs.of(t.type());
                byte[] buf = new byte[(int) t.type().bytesFor(CHUNK)];
                MemorySegment seg = MemorySegment.ofArray(buf);
                for (int from = 0; from < data.length; from += CHUNK) {
                    int n = Math.min(CHUNK, data.length - from);
                    int bytes = (int) t.type().bytesFor(n);
                    codec.quantize(data, from, n, seg, 0);
                    AtomicFiles.writeFully(ch, ByteBuffer.wrap(buf, 0, bytes));
                }
            }
        }
    }

    /** Little-endian header bytes. */
    private static final class Out extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u16(int v) {
            write(scratch.clear().putShort((short) v).array(), 0, 2);
        }

        void u32(long v) {
            write(scratch.clear().putInt((int) v).array(), 0, 4);
        }

        void u64(long v) {
            write(scratch.clear().putLong(v).array(), 0, 8);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            write(b, 0, b.length);
        }

        void value(GgufValueType type, Object v) {
            switch (type) {
                case UINT8, INT8 -> write((Integer) v);
                case UINT16, INT16 -> u16((Integer) v);
                case INT32 -> u32((Integer) v);
                case UINT32 -> u32((Long) v);
                case UINT64, INT64 -> u64((Long) v);
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) v));
                case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) v));
                case BOOL -> write((Boolean) v ? 1 : 0);
                case STRING -> string((String) v);
                case ARRAY -> array((GgufArray) v);
            }
        }

        void array(GgufArray a) {
            GgufValueType et = a.elementType();
            u32(et.id());
            u64(a.size());
            switch (a.values()) {
                case int[] xs -> {
                    for (int x : xs) {
                        value(et, x);
                    }
                }
                case long[] xs -> {
                    for (long x : xs) {
                        value(et, x);
                    }
                }
                case float[] xs -> {
                    for (float x : xs) {
                        u32(Float.floatToRawIntBits(x));
                    }
                }
                case double[] xs -> {
                    for (double x : xs) {
                        u64(Double.doubleToRawLongBits(x));
                    }
                }
                case boolean[] xs -> {
                    for (boolean x : xs) {
                        write(x ? 1 : 0);
                    }
                }
                case String[] xs -> {
                    for (String x : xs) {
                        string(x);
                    }
                }
                case GgufArray[] xs -> {
                    for (GgufArray x : xs) {
                        array(x);
                    }
                }
                default -> throw new IllegalStateException("unreachable: " + a.values().getClass());
            }
        }
    }
}
