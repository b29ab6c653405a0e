package org.llama3j.train.checkpoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.model.ModelShape;

/**
 * The checkpoint file layout (big-endian, {@link DataOutputStream} order): magic
 * {@code L3JCKPT\0}, version, model shape, counters and loader position, skipped batches,
 * tokenizer bytes, then weights, AdamW m and v as float arrays, and a footer of the CRC32C of
 * every byte before it plus {@code L3JCKEND}. Spec in {@code llama3j-train/README.md}.
 */
public final class CheckpointCodec {

    static final byte[] MAGIC = "L3JCKPT\0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "L3JCKEND".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    private CheckpointCodec() {
    }

    public static void write(TrainingState s, OutputStream raw) throws IOException {
        CRC32C crc = new CRC32C();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
        out.write(MAGIC);
        out.writeInt(VERSION);
        writeShape(out, s.shape());
        out.writeLong(s.step());
        out.writeInt(s.adamStep());
        out.writeLong(s.loader().epoch());
        out.writeInt(s.loader().shardIndex());
        out.writeLong(s.loader().tokenOffset());
        out.writeLong(s.rngSeed());
        out.writeLong(s.batchesDrawn());
        out.writeDouble(s.runningLoss());
        out.writeLong(s.runningCount());
        out.writeInt(s.skippedBatches().length);
        for (long b : s.skippedBatches()) {
            out.writeLong(b);
        }
        out.writeInt(s.tokenizer().length);
        out.write(s.tokenizer());
        writeFloats(out, s.weights());
        writeFloats(out, s.adamM());
        writeFloats(out, s.adamV());
        out.flush();
        int checksum = (int) crc.getValue();
        DataOutputStream tail = new DataOutputStream(raw);
        tail.writeInt(checksum);
        tail.write(END);
        tail.flush();
    }

    /** Reads and verifies a checkpoint; any mismatch is a {@link CheckpointException} naming {@code source}. */
    public static TrainingState read(InputStream raw, String source) throws IOException {
        CRC32C crc = new CRC32C();
        DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
        try {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CheckpointException(source + ": not a llama3j checkpoint (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new CheckpointException(source + ": checkpoint version " + version + " is not supported");
            }
            ModelShape shape = readShape(in, source);
            long step = in.readLong();
            int adamStep = in.readInt();
            LoaderPosition pos = new LoaderPosition(in.readLong(), in.readInt(), in.readLong());
            long rngSeed = in.readLong();
            long drawn = in.readLong();
            double running = in.readDouble();
            long runningCount = in.readLong();
            long[] skipped = new long[checkedLength(in.readInt(), 1 << 20, "skipped batch count", source)];
            for (int i = 0; i < skipped.length; i++) {
                skipped[i] = in.readLong();
            }
            byte[] tokenizer = in.readNBytes(checkedLength(in.readInt(), 1 << 30, "tokenizer length", source));
            float[] weights = readFloats(in, source);
            float[] m = readFloats(in, source);
            float[] v = readFloats(in, source);
            int expected = (int) crc.getValue();
            DataInputStream tail = new DataInputStream(raw);
            int stored = tail.readInt();
            byte[] end = tail.readNBytes(END.length);
            if (!Arrays.equals(end, END)) {
                throw new CheckpointException(source + ": footer missing (truncated checkpoint)");
            }
            if (stored != expected) {
                throw new CheckpointException(source + ": checksum mismatch (stored " + Integer.toHexString(stored)
                        + ", computed " + Integer.toHexString(expected) + ") — the file is corrupted");
            }
            if (raw.read() != -1) {
                throw new CheckpointException(source + ": trailing bytes after the footer");
            }
            return new TrainingState(shape, step, weights, m, v, adamStep, pos, rngSeed, drawn, running, runningCount,
                    skipped, tokenizer);
        } catch (EOFException e) {
            throw new CheckpointException(source + ": truncated checkpoint", e);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": invalid contents: " + e.getMessage(), e);
        }
    }

    private static int checkedLength(int n, int max, String what, String source) {
        if (n < 0 || n > max) {
            throw new CheckpointException(source + ": " + what + " " + n + " is out of range (corrupted?)");
        }
        return n;
    }

    private static void writeShape(DataOutputStream out, ModelShape s) throws IOException {
        out.writeInt(s.dim());
        out.writeInt(s.nLayers());
        out.writeInt(s.nHeads());
        out.writeInt(s.nKvHeads());
        out.writeInt(s.ffnDim());
        out.writeInt(s.vocabSize());
        out.writeFloat(s.normEps());
        out.writeDouble(s.ropeTheta());
        out.writeBoolean(s.ropeScaling().isPresent());
        if (s.ropeScaling().isPresent()) {
            RopeScaling r = s.ropeScaling().get();
            out.writeDouble(r.factor());
            out.writeDouble(r.lowFreqFactor());
            out.writeDouble(r.highFreqFactor());
            out.writeInt(r.originalContext());
        }
        out.writeBoolean(s.tiedEmbeddings());
        out.writeInt(s.maxSeqLen());
    }

    private static ModelShape readShape(DataInputStream in, String source) throws IOException {
        int dim = in.readInt();
        int layers = in.readInt();
        int heads = in.readInt();
        int kvHeads = in.readInt();
        int ffn = in.readInt();
        int vocab = in.readInt();
        float eps = in.readFloat();
        double theta = in.readDouble();
        Optional<RopeScaling> scaling = in.readBoolean()
                ? Optional.of(new RopeScaling(in.readDouble(), in.readDouble(), in.readDouble(), in.readInt()))
                : Optional.empty();
        boolean tied = in.readBoolean();
        int maxSeq = in.readInt();
        try {
            return new ModelShape(dim, layers, heads, kvHeads, ffn, vocab, eps, theta, scaling, tied, maxSeq);
        } catch (RuntimeException e) {
            throw new CheckpointException(source + ": invalid model shape: " + e.getMessage(), e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < a.length; ) {
            buf.clear();
            int n = Math.min(a.length - i, buf.capacity() / 4);
            buf.asFloatBuffer().put(a, i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    private static float[] readFloats(DataInputStream in, String source) throws IOException {
        int n = checkedLength(in.readInt(), Integer.MAX_VALUE - 16, "array length", source);
        float[] a = new float[n];
        byte[] chunk = new byte[1 << 16];
        for (int i = 0; i < n; ) {
            int k = Math.min(n - i, chunk.length / 4);
            in.readFully(chunk, 0, k * 4);
            ByteBuffer.wrap(chunk, 0, k * 4).asFloatBuffer().get(a, i, k);
            i += k;
        }
        return a;
    }
}
