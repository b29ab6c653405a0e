package org.llama3j.data.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic JSONL shards with good prose, short junk, exact duplicates and broken lines. */
final class TestCorpus {

    private static final String[] VOCAB = ("the of and to that with have be river mountain village library garden "
            + "teacher student market history science summer winter morning evening window kitchen bridge harbor "
            + "journey lantern orchard meadow painter musician ancient careful gentle quiet bright narrow").split(" ");

    private TestCorpus() {
    }

    static String prose(Random r, int sentences) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            for (int w = 0; w < 10; w++) {
                String word = VOCAB[r.nextInt(VOCAB.length)];
                sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                sb.append(w == 9 ? "." : " ");
            }
            sb.append(s % 3 == 2 ? "\n" : " ");
        }
        return sb.toString().strip();
    }

    static String json(String id, String text) {
        return "{\"id\":\"" + id + "\",\"text\":\"" + text.replace("\n", "\\n") + "\",\"source\":\"web\"}";
    }

    /** {@code files} shards of {@code docs} lines each; returns their paths. */
    static List<Path> write(Path dir, int files, int docs, long seed) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        List<Path> out = new ArrayList<>();
        List<String> firstFileTexts = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < docs; i++) {
                String id = "f" + f + "-" + i;
                if (i % 10 == 3) {
                    lines.add(json(id, "too short"));
                } else if (i % 10 == 7 && f > 0 && !firstFileTexts.isEmpty()) {
                    lines.add(json(id, firstFileTexts.get(i % firstFileTexts.size()))); // exact duplicate
                } else if (i % 10 == 9 && f > 0 && !firstFileTexts.isEmpty()) {
                    String t = firstFileTexts.get((i + f) % firstFileTexts.size());
                    lines.add(json(id, t + " An extra closing sentence here.")); // near duplicate
                } else if (i % 25 == 11) {
                    lines.add("{\"id\":\"" + id + "\", broken");
                } else {
                    String t = prose(r, 8);
                    if (f == 0) {
                        firstFileTexts.add(t);
                    }
                    lines.add(json(id, t));
                }
            }
            Path p = dir.resolve(String.format("shard-%02d.jsonl", f));
            Files.write(p, lines, StandardCharsets.UTF_8);
            out.add(p);
        }
        return out;
    }
}
