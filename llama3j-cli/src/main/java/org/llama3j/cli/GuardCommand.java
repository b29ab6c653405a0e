package org.llama3j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.safety.guard.Conversation;
import org.llama3j.safety.guard.ConversationJson;
import org.llama3j.safety.guard.GuardAssessment;
import org.llama3j.safety.guard.GuardPromptException;
import org.llama3j.safety.guard.GuardScore;
import org.llama3j.safety.guard.GuardTaxonomy;
import org.llama3j.safety.guard.LlamaGuard;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code llama3j guard --model FILE (--conversation FILE.json | --prompt TEXT) [--taxonomy guard2|guard3|FILE]
 * [--threshold T]}: classifies the last message with a Llama Guard model and prints
 * {@code {safe, score, categories, raw}}. Exit 0 when safe, 1 when unsafe, 2 on bad input.
 */
@Command(name = "guard", mixinStandardHelpOptions = true,
        description = "Classify a conversation's last message with a Llama Guard model (JSON verdict; exit 1 when unsafe).")
public final class GuardCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    static final class Input {
        @Option(names = "--conversation", paramLabel = "FILE.json",
                description = "JSON list of {role, content} (user/assistant; system skipped) or {\"messages\": [...]}.")
        Path conversation;

        @Option(names = "--prompt", paramLabel = "TEXT", description = "A single user message.")
        String prompt;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--taxonomy", defaultValue = "guard3", paramLabel = "guard2|guard3|FILE",
            description = "Prompt format and categories, or a YAML/JSON category list [{code, name, description}] "
                    + "(Llama Guard 3 format). Default: ${DEFAULT-VALUE}.")
    String taxonomy;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "T",
            description = "Unsafe when P(first token = unsafe) >= T, in (0,1). Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!(threshold > 0 && threshold < 1)) {
            throw new UserException("--threshold must be in (0,1), got " + threshold);
        }
        Conversation conversation;
        var prompts = GuardTaxonomy.resolve(taxonomy);
        try {
            conversation = input.conversation != null
                    ? ConversationJson.parse(Files.readString(input.conversation), input.conversation.toString())
                    : Conversation.of(input.prompt);
        } catch (GuardPromptException e) {
            throw new UserException(e.getMessage());
        }
        try (Llama llama = Llama.load(model.require())) {
            GuardAssessment a = LlamaGuard.of(llama, prompts).withThreshold(threshold).assess(conversation);
            var out = spec.commandLine().getOut();
            out.println(json(a));
            out.flush();
            return a.safe() ? 0 : 1;
        }
    }

    static String json(GuardAssessment a) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("safe", a.safe());
        GuardScore s = a.score();
        n.put("score", s.unsafeProbability());
        n.put("threshold", s.threshold());
        a.categories().forEach(n.putArray("categories")::add);
        n.put("raw", a.raw());
        if (a.verdictError() != null) {
            n.put("verdict_error", a.verdictError());
        }
        return n.toString();
    }
}
