package org.llama3j.posttrain.recipe;

import java.nio.file.Path;
import org.llama3j.posttrain.data.BadRecordPolicy;
import org.llama3j.posttrain.dpo.DpoConfig;
import org.llama3j.posttrain.lora.LoraSettings;
import org.llama3j.posttrain.ppo.PpoConfig;
import org.llama3j.posttrain.rejection.RejectionSampler;
import org.llama3j.posttrain.run.RunSettings;

/**
 * A parsed post-training recipe (see {@link RecipeLoader} for the YAML). Paths are absolute
 * (resolved against the recipe's directory); {@code val}, {@code rewardModel}, {@code dpo},
 * {@code ppo}, {@code rejection} are null when the method does not use them.
 *
 * @param train      one or more training files, concatenated (e.g. rejection-sampled + original SFT data)
 * @param maxLength  longest sequence in tokens (prompt + reply); longer records are malformed
 * @param batchSize  rows per batch (sft), pairs per batch (reward, dpo)
 * @param output     rejection sampling's SFT JSONL output
 * @param lora       the {@code lora:} block (sft, dpo): train a LoRA adapter over the frozen model; null: full fine-tuning
 */
public record Recipe(Path file, Method method, Path model, java.util.List<Path> train, Path val, BadRecordPolicy badRecords,
                     int maxLength, int batchSize, RunSettings run, Path rewardModel, DpoConfig dpo, PpoConfig ppo,
                     RejectionSampler.Settings rejection, Path output, LoraSettings lora) {
}
