package org.llama3j.data.langid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads fortune(6) cookie files: entries separated by lines holding only {@code %} (strfile(8) format).
 * Attribution lines ({@code -- Author}) are dropped: names are not the language's text.
 */
public final class Fortunes {

    private Fortunes() {
    }

    /** Entries of one file or of every fortune file under a directory (skipping strfile's .dat and the .u8 links). */
    public static List<String> read(Path fileOrDir) {
        List<Path> files;
        try (Stream<Path> s = Files.isDirectory(fileOrDir) ? Files.walk(fileOrDir) : Stream.of(fileOrDir)) {
            files = s.filter(p -> Files.isRegularFile(p) && !Files.isSymbolicLink(p))
                    .filter(p -> !p.toString().endsWith(".dat") && !p.toString().endsWith(".u8")).sorted().toList();
        } catch (IOException e) {
            throw new LanguageIdException("cannot list " + fileOrDir + ": " + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            String text;
            try {
                text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LanguageIdException("cannot read fortune file " + f + ": " + e.getMessage(), e);
            }
            if (text.indexOf('\uFFFD') >= 0) {
                continue; // not UTF-8 (a few legacy-encoded files); skip rather than learn mojibake
            }
            StringBuilder entry = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                if (line.strip().equals("%")) {
                    add(out, entry);
                } else if (!line.strip().startsWith("--") && !line.strip().startsWith("\u2014")) {
                    entry.append(line.replaceAll("\u001b\\[[0-9;]*m", "")).append('\n');
                }
            }
            add(out, entry);
        }
        return out;
    }

    private static void add(List<String> out, StringBuilder entry) {
        String e = entry.toString().strip();
        if (!e.isEmpty()) {
            out.add(e);
        }
        entry.setLength(0);
    }
}
