package org.llama3j.data.dedup;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.llama3j.data.Document;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;
import org.llama3j.data.text.Hashing;
import org.llama3j.data.text.TextLines;

/**
 * Line-level dedup (Llama 3 paper, section 3.1.1: "we remove lines that appeared more than 6 times in each bucket
 * of 30M documents", aimed at navigation menus and cookie warnings). Documents are grouped, in key order, into
 * buckets of {@code bucketSize}; a line (compared after stripping; blank lines are never removed) occurring in more
 * than {@code maxOccurrences} documents of its bucket is removed from all of them. A document left with no
 * non-blank line is removed as {@code all_lines_duplicated}. Memory in the decide phase is bounded by one bucket's
 * distinct lines, since buckets are contiguous in key order.
 */
public final class LineDeduplicator implements GlobalStep<long[], LineDeduplicator.Decision> {

    public record Config(int maxOccurrences, long bucketSize) implements java.io.Serializable {
        /** Llama 3 section 3.1.1. */
        public static final Config DEFAULTS = new Config(6, 30_000_000L);
    }

    /** Bucket {@code i} starts at key {@code bucketStarts[i]}; its frequent line hashes are {@code frequent.get(i)}. */
    public record Decision(long[] bucketStarts, List<Set<Long>> frequent) implements Serializable {

        Set<Long> frequentFor(long key) {
            int i = Arrays.binarySearch(bucketStarts, key);
            int bucket = i >= 0 ? i : -i - 2;
            return bucket < 0 ? Set.of() : frequent.get(bucket);
        }
    }

    private final Config config;

    public LineDeduplicator(Config config) {
        if (config.maxOccurrences() < 1 || config.bucketSize() < 1) {
            throw new IllegalArgumentException("line_dedup: maxOccurrences and bucketSize must be >= 1");
        }
        this.config = config;
    }

    @Override
    public String name() {
        return "line_dedup";
    }

    static long lineHash(String line) {
        return Hashing.hash64(TextLines.strip(line));
    }

    /** Distinct hashes of the document's non-blank lines. */
    @Override
    public long[] signature(Document doc) {
        return TextLines.splitOnNewline(doc.text()).stream().filter(l -> !TextLines.isBlank(l))
                .mapToLong(LineDeduplicator::lineHash).distinct().toArray();
    }

    @Override
    public Decision decide(Stream<Keyed<long[]>> signatures) {
        List<Long> starts = new ArrayList<>();
        List<Set<Long>> frequent = new ArrayList<>();
        Map<Long, Integer> counts = new HashMap<>();
        long[] inBucket = {0};
        signatures.forEach(k -> {
            if (inBucket[0] == 0) {
                starts.add(k.key());
            }
            for (long h : k.signature()) {
                counts.merge(h, 1, Integer::sum);
            }
            if (++inBucket[0] == config.bucketSize()) {
                frequent.add(frequentLines(counts));
                counts.clear();
                inBucket[0] = 0;
            }
        });
        if (inBucket[0] > 0) {
            frequent.add(frequentLines(counts));
        }
        return new Decision(starts.stream().mapToLong(Long::longValue).toArray(), frequent);
    }

    private Set<Long> frequentLines(Map<Long, Integer> counts) {
        Set<Long> out = new HashSet<>();
        counts.forEach((h, c) -> {
            if (c > config.maxOccurrences()) {
                out.add(h);
            }
        });
        return out;
    }

    @Override
    public Verdict apply(long key, Document doc, Decision decision) {
        Set<Long> frequent = decision.frequentFor(key);
        if (frequent.isEmpty()) {
            return Verdict.keep(doc);
        }
        List<String> lines = TextLines.splitOnNewline(doc.text());
        List<String> kept = new ArrayList<>(lines.size());
        boolean anyText = false;
        for (String l : lines) {
            if (TextLines.isBlank(l) || !frequent.contains(lineHash(l))) {
                kept.add(l);
                anyText |= !TextLines.isBlank(l);
            }
        }
        if (!anyText) {
            return Verdict.remove("all_lines_duplicated");
        }
        return Verdict.keep(kept.size() == lines.size() ? doc : doc.withText(String.join("\n", kept)));
    }
}
