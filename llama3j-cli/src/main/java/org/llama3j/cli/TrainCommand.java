package org.llama3j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.train.trainer.RunSettings;
import org.llama3j.train.trainer.Trainer;
import org.llama3j.train.trainer.TrainerConfigLoader;
import org.llama3j.train.trainer.TrainerHooks;
import org.llama3j.train.trainer.TrainingReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llama3j train}: pretraining from a YAML config (see llama3j-train/README.md). */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Pretrain a Llama model on token shards.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE.yaml", description = "Trainer config.")
    Path config;

    @Option(names = "--resume", description = "Continue from the newest intact checkpoint.")
    boolean resume;

    @Option(names = "--until", paramLabel = "STEP", description = "Stop (with a checkpoint) at this step.")
    Long until;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        RunSettings settings = TrainerConfigLoader.load(config);
        try (Trainer trainer = new Trainer(settings, TrainerHooks.NONE, System.err)) {
            TrainingReport r = trainer.run(resume, until == null ? settings.steps() : until);
            System.err.printf("llama3j: finished at step %d; %d rollbacks, %d failed checkpoints; last checkpoint %s; "
                            + "log and loss.png in %s%n", r.finalStep(), r.rollbacks(), r.failedCheckpoints(),
                    r.lastCheckpoint(), settings.outDir());
        }
        return 0;
    }
}
