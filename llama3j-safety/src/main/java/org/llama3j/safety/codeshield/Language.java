package org.llama3j.safety.codeshield;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Languages with rule files; {@link #UNKNOWN} runs every rule set (findings deduplicated). */
public enum Language {
    C("c", LexicalSyntax.C, List.of("c", "h")),
    CPP("cpp", LexicalSyntax.CPP, List.of("cpp", "c++", "cxx", "cc", "hpp", "hxx")),
    CSHARP("csharp", LexicalSyntax.CSHARP, List.of("csharp", "c#", "cs")),
    JAVA("java", LexicalSyntax.JAVA, List.of("java")),
    JAVASCRIPT("javascript", LexicalSyntax.JAVASCRIPT,
            List.of("javascript", "js", "jsx", "mjs", "cjs", "node", "typescript", "ts", "tsx")),
    PHP("php", LexicalSyntax.PHP, List.of("php", "php3", "php4", "php5", "php7", "php8")),
    PYTHON("python", LexicalSyntax.PYTHON, List.of("python", "py", "python3", "py3", "python2")),
    RUST("rust", LexicalSyntax.RUST, List.of("rust", "rs")),
    GO("go", LexicalSyntax.GO, List.of("go", "golang")),
    KOTLIN("kotlin", LexicalSyntax.KOTLIN, List.of("kotlin", "kt", "kts")),
    UNKNOWN("unknown", LexicalSyntax.GENERIC, List.of());

    private final String id;
    private final LexicalSyntax syntax;
    private final List<String> aliases;

    Language(String id, LexicalSyntax syntax, List<String> aliases) {
        this.id = id;
        this.syntax = syntax;
        this.aliases = aliases;
    }

    /** The name used in rule files and on the command line. */
    public String id() {
        return id;
    }

    LexicalSyntax syntax() {
        return syntax;
    }

    /** Resolves a language name, file extension or Markdown fence info word ("py", "c++", "TypeScript"). */
    public static Optional<Language> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (Language l : values()) {
            if (l.id.equals(n) || l.aliases.contains(n)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
