package org.llama3j.safety.codeshield;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Markdown into fenced code blocks (CommonMark: a line of three or more backticks or
 * tildes, up to three spaces of indent, closed by a fence of the same character at least as long).
 * The first word of the info string names the language; an unterminated fence runs to the end.
 */
public final class MarkdownFences {
    private MarkdownFences() {
    }

    /** The fenced blocks, or empty when the text has no fence (then it is plain code). */
    public static List<CodeBlock> blocks(String text) {
        List<CodeBlock> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int k = 0;
        while (k < lines.length) {
            Fence open = Fence.parse(lines[k]);
            if (open == null) {
                k++;
                continue;
            }
            StringBuilder body = new StringBuilder();
            int start = k + 1;
            k++;
            while (k < lines.length) {
                Fence close = Fence.parse(lines[k]);
                if (close != null && close.ch == open.ch && close.len >= open.len && close.info.isEmpty()) {
                    break;
                }
                if (k > start) {
                    body.append('\n');
                }
                body.append(lines[k]);
                k++;
            }
            k++;
            Language lang = open.info.isEmpty() ? null : Language.fromName(open.info.split("[\\s{,]", 2)[0]).orElse(null);
            out.add(new CodeBlock(lang, !open.info.isEmpty(), body.toString(), start + 1));
        }
        return out;
    }

    private record Fence(char ch, int len, String info) {
        static Fence parse(String line) {
            int indent = 0;
            while (indent < line.length() && indent < 4 && line.charAt(indent) == ' ') {
                indent++;
            }
            if (indent > 3 || indent >= line.length()) {
                return null;
            }
            char c = line.charAt(indent);
            if (c != '`' && c != '~') {
                return null;
            }
            int j = indent;
            while (j < line.length() && line.charAt(j) == c) {
                j++;
            }
            int len = j - indent;
            if (len < 3) {
                return null;
            }
            String info = line.substring(j).strip();
            if (c == '`' && info.indexOf('`') >= 0) {
                return null;
            }
            return new Fence(c, len, info);
        }
    }
}
