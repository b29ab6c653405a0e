package org.llama3j.posttrain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reader of the L3JG golden files written by {@code scripts/oracle/train_reference.py}'s {@code write}
 * (also used by {@code posttrain_reference.py}): "L3JG", int32 version 1, int32 count, then per
 * entry int32 name length, name, int32 dtype (0 f32, 1 i32), int32 ndim, dims, little-endian data.
 */
public final class GoldenValues {

    private final Map<String, float[]> floats = new HashMap<>();
    private final Map<String, int[]> ints = new HashMap<>();

    public static GoldenValues load(String resource) throws IOException {
        try (InputStream in = GoldenValues.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("golden resource " + resource + " not found");
            }
            return new GoldenValues(ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN), resource);
        }
    }

    private GoldenValues(ByteBuffer buf, String resource) throws IOException {
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
            int n = 1;
            for (int d = buf.getInt(); d > 0; d--) {
                n *= buf.getInt();
            }
            String key = new String(name, StandardCharsets.UTF_8);
            if (dtype == 0) {
                float[] a = new float[n];
                buf.asFloatBuffer().get(a);
                floats.put(key, a);
            } else if (dtype == 1) {
                int[] a = new int[n];
                buf.asIntBuffer().get(a);
                ints.put(key, a);
            } else {
                throw new IOException(resource + ": entry " + key + " has unknown dtype " + dtype);
            }
            buf.position(buf.position() + 4 * n);
        }
    }

    public float[] floats(String name) {
        float[] a = floats.get(name);
        if (a == null) {
            throw new IllegalArgumentException("golden file has no float entry " + name);
        }
        return a;
    }

    public int[] ints(String name) {
        int[] a = ints.get(name);
        if (a == null) {
            throw new IllegalArgumentException("golden file has no int entry " + name);
        }
        return a;
    }

    public int intValue(String name) {
        return ints(name)[0];
    }

    public float floatValue(String name) {
        return floats(name)[0];
    }

    /** max |a − b| / max |b| (normwise relative error, as the training golden test measures it). */
    public static double relativeError(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("length " + actual.length + " != expected " + expected.length);
        }
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs((double) expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / Math.max(scale, 1e-30);
    }
}
