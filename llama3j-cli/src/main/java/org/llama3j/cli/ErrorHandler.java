package org.llama3j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr and exit code 2 for user errors (bad files, bad
 * arguments, bad input text); a stack trace only for internal errors or with LLAMA3J_DEBUG=1.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        var err = cmd.getErr();
        boolean debug = "1".equals(System.getenv("LLAMA3J_DEBUG"));
        Throwable t = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
        if (isUserError(t)) {
            err.println("llama3j: error: " + describe(t));
            if (debug) {
                t.printStackTrace(err);
            }
            err.flush();
            return 2;
        }
        err.println("llama3j: internal error: " + t);
        t.printStackTrace(err);
        err.flush();
        return 1;
    }

    private static boolean isUserError(Throwable t) {
        return t instanceof IOException
                || t instanceof IllegalArgumentException
                || t instanceof UserException
                || t instanceof org.llama3j.format.gguf.GgufFormatException
                || t instanceof org.llama3j.model.ModelFormatException
                || t instanceof org.llama3j.format.safetensors.SafetensorsFormatException
                || t instanceof org.llama3j.format.hf.HfConfigException
                || t instanceof org.llama3j.model.ContextOverflowException
                || t instanceof org.llama3j.tokenizer.TokenizerException
                || t instanceof UnsupportedOperationException
                || t instanceof org.llama3j.train.trainer.TrainerConfigException
                || t instanceof org.llama3j.train.data.ShardFormatException
                || t instanceof org.llama3j.train.checkpoint.CheckpointException
                || t instanceof org.llama3j.train.trainer.TrainingDivergedException;
    }

    private static String describe(Throwable t) {
        if (t instanceof NoSuchFileException e) {
            return e.getFile() + ": no such file";
        }
        if (t instanceof AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
