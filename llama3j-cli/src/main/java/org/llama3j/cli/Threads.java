package org.llama3j.cli;

import org.llama3j.kernel.Parallel;

/** Applies a {@code --threads} option to the kernel worker pool. */
final class Threads {
    private Threads() {
    }

    static void apply(Integer threads) {
        if (threads != null) {
            if (threads < 1) {
                throw new UserException("--threads must be >= 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
    }
}
