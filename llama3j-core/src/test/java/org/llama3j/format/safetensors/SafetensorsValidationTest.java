package org.llama3j.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsValidationTest {

    private static byte[] file(String json, int dataBytes) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + j.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(j.length).put(j).array();
    }

    private static String error(byte[] bytes) {
        return assertThrows(SafetensorsFormatException.class,
                () -> SafetensorsReader.read("t.safetensors", MemorySegment.ofArray(bytes))).getMessage();
    }

    @Test
    void headerProblems() {
        assertEquals("t.safetensors: file too short (3 bytes) for the 8-byte header size", error(new byte[3]));
        byte[] huge = file("{}", 0);
        huge[7] = 0x7f;
        assertTrue(error(huge).startsWith("t.safetensors: header size 9151314442816847874 is invalid"));
        assertEquals("t.safetensors: header does not start with '{'", error(file("[1]", 0)));
        assertTrue(error(file("{\"a\":", 0)).startsWith("t.safetensors: header is not valid JSON"));
        assertTrue(error(file("{\"a\":{},\"a\":{}}", 0)).contains("Duplicate field 'a'"));
        assertEquals("t.safetensors: '__metadata__' value 'k' is not a string", error(file("{\"__metadata__\":{\"k\":1}}", 0)));
    }

    @Test
    void tensorEntryProblems() {
        assertEquals("t.safetensors: tensor 'w' has unsupported dtype 'F8_E4M3'",
                error(file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1)));
        assertEquals("t.safetensors: tensor 'w' shape[0] is -1, not a non-negative integer",
                error(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("t.safetensors: tensor 'w' data_offsets [0, 8] hold 8 bytes, but [3] F32 needs 3 x 4",
                error(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)));
        assertEquals("t.safetensors: tensor 'w' element count overflows: [4294967296,4294967296]",
                error(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8)));
        assertEquals("t.safetensors: tensor data runs past end of file: tensors cover 400 bytes, the data section has 4",
                error(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[0,400]}}", 4)));
        assertEquals("t.safetensors: tensor 'b' data_offsets [0, 4] overlap the previous tensor's data (ending at 4)",
                error(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("t.safetensors: tensor 'w' data_offsets [4, 8] leave a gap after the previous tensor's data (ending at 0)",
                error(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)));
        assertEquals("t.safetensors: tensor data does not fill the file: tensors cover 4 bytes, the data section has 8",
                error(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8)));
        SafetensorsFile empty = SafetensorsReader.read("t.safetensors",
                MemorySegment.ofArray(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]}}", 0)));
        assertTrue(assertThrows(SafetensorsFormatException.class, () -> empty.tensor("w")).getMessage()
                .contains("is empty [0, 3]"));
    }

    @Test
    void indexProblems(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\":{\"w\":\"../evil.safetensors\"}}");
        assertEquals("model.safetensors.index.json: shard '../evil.safetensors' of tensor 'w' is not a file in the index's directory",
                assertThrows(SafetensorsFormatException.class, () -> SafetensorsModel.open(dir)).getMessage());
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\":{\"w\":\"a.safetensors\"}}");
        assertEquals("model.safetensors.index.json: shard 'a.safetensors' of tensor 'w' does not exist",
                assertThrows(SafetensorsFormatException.class, () -> SafetensorsModel.open(dir)).getMessage());
        Files.write(dir.resolve("a.safetensors"), file("{\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertEquals("model.safetensors.index.json: tensor 'w' is not in shard 'a.safetensors'",
                assertThrows(SafetensorsFormatException.class, () -> SafetensorsModel.open(dir)).getMessage());
    }

    @Test
    void fuzzedHeadersOnlyThrowSafetensorsFormatException() {
        byte[] seed = file("{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[24,32]}}", 32);
        int rejected = 0;
        for (int i = 0; i < 2000; i++) {
            Random r = new Random(i);
            byte[] b = seed.clone();
            switch (r.nextInt(4)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));
                case 2 -> b[8 + r.nextInt(b.length - 40)] = (byte) "{}[]\",:0123456789-e.x".charAt(r.nextInt(21));
                default -> b[r.nextInt(8)] = (byte) r.nextInt();
            }
            try {
                SafetensorsFile f = SafetensorsReader.read("f.safetensors", MemorySegment.ofArray(b));
                f.tensorInfos().forEach(t -> {
                    if (t.byteSize() > 0) {
                        f.tensor(t.name()).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    }
                });
            } catch (SafetensorsFormatException e) {
                rejected++;
            } catch (Throwable t) {
                fail("iteration " + i + ": " + t, t);
            }
        }
        assertTrue(rejected > 1000, "rejected " + rejected);
    }
}
