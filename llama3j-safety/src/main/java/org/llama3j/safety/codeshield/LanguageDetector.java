package org.llama3j.safety.codeshield;

import com.google.re2j.Pattern;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Guesses the language of an unlabelled snippet from weighted telltale patterns (RE2/J, linear
 * time). The best score wins if it reaches {@link #MIN_SCORE} and is not tied; otherwise
 * {@link Language#UNKNOWN}.
 */
public final class LanguageDetector {
    static final int MIN_SCORE = 3;

    private record Signal(Language language, int weight, Pattern pattern) {
    }

    private static Signal s(Language l, int w, String regex) {
        return new Signal(l, w, Pattern.compile("(?m)" + regex));
    }

    private static final List<Signal> SIGNALS = List.of(
            s(Language.PHP, 10, "<\\?php"),
            s(Language.PHP, 2, "\\$[a-zA-Z_]\\w*\\s*(=[^=]|->)"),
            s(Language.PHP, 2, "\\b(echo|function)\\s+[\"'$a-zA-Z_]"),
            s(Language.PHP, 3, "\\$_(GET|POST|REQUEST|COOKIE|SERVER)\\b"),
            s(Language.PYTHON, 3, "^\\s*def\\s+\\w+\\s*\\(.*\\)\\s*(->\\s*[\\w\\[\\], .]+)?:\\s*$"),
            s(Language.PYTHON, 3, "^\\s*(import\\s+[\\w.]+(\\s+as\\s+\\w+)?|from\\s+[\\w.]+\\s+import\\s+.+)\\s*$"),
            s(Language.PYTHON, 2, "^\\s*(elif\\s|except(\\s+\\w+)?.*:|with\\s.+:\\s*$)"),
            s(Language.PYTHON, 1, "\\b(None|True|False|self)\\b"),
            s(Language.PYTHON, 2, "^\\s*(print|raise|return)\\b.*[^;{]\\s*$"),
            s(Language.JAVA, 4, "\\b(public|private|protected)\\s+(static\\s+)?(final\\s+)?(class|interface|void|String|int)\\b"),
            s(Language.JAVA, 4, "^\\s*import\\s+(java|javax|org|com)\\.[\\w.*]+;"),
            s(Language.JAVA, 3, "System\\.(out|err)\\.print|\\bString\\[\\]|@Override"),
            s(Language.JAVA, 1, "\\bnew\\s+[A-Z]\\w*\\s*[(<]"),
            s(Language.KOTLIN, 4, "\\bfun\\s+(<[^>]*>\\s*)?[\\w.]+\\s*\\("),
            s(Language.KOTLIN, 2, "\\b(val|var)\\s+\\w+\\s*(:\\s*\\w+)?\\s*="),
            s(Language.KOTLIN, 3, "^\\s*import\\s+(kotlin|kotlinx|android)\\.|\\bprintln\\(|\\bdata class\\b"),
            s(Language.CSHARP, 5, "^\\s*using\\s+System(\\.[\\w.]+)?\\s*;"),
            s(Language.CSHARP, 3, "\\bConsole\\.Write|\\bnamespace\\s+[\\w.]+|\\[HttpGet|\\bstring\\s+\\w+\\s*[=;)]"),
            s(Language.CSHARP, 2, "\\b(public|private)\\s+(async\\s+)?(static\\s+)?\\w+(<[\\w, ]+>)?\\s+[A-Z]\\w*\\s*\\("),
            s(Language.C, 4, "^\\s*#\\s*include\\s*<(stdio|stdlib|string|unistd|stdint|sys/\\w+|fcntl|errno|signal)\\.h>"),
            s(Language.C, 2, "\\b(printf|malloc|free|strcpy|sprintf|memcpy|fgets|scanf)\\s*\\("),
            s(Language.C, 1, "\\bchar\\s*\\*|\\bint\\s+main\\s*\\("),
            s(Language.CPP, 5, "^\\s*#\\s*include\\s*<(iostream|vector|string|memory|map|algorithm|cstdio|cstdlib|cstring)>"),
            s(Language.CPP, 4, "\\bstd::|\\busing\\s+namespace\\s+std\\b|\\btemplate\\s*<"),
            s(Language.CPP, 2, "\\b(nullptr|cout|cin|new\\s+\\w+\\[)"),
            s(Language.JAVASCRIPT, 3, "\\b(const|let)\\s+\\w+\\s*=|\\bfunction\\s*\\w*\\s*\\(|=>\\s*[{(\\w]"),
            s(Language.JAVASCRIPT, 3, "\\b(console\\.log|document\\.|window\\.|require\\(|module\\.exports|JSON\\.parse)"),
            s(Language.JAVASCRIPT, 3, "^\\s*(import\\s+.+\\s+from\\s+['\"]|export\\s+(default|const|function|class))"),
            s(Language.RUST, 5, "\\bfn\\s+\\w+\\s*(<[^>]*>)?\\s*\\(|\\blet\\s+mut\\b"),
            s(Language.RUST, 3, "\\b(println!|format!|vec!|impl\\s|use\\s+std::|&str\\b|unsafe\\s*\\{|Option<|Result<)"),
            s(Language.GO, 6, "^\\s*package\\s+\\w+\\s*$"),
            s(Language.GO, 4, "\\bfunc\\s+(\\(\\w+\\s+\\*?\\w+\\)\\s*)?\\w+\\s*\\("),
            s(Language.GO, 2, "\\w\\s*:=|\\bfmt\\.\\w+\\(|\\berr\\s*!=\\s*nil\\b"));

    /** Only the head of a long text is examined: enough to recognise a language, and bounded work. */
    static final int MAX_EXAMINED_CHARS = 8192;

    public Language detect(String text) {
        String code = text.length() <= MAX_EXAMINED_CHARS ? text : text.substring(0, MAX_EXAMINED_CHARS);
        Map<Language, Integer> score = new EnumMap<>(Language.class);
        for (Signal sig : SIGNALS) {
            if (sig.pattern.matcher(code).find()) {
                score.merge(sig.language, sig.weight, Integer::sum);
            }
        }
        // C++ includes most C telltales; a C-only header does not make code C when C++ signals exist.
        if (score.getOrDefault(Language.CPP, 0) > 0 && score.containsKey(Language.C)) {
            score.merge(Language.CPP, score.get(Language.C), Integer::sum);
        }
        Language best = Language.UNKNOWN;
        int bestScore = 0;
        boolean tie = false;
        for (Map.Entry<Language, Integer> e : score.entrySet()) {
            if (e.getValue() > bestScore) {
                best = e.getKey();
                bestScore = e.getValue();
                tie = false;
            } else if (e.getValue() == bestScore) {
                tie = true;
            }
        }
        return bestScore < MIN_SCORE || tie ? Language.UNKNOWN : best;
    }
}
