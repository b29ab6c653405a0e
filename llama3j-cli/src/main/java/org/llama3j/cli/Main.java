package org.llama3j.cli;

import java.io.PrintWriter;
import java.util.List;
import org.llama3j.StartupTrace;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code llama3j} command: a thin shell over the library API. */
@Command(name = "llama3j", mixinStandardHelpOptions = true, version = "llama3j 0.1.0",
        description = "The Llama 3 system on the JVM.")
public final class Main implements Runnable {
    /**
     * The subcommands, in the order {@code llama3j --help} lists them. Registered programmatically, not in
     * {@code @Command(subcommands = ...)}, so that a run of one command builds only that command's picocli
     * model: building all of them took 0.3 s of CPU at every start (bench/RESULTS.md, time to first token).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
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
            BuildDefaultCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        StartupTrace.mark("main");
        int code = run(args);
        StartupTrace.mark("exit");
        StartupTrace.threadCpuSummary();
        System.exit(code);
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int run(String... args) {
        CommandLine cli = commandLine(args);
        StartupTrace.mark("command line model built");
        return cli.execute(args);
    }

    /** The command line with every subcommand. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for running {@code args}: when the first argument names a subcommand, only that one is
     * registered (it is the only one picocli will look at); otherwise (no arguments, {@code --help},
     * {@code --version}, a misspelt command that picocli should suggest a fix for) all of them.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        Class<?> named = null;
        for (Class<?> c : SUBCOMMANDS) {
            if (args.length > 0 && c.getAnnotation(Command.class).name().equals(args[0])) {
                named = c;
            }
        }
        for (Class<?> c : SUBCOMMANDS) {
            if (named == null || c == named) {
                cli.addSubcommand(c);
            }
        }
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler((ex, argv) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("llama3j: " + ex.getMessage());
            // the top-level command is itself named llama3j: "llama3j --help", not "llama3j llama3j --help"
            CommandLine where = ex.getCommandLine();
            err.println("Try 'llama3j" + (where == cli ? "" : " " + where.getCommandName()) + " --help'.");
            err.flush();
            return 2;
        });
        return cli;
    }
}
