package org.llama3j.eval.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a task file: UTF-8 JSONL, one item per line, blank lines ignored. Every item has a
 * {@code "type"} (all items of a file share it) and the fields of its {@link TaskItem} record;
 * unknown fields, missing fields and wrong types fail with the file and line named.
 */
public final class TaskFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> COMMON = Set.of("type", "id", "fewshot");

    private TaskFile() {
    }

    public static Task read(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        return parse(Files.readString(file, StandardCharsets.UTF_8), name, file.toString());
    }

    public static Task parse(String jsonl, String name, String source) {
        List<TaskItem> items = new ArrayList<>();
        List<TaskItem> pool = new ArrayList<>();
        String type = null;
        String[] lines = jsonl.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String where = source + ":" + (i + 1);
            TaskItem item = item(lines[i], where, items.size() + pool.size());
            if (type == null) {
                type = item.type();
            } else if (!type.equals(item.type())) {
                throw new TaskFormatException(where + ": type \"" + item.type() + "\" differs from the file's \"" + type
                        + "\" (one task type per file)");
            }
            (item.fewshot() ? pool : items).add(item);
        }
        if (items.isEmpty()) {
            throw new TaskFormatException(source + ": no scored items (every line is empty or \"fewshot\": true)");
        }
        return new Task(name, type, List.copyOf(items), List.copyOf(pool));
    }

    private static TaskItem item(String line, String where, int index) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new TaskFormatException(where + ": not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new TaskFormatException(where + ": expected a JSON object");
        }
        Fields f = new Fields(n, where);
        String type = f.string("type");
        String id = f.optionalString("id").orElse(Integer.toString(index));
        boolean fewshot = f.optionalBoolean("fewshot").orElse(false);
        TaskItem item = switch (type) {
            case "perplexity" -> new TaskItem.Perplexity(id, fewshot, f.nonEmpty("text"));
            case "multiple_choice" -> choice(f, id, fewshot);
            case "generation" -> generation(f, id, fewshot);
            case "preference" -> new TaskItem.Preference(id, fewshot, f.string("prompt"), f.nonEmpty("reference"),
                    f.optionalInt("max_tokens").orElse(32));
            default -> throw new TaskFormatException(where + ": unknown type \"" + type
                    + "\" (perplexity, multiple_choice, generation, preference)");
        };
        f.rejectUnknown(switch (type) {
            case "perplexity" -> Set.of("text");
            case "multiple_choice" -> Set.of("context", "choices", "answer", "delimiter");
            case "generation" -> Set.of("prompt", "target", "regex", "max_tokens", "until", "chat");
            default -> Set.of("prompt", "reference", "max_tokens");
        });
        return item;
    }

    private static TaskItem.Choice choice(Fields f, String id, boolean fewshot) {
        List<String> choices = f.strings("choices");
        if (choices.size() < 2) {
            throw new TaskFormatException(f.where + ": \"choices\" needs at least 2 entries, has " + choices.size());
        }
        for (String c : choices) {
            if (c.isEmpty()) {
                throw new TaskFormatException(f.where + ": a choice is empty (acc_norm divides by its length)");
            }
        }
        int answer = f.integer("answer");
        if (answer < 0 || answer >= choices.size()) {
            throw new TaskFormatException(f.where + ": \"answer\" " + answer + " is not an index of the "
                    + choices.size() + " choices");
        }
        return new TaskItem.Choice(id, fewshot, f.string("context"), choices, answer,
                f.optionalString("delimiter").orElse(" "));
    }

    private static TaskItem.Generation generation(Fields f, String id, boolean fewshot) {
        Optional<String> target = f.optionalString("target");
        Optional<String> regex = f.optionalString("regex");
        if (target.isEmpty() && regex.isEmpty()) {
            throw new TaskFormatException(f.where + ": a generation item needs \"target\", \"regex\" or both");
        }
        regex.ifPresent(r -> {
            try {
                Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                throw new TaskFormatException(f.where + ": \"regex\" does not compile: " + e.getDescription());
            }
        });
        int maxTokens = f.optionalInt("max_tokens").orElse(32);
        if (maxTokens < 1) {
            throw new TaskFormatException(f.where + ": \"max_tokens\" must be >= 1");
        }
        List<String> until = f.has("until") ? f.strings("until") : List.of("\n");
        boolean chat = f.optionalBoolean("chat").orElse(false);
        if (chat && fewshot) {
            // a chat reply follows the template's turns, not a text prefix; demonstrations would need turns of their own
            throw new TaskFormatException(f.where + ": a \"chat\" item cannot be \"fewshot\"");
        }
        return new TaskItem.Generation(id, fewshot, f.string("prompt"), target, regex, maxTokens, until, chat);
    }

    /** Typed access to one item's fields, with errors that name the line. */
    private record Fields(JsonNode node, String where) {
        boolean has(String key) {
            return node.has(key) && !node.get(key).isNull();
        }

        String string(String key) {
            if (!has(key)) {
                throw new TaskFormatException(where + ": missing \"" + key + "\"");
            }
            return optionalString(key).orElseThrow();
        }

        String nonEmpty(String key) {
            String s = string(key);
            if (s.isEmpty()) {
                throw new TaskFormatException(where + ": \"" + key + "\" is empty");
            }
            return s;
        }

        Optional<String> optionalString(String key) {
            if (!has(key)) {
                return Optional.empty();
            }
            JsonNode v = node.get(key);
            if (!v.isTextual()) {
                throw new TaskFormatException(where + ": \"" + key + "\" must be a string, got " + v.getNodeType());
            }
            return Optional.of(v.asText());
        }

        Optional<Boolean> optionalBoolean(String key) {
            if (!has(key)) {
                return Optional.empty();
            }
            if (!node.get(key).isBoolean()) {
                throw new TaskFormatException(where + ": \"" + key + "\" must be true or false");
            }
            return Optional.of(node.get(key).asBoolean());
        }

        int integer(String key) {
            return optionalInt(key).orElseThrow(() -> new TaskFormatException(where + ": missing \"" + key + "\""));
        }

        Optional<Integer> optionalInt(String key) {
            if (!has(key)) {
                return Optional.empty();
            }
            if (!node.get(key).canConvertToInt() || !node.get(key).isIntegralNumber()) {
                throw new TaskFormatException(where + ": \"" + key + "\" must be an integer");
            }
            return Optional.of(node.get(key).asInt());
        }

        List<String> strings(String key) {
            if (!has(key) || !node.get(key).isArray()) {
                throw new TaskFormatException(where + ": \"" + key + "\" must be an array of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode v : node.get(key)) {
                if (!v.isTextual()) {
                    throw new TaskFormatException(where + ": \"" + key + "\" must contain only strings");
                }
                out.add(v.asText());
            }
            return List.copyOf(out);
        }

        void rejectUnknown(Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!COMMON.contains(k) && !allowed.contains(k)) {
                    throw new TaskFormatException(where + ": unknown field \"" + k + "\" for type \""
                            + node.get("type").asText() + "\" (allowed: " + new java.util.TreeSet<>(allowed) + ")");
                }
            }
        }
    }
}
