package org.llama3j.recipes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.data.ShardReader;
import org.llama3j.train.data.ShardSet;

/**
 * The validation documents as plain text, decoded from the val shards (so exactly the documents the trainer
 * never trained on), without their BOS/EOS, separated by a blank line: the text {@code llama3j perplexity}
 * scores for the model card.
 */
public final class HeldOutText {

    private HeldOutText() {
    }

    public static String decode(Path shardDir, Tokenizer tokenizer) throws IOException {
        List<String> docs = new ArrayList<>();
        for (Path shard : ShardSet.list(shardDir, "val")) {
            try (ShardReader r = ShardReader.open(shard)) {
                for (long d = 0; d < r.documentCount(); d++) {
                    int[] t = r.document(d);
                    int from = t.length > 0 && tokenizer.isSpecial(t[0]) ? 1 : 0;
                    int to = t.length > from && tokenizer.isSpecial(t[t.length - 1]) ? t.length - 1 : t.length;
                    docs.add(tokenizer.decode(Arrays.copyOfRange(t, from, to)));
                }
            }
        }
        if (docs.isEmpty()) {
            throw new IOException(shardDir + " holds no validation documents (val-*.bin)");
        }
        return String.join("\n\n", docs) + "\n";
    }

    public static Path write(Path shardDir, Tokenizer tokenizer, Path out) throws IOException {
        Files.writeString(out, decode(shardDir, tokenizer), StandardCharsets.UTF_8);
        return out;
    }
}
