package org.llama3j.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;

/**
 * Tokenizes corpus files into train/val shards: each document becomes
 * {@code <|begin_of_text|> tokens… <|end_of_text|>} (Llama 3's document framing; the EOS lets the
 * model learn where text ends).
 */
public final class CorpusTokenizer {

    /** 100M tokens per shard: 200 MB at uint16, small enough to move and map comfortably. */
    public static final long DEFAULT_MAX_TOKENS_PER_SHARD = 100_000_000L;

    private CorpusTokenizer() {
    }

    public static CorpusShardWriter.Summary tokenize(Tokenizer tokenizer, List<Path> inputs, String separator,
                                                     Path outDir, double valFraction, long maxTokensPerShard)
            throws IOException {
        int bos = tokenizer.specialId(Llama3Tokenizer.BEGIN_OF_TEXT);
        int eos = tokenizer.specialId(Llama3Tokenizer.END_OF_TEXT);
        try (CorpusShardWriter out = new CorpusShardWriter(outDir, tokenizer.vocabularySize(), valFraction,
                maxTokensPerShard)) {
            IOException[] failure = new IOException[1];
            for (Path input : inputs) {
                CorpusReader.documents(input, separator, text -> {
                    if (failure[0] != null) {
                        return;
                    }
                    int[] body = tokenizer.encode(text);
                    int[] doc = new int[body.length + 2];
                    doc[0] = bos;
                    System.arraycopy(body, 0, doc, 1, body.length);
                    doc[doc.length - 1] = eos;
                    try {
                        out.add(doc);
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                });
                if (failure[0] != null) {
                    throw failure[0];
                }
            }
            out.close();
            return out.summary();
        }
    }
}
