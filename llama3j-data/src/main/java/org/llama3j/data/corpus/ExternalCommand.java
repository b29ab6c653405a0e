package org.llama3j.data.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a fetch tool ({@code npm}, {@code tar}, {@code apt-get}, {@code dpkg}) with a deadline; its output goes to the error on failure. */
final class ExternalCommand {
    static final long TIMEOUT_MINUTES = 10;

    private ExternalCommand() {
    }

    /** @param what what the command is for, named in errors (e.g. the package) */
    static void run(Path dir, List<String> command, String what) throws IOException {
        Path log = Files.createTempFile(dir, "cmd", ".log");
        String shown = String.join(" ", command) + (what == null ? "" : " (for " + what + ")");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new DemoCorpusException(shown + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                throw new DemoCorpusException(shown + " failed with exit code " + p.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoCorpusException("interrupted while running " + shown);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
