package org.llama3j.data.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.Document;
import org.llama3j.data.config.PipelineConfigException;
import org.llama3j.data.exec.AtomicFiles;
import org.llama3j.data.exec.Pipeline;
import org.llama3j.data.io.Json;
import org.llama3j.data.io.DocumentSource;
import org.llama3j.data.io.ReaderConfig;
import org.llama3j.data.step.CountingLedger;
import org.llama3j.data.step.PipelineStep;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.data.CorpusShardWriter;

/**
 * Writes the token shards of a pipeline ending in a {@link TokenizeStep}: reads the final output shards in task
 * order, tokenizes batches in parallel (order kept), and appends to one {@link TrainShardWriter}, so the shards are
 * the same whichever executor produced the JSONL. Writes {@code tokens.json} (the summary) last.
 */
public final class TokenShardExport {

    private static final int BATCH = 256;
    private static final ReaderConfig OUTPUT_READER = new ReaderConfig("text", "id", Long.MAX_VALUE, Integer.MAX_VALUE - 64);

    private TokenShardExport() {
    }

    /** The pipeline's tokenize step, or null; it must be the last step. */
    public static TokenizeStep find(Pipeline pipeline) {
        List<PipelineStep> steps = pipeline.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof TokenizeStep t) {
                if (i != steps.size() - 1) {
                    throw new PipelineConfigException("the tokenize step must be the last step (it is step " + i
                            + " of " + steps.size() + ")");
                }
                return t;
            }
        }
        return null;
    }

    public static CorpusShardWriter.Summary export(TokenizeStep step, List<Path> outputs, Path outputDir) {
        Tokenizer tok = step.loadTokenizer();
        int bos = tok.specialId(Llama3Tokenizer.BEGIN_OF_TEXT);
        int eos = tok.specialId(Llama3Tokenizer.END_OF_TEXT);
        Path dir = outputDir.resolve(step.config().dir());
        TrainShardWriter out = new TrainShardWriter(dir, tok.vocabularySize(), step.config().valFraction(),
                step.config().maxTokensPerShard());
        try (out) {
            for (Path part : outputs) {
                DocumentSource<?> reader = DocumentSource.open(part, OUTPUT_READER, r -> {
                    throw new DataPipelineException("output shard " + part + " has a bad record at line " + r.line()
                            + ": " + r.reason());
                }, new CountingLedger("tokenize"));
                try (Stream<Document> docs = reader.documents()) {
                    Iterator<Document> it = docs.iterator();
                    List<Document> batch = new ArrayList<>(BATCH);
                    while (it.hasNext()) {
                        batch.add(it.next());
                        if (batch.size() == BATCH || !it.hasNext()) {
                            List<int[]> tokens = batch.parallelStream().map(d -> frame(tok.encode(d.text()), bos, eos)).toList();
                            for (int i = 0; i < batch.size(); i++) {
                                out.write(batch.get(i), tokens.get(i));
                            }
                            batch.clear();
                        }
                    }
                }
            }
        }
        CorpusShardWriter.Summary s = out.summary();
        try {
            Path tokenizer = Path.of(step.config().tokenizer());
            Map<String, Object> summary = new LinkedHashMap<>();
            if (tokenizer.getFileName().toString().endsWith(".gguf")) {
                // a model file may be gigabytes: name it instead of copying it next to the shards
                summary.put("tokenizer", tokenizer.toAbsolutePath().normalize().toString());
            } else {
                Files.copy(tokenizer, dir.resolve(tokenizer.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                summary.put("tokenizer", tokenizer.getFileName().toString());
            }
            summary.put("vocabularySize", tok.vocabularySize());
            summary.put("trainDocuments", s.trainDocuments());
            summary.put("trainTokens", s.trainTokens());
            summary.put("trainShards", s.trainShards());
            summary.put("valDocuments", s.valDocuments());
            summary.put("valTokens", s.valTokens());
            summary.put("valShards", s.valShards());
            AtomicFiles.writeString(dir.resolve("tokens.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish token shards in " + dir, e);
        }
        return s;
    }

    private static int[] frame(int[] body, int bos, int eos) {
        int[] doc = new int[body.length + 2];
        doc[0] = bos;
        System.arraycopy(body, 0, doc, 1, body.length);
        doc[doc.length - 1] = eos;
        return doc;
    }
}
