package org.llama3j.format.safetensors;

import java.util.Map;
import org.llama3j.tensor.DType;

/** safetensors dtype strings (huggingface/safetensors {@code Dtype}) that map to a llama3j {@link DType}. */
final class SafetensorsDTypes {
    private static final Map<String, DType> BY_NAME = Map.of(
            "F64", DType.F64, "F32", DType.F32, "F16", DType.F16, "BF16", DType.BF16,
            "I64", DType.I64, "I32", DType.I32, "I16", DType.I16, "I8", DType.I8);

    private SafetensorsDTypes() {
    }

    /** The type for a dtype string, or {@code null} if llama3j has none (U8, BOOL, F8_*, ...). */
    static DType fromName(String name) {
        return BY_NAME.get(name);
    }

    static String name(DType type) {
        for (Map.Entry<String, DType> e : BY_NAME.entrySet()) {
            if (e.getValue() == type) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("safetensors has no dtype for " + type);
    }
}
