package org.llama3j.posttrain.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llama3j.posttrain.data.BadRecordPolicy;
import org.llama3j.model.lora.LoraConfig;
import org.llama3j.model.lora.Projection;
import org.llama3j.posttrain.dpo.DpoConfig;
import org.llama3j.posttrain.lora.LoraSettings;
import org.llama3j.posttrain.ppo.PpoConfig;
import org.llama3j.posttrain.rejection.RejectionSampler;
import org.llama3j.posttrain.run.RunSettings;
import org.llama3j.train.optim.AdamWConfig;
import org.llama3j.train.optim.WeightDecayScope;

/**
 * Reads a recipe YAML; unknown keys, wrong types and missing required keys fail with the key's
 * full path. Shape:
 * <pre>
 * method: sft | reward | dpo | rejection-sampling | ppo
 * model: base.l3jc                       # checkpoint to start from (pretraining or an earlier stage)
 * data: {train: x.jsonl, val: y.jsonl, badRecords: skip|reject, maxLength: 256}   # train: a file or a list
 * batchSize: 8                           # sft rows, reward/dpo pairs, ppo prompts per rollout batch
 * steps: 100
 * optimizer: {lr: 1.0e-4, warmupSteps: 10, minLrRatio: 0.1, beta1: 0.9, beta2: 0.95, eps: 1.0e-8,
 *             weightDecay: 0.0, gradClip: 1.0}
 * log: {every: 10}
 * eval: {every: 50}
 * checkpoint: {every: 50, keep: 2}
 * threads: 2
 * seed: 0
 * out: runs/sft                          # log.jsonl, loss.png, checkpoints/, model.l3jc (+ head.bin)
 * dpo: {beta: 0.1, nllWeight: 0.2, maskFormatTokens: true}                     # method dpo
 * rewardModel: runs/reward                                                      # rejection-sampling, ppo
 * rejection: {samples: 8, maxNewTokens: 32, temperature: 1.0, output: rs.jsonl} # rejection-sampling
 * ppo: {clipEps: 0.2, valueClip: 0.2, gamma: 1.0, lambda: 0.95, klCoef: 0.05, valueCoef: 0.1, epochs: 2,
 *       maxNewTokens: 32, temperature: 1.0, whitenAdvantages: true, valueIntoBackbone: false}  # method ppo
 * lora: {rank: 8, alpha: 16, dropout: 0.05, targets: [q_proj, v_proj], merge: false}   # sft, dpo: LoRA instead of full
 * </pre>
 * For rejection sampling and PPO, {@code data.train} holds prompts ({@code {"prompt": …}}). With {@code lora:}
 * the model may also be a GGUF (any type, e.g. Q8_0/Q4_0) or Hugging Face checkpoint, dequantized once.
 */
