package org.llama3j.data.filter;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.Document;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;
import org.llama3j.data.text.Hashing;
import org.llama3j.data.text.TokenCounter;

/**
 * Token-distribution outlier filter (Llama 3 paper, section 3.1.1: "we use a token-distribution Kullback-Leibler
 * divergence to filter out documents containing excessive numbers of outlier tokens compared to the training
 * corpus distribution"). The corpus unigram distribution Q is counted over all documents in the decide phase;
 * a document is removed when KL(P_doc || Q) in nats exceeds {@code maxKl}. Q is smoothed with add-{@code alpha}
 * over the vocabulary. To keep memory bounded, tokens are hashed into {@code buckets} bins (a count sketch; rare
 * collisions only blur Q slightly). Documents with fewer than {@code minTokens} tokens are kept (their P is
 * too noisy to judge). The paper publishes no threshold; {@code maxKl} = 5 nats is our default, meant to be tuned
 * per corpus.
 */
public final class TokenKlDivergenceFilter implements GlobalStep<int[], TokenKlDivergenceFilter.CorpusDistribution> {

    public record Config(String tokenizer, double maxKl, double alpha, int buckets, int minTokens) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config("whitespace", 5.0, 1.0, 1 << 20, 20);
    }

    /** Unigram counts per hash bin over the whole corpus. */
    public record CorpusDistribution(long[] counts, long total, int vocabulary) implements Serializable {
    }

    private final Config config;
    private final TokenCounter tokens;

    public TokenKlDivergenceFilter(Config config) {
        if (config.buckets() < 1 || config.alpha() <= 0) {
            throw new IllegalArgumentException("token_kl: buckets must be >= 1 and alpha > 0");
        }
        this.config = config;
        this.tokens = TokenCounter.named(config.tokenizer());
    }

    @Override
    public String name() {
        return "token_kl";
    }

    private int bin(String token) {
        return (int) Long.remainderUnsigned(Hashing.hash64(token), config.buckets());
    }

    @Override
    public int[] signature(Document doc) {
        return tokens.tokens(doc.text()).stream().mapToInt(this::bin).toArray();
    }

    @Override
    public CorpusDistribution decide(Stream<Keyed<int[]>> signatures) {
        long[] counts = new long[config.buckets()];
        long[] total = {0};
        signatures.forEach(k -> {
            for (int b : k.signature()) {
                counts[b]++;
            }
            total[0] += k.signature().length;
        });
        int vocab = 0;
        for (long c : counts) {
            vocab += c > 0 ? 1 : 0;
        }
        return new CorpusDistribution(counts, total[0], vocab);
    }

    /** KL(P_doc || Q) in nats. */
    public double divergence(int[] docBins, CorpusDistribution q) {
        Map<Integer, Integer> p = new HashMap<>();
        for (int b : docBins) {
            p.merge(b, 1, Integer::sum);
        }
        double denom = q.total() + config.alpha() * Math.max(q.vocabulary(), 1);
        double kl = 0;
        for (Map.Entry<Integer, Integer> e : p.entrySet()) {
            double pi = (double) e.getValue() / docBins.length;
            double qi = (q.counts()[e.getKey()] + config.alpha()) / denom;
            kl += pi * Math.log(pi / qi);
        }
        return kl;
    }

    @Override
    public Verdict apply(long key, Document doc, CorpusDistribution decision) {
        int[] bins = signature(doc);
        if (bins.length < config.minTokens()) {
            return Verdict.keep(doc);
        }
        double kl = divergence(bins, decision);
        return kl > config.maxKl() ? Verdict.remove("token_kl_outlier", String.format("KL %.3f nats", kl))
                : Verdict.keep(doc);
    }
}
