package org.llama3j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.data.classify.ModelJudge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code llama3j data label}: a llama3j model judges each document of a JSONL file
 * ({@link ModelJudge}) and the file is written back with a label and the judge's score, ready for
 * {@code llama3j data train-classifier}. The output appears only when every line was labelled
 * (written to a temporary file, then renamed).
 */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = "Label documents with a llama3j model as quality judge (input for train-classifier).")
final class DataLabelCommand implements Callable<Integer> {

    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--input", required = true, description = "JSONL, one object per line with a text field")
    Path input;

    @Option(names = "--out", required = true, description = "labelled JSONL to write")
    Path out;

    @Option(names = "--prompt-file", description = "judge prompt template with a {text} placeholder (default: a built-in quality question)")
    Path promptFile;

    @Option(names = "--max-chars", defaultValue = "1500", description = "document characters shown to the judge (default: ${DEFAULT-VALUE})")
    int maxChars;

    @Option(names = "--threshold", defaultValue = "0.5", description = "P(yes) at or above which a document is positive (default: ${DEFAULT-VALUE})")
    double threshold;

    @Mixin
    LabelledJsonlOptions fields = new LabelledJsonlOptions();

    @Option(names = "--negative", defaultValue = "negative", description = "label of the others (default: ${DEFAULT-VALUE})")
    String negative;

    @Override
    public Integer call() throws Exception {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new UserException("--threshold must be in [0, 1], got " + threshold);
        }
        if (maxChars <= 0) {
            throw new UserException("--max-chars must be positive, got " + maxChars);
        }
        if (!Files.isRegularFile(input)) {
            throw new UserException("no input file " + input);
        }
        String template = promptFile == null ? ModelJudge.DEFAULT_PROMPT : TextFiles.readUtf8(promptFile);
        if (!template.contains(ModelJudge.TEXT)) {
            throw new UserException("--prompt-file " + promptFile + " has no " + ModelJudge.TEXT + " placeholder");
        }
        ObjectMapper json = new ObjectMapper();
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        int lines = 0;
        int positives = 0;
        try (Llama llama = Llama.load(model.require());
             BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(input),
                     StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)));
             BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            ModelJudge judge = new ModelJudge(llama, template, maxChars);
            String line;
            while ((line = readLine(in, lines + 1)) != null) {
                lines++;
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode doc = parse(json, line, lines);
                double p = judge.score(doc.get(fields.textKey).asText());
                boolean good = p >= threshold;
                positives += good ? 1 : 0;
                doc.put(fields.labelKey, good ? fields.positive : negative);
                doc.put("judge_score", p);
                w.write(json.writeValueAsString(doc));
                w.newLine();
            }
        } catch (RuntimeException | java.io.IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("labelled %d documents: %d '%s', %d '%s' (threshold %.2f); wrote %s%n", lines, positives,
                fields.positive, lines - positives, negative, threshold, out);
        return 0;
    }

    private static String readLine(BufferedReader in, int number) throws java.io.IOException {
        try {
            return in.readLine();
        } catch (CharacterCodingException e) {
            throw new UserException("input line " + number + ": not valid UTF-8");
        }
    }

    private ObjectNode parse(ObjectMapper json, String line, int number) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UserException("input line " + number + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof ObjectNode o) || !o.path(fields.textKey).isTextual()) {
            throw new UserException("input line " + number + ": no string field \"" + fields.textKey + "\"");
        }
        return o;
    }
}
