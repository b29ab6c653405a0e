package org.llama3j.data.filter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;

/**
 * Adult-content ("dirty word") filter in the spirit of C4's bad-words rule (Raffel et al. 2020; datatrove
 * {@code C4BadWordsFilter}), made a threshold: a document is removed when the fraction of its words that start
 * a listed word or phrase exceeds {@code maxFraction} (C4's rule is "any", i.e. {@code maxFraction = 0}).
 * Matching is on lower-cased runs of letters/digits, so "Foo!" matches "foo" but "foobar" does not.
 * The list is chosen by the {@code language} metadata (default {@code defaultLanguage}); lists ship as
 * resources {@code dirtywords/<lang>.txt} (English) or come from {@code wordListDir/<lang>.txt}.
 */
public final class DirtyWordFilter implements DocumentStep {

    public record Config(double maxFraction, String languageKey, String defaultLanguage, String wordListDir,
                         boolean failOnMissingLanguage) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config(0.0, "language", "en", null, false);
    }

    private static final String RESOURCE_DIR = "/org/llama3j/data/filter/dirtywords/";

    private final Config config;
    /** A language's phrases (as token lists) and the longest phrase length. */
    private record WordList(Set<List<String>> phrases, int maxLength) implements java.io.Serializable {
    }

    /** Marks a language without a list (ConcurrentHashMap holds no nulls). */
    private static final WordList MISSING = new WordList(Set.of(), 0);

    /** language -> its list, loaded on first use. */
    private final Map<String, WordList> lists = new java.util.concurrent.ConcurrentHashMap<>();

    public DirtyWordFilter(Config config) {
        this.config = config;
        load(config.defaultLanguage());
    }

    @Override
    public String name() {
        return "dirty_words";
    }

    private WordList load(String lang) {
        WordList list = lists.computeIfAbsent(lang, l -> {
            WordList read = read(l);
            return read == null ? MISSING : read;
        });
        return list == MISSING ? null : list;
    }

    private WordList read(String lang) {
        Set<List<String>> phrases = null;
        int maxLen = 0;
        try (InputStream in = open(lang)) {
            if (in != null) {
                phrases = new HashSet<>();
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                    List<String> toks = tokens(line.replaceFirst("#.*", ""));
                    if (!toks.isEmpty()) {
                        phrases.add(toks);
                        maxLen = Math.max(maxLen, toks.size());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("dirty_words: cannot read word list for '" + lang + "'", e);
        }
        if (phrases == null && config.failOnMissingLanguage()) {
            throw new DataPipelineException("dirty_words: no word list for language '" + lang + "'");
        }
        return phrases == null ? null : new WordList(Set.copyOf(phrases), maxLen);
    }

    private InputStream open(String lang) throws IOException {
        if (!lang.matches("[A-Za-z_-]{1,20}")) {
            return null;
        }
        if (config.wordListDir() != null) {
            Path p = Path.of(config.wordListDir(), lang + ".txt");
            if (Files.exists(p)) {
                return Files.newInputStream(p);
            }
        }
        return DirtyWordFilter.class.getResourceAsStream(RESOURCE_DIR + lang + ".txt");
    }

    static List<String> tokens(String text) {
        return org.llama3j.data.text.WordTokenizer.lowercaseAlphanumeric(text);
    }

    /** Number of word positions where a listed phrase starts. */
    static int hits(List<String> words, Set<List<String>> phrases, int maxLen) {
        int hits = 0;
        for (int i = 0; i < words.size(); i++) {
            for (int len = 1; len <= maxLen && i + len <= words.size(); len++) {
                if (phrases.contains(words.subList(i, i + len))) {
                    hits++;
                    break;
                }
            }
        }
        return hits;
    }

    @Override
    public Verdict process(Document doc) {
        String lang = doc.meta(config.languageKey());
        lang = lang == null ? config.defaultLanguage() : lang.toLowerCase(Locale.ROOT);
        WordList list = load(lang);
        if (list == null || list.phrases().isEmpty()) {
            return Verdict.keep(doc);
        }
        List<String> words = tokens(doc.text());
        if (words.isEmpty()) {
            return Verdict.keep(doc);
        }
        int hits = hits(words, list.phrases(), list.maxLength());
        if (hits > 0 && (double) hits / words.size() > config.maxFraction()) {
            return Verdict.remove("dirty_words", hits + "/" + words.size() + " words (" + lang + ")");
        }
        return Verdict.keep(doc);
    }
}
