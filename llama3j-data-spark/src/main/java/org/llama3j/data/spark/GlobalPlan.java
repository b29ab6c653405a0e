package org.llama3j.data.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.llama3j.data.Document;
import org.llama3j.data.dedup.ExactDeduplicator;
import org.llama3j.data.dedup.KeyRemovals;
import org.llama3j.data.dedup.MinHashDeduplicator;
import org.llama3j.data.dedup.UrlDeduplicator;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import scala.Tuple2;

/**
 * How the Spark executor runs a stage headed by a {@link GlobalStep}. Dedup steps whose decision is a set of keys
 * to remove are computed as Spark joins (and connected components for MinHash), the removals shuffled to their
 * documents' tasks and applied with the step's own {@code apply}: nothing per document reaches the driver. Any
 * other global step (line dedup, mixing, token KL) runs its {@code decide} in a single Spark task over the
 * key-sorted signatures, and its decision (small by design: sets of line hashes, sampled keys, a histogram) is
 * broadcast.
 */
sealed interface GlobalPlan permits GlobalPlan.RemovalJoin, GlobalPlan.BroadcastDecision {

    JavaRDD<StageRecord> run(JavaRDD<Document> docs, StagePartition stage);

    static GlobalPlan of(GlobalStep<?, ?> step, JavaRDD<Document> docs) {
        int tasks = docs.getNumPartitions();
        return switch (step) {
            case ExactDeduplicator d -> new RemovalJoin(d, ExactDeduplicator.REASON, SparkDedup.exact(d, keyed(docs)), tasks);
            case UrlDeduplicator d -> new RemovalJoin(d, UrlDeduplicator.REASON, SparkDedup.url(d, keyed(docs)), tasks);
            case MinHashDeduplicator d ->
                    new RemovalJoin(d, MinHashDeduplicator.REASON, SparkDedup.minHash(d, keyed(docs)), tasks);
            default -> BroadcastDecision.of(step, docs);
        };
    }

    /** Documents with the keys the embedded executor gives them: (task, position within the task). */
    static JavaPairRDD<Long, Document> keyed(JavaRDD<Document> docs) {
        return docs.mapPartitionsWithIndex((task, it) -> new Iterator<Tuple2<Long, Document>>() {
            long ordinal;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Tuple2<Long, Document> next() {
                return new Tuple2<>(Keyed.key(task, ordinal++), it.next());
            }
        }, true).mapToPair(t -> t);
    }

    static int task() {
        return TaskContext.getPartitionId();
    }

    /** Removals (key to detail) shuffled to their tasks and hash-joined with the task's documents as they stream by. */
    record RemovalJoin(GlobalStep<?, KeyRemovals> step, String reason, JavaPairRDD<Long, String> removals, int tasks)
            implements GlobalPlan {

        @Override
        public JavaRDD<StageRecord> run(JavaRDD<Document> docs, StagePartition stage) {
            GlobalStep<?, KeyRemovals> s = step;
            String r = reason;
            return docs.zipPartitions(removals.partitionBy(new TaskPartitioner(tasks)), (docIt, remIt) -> {
                Map<Long, String> mine = new HashMap<>();
                remIt.forEachRemaining(t -> mine.put(t._1(), t._2()));
                KeyRemovals decision = new KeyRemovals(r, mine);
                return stage.run(task(), docIt, (key, doc) -> s.apply(key, doc, decision));
            });
        }
    }

    /** The step's own decide in one Spark task over all signatures in key order; the decision is broadcast. */
    record BroadcastDecision(GlobalStep<?, ?> step, Broadcast<Serializable> decision) implements GlobalPlan {

        static <S, D extends Serializable> BroadcastDecision of(GlobalStep<S, D> step, JavaRDD<Document> docs) {
            JavaPairRDD<Long, S> sigs = keyed(docs).mapValues(step::signature);
            List<D> decided = sigs.sortByKey(true, 1).mapPartitions(it -> {
                Stream<Keyed<S>> stream = StreamSupport.stream(((Iterable<Tuple2<Long, S>>) () -> it).spliterator(), false)
                        .map(t -> new Keyed<>(t._1(), t._2()));
                List<D> one = new ArrayList<>(1);
                one.add(step.decide(stream));
                return one.iterator();
            }).collect();
            D d = decided.isEmpty() ? step.decide(Stream.empty()) : decided.getFirst();
            @SuppressWarnings("unchecked")
            Broadcast<Serializable> shared = (Broadcast<Serializable>) (Broadcast<?>)
                    org.apache.spark.api.java.JavaSparkContext.fromSparkContext(docs.context()).broadcast(d);
            return new BroadcastDecision(step, shared);
        }

        @Override
        public JavaRDD<StageRecord> run(JavaRDD<Document> docs, StagePartition stage) {
            @SuppressWarnings("unchecked")
            GlobalStep<?, Serializable> s = (GlobalStep<?, Serializable>) step;
            Broadcast<Serializable> d = decision;
            return docs.mapPartitions(it -> stage.run(task(), it, (key, doc) -> s.apply(key, doc, d.value())), true);
        }
    }
}
