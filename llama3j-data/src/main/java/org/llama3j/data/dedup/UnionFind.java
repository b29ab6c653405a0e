package org.llama3j.data.dedup;

import java.util.Arrays;

/**
 * Disjoint sets over dense indexes with path halving; the root of a set is always its smallest index,
 * so "keep the first document of each component" is just "keep the roots".
 */
public final class UnionFind {

    private int[] parent;
    private int size;

    public UnionFind(int capacity) {
        parent = new int[Math.max(capacity, 16)];
    }

    /** Adds a singleton set and returns its index. */
    public int add() {
        if (size == parent.length) {
            parent = Arrays.copyOf(parent, parent.length * 2);
        }
        parent[size] = size;
        return size++;
    }

    public int size() {
        return size;
    }

    public int find(int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    public void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra < rb) {
            parent[rb] = ra;
        } else if (rb < ra) {
            parent[ra] = rb;
        }
    }
}
