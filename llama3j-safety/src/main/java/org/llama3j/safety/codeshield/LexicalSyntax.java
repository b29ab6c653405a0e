package org.llama3j.safety.codeshield;

import java.util.List;

/**
 * The lexical facts a language family's tokenizer needs: comment markers and string forms.
 * Deliberately approximate (no full grammar): enough to tell code from comments and string
 * literals, and literal arguments from computed ones.
 *
 * @param lineComments    markers that start a comment running to end of line
 * @param blockComments   whether {@code /* ... *}{@code /} comments exist
 * @param singleQuoteStrings whether {@code '...'} is a string (or char) literal
 * @param backticks       what {@code `...`} is
 * @param dollarInterpolation whether {@code $name} / {@code ${...}} inside double-quoted strings interpolates (PHP, Kotlin)
 * @param pythonStrings   Python string prefixes (r, b, f, ...) and triple quotes
 * @param tripleQuotes    {@code """..."""} raw/multiline strings (Kotlin, C# 11)
 * @param csharpStrings   {@code @"..."} verbatim and {@code $"..."} interpolated strings
 * @param rustStrings     {@code r#"..."#} raw strings and lifetimes ({@code 'a}) that are not char literals
 * @param cppRawStrings   {@code R"delim(...)delim"} raw strings
 */
record LexicalSyntax(List<String> lineComments, boolean blockComments, boolean singleQuoteStrings,
                     Backticks backticks, boolean dollarInterpolation, boolean pythonStrings,
                     boolean tripleQuotes, boolean csharpStrings, boolean rustStrings, boolean cppRawStrings) {

    enum Backticks { NONE, TEMPLATE, RAW }

    static final LexicalSyntax C = new LexicalSyntax(List.of("//"), true, true, Backticks.NONE, false, false, false, false, false, false);
    static final LexicalSyntax CPP = new LexicalSyntax(List.of("//"), true, true, Backticks.NONE, false, false, false, false, false, true);
    static final LexicalSyntax JAVA = new LexicalSyntax(List.of("//"), true, true, Backticks.NONE, false, false, true, false, false, false);
    static final LexicalSyntax KOTLIN = new LexicalSyntax(List.of("//"), true, true, Backticks.NONE, true, false, true, false, false, false);
    static final LexicalSyntax CSHARP = new LexicalSyntax(List.of("//"), true, true, Backticks.NONE, false, false, true, true, false, false);
    static final LexicalSyntax JAVASCRIPT = new LexicalSyntax(List.of("//"), true, true, Backticks.TEMPLATE, false, false, false, false, false, false);
    static final LexicalSyntax GO = new LexicalSyntax(List.of("//"), true, true, Backticks.RAW, false, false, false, false, false, false);
    static final LexicalSyntax RUST = new LexicalSyntax(List.of("//"), true, true, Backticks.NONE, false, false, false, false, true, false);
    static final LexicalSyntax PHP = new LexicalSyntax(List.of("//", "#"), true, true, Backticks.NONE, true, false, false, false, false, false);
    static final LexicalSyntax PYTHON = new LexicalSyntax(List.of("#"), false, true, Backticks.NONE, false, true, false, false, false, false);
    /** For text of unknown language: C-style comments and plain quotes only. */
    static final LexicalSyntax GENERIC = new LexicalSyntax(List.of("//"), true, true, Backticks.NONE, false, false, false, false, false, false);
}
