package org.llama3j.data.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.storage.StorageLevel;
import org.llama3j.data.Document;
import org.llama3j.data.dedup.ExactDeduplicator;
import org.llama3j.data.dedup.MinHashDeduplicator;
import org.llama3j.data.dedup.MinHasher;
import org.llama3j.data.dedup.UrlDeduplicator;
import scala.Tuple2;

/**
 * The decide phase of the dedup steps as Spark jobs, producing the same removals (key to detail) as the steps'
 * own {@code decide}: group by signature, keep the first key (exact) or the newest copy (URL); for MinHash, LSH
 * bands to candidate pairs, the estimated-Jaccard check, then connected components keeping each component's
 * smallest key. Signatures come from the step objects themselves.
 */
final class SparkDedup {

    private SparkDedup() {
    }

    record KeyId(long key, String id) implements Serializable {
    }

    record KeyTime(long key, long epochMillis) implements Serializable {
    }

    record BandKey(int band, long hash) implements Serializable {
    }

    static JavaPairRDD<Long, String> exact(ExactDeduplicator step, JavaPairRDD<Long, Document> docs) {
        JavaPairRDD<Object, KeyId> byHash = docs.mapToPair(t -> {
            ExactDeduplicator.Signature s = step.signature(t._2());
            return new Tuple2<>((Object) s.hash(), new KeyId(t._1(), s.id()));
        });
        JavaPairRDD<Object, KeyId> first = byHash.reduceByKey((a, b) -> a.key() <= b.key() ? a : b);
        return byHash.join(first)
                .filter(t -> t._2()._1().key() != t._2()._2().key())
                .mapToPair(t -> new Tuple2<>(t._2()._1().key(), "duplicate of " + t._2()._2().id()));
    }

    static JavaPairRDD<Long, String> url(UrlDeduplicator step, JavaPairRDD<Long, Document> docs) {
        JavaPairRDD<String, KeyTime> byUrl = docs.flatMapToPair(t -> {
            UrlDeduplicator.Signature s = step.signature(t._2());
            return s == null ? List.<Tuple2<String, KeyTime>>of().iterator()
                    : List.of(new Tuple2<>(s.url(), new KeyTime(t._1(), s.epochMillis()))).iterator();
        });
        // newest wins; equal dates keep the first in key order (as the step's sequential decide does)
        JavaPairRDD<String, KeyTime> newest = byUrl.reduceByKey((a, b) ->
                a.epochMillis() != b.epochMillis() ? (a.epochMillis() > b.epochMillis() ? a : b)
                        : (a.key() <= b.key() ? a : b));
        return byUrl.join(newest)
                .filter(t -> t._2()._1().key() != t._2()._2().key())
                .mapToPair(t -> new Tuple2<>(t._2()._1().key(), "older copy of " + t._1()));
    }

    /**
     * Candidate pairs: within each LSH bucket (documents in key order), each member against the first
     * {@code maxComparisonsPerBucket} members before it, as the step's decide does. Unlike the sequential decide,
     * every such pair passing the Jaccard check becomes an edge (the sequential one stops at a member already in
     * the same component), so components can only be equal or larger; on clusters of clear near-duplicates they
     * are the same.
     */
    static JavaPairRDD<Long, String> minHash(MinHashDeduplicator step, JavaPairRDD<Long, Document> docs) {
        MinHashDeduplicator.Config cfg = step.config();
        JavaPairRDD<Long, MinHashDeduplicator.Signature> sigs = docs.flatMapToPair(t -> {
            MinHashDeduplicator.Signature s = step.signature(t._2());
            return s == null ? List.<Tuple2<Long, MinHashDeduplicator.Signature>>of().iterator()
                    : List.of(new Tuple2<>(t._1(), s)).iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK());
        int cap = cfg.maxComparisonsPerBucket();
        JavaPairRDD<Long, Long> candidates = sigs.flatMapToPair(t -> {
            List<Tuple2<BandKey, Long>> out = new ArrayList<>(cfg.bands());
            for (int b = 0; b < cfg.bands(); b++) {
                out.add(new Tuple2<>(new BandKey(b, step.bandHash(t._2().minHashes(), b)), t._1()));
            }
            return out.iterator();
        }).groupByKey().flatMapToPair(bucket -> {
            List<Long> members = new ArrayList<>();
            bucket._2().forEach(members::add);
            members.sort(null);
            List<Tuple2<Long, Long>> pairs = new ArrayList<>();
            for (int j = 1; j < members.size(); j++) {
                for (int i = 0; i < Math.min(j, cap); i++) {
                    pairs.add(new Tuple2<>(members.get(j), members.get(i)));
                }
            }
            return pairs.iterator();
        }).distinct();
        double minJaccard = cfg.minEstimatedJaccard();
        JavaPairRDD<Long, Long> edges = candidates.join(sigs)
                .mapToPair(t -> new Tuple2<>(t._2()._1(), new Tuple2<>(t._1(), t._2()._2().minHashes())))
                .join(sigs)
                .filter(t -> minJaccard <= 0
                        || MinHasher.estimatedJaccard(t._2()._1()._2(), t._2()._2().minHashes()) >= minJaccard)
                .mapToPair(t -> new Tuple2<>(t._2()._1()._1(), t._1()));
        JavaPairRDD<Long, Long> roots = ConnectedComponents.minLabels(edges);
        JavaPairRDD<Long, String> rootIds = sigs.mapValues(MinHashDeduplicator.Signature::id);
        JavaPairRDD<Long, String> removed = roots.filter(t -> !t._1().equals(t._2()))
                .mapToPair(Tuple2::swap)
                .join(rootIds)
                .mapToPair(t -> new Tuple2<>(t._2()._1(), "near duplicate of " + t._2()._2()));
        return removed;
    }
}
