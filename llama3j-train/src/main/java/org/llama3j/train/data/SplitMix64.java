package org.llama3j.train.data;

/**
 * SplitMix64 (Steele, Lea &amp; Flood 2014; constants from Vigna's {@code splitmix64.c}): a tiny
 * generator whose whole state is one {@code long}, so it can be written into a checkpoint.
 */
public final class SplitMix64 {

    private long state;

    public SplitMix64(long state) {
        this.state = state;
    }

    public long state() {
        return state;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, bound)} by rejection (no modulo bias). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        // 2^64 mod bound: the size of the incomplete top block, which is rejected.
        long rem = (Long.remainderUnsigned(-1L, bound) + 1) % bound;
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, -1L - rem) <= 0) {
                return (int) Long.remainderUnsigned(r, bound);
            }
        }
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
