package org.llama3j.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.model.ModelShape;

class CheckpointStoreTest {

    static final ModelShape SHAPE = new ModelShape(8, 1, 2, 1, 16, 10, 1e-5f, 500000,
            Optional.of(RopeScaling.LLAMA_3_1), true, 16);

    @TempDir
    Path dir;

    static TrainingState state(long step) {
        int n = 100;
        float[] w = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = step + i * 0.5f;
            m[i] = -i;
            v[i] = i * i;
        }
        return new TrainingState(SHAPE, step, w, m, v, (int) step, new LoaderPosition(2, 1, 77 + step), 1234,
                step + 1, 3.25, step, new long[] {5, 9}, "tok".getBytes());
    }

    @Test
    void roundTripsEveryField() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        Path p = store.save(state(7));
        TrainingState r = CheckpointStore.read(p);
        TrainingState s = state(7);
        assertEquals(s.shape(), r.shape());
        assertEquals(7, r.step());
        assertArrayEquals(s.weights(), r.weights());
        assertArrayEquals(s.adamM(), r.adamM());
        assertArrayEquals(s.adamV(), r.adamV());
        assertEquals(s.loader(), r.loader());
        assertEquals(1234, r.rngSeed());
        assertEquals(8, r.batchesDrawn());
        assertEquals(3.25, r.runningLoss());
        assertArrayEquals(new long[] {5, 9}, r.skippedBatches());
        assertArrayEquals("tok".getBytes(), r.tokenizer());
    }

    @Test
    void keepsTheLastK() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        for (long s = 1; s <= 4; s++) {
            store.save(state(s));
        }
        assertEquals(List.of(dir.resolve(CheckpointStore.fileName(3)), dir.resolve(CheckpointStore.fileName(4))),
                store.list());
    }

    @Test
    void corruptedLatestIsDetectedAndThePreviousOneUsed() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        store.save(state(1));
        Path latest = store.save(state(2));
        byte[] b = Files.readAllBytes(latest);
        b[b.length / 2] ^= 0x10;
        Files.write(latest, b);
        var e = assertThrows(CheckpointException.class, () -> CheckpointStore.read(latest));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        List<String> warnings = new ArrayList<>();
        TrainingState r = store.loadLatestValid(warnings::add).orElseThrow().state();
        assertEquals(1, r.step());
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().contains(latest.getFileName().toString()), warnings.getFirst());
        // a truncated file is caught too
        Files.write(latest, java.util.Arrays.copyOf(b, 40));
        assertThrows(CheckpointException.class, () -> CheckpointStore.read(latest));
    }

    @Test
    void diskFullWhileSavingLeavesTheLastGoodCheckpointIntact() throws IOException {
        new CheckpointStore(dir, 1).save(state(1));
        byte[] before = Files.readAllBytes(dir.resolve(CheckpointStore.fileName(1)));
        CheckpointStore.Sink full = file -> new FilterOutputStream(CheckpointStore.DURABLE.open(file)) {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 300) {
                    throw new IOException("No space left on device");
                }
                out.write(b, off, len);
            }
        };
        CheckpointStore failing = new CheckpointStore(dir, 1, full);
        var e = assertThrows(IOException.class, () -> failing.save(state(2)));
        assertEquals("No space left on device", e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(CheckpointStore.fileName(1)), files.map(p -> p.getFileName().toString()).toList());
        }
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(CheckpointStore.fileName(1))));
        assertEquals(1, failing.loadLatestValid(w -> { }).orElseThrow().state().step());
    }
}
