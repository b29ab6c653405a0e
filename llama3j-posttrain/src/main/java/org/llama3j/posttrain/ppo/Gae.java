package org.llama3j.posttrain.ppo;

/**
 * Generalized advantage estimation (Schulman et al. 2016) over one reply:
 * {@code δ_t = r_t + γ·V_{t+1} − V_t} (V after the last token is 0, the episode ends),
 * {@code A_t = δ_t + γλ·A_{t+1}}, returns {@code R_t = A_t + V_t} (the value targets).
 */
public final class Gae {

    private Gae() {
    }

    /** Fills {@code advantages} and {@code returns} (same length as {@code rewards}). */
    public static void compute(double[] rewards, double[] values, double gamma, double lambda,
                               double[] advantages, double[] returns) {
        double next = 0;
        double nextValue = 0;
        for (int t = rewards.length - 1; t >= 0; t--) {
            double delta = rewards[t] + gamma * nextValue - values[t];
            next = delta + gamma * lambda * next;
            advantages[t] = next;
            returns[t] = next + values[t];
            nextValue = values[t];
        }
    }
}
