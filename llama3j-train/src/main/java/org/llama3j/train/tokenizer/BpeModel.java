package org.llama3j.train.tokenizer;

import java.util.List;
import java.util.Map;
import org.llama3j.tokenizer.ByteSequence;

/**
 * A trained byte-level BPE vocabulary: token bytes → rank (the tiktoken {@code mergeable_ranks};
 * ranks 0..255 are the single bytes) and the merges in training order, each {left id, right id,
 * result id}.
 */
public record BpeModel(Map<ByteSequence, Integer> ranks, List<int[]> merges) {
}
