package org.llama3j.data.classify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.io.Compression;
import org.llama3j.data.io.Json;
import org.llama3j.data.text.Hashing;

/**
 * Trains a {@link LinearTextClassifier} from labelled JSONL ({@code {"text": ..., "label": ...}} per line) and
 * measures it on a held-out split, for {@code llama3j data train-classifier}. The split is by a hash of the text,
 * so duplicates never straddle it and reruns agree.
 */
public final class ClassifierTraining {

    private ClassifierTraining() {
    }

    /**
     * @param positiveLabel label value of the class the classifier scores (e.g. "ham": the wanted documents)
     * @param holdout       fraction of examples held out for evaluation (0 disables evaluation)
     */
    public record Request(Path input, String textKey, String labelKey, String positiveLabel, double holdout,
                          LinearTextClassifier.TrainConfig train) {
    }

    /** Counts and held-out metrics (NaN when nothing was held out). */
    public record Report(int trainExamples, int heldOutExamples, int trainPositives, double auc, double accuracy) {
    }

    public record Result(LinearTextClassifier model, Report report) {
    }

    public static List<LinearTextClassifier.Example> read(Path input, String textKey, String labelKey, String positiveLabel) {
        List<LinearTextClassifier.Example> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Compression.openInput(input), StandardCharsets.UTF_8))) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = Json.MAPPER.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new DataPipelineException(input + ":" + lineNo + ": not valid JSON: " + e.getOriginalMessage());
                }
                JsonNode text = n.get(textKey);
                JsonNode label = n.get(labelKey);
                if (text == null || !text.isTextual() || label == null || label.isNull()) {
                    throw new DataPipelineException(input + ":" + lineNo + ": needs a string '" + textKey
                            + "' and a '" + labelKey + "' field");
                }
                out.add(new LinearTextClassifier.Example(text.asText(), label.asText().equals(positiveLabel)));
            }
        } catch (IOException e) {
            throw new DataPipelineException("cannot read " + input + ": " + e.getMessage(), e);
        }
        return out;
    }

    public static boolean heldOut(String text, double fraction) {
        return Math.floorMod(Hashing.hash64(text), 10_000) < Math.round(fraction * 10_000);
    }

    public static Result run(Request req) {
        List<LinearTextClassifier.Example> all = read(req.input(), req.textKey(), req.labelKey(), req.positiveLabel());
        List<LinearTextClassifier.Example> train = new ArrayList<>();
        List<LinearTextClassifier.Example> test = new ArrayList<>();
        for (LinearTextClassifier.Example e : all) {
            (heldOut(e.text(), req.holdout()) ? test : train).add(e);
        }
        int positives = (int) train.stream().filter(LinearTextClassifier.Example::positive).count();
        if (positives == 0 || positives == train.size()) {
            throw new DataPipelineException(req.input() + ": the training split needs both classes (label '"
                    + req.positiveLabel() + "' and others); got " + positives + " of " + train.size() + " positive");
        }
        LinearTextClassifier model = LinearTextClassifier.train(train, req.train());
        double auc = Double.NaN;
        double accuracy = Double.NaN;
        if (!test.isEmpty()) {
            double[] scores = new double[test.size()];
            boolean[] labels = new boolean[test.size()];
            int correct = 0;
            for (int i = 0; i < test.size(); i++) {
                scores[i] = model.score(test.get(i).text());
                labels[i] = test.get(i).positive();
                correct += (scores[i] >= 0.5) == labels[i] ? 1 : 0;
            }
            auc = Auc.of(scores, labels);
            accuracy = (double) correct / test.size();
        }
        return new Result(model, new Report(train.size(), test.size(), positives, auc, accuracy));
    }
}
