package org.llama3j.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs the documents of a set of shards into rows of {@code seqLen} tokens for training, the way
 * torchtitan packs (its {@code HuggingFaceDataset}): the token stream of all documents is cut into
 * windows of {@code seqLen + 1} tokens; inputs are the first {@code seqLen}, targets the last
 * {@code seqLen}. Documents keep their BOS … EOS from the shard; a target whose token belongs to a
 * different document than its input (the BOS after an EOS) is set to the ignore index, and the
 * per-token document ids keep attention inside each document. A document longer than a row
 * continues in the next row.
 *
 * <p>Order: each epoch visits all shards in a permutation drawn from {@code (seed, epoch)}
 * (SplitMix64-driven Fisher–Yates), each shard front to back. The whole state is a
 * {@link LoaderPosition}; the same seed and position give the same batches.
 */
public final class PackedBatchLoader implements AutoCloseable {

    /** The ignore index of the cross-entropy head (PyTorch's default, {@code -100}). */
    public static final int IGNORE_INDEX = -100;

    private final List<ShardReader> shards;
    private final int seqLen;
    private final long seed;
    private final int vocabSize;
    private int[] order;
    private long epoch;
    private int shardIndex;
    private long tokenOffset;

    public PackedBatchLoader(List<ShardReader> shards, int seqLen, long seed) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("packed loader needs at least one shard");
        }
        if (seqLen <= 0) {
            throw new IllegalArgumentException("seqLen must be > 0, got " + seqLen);
        }
        long tokens = 0;
        int vocab = shards.getFirst().vocabSize();
        for (ShardReader s : shards) {
            if (s.vocabSize() != vocab) {
                throw new ShardFormatException("shard " + s.path() + " has vocab size " + s.vocabSize() + ", but "
                        + shards.getFirst().path() + " has " + vocab);
            }
            tokens += s.tokenCount();
        }
        if (tokens < seqLen + 1) {
            throw new IllegalArgumentException("shards hold " + tokens + " tokens, fewer than one row of seqLen + 1 = "
                    + (seqLen + 1));
        }
        this.shards = List.copyOf(shards);
        this.seqLen = seqLen;
        this.seed = seed;
        this.vocabSize = vocab;
        seek(LoaderPosition.START);
    }

    /** Opens every shard file; the loader closes them. */
    public static PackedBatchLoader open(List<Path> files, int seqLen, long seed) throws IOException {
        List<ShardReader> readers = new ArrayList<>();
        try {
            for (Path f : files) {
                readers.add(ShardReader.open(f));
            }
            return new PackedBatchLoader(readers, seqLen, seed);
        } catch (IOException | RuntimeException e) {
            readers.forEach(ShardReader::close);
            throw e;
        }
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int seqLen() {
        return seqLen;
    }

    public LoaderPosition position() {
        return new LoaderPosition(epoch, shardIndex, tokenOffset);
    }

    public void seek(LoaderPosition p) {
        if (p.shardIndex() >= shards.size()) {
            throw new IllegalArgumentException("loader position shard index " + p.shardIndex() + " >= shard count "
                    + shards.size());
        }
        this.epoch = p.epoch();
        this.order = shardOrder(seed, epoch, shards.size());
        this.shardIndex = p.shardIndex();
        ShardReader s = shards.get(order[shardIndex]);
        if (p.tokenOffset() > s.tokenCount()) {
            throw new IllegalArgumentException("loader position offset " + p.tokenOffset() + " beyond shard "
                    + s.path() + " of " + s.tokenCount() + " tokens");
        }
        this.tokenOffset = p.tokenOffset();
    }

    /** The shard permutation of an epoch: Fisher–Yates driven by SplitMix64 seeded from (seed, epoch). */
    static int[] shardOrder(long seed, long epoch, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplitMix64 rng = new SplitMix64(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The next {@code batch} rows. */
    public PackedBatch next(int batch) {
        int[] tokens = new int[batch * seqLen];
        int[] targets = new int[batch * seqLen];
        int[] docIds = new int[batch * seqLen];
        int[] window = new int[seqLen + 1];
        long[] docKey = new long[seqLen + 1];
        for (int b = 0; b < batch; b++) {
            fillWindow(window, docKey);
            int doc = 0;
            for (int j = 0; j < seqLen; j++) {
                if (j > 0 && docKey[j] != docKey[j - 1]) {
                    doc++;
                }
                int at = b * seqLen + j;
                tokens[at] = window[j];
                docIds[at] = doc;
                targets[at] = docKey[j + 1] == docKey[j] ? window[j + 1] : IGNORE_INDEX;
            }
        }
        return new PackedBatch(tokens, targets, docIds, batch, seqLen);
    }

    /**
     * Reads the next {@code seqLen + 1} tokens of the stream and a key per token that differs
     * exactly where documents change (shard visit counter and document index).
     */
    private void fillWindow(int[] window, long[] docKey) {
        int filled = 0;
        long visit = 0;
        while (filled < window.length) {
            ShardReader s = shards.get(order[shardIndex]);
            if (tokenOffset >= s.tokenCount()) {
                advanceShard();
                visit++;
                continue;
            }
            int n = (int) Math.min(window.length - filled, s.tokenCount() - tokenOffset);
            s.read(tokenOffset, window, filled, n);
            long doc = documentOf(s, tokenOffset);
            long docEnd = s.offset(doc + 1);
            for (int k = 0; k < n; k++) {
                long pos = tokenOffset + k;
                while (pos >= docEnd) {
                    doc++;
                    docEnd = s.offset(doc + 1);
                }
                docKey[filled + k] = (visit << 40) ^ doc;
            }
            filled += n;
            tokenOffset += n;
        }
    }

    private void advanceShard() {
        shardIndex++;
        tokenOffset = 0;
        if (shardIndex == shards.size()) {
            epoch++;
            order = shardOrder(seed, epoch, shards.size());
            shardIndex = 0;
        }
    }

    /** Index of the document holding token {@code pos}: binary search in the offset table. */
    private static long documentOf(ShardReader s, long pos) {
        long lo = 0;
        long hi = s.documentCount() - 1;
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (s.offset(mid) <= pos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public void close() {
        shards.forEach(ShardReader::close);
    }
}
