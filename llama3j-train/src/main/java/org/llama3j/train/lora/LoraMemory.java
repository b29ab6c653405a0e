package org.llama3j.train.lora;

/**
 * Training memory of the weights and optimizer, in bytes (activations excluded: they are the same
 * for LoRA and full fine-tuning, plus {@code rows·r} floats per adapted projection for LoRA).
 *
 * @param baseWeights      the frozen FP32 base (4 bytes per weight; no gradient, no optimizer state)
 * @param adapterWeights   A and B of every adapted projection
 * @param adapterGradients one gradient per adapter weight
 * @param optimizerState   AdamW's two moments per adapter weight
 * @param fullFineTuning   what full fine-tuning of the same base needs: weights, gradients and two moments
 */
public record LoraMemory(long baseWeights, long adapterWeights, long adapterGradients, long optimizerState,
                         long fullFineTuning) {

    static LoraMemory of(long baseParameters, long adapterParameters) {
        return new LoraMemory(4 * baseParameters, 4 * adapterParameters, 4 * adapterParameters,
                8 * adapterParameters, 16 * baseParameters);
    }

    public long total() {
        return baseWeights + adapterWeights + adapterGradients + optimizerState;
    }

    @Override
    public String toString() {
        return String.format("LoRA memory: base %.2f MB (frozen FP32), adapter %.3f MB + gradients %.3f MB + AdamW %.3f MB"
                        + " = %.2f MB (full fine-tuning: %.2f MB)", baseWeights / 1e6, adapterWeights / 1e6,
                adapterGradients / 1e6, optimizerState / 1e6, total() / 1e6, fullFineTuning / 1e6);
    }
}
