package org.llama3j.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the bundled default model lives: {@code models/llama3j-default.gguf} under the llama3j home, which is
 * the {@code llama3j.home} system property (the {@code ./llama3j} launcher sets it to the repository root), or
 * else the first directory above the CLI's jar or classes directory that holds the model.
 */
final class DefaultModel {

    static final String RELATIVE_PATH = "models/llama3j-default.gguf";
    static final String HOME_PROPERTY = "llama3j.home";
    private static final int MAX_LEVELS_UP = 4;

    private DefaultModel() {
    }

    /** The default model, or a {@link UserException} naming where it was looked for. */
    static Path require() {
        List<Path> candidates = candidates();
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new UserException("no --model given and the bundled default model is missing (looked for "
                + candidates.stream().map(Path::toString).distinct().toList()
                + "); pass --model FILE, or rebuild it with 'llama3j build-default' and copy it to " + RELATIVE_PATH);
    }

    static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            out.add(Path.of(home).resolve(RELATIVE_PATH).toAbsolutePath().normalize());
        }
        codeLocation().ifPresent(loc -> {
            Path dir = Files.isDirectory(loc) ? loc : loc.getParent();
            for (int i = 0; i <= MAX_LEVELS_UP && dir != null; i++, dir = dir.getParent()) {
                out.add(dir.resolve(RELATIVE_PATH));
            }
        });
        return out;
    }

    private static Optional<Path> codeLocation() {
        try {
            var source = DefaultModel.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
