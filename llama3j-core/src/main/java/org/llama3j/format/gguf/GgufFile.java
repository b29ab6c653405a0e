package org.llama3j.format.gguf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llama3j.tensor.Tensor;

/**
 * An open GGUF file: its metadata, tensor infos, and tensors as zero-copy slices of the mapping.
 * Closing unmaps the file; tensors obtained from it must not be used after that (their segments
 * throw {@link IllegalStateException}).
 */
public final class GgufFile implements AutoCloseable {
    private final String source;
    private final Arena arena;
    private final MemorySegment data;
    private final GgufHeaderParser.Header header;
    private final Map<String, GgufTensorInfo> infoByName;
    private Map<String, Tensor> tensors;

    GgufFile(String source, Arena arena, MemorySegment data, GgufHeaderParser.Header header) {
        this.source = source;
        this.arena = arena;
        this.data = data;
        this.header = header;
        Map<String, GgufTensorInfo> m = new LinkedHashMap<>();
        for (GgufTensorInfo t : header.tensors()) {
            m.put(t.name(), t);
        }
        this.infoByName = Collections.unmodifiableMap(m);
    }

    /** File name, as used in messages. */
    public String source() {
        return source;
    }

    /** GGUF version: 2 or 3. */
    public int version() {
        return header.version();
    }

    /** Data alignment ({@code general.alignment}, default 32). */
    public int alignment() {
        return header.alignment();
    }

    /** Absolute byte offset of the tensor data section. */
    public long dataOffset() {
        return header.dataOffset();
    }

    public GgufMetadata metadata() {
        return header.metadata();
    }

    /** Tensor infos in file order. */
    public List<GgufTensorInfo> tensorInfos() {
        return header.tensors();
    }

    public Optional<GgufTensorInfo> findTensorInfo(String name) {
        return Optional.ofNullable(infoByName.get(name));
    }

    public boolean hasTensor(String name) {
        return infoByName.containsKey(name);
    }

    /** The named tensor, its data a slice of the mapping. */
    public Tensor tensor(String name) {
        GgufTensorInfo t = infoByName.get(name);
        if (t == null) {
            throw new GgufFormatException(source + ": no tensor named '" + name + "'");
        }
        return toTensor(t);
    }

    public Optional<Tensor> findTensor(String name) {
        return hasTensor(name) ? Optional.of(tensor(name)) : Optional.empty();
    }

    /** All tensors by name, in file order. */
    public synchronized Map<String, Tensor> tensors() {
        if (tensors == null) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (GgufTensorInfo t : header.tensors()) {
                m.put(t.name(), toTensor(t));
            }
            tensors = Collections.unmodifiableMap(m);
        }
        return tensors;
    }

    private Tensor toTensor(GgufTensorInfo t) {
        return new Tensor(t.name(), t.type(), t.shape(), data.asSlice(header.dataOffset() + t.offset(), t.byteSize()));
    }

    @Override
    public void close() {
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "GgufFile[" + source + " v" + version() + ", " + metadata().keys().size() + " keys, "
                + tensorInfos().size() + " tensors]";
    }
}
