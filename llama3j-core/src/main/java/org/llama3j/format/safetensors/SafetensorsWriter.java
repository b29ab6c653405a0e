package org.llama3j.format.safetensors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llama3j.format.io.AtomicFiles;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Builds a safetensors file with F32, F16 or BF16 tensors. Shapes are given in ggml order (as a
 * {@link Tensor} has them) and written reversed, HF order. The JSON header is padded with spaces to a
 * multiple of 8 bytes (as the reference writer does) and tensors are laid out in the order added.
 * {@link #write(Path)} is atomic.
 */
public final class SafetensorsWriter {
    private record Entry(String name, DType type, long[] ggmlShape, MemorySegment bytes) {
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();

    public SafetensorsWriter putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds floats encoded as {@code type} (F32, F16 or BF16); {@code ggmlShape[0]} is the row length. */
    public SafetensorsWriter addTensor(String name, long[] ggmlShape, float[] data, DType type) {
        checkType(name, type);
        long n = 1;
        for (long d : ggmlShape) {
            n = Math.multiplyExact(n, d);
        }
        if (n != data.length || ggmlShape.length == 0) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(ggmlShape)
                    + " does not hold " + data.length + " elements");
        }
        return add(new Entry(name, type, ggmlShape.clone(), BlockCodecs.quantize(data, type)));
    }

    /** Adds a tensor's bytes as they are (F32, F16 or BF16). */
    public SafetensorsWriter addTensor(Tensor tensor) {
        checkType(tensor.name(), tensor.type());
        return add(new Entry(tensor.name(), tensor.type(), tensor.shape(), tensor.data().asSlice(0, tensor.byteSize())));
    }

    private static void checkType(String name, DType type) {
        if (type != DType.F32 && type != DType.F16 && type != DType.BF16) {
            throw new IllegalArgumentException("tensor '" + name + "': safetensors output supports F32, F16, BF16, not " + type);
        }
    }

    private SafetensorsWriter add(Entry e) {
        if (e.name().equals(SafetensorsHeaderParser.METADATA_KEY)
                || entries.stream().anyMatch(x -> x.name().equals(e.name()))) {
            throw new IllegalArgumentException("duplicate or reserved tensor name '" + e.name() + "'");
        }
        entries.add(e);
        return this;
    }

    public void write(Path path) throws IOException {
        ObjectNode root = SafetensorsHeaderParser.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject(SafetensorsHeaderParser.METADATA_KEY);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", SafetensorsDTypes.name(e.type()));
            ArrayNode shape = t.putArray("shape");
            for (int i = e.ggmlShape().length - 1; i >= 0; i--) {
                shape.add(e.ggmlShape()[i]);
            }
            t.putArray("data_offsets").add(offset).add(offset + e.bytes().byteSize());
            offset += e.bytes().byteSize();
        }
        byte[] json = SafetensorsHeaderParser.JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        AtomicFiles.write(path, ch -> {
            AtomicFiles.writeFully(ch, head);
            for (Entry e : entries) {
                AtomicFiles.writeFully(ch, e.bytes());
            }
        });
    }
}
