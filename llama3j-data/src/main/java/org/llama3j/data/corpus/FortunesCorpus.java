package org.llama3j.data.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.langid.Fortunes;

/**
 * Debian's fortune packages as multilingual text, fetched with {@code apt-get download} and unpacked
 * with {@code dpkg -x} (nothing is installed). Each package is one language (Debian has no
 * fortunes-fr; Portuguese comes from fortunes-br). Fortune entries are short quotes, so consecutive
 * entries of a file are joined into documents of about {@link #DOCUMENT_CHARS} characters, the
 * size of a short web page, instead of one document per quote.
 */
public final class FortunesCorpus {
    /** Debian package → ISO 639-1 language. */
    public static final Map<String, String> PACKAGES = packages();
    static final int DOCUMENT_CHARS = 2000;

    private FortunesCorpus() {
    }

    private static Map<String, String> packages() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fortunes-min", "en");
        m.put("fortunes", "en");
        m.put("fortunes-de", "de");
        m.put("fortunes-it", "it");
        m.put("fortunes-es", "es");
        m.put("fortunes-ru", "ru");
        m.put("fortunes-pl", "pl");
        m.put("fortunes-cs", "cs");
        m.put("fortunes-zh", "zh");
        m.put("fortunes-bg", "bg");
        m.put("fortunes-ga", "ga");
        m.put("fortunes-eo", "eo");
        m.put("fortunes-br", "pt");
        return m;
    }

    /** Downloads and unpacks every package under {@code dir}; returns package → its unpacked fortunes directory. */
    public static Map<String, Path> fetch(Path dir) {
        Map<String, Path> out = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            for (String pkg : PACKAGES.keySet()) {
                Path root = dir.resolve(pkg);
                Path done = root.resolve(".unpacked");
                if (!Files.exists(done)) {
                    Files.createDirectories(root);
                    ExternalCommand.run(root, List.of("apt-get", "download", pkg), pkg);
                    Path deb;
                    try (Stream<Path> s = Files.list(root)) {
                        deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                                .orElseThrow(() -> new DemoCorpusException("apt-get download " + pkg + " wrote no .deb in " + root));
                    }
                    ExternalCommand.run(root, List.of("dpkg", "-x", deb.getFileName().toString(), "x"), pkg);
                    Files.writeString(done, pkg + "\n");
                }
                out.put(pkg, root.resolve("x/usr/share/games/fortunes"));
            }
            return out;
        } catch (IOException e) {
            throw new DemoCorpusException("cannot fetch fortune packages into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the fortunes of each unpacked package (package → directory) to {@code out}; returns the document count. */
    public static int write(Map<String, Path> unpacked, Path out) {
        try (CorpusWriter w = new CorpusWriter(out, "multilingual", "fortunes")) {
            for (Map.Entry<String, Path> e : unpacked.entrySet()) {
                String lang = PACKAGES.getOrDefault(e.getKey(), "und");
                if (!Files.isDirectory(e.getValue())) {
                    throw new DemoCorpusException(e.getValue() + ": no fortune files for package " + e.getKey());
                }
                List<String> docs = documents(Fortunes.read(e.getValue()));
                for (int i = 0; i < docs.size(); i++) {
                    w.write("fortunes/" + e.getKey() + "/" + i, docs.get(i), Map.of("lang", lang));
                }
            }
            return w.documents();
        }
    }

    /** Consecutive entries joined by blank lines into documents of about {@link #DOCUMENT_CHARS} characters. */
    static List<String> documents(List<String> entries) {
        List<String> docs = new ArrayList<>();
        StringBuilder doc = new StringBuilder();
        for (String entry : entries) {
            if (doc.length() > 0) {
                doc.append("\n\n");
            }
            doc.append(entry);
            if (doc.length() >= DOCUMENT_CHARS) {
                docs.add(doc.toString());
                doc.setLength(0);
            }
        }
        if (doc.length() > 0) {
            docs.add(doc.toString());
        }
        return docs;
    }

}
