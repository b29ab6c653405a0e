package org.llama3j.posttrain.ppo;

import org.llama3j.posttrain.data.TokenBatch;

/**
 * A batch of sampled replies and what PPO keeps of the sampling policy: per position (aligned with
 * {@code batch.targets()}, meaningful where the target is a reply token) the old log-prob, the
 * reference log-prob, the old value, the advantage and the return; per row the reward-model score.
 */
public record Rollouts(TokenBatch batch, float[] oldLogProbs, float[] refLogProbs, float[] oldValues,
                       float[] advantages, float[] returns, float[] scores) {
}
