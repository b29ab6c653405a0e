package org.llama3j.format.safetensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llama3j.tensor.Tensor;

/**
 * An open safetensors file. Tensors are zero-copy slices of the mapping with their shape REVERSED
 * into ggml order: an HF {@code [out, in]} row-major weight becomes a ggml {@code [in, out]} tensor
 * (same bytes). Closing unmaps the file.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final String source;
    private final Arena arena;
    private final MemorySegment data;
    private final SafetensorsHeaderParser.Header header;
    private final Map<String, SafetensorsTensorInfo> byName;

    SafetensorsFile(String source, Arena arena, MemorySegment data, SafetensorsHeaderParser.Header header) {
        this.source = source;
        this.arena = arena;
        this.data = data;
        this.header = header;
        Map<String, SafetensorsTensorInfo> m = new LinkedHashMap<>();
        for (SafetensorsTensorInfo t : header.tensors()) {
            m.put(t.name(), t);
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    public String source() {
        return source;
    }

    /** The {@code __metadata__} string map (empty if absent). */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(header.metadata());
    }

    /** Header entries in header order. */
    public List<SafetensorsTensorInfo> tensorInfos() {
        return header.tensors();
    }

    public Optional<SafetensorsTensorInfo> findTensorInfo(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean hasTensor(String name) {
        return byName.containsKey(name);
    }

    /**
     * The named tensor in ggml order.
     *
     * @throws SafetensorsFormatException if there is no such tensor or it has no elements (a ggml
     *                                    tensor cannot have a zero dimension)
     */
    public Tensor tensor(String name) {
        SafetensorsTensorInfo t = byName.get(name);
        if (t == null) {
            throw new SafetensorsFormatException(source + ": no tensor named '" + name + "'");
        }
        for (long d : t.hfShape()) {
            if (d == 0) {
                throw new SafetensorsFormatException(source + ": tensor '" + name + "' is empty "
                        + java.util.Arrays.toString(t.hfShape()) + "; llama3j tensors need positive dimensions");
            }
        }
        return new Tensor(name, t.type(), t.ggmlShape(), data.asSlice(header.dataOffset() + t.begin(), t.byteSize()));
    }

    /** All non-empty tensors by name, in header order. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (SafetensorsTensorInfo t : header.tensors()) {
            if (t.byteSize() > 0) {
                m.put(t.name(), tensor(t.name()));
            }
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public void close() {
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + source + ", " + byName.size() + " tensors]";
    }
}