public final class RecipeLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RecipeLoader() {
    }

    public static Recipe load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new RecipeException(file + ": recipe file not found");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new RecipeException(file + ": not valid YAML: " + e.getMessage());
        }
        YamlSection r = new YamlSection(file, "", root);
        Method method;
        try {
            method = Method.parse(r.text("method", null));
        } catch (IllegalArgumentException e) {
            throw r.error(e.getMessage());
        }
        Path model = r.path("model", null);
        YamlSection data = r.section("data");
        java.util.List<Path> train = data.paths("train");
        Path val = method == Method.REJECTION_SAMPLING || method == Method.PPO ? null : data.path("val", "");
        BadRecordPolicy policy;
        try {
            policy = BadRecordPolicy.parse(data.text("badRecords", "skip"));
        } catch (IllegalArgumentException e) {
            throw r.error("data.badRecords: " + e.getMessage());
        }
        int maxLength = data.integer("maxLength", 0, 0);
        data.finish();
        int batchSize = r.integer("batchSize", 8, 1);
        int threads = r.integer("threads", 2, 1);
        long seed = r.integer("seed", 0, 0);
        RunSettings run = null;
        Path output = null;
        RejectionSampler.Settings rejection = null;
        if (method == Method.REJECTION_SAMPLING) {
            YamlSection rs = r.section("rejection");
            rejection = new RejectionSampler.Settings(rs.integer("samples", 8, 1), rs.integer("maxNewTokens", 32, 1),
                    rs.number("temperature", 1.0), seed);
            output = rs.path("output", null);
            rs.finish();
        } else {
            run = runSettings(r, threads, seed);
        }
        DpoConfig dpo = null;
        if (method == Method.DPO) {
            YamlSection d = r.section("dpo");
            dpo = guard(r, () -> new DpoConfig(d.number("beta", 0.1), d.number("nllWeight", 0.2),
                    d.bool("maskFormatTokens", true)));
            d.finish();
        }
        Path rewardModel = null;
        if (method == Method.REJECTION_SAMPLING || method == Method.PPO) {
            rewardModel = r.path("rewardModel", null);
        }
        PpoConfig ppo = null;
        if (method == Method.PPO) {
            YamlSection p = r.section("ppo");
            PpoConfig def = PpoConfig.defaults();
            ppo = guard(r, () -> new PpoConfig(p.number("clipEps", def.clipEps()), p.number("valueClip", def.valueClip()),
                    p.number("gamma", def.gamma()), p.number("lambda", def.lambda()), p.number("klCoef", def.klCoef()),
                    p.number("valueCoef", def.valueCoef()), p.integer("epochs", def.epochs(), 1), batchSize,
                    p.integer("maxNewTokens", def.maxNewTokens(), 1), p.number("temperature", def.temperature()),
                    p.bool("whitenAdvantages", def.whitenAdvantages()), p.bool("valueIntoBackbone",
                    def.valueIntoBackbone())));
            p.finish();
        }
        LoraSettings lora = null;
        if (r.has("lora")) {
            if (method != Method.SFT && method != Method.DPO) {
                throw r.error("lora: LoRA training is supported for methods sft and dpo, not " + method.key());
            }
            lora = lora(r, r.section("lora"));
        }
        r.finish();
        return new Recipe(file, method, model, train, val, policy, maxLength, batchSize, run, rewardModel, dpo, ppo,
                rejection, output, lora);
    }

    private static RunSettings runSettings(YamlSection r, int threads, long seed) {
        int steps = r.integer("steps", null, 1);
        YamlSection o = r.section("optimizer");
        YamlSection log = r.section("log");
        YamlSection eval = r.section("eval");
        YamlSection ckpt = r.section("checkpoint");
        RunSettings s = guard(r, () -> new RunSettings(steps, (float) o.number("lr", 1e-4), o.integer("warmupSteps", 0, 0),
                (float) o.number("minLrRatio", 0.1), o.number("gradClip", 1.0),
                new AdamWConfig((float) o.number("beta1", 0.9), (float) o.number("beta2", 0.95),
                        (float) o.number("eps", 1e-8), (float) o.number("weightDecay", 0.0), WeightDecayScope.MATRICES),
                log.integer("every", 10, 1), eval.integer("every", 0, 0), ckpt.integer("every", 0, 0),
                ckpt.integer("keep", 2, 1), r.path("out", null), seed, threads));
        for (YamlSection sec : new YamlSection[] {o, log, eval, ckpt}) {
            sec.finish();
        }
        return s;
    }

    /**
     * Defaults as PEFT's {@code LoraConfig} (r 8, lora_alpha 8, no dropout, q_proj and v_proj);
     * {@code targets: all-linear} adapts all seven projections.
     */
    private static LoraSettings lora(YamlSection r, YamlSection l) {
        int rank = l.integer("rank", 8, 1);
        double alpha = l.number("alpha", 8);
        double dropout = l.number("dropout", 0);
        java.util.List<String> names = l.texts("targets", java.util.List.of("q_proj", "v_proj"));
        java.util.EnumSet<Projection> targets = java.util.EnumSet.noneOf(Projection.class);
        for (String n : names) {
            if (n.equals("all-linear")) {
                targets.addAll(java.util.EnumSet.allOf(Projection.class));
                continue;
            }
            Projection p = Projection.ofModule(n);
            if (p == null) {
                throw r.error("lora.targets: '" + n + "' is not one of q_proj, k_proj, v_proj, o_proj, gate_proj,"
                        + " up_proj, down_proj, all-linear");
            }
            targets.add(p);
        }
        boolean merge = l.bool("merge", false);
        l.finish();
        return guard(r, () -> new LoraSettings(new LoraConfig(rank, (float) alpha, (float) dropout, targets), merge));
    }

    private static <T> T guard(YamlSection r, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw r.error(e.getMessage());
        }
    }
}
