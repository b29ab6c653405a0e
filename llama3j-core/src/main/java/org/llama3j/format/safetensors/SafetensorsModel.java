package org.llama3j.format.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llama3j.tensor.Tensor;

/**
 * The weights of an HF model directory: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code {"metadata": {...}, "weight_map": {tensor: shard file}}}).
 * Tensors come in ggml order, as from {@link SafetensorsFile}.
 */
public final class SafetensorsModel implements AutoCloseable {
    public static final String INDEX_FILE = "model.safetensors.index.json";
    public static final String SINGLE_FILE = "model.safetensors";

    private final Map<String, SafetensorsFile> fileByTensor;
    private final List<SafetensorsFile> files;

    private SafetensorsModel(Map<String, SafetensorsFile> fileByTensor, List<SafetensorsFile> files) {
        this.fileByTensor = Collections.unmodifiableMap(fileByTensor);
        this.files = List.copyOf(files);
    }

    /**
     * Opens a model from a directory (index if present, else model.safetensors), an index file, or a
     * single .safetensors file.
     */
    public static SafetensorsModel open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX_FILE);
            return Files.isRegularFile(index) ? openIndex(index) : openSingle(path.resolve(SINGLE_FILE));
        }
        return path.getFileName().toString().endsWith(".json") ? openIndex(path) : openSingle(path);
    }

    private static SafetensorsModel openSingle(Path file) throws IOException {
        SafetensorsFile f = SafetensorsReader.open(file);
        Map<String, SafetensorsFile> m = new LinkedHashMap<>();
        for (SafetensorsTensorInfo t : f.tensorInfos()) {
            m.put(t.name(), f);
        }
        return new SafetensorsModel(m, List.of(f));
    }

    private static SafetensorsModel openIndex(Path index) throws IOException {
        String source = String.valueOf(index.getFileName());
        JsonNode root;
        try {
            root = SafetensorsHeaderParser.JSON.readTree(index.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SafetensorsFormatException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new SafetensorsFormatException(source + ": no 'weight_map' object");
        }
        Path dir = index.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new SafetensorsFormatException(source + ": weight_map entry '" + e.getKey() + "' is not a file name");
                }
                String shardName = e.getValue().textValue();
                Path shard = dir.resolve(shardName).normalize();
                if (!dir.equals(shard.getParent())) {
                    throw new SafetensorsFormatException(source + ": shard '" + shardName + "' of tensor '" + e.getKey()
                            + "' is not a file in the index's directory");
                }
                SafetensorsFile f = shards.get(shardName);
                if (f == null) {
                    if (!Files.isRegularFile(shard)) {
                        throw new SafetensorsFormatException(source + ": shard '" + shardName + "' of tensor '"
                                + e.getKey() + "' does not exist");
                    }
                    f = SafetensorsReader.open(shard);
                    shards.put(shardName, f);
                }
                if (!f.hasTensor(e.getKey())) {
                    throw new SafetensorsFormatException(source + ": tensor '" + e.getKey() + "' is not in shard '"
                            + shardName + "'");
                }
                byTensor.put(e.getKey(), f);
            }
        } catch (IOException | RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsModel(byTensor, new ArrayList<>(shards.values()));
    }

    /** Tensor names, in index (or header) order. */
    public List<String> tensorNames() {
        return List.copyOf(fileByTensor.keySet());
    }

    public boolean hasTensor(String name) {
        return fileByTensor.containsKey(name);
    }

    public SafetensorsTensorInfo tensorInfo(String name) {
        return file(name).findTensorInfo(name).orElseThrow();
    }

    public Tensor tensor(String name) {
        return file(name).tensor(name);
    }

    /** The file (shard) that holds the named tensor, as named in messages. */
    public String sourceOf(String name) {
        return file(name).source();
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile f = fileByTensor.get(name);
        if (f == null) {
            throw new SafetensorsFormatException("model has no tensor named '" + name + "'");
        }
        return f;
    }

    /** The open shard files. */
    public List<SafetensorsFile> files() {
        return files;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
