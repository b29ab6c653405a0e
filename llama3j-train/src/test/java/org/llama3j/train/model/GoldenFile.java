package org.llama3j.train.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader of the golden files {@code scripts/oracle/train_reference.py} writes: {@code "L3JG"},
 * int32 version, int32 count, then per entry int32 name length, UTF-8 name, int32 dtype
 * (0 = f32, 1 = i32), int32 ndim, int32 dims, little-endian data.
 */
final class GoldenFile {

    private final Map<String, float[]> floats = new LinkedHashMap<>();
    private final Map<String, int[]> ints = new LinkedHashMap<>();

    static GoldenFile load(String resource) throws IOException {
        try (InputStream in = GoldenFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("golden resource " + resource + " not found");
            }
            return new GoldenFile(ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN), resource);
        }
    }

    private GoldenFile(ByteBuffer buf, String resource) throws IOException {
        byte[] magic = new byte[4];
        buf.get(magic);
        if (!"L3JG".equals(new String(magic, StandardCharsets.US_ASCII)) || buf.getInt() != 1) {
            throw new IOException(resource + ": not an L3JG version 1 golden file");
        }
        int count = buf.getInt();
        for (int e = 0; e < count; e++) {
            byte[] name = new byte[buf.getInt()];
            buf.get(name);
            int dtype = buf.getInt();
            int ndim = buf.getInt();
            int n = 1;
            for (int d = 0; d < ndim; d++) {
                n *= buf.getInt();
            }
            String key = new String(name, StandardCharsets.UTF_8);
            switch (dtype) {
                case 0 -> {
                    float[] a = new float[n];
                    buf.asFloatBuffer().get(a);
                    buf.position(buf.position() + 4 * n);
                    floats.put(key, a);
                }
                case 1 -> {
                    int[] a = new int[n];
                    buf.asIntBuffer().get(a);
                    buf.position(buf.position() + 4 * n);
                    ints.put(key, a);
                }
                default -> throw new IOException(resource + ": entry " + key + " has unknown dtype " + dtype);
            }
        }
    }

    float[] floats(String name) {
        float[] a = floats.get(name);
        if (a == null) {
            throw new IllegalArgumentException("golden file has no float entry " + name);
        }
        return a;
    }

    int[] ints(String name) {
        int[] a = ints.get(name);
        if (a == null) {
            throw new IllegalArgumentException("golden file has no int entry " + name);
        }
        return a;
    }

    boolean has(String name) {
        return floats.containsKey(name) || ints.containsKey(name);
    }

    int intValue(String name) {
        return ints(name)[0];
    }

    float floatValue(String name) {
        return floats(name)[0];
    }
}
