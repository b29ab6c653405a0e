package org.llama3j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code llama3j eval ...}: model evaluations. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model.",
        subcommands = {CyberSecEvalCommand.class})
public final class EvalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
