package org.llama3j.posttrain.ppo;

/**
 * PPO hyper-parameters (Schulman et al. 2017; the RLHF form of Ouyang et al. 2022 / Ziegler et al. 2019).
 *
 * @param clipEps          policy ratio clip ε (0.2)
 * @param valueClip        value clip range around the rollout's values (0.2)
 * @param gamma            GAE discount γ (1: episodic, undiscounted)
 * @param lambda           GAE λ (0.95)
 * @param klCoef           per-token KL penalty to the reference, {@code −klCoef·(log π − log π_ref)}
 * @param valueCoef        weight of the value loss
 * @param epochs           optimizer steps on each batch of rollouts
 * @param promptsPerStep   prompts rolled out per batch
 * @param maxNewTokens     reply length limit
 * @param temperature      sampling temperature of the rollouts
 * @param whitenAdvantages normalize advantages to mean 0, std 1 over the batch
 * @param valueIntoBackbone let the value loss's gradient flow into the shared backbone; off, the value head
 *                          learns on the (detached) hidden states only, so reward-scale value errors cannot
 *                          move the policy
 */
public record PpoConfig(double clipEps, double valueClip, double gamma, double lambda, double klCoef,
                        double valueCoef, int epochs, int promptsPerStep, int maxNewTokens, double temperature,
                        boolean whitenAdvantages, boolean valueIntoBackbone) {

    public static PpoConfig defaults() {
        return new PpoConfig(0.2, 0.2, 1.0, 0.95, 0.05, 0.1, 2, 8, 32, 1.0, true, false);
    }

    public PpoConfig {
        if (!(clipEps > 0) || !(valueClip > 0)) {
            throw new IllegalArgumentException("ppo clipEps and valueClip must be > 0");
        }
        if (!(gamma > 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("ppo gamma must be in (0, 1] and lambda in [0, 1]");
        }
        if (epochs < 1 || promptsPerStep < 1 || maxNewTokens < 1) {
            throw new IllegalArgumentException("ppo epochs, promptsPerStep and maxNewTokens must be >= 1");
        }
    }
}
