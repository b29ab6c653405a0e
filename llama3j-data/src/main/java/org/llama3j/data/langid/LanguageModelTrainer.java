package org.llama3j.data.langid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.llama3j.data.io.JsonlWriter;
import org.llama3j.data.text.Hashing;

/**
 * Trains the shipped language model from fortune files (run by {@code scripts/data/build-langid.sh}):
 * <pre>LanguageModelTrainer --out MODEL.bin.gz --heldout EVAL.jsonl [--buckets 65536] [--per-language 60]
 *     en=DIR_OR_FILE de=DIR_OR_FILE ...</pre>
 * Entries are de-duplicated per language and split by a hash of their text (1 in 10 held out, so a text repeated
 * across files never lands on both sides). Accuracy on the whole held-out split is printed; a sample of
 * {@code per-language} held-out entries of at least 30 characters is written as the test set.
 */
public final class LanguageModelTrainer {

    private LanguageModelTrainer() {
    }

    /** Train and held-out texts of one language. */
    record Split(List<String> train, List<String> heldOut) {
    }

    static Split split(List<String> entries) {
        List<String> train = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (String e : new LinkedHashSet<>(entries)) {
            (Math.floorMod(Hashing.hash64(e), 10) == 0 ? held : train).add(e);
        }
        return new Split(train, held);
    }

    /** Fraction of {@code (language, text)} pairs the model labels correctly. */
    public static double accuracy(LanguageModel model, Map<String, List<String>> heldOut) {
        long ok = 0;
        long n = 0;
        for (Map.Entry<String, List<String>> e : heldOut.entrySet()) {
            for (String t : e.getValue()) {
                n++;
                ok += model.identify(t).language().equals(e.getKey()) ? 1 : 0;
            }
        }
        return n == 0 ? 0 : (double) ok / n;
    }

    public static void main(String[] args) {
        Path out = null;
        Path heldOutFile = null;
        int buckets = 1 << 16;
        int perLanguage = 60;
        Map<String, List<String>> entries = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--heldout" -> heldOutFile = Path.of(args[++i]);
                case "--buckets" -> buckets = Integer.parseInt(args[++i]);
                case "--per-language" -> perLanguage = Integer.parseInt(args[++i]);
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) {
                        throw new LanguageIdException("expected LANG=PATH, got '" + args[i] + "'");
                    }
                    entries.computeIfAbsent(args[i].substring(0, eq), k -> new ArrayList<>())
                            .addAll(Fortunes.read(Path.of(args[i].substring(eq + 1))));
                }
            }
        }
        if (out == null || heldOutFile == null) {
            throw new LanguageIdException("usage: LanguageModelTrainer --out MODEL --heldout EVAL.jsonl LANG=PATH...");
        }
        Map<String, List<String>> train = new LinkedHashMap<>();
        Map<String, List<String>> held = new LinkedHashMap<>();
        entries.forEach((lang, list) -> {
            Split s = split(list);
            train.put(lang, s.train());
            held.put(lang, s.heldOut());
            System.out.printf("%-3s %7d entries: %7d train, %6d held out%n", lang, list.size(), s.train().size(),
                    s.heldOut().size());
        });
        LanguageModel model = LanguageModel.train(train, buckets, 0.5);
        model.save(out);
        System.out.printf("held-out accuracy (all held-out entries): %.4f%n", accuracy(model, held));
        try {
            Files.createDirectories(heldOutFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> sample = new LinkedHashMap<>();
        int limit = perLanguage;
        try (JsonlWriter w = new JsonlWriter(heldOutFile)) {
            held.forEach((lang, list) -> {
                List<String> picked = list.stream().filter(t -> t.length() >= 30)
                        .map(t -> t.length() > 400 ? t.substring(0, 400) : t).limit(limit).toList();
                sample.put(lang, picked);
                picked.forEach(t -> w.writeObject(Map.of("lang", lang, "text", t)));
            });
        }
        System.out.printf("held-out sample accuracy (%s): %.4f%n", heldOutFile.getFileName(), accuracy(model, sample));
        for (Map.Entry<String, List<String>> e : held.entrySet()) {
            System.out.printf("  %-3s %.4f%n", e.getKey(), accuracy(model, Map.of(e.getKey(), e.getValue())));
        }
    }
}
