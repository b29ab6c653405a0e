package org.llama3j.tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Special (control) tokens: text ↔ id. They are never produced by BPE; encoding recognises them in
 * text only when the caller allows it (tiktoken {@code allowed_special}).
 */
public final class SpecialTokens {
    private final Map<String, Integer> idByText;
    private final Map<Integer, String> textById;
    private final Map<Character, List<String>> byFirstChar; // longest first

    public SpecialTokens(Map<String, Integer> idByText) {
        this.idByText = Collections.unmodifiableMap(new LinkedHashMap<>(idByText));
        Map<Integer, String> byId = new HashMap<>();
        Map<Character, List<String>> first = new HashMap<>();
        idByText.forEach((text, id) -> {
            if (text.isEmpty()) throw new TokenizerException("special token " + id + " has empty text");
            String previous = byId.put(id, text);
            if (previous != null) {
                throw new TokenizerException("special tokens '" + previous + "' and '" + text + "' share id " + id);
            }
            first.computeIfAbsent(text.charAt(0), k -> new ArrayList<>()).add(text);
        });
        first.values().forEach(l -> l.sort(Comparator.comparingInt(String::length).reversed()));
        this.textById = Collections.unmodifiableMap(byId);
        this.byFirstChar = first;
    }

    public static SpecialTokens none() {
        return new SpecialTokens(Map.of());
    }

    public Map<String, Integer> asMap() {
        return idByText;
    }

    public int size() {
        return idByText.size();
    }

    public boolean contains(String text) {
        return idByText.containsKey(text);
    }

    public boolean isSpecial(int id) {
        return textById.containsKey(id);
    }

    /** Id of a special token; an unknown name is an error. */
    public int id(String text) {
        Integer id = idByText.get(text);
        if (id == null) throw new TokenizerException("unknown special token '" + text + "'");
        return id;
    }

    /** Text of a special token id, or null. */
    public String text(int id) {
        return textById.get(id);
    }

    /** Start of the leftmost special token in {@code text[from, to)}, or -1; its text is in {@code found[0]}. */
    int find(CharSequence text, int from, int to, String[] found) {
        if (byFirstChar.isEmpty()) return -1;
        for (int i = from; i < to; i++) {
            List<String> candidates = byFirstChar.get(text.charAt(i));
            if (candidates == null) continue;
            for (String c : candidates) {
                if (i + c.length() <= to && regionMatches(text, i, c)) {
                    found[0] = c;
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean regionMatches(CharSequence text, int at, String s) {
        for (int k = 0; k < s.length(); k++) {
            if (text.charAt(at + k) != s.charAt(k)) return false;
        }
        return true;
    }
}
