package org.llama3j.eval.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the shipped task files ({@code llama3j-eval/tasks/}) from data on this machine: the
 * default model's held-out documents ({@code models/llama3j-default-heldout.txt}: validation
 * documents of the demo corpus, never trained on) and synthetic arithmetic. Deterministic for a seed;
 * {@code DemoTasksTest} checks the shipped files are exactly what this writes.
 */
public final class DemoTasks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
    private static final Pattern LAST_WORD = Pattern.compile("^(.*\\S)\\s+([A-Za-z]+)([.!?]['\"]?)$");
    private static final Pattern WORD = Pattern.compile("[A-Za-z]+");
    public static final int FEWSHOT = 5;

    private DemoTasks() {
    }

    /** Writes every task file into {@code outDir}. */
    public static void writeAll(Path heldOut, Path outDir, long seed) throws IOException {
        String text = Files.readString(heldOut, StandardCharsets.UTF_8);
        List<String> docs = documents(text);
        Files.createDirectories(outDir);
        write(outDir.resolve("demo-cloze.jsonl"), cloze(docs, 200, new Random(seed)));
        write(outDir.resolve("demo-perplexity.jsonl"), perplexity(docs, 40));
        write(outDir.resolve("demo-continuation-preference.jsonl"), preference(docs, 20, new Random(seed + 1)));
        write(outDir.resolve("arithmetic-choice.jsonl"), arithmeticChoice(100, new Random(seed + 2)));
        write(outDir.resolve("arithmetic-generation.jsonl"), arithmeticGeneration(100, new Random(seed + 3)));
    }

    /** Documents of the held-out file: paragraphs separated by blank lines. */
    static List<String> documents(String text) {
        List<String> docs = new ArrayList<>();
        for (String d : text.split("\n\n")) {
            if (!d.isBlank()) {
                docs.add(d.strip());
            }
        }
        return docs;
    }

    /**
     * Cloze as multiple choice (LAMBADA-like, as a 4-way choice): a sentence of 6–40 words ending in
     * an alphabetic word and punctuation; the context is the sentence without its last word, the
     * choices the true word and three distinct word types of the held-out text drawn uniformly.
     */
    static List<ObjectNode> cloze(List<String> docs, int count, Random rnd) {
        TreeSet<String> vocab = new TreeSet<>();
        for (String d : docs) {
            Matcher m = WORD.matcher(d);
            while (m.find()) {
                vocab.add(m.group());
            }
        }
        List<String> types = new ArrayList<>(vocab);
        List<String[]> candidates = new ArrayList<>();
        for (String d : docs) {
            for (String s : SENTENCE_END.split(d.replace('\n', ' '))) {
                int words = s.split("\\s+").length;
                Matcher m = LAST_WORD.matcher(s.strip());
                if (words >= 6 && words <= 40 && m.matches()) {
                    candidates.add(new String[] {m.group(1), m.group(2)});
                }
            }
        }
        Collections.shuffle(candidates, rnd);
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < Math.min(count + FEWSHOT, candidates.size()); i++) {
            String[] c = candidates.get(i);
            List<String> choices = new ArrayList<>(List.of(c[1]));
            while (choices.size() < 4) {
                String w = types.get(rnd.nextInt(types.size()));
                if (!choices.contains(w)) {
                    choices.add(w);
                }
            }
            Collections.shuffle(choices, rnd);
            ObjectNode n = item("multiple_choice", "cloze-" + i, i < FEWSHOT);
            n.put("context", c[0]);
            choices.forEach(n.putArray("choices")::add);
            n.put("answer", choices.indexOf(c[1]));
            out.add(n);
        }
        return out;
    }

    /** The first {@code count} documents of at least 20 words, for rolling perplexity. */
    static List<ObjectNode> perplexity(List<String> docs, int count) {
        List<ObjectNode> out = new ArrayList<>();
        for (String d : docs) {
            if (out.size() < count && d.split("\\s+").length >= 20) {
                out.add(item("perplexity", "doc-" + out.size(), false).put("text", d));
            }
        }
        return out;
    }

    /**
     * The model continues the first half of a sentence; the reference is the true second half with
     * its words shuffled (fluent words, broken order), so a model that writes ordered English wins.
     */
    static List<ObjectNode> preference(List<String> docs, int count, Random rnd) {
        List<ObjectNode> out = new ArrayList<>();
        for (String d : docs) {
            String[] w = d.split("\\s+");
            if (out.size() >= count || w.length < 12 || w.length > 40) {
                continue;
            }
            int half = w.length / 2;
            List<String> rest = new ArrayList<>(List.of(w).subList(half, w.length));
            Collections.shuffle(rest, rnd);
            ObjectNode n = item("preference", "pref-" + out.size(), false);
            n.put("prompt", String.join(" ", List.of(w).subList(0, half)));
            n.put("reference", " " + String.join(" ", rest));
            n.put("max_tokens", 16);
            out.add(n);
        }
        return out;
    }

    /** "What is a + b?" with the sum and three near misses as choices. */
    static List<ObjectNode> arithmeticChoice(int count, Random rnd) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < count + FEWSHOT; i++) {
            int a = rnd.nextInt(50);
            int b = rnd.nextInt(50);
            List<String> choices = new ArrayList<>(List.of(Integer.toString(a + b)));
            while (choices.size() < 4) {
                String w = Integer.toString(a + b + rnd.nextInt(21) - 10);
                if (!choices.contains(w) && !w.startsWith("-")) {
                    choices.add(w);
                }
            }
            Collections.shuffle(choices, rnd);
            ObjectNode n = item("multiple_choice", "add-" + i, i < FEWSHOT);
            n.put("context", "Question: What is " + a + " + " + b + "?\nAnswer:");
            choices.forEach(n.putArray("choices")::add);
            n.put("answer", choices.indexOf(Integer.toString(a + b)));
            out.add(n);
        }
        return out;
    }

    /** "a + b =" answered by generation, scored by the first integer in the output. */
    static List<ObjectNode> arithmeticGeneration(int count, Random rnd) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < count + FEWSHOT; i++) {
            int a = rnd.nextInt(50);
            int b = rnd.nextInt(50);
            ObjectNode n = item("generation", "gen-" + i, i < FEWSHOT);
            n.put("prompt", a + " + " + b + " =");
            n.put("target", " " + (a + b));
            n.put("regex", "(-?\\d+)");
            n.put("max_tokens", 6);
            n.putArray("until").add("\n");
            out.add(n);
        }
        return out;
    }

    private static ObjectNode item(String type, String id, boolean fewshot) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("id", id);
        if (fewshot) {
            n.put("fewshot", true);
        }
        return n;
    }

    private static void write(Path file, List<ObjectNode> items) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode n : items) {
            sb.append(JSON.writeValueAsString(n)).append('\n');
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code DemoTasks HELDOUT OUTDIR [SEED]}: regenerates the shipped tasks. */
    public static void main(String[] args) throws IOException {
        writeAll(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? Long.parseLong(args[2]) : 0);
    }
}
