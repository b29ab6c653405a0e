package org.llama3j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code llama3j} command: a thin shell over the library API. */
@Command(name = "llama3j", mixinStandardHelpOptions = true, version = "llama3j 0.1.0",
        description = "The Llama 3 system on the JVM.",
        subcommands = {
                GenerateCommand.class,
                ChatCommand.class,
                TokenizeCommand.class,
                PerplexityCommand.class,
                InfoCommand.class,
                QuantizeCommand.class,
                ConvertCommand.class,
                BenchCommand.class,
                RandomModelCommand.class,
                TrainTokenizerCommand.class,
                TokenizeCorpusCommand.class,
                TrainCommand.class,
                LoraCommand.class,
                FinetuneCommand.class,
                ExportCommand.class,
                DataCommand.class,
                CodeShieldCommand.class,
                ServeCommand.class,
                GuardCommand.class,
                EvalCommand.class,
                ScalingCommand.class,
                BuildDefaultCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler((ex, argv) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("llama3j: " + ex.getMessage());
            err.println("Try 'llama3j " + ex.getCommandLine().getCommandName() + " --help'.");
            err.flush();
            return 2;
        });
        return cli;
    }
}
