package org.llama3j.format.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llama3j.tensor.DType;

/**
 * Parses and validates a safetensors header (huggingface/safetensors format: 8-byte little-endian
 * header size N, N bytes of JSON, then the data), with the checks of the reference implementation's
 * {@code Metadata::validate}: known dtype, byte range = element count x dtype size, ranges contiguous
 * from 0 and covering the whole data section.
 */
final class SafetensorsHeaderParser {
    /** The reference implementation's MAX_HEADER_SIZE. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    static final String METADATA_KEY = "__metadata__";
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    record Header(Map<String, String> metadata, List<SafetensorsTensorInfo> tensors, long dataOffset) {
    }

    private final String source;

    private SafetensorsHeaderParser(String source) {
        this.source = source;
    }

    static Header parse(String source, MemorySegment data) {
        return new SafetensorsHeaderParser(source).parse(data);
    }

    private SafetensorsFormatException error(String problem) {
        return new SafetensorsFormatException(source + ": " + problem);
    }

    private Header parse(MemorySegment data) {
        long size = data.byteSize();
        if (size < 8) {
            throw error("file too short (" + size + " bytes) for the 8-byte header size");
        }
        long n = data.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
            throw error("header size " + Long.toUnsignedString(n) + " is invalid (file has " + (size - 8)
                    + " bytes after the size field; limit " + MAX_HEADER_BYTES + ")");
        }
        byte[] json = data.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        if (json[0] != '{') {
            throw error("header does not start with '{'");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw error("header is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw error("header cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw error("header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<SafetensorsTensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals(METADATA_KEY)) {
                readMetadata(e.getValue(), metadata);
            } else {
                tensors.add(readTensor(e.getKey(), e.getValue()));
            }
        }
        long dataOffset = 8 + n;
        checkLayout(tensors, size - dataOffset);
        return new Header(metadata, List.copyOf(tensors), dataOffset);
    }

    private void readMetadata(JsonNode node, Map<String, String> out) {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw error("'" + METADATA_KEY + "' is not an object");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw error("'" + METADATA_KEY + "' value '" + e.getKey() + "' is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private SafetensorsTensorInfo readTensor(String name, JsonNode node) {
        String t = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw error(t + " entry is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw error(t + " has no string 'dtype'");
        }
        DType type = SafetensorsDTypes.fromName(dtypeNode.textValue());
        if (type == null) {
            throw error(t + " has unsupported dtype '" + dtypeNode.textValue() + "'");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw error(t + " has no 'shape' array");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeNode.get(i), t + " shape[" + i + "]");
            if (shape[i] != 0 && elements > Long.MAX_VALUE / shape[i]) {
                throw error(t + " element count overflows: " + shapeNode);
            }
            elements *= shape[i];
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw error(t + " has no 'data_offsets' pair");
        }
        long begin = nonNegativeLong(offsets.get(0), t + " data_offsets[0]");
        long end = nonNegativeLong(offsets.get(1), t + " data_offsets[1]");
        if (end < begin) {
            throw error(t + " data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (elements > Long.MAX_VALUE / type.blockBytes() || end - begin != elements * type.blockBytes()) {
            throw error(t + " data_offsets [" + begin + ", " + end + "] hold " + (end - begin) + " bytes, but "
                    + shapeNode + " " + dtypeNode.textValue() + " needs " + elements + " x " + type.blockBytes());
        }
        return new SafetensorsTensorInfo(name, type, shape, begin, end);
    }

    private long nonNegativeLong(JsonNode v, String what) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw error(what + " is " + v + ", not a non-negative integer");
        }
        return v.longValue();
    }

    private void checkLayout(List<SafetensorsTensorInfo> tensors, long dataBytes) {
        List<SafetensorsTensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(SafetensorsTensorInfo::begin).thenComparingLong(SafetensorsTensorInfo::end));
        long expected = 0;
        for (SafetensorsTensorInfo t : sorted) {
            if (t.begin() != expected) {
                throw error("tensor '" + t.name() + "' data_offsets [" + t.begin() + ", " + t.end() + "] "
                        + (t.begin() < expected ? "overlap" : "leave a gap after") + " the previous tensor's data (ending at "
                        + expected + ")");
            }
            expected = t.end();
        }
        if (expected != dataBytes) {
            throw error("tensor data " + (expected > dataBytes ? "runs past end of file" : "does not fill the file")
                    + ": tensors cover " + expected + " bytes, the data section has " + dataBytes);
        }
    }
}
