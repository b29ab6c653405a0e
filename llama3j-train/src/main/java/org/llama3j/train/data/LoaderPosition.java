package org.llama3j.train.data;

/**
 * Where a {@link PackedBatchLoader} reads next: the epoch (which fixes the shard order), the
 * index into that epoch's shard order, and the token offset inside that shard. Saved in
 * checkpoints so a resumed run reads exactly the tokens an uninterrupted one would.
 */
public record LoaderPosition(long epoch, int shardIndex, long tokenOffset) {

    public static final LoaderPosition START = new LoaderPosition(0, 0, 0);

    public LoaderPosition {
        if (epoch < 0 || shardIndex < 0 || tokenOffset < 0) {
            throw new IllegalArgumentException("loader position fields must be >= 0, got epoch=" + epoch
                    + " shardIndex=" + shardIndex + " tokenOffset=" + tokenOffset);
        }
    }
}
