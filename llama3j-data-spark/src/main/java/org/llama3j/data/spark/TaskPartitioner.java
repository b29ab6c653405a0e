package org.llama3j.data.spark;

import org.apache.spark.Partitioner;
import org.llama3j.data.step.Keyed;

/** Routes a document key to the partition of its task, so per-key results meet their documents without a sort. */
final class TaskPartitioner extends Partitioner {

    private final int tasks;

    TaskPartitioner(int tasks) {
        this.tasks = tasks;
    }

    @Override
    public int numPartitions() {
        return tasks;
    }

    @Override
    public int getPartition(Object key) {
        return Keyed.task((Long) key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskPartitioner p && p.tasks == tasks;
    }

    @Override
    public int hashCode() {
        return tasks;
    }
}
