package org.llama3j.data.spark;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Connected components of an undirected graph as Spark joins: min-label propagation (each vertex repeatedly takes
 * the smallest label among itself and its neighbours; Kang et al., "PEGASUS", ICDM 2009). Iterations equal the
 * largest component's diameter plus one, which is small for near-duplicate clusters. The label of a vertex is the
 * smallest vertex of its component, i.e. the first document in key order, the one dedup keeps.
 */
final class ConnectedComponents {

    private ConnectedComponents() {
    }

    /** (vertex, smallest vertex of its component) for every vertex with at least one edge. */
    static JavaPairRDD<Long, Long> minLabels(JavaPairRDD<Long, Long> edges) {
        JavaPairRDD<Long, Long> both = edges.union(edges.mapToPair(Tuple2::swap)).distinct()
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<Long, Long> labels = both.keys().distinct().mapToPair(v -> new Tuple2<>(v, v))
                .persist(StorageLevel.MEMORY_AND_DISK());
        while (true) {
            JavaPairRDD<Long, Long> next = both.join(labels)
                    .mapToPair(t -> t._2())           // (neighbour, label of this vertex)
                    .union(labels)
                    .reduceByKey(Math::min)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            long changed = next.join(labels).filter(t -> !t._2()._1().equals(t._2()._2())).count();
            labels.unpersist(false);
            labels = next;
            if (changed == 0) {
                both.unpersist(false);
                return labels;
            }
        }
    }
}
