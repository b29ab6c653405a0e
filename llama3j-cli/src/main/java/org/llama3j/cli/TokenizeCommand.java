package org.llama3j.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llama3j tokenize}: prints token ids as a JSON array. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Print the token ids of a text as a JSON array.")
final class TokenizeCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model (its tokenizer).")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tiktoken-format tokenizer.model.")
        Path tokenizer;
    }

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "Text to tokenize.")
        String text;

        @Option(names = "--file", paramLabel = "FILE", description = "UTF-8 file to tokenize.")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--bos", description = "Prepend <|begin_of_text|>.")
    boolean bos;

    @Option(names = "--parse-special", description = "Treat special-token text (e.g. <|eot_id|>) as special tokens.")
    boolean parseSpecial;

    @Override
    public Integer call() throws Exception {
        String text = input.text != null ? input.text : TextFiles.readUtf8(input.file);
        int[] ids;
        if (source.model != null) {
            try (Llama llama = Llama.load(source.model)) {
                ids = llama.tokenizer().encode(text, bos, parseSpecial);
            }
        } else {
            Tokenizer t = Llama3Tokenizer.load(source.tokenizer);
            ids = t.encode(text, bos, parseSpecial);
        }
        System.out.println(Arrays.toString(ids).replace(" ", ""));
        return 0;
    }
}
