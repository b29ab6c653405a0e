package org.llama3j.train.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llama3j.tokenizer.ByteLevelUnicode;
import org.llama3j.tokenizer.ByteSequence;

/**
 * Recovers the BPE merge list that GGUF ({@code tokenizer.ggml.merges}) and Hugging Face need from
 * tiktoken ranks, the way Hugging Face's tiktoken converter does ({@code bpe()} in
 * {@code convert_slow_tokenizer.py}): for each token of two or more bytes, in rank order, run
 * byte-level BPE on its bytes with only lower-ranked tokens; if that ends in exactly two parts,
 * they are the token's merge. Tokens that no merge sequence reaches are left out (llama.cpp then
 * never produces them, exactly as with Meta's own Llama 3 vocabulary).
 */
public final class BpeMerges {

    private BpeMerges() {
    }

    /** Merges as {@code "left right"} in GPT-2 byte-to-unicode form, in rank order of the result. */
    public static List<String> derive(Map<ByteSequence, Integer> ranks) {
        List<Map.Entry<ByteSequence, Integer>> byRank = new ArrayList<>(ranks.entrySet());
        byRank.sort(Map.Entry.comparingByValue());
        List<String> merges = new ArrayList<>();
        for (Map.Entry<ByteSequence, Integer> e : byRank) {
            byte[] token = e.getKey().toArray();
            if (token.length < 2) {
                continue;
            }
            List<byte[]> parts = encodeBelow(token, e.getValue(), ranks);
            if (parts.size() == 2) {
                merges.add(ByteLevelUnicode.encode(parts.get(0)) + " " + ByteLevelUnicode.encode(parts.get(1)));
            }
        }
        return merges;
    }

    /** BPE of {@code bytes} using only tokens ranked below {@code maxRank}: lowest-ranked pair first. */
    private static List<byte[]> encodeBelow(byte[] bytes, int maxRank, Map<ByteSequence, Integer> ranks) {
        List<byte[]> parts = new ArrayList<>();
        for (byte b : bytes) {
            parts.add(new byte[] {b});
        }
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = ranks.get(ByteSequence.of(concat(parts.get(i), parts.get(i + 1))));
                if (r != null && r < maxRank && r < bestRank) {
                    best = i;
                    bestRank = r;
                }
            }
            if (best < 0) {
                break;
            }
            parts.set(best, concat(parts.get(best), parts.remove(best + 1)));
        }
        return parts;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
