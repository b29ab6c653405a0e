package org.llama3j.chat;

import org.llama3j.tokenizer.PythonText;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.llama3j.tokenizer.Llama3Tokenizer.BEGIN_OF_TEXT;
import static org.llama3j.tokenizer.Llama3Tokenizer.END_HEADER;
import static org.llama3j.tokenizer.Llama3Tokenizer.END_OF_MESSAGE;
import static org.llama3j.tokenizer.Llama3Tokenizer.END_OF_TURN;
import static org.llama3j.tokenizer.Llama3Tokenizer.PYTHON_TAG;
import static org.llama3j.tokenizer.Llama3Tokenizer.START_HEADER;

/**
 * How a dialog becomes segments (text and special tokens). Every message is
 * {@code <|start_header_id|>role<|end_header_id|>\n\n content <|eot_id|>}; variants differ in trimming
 * and in the system preamble.
 */
public sealed interface ChatTemplate {

    /** Renders the dialog; {@code addGenerationPrompt} appends an open assistant header. */
    List<Segment> render(List<Message> messages, boolean addGenerationPrompt);

    /**
     * Meta's reference format (meta-llama/llama3 {@code ChatFormat}): content is stripped
     * ({@code str.strip()}); tool calls as in llama-models {@code chat_format.py}: {@code <|python_tag|>}
     * before the untrimmed content, {@code <|eom_id|>} when the assistant waits for the tool.
     */
    record Llama3() implements ChatTemplate {
        @Override
        public List<Segment> render(List<Message> messages, boolean addGenerationPrompt) {
            List<Segment> out = new ArrayList<>();
            out.add(new Segment.Special(BEGIN_OF_TEXT));
            for (Message m : messages) {
                header(out, m.role());
                if (m.toolCall()) {
                    out.add(new Segment.Special(PYTHON_TAG));
                    out.add(new Segment.Text(m.content()));
                } else {
                    out.add(new Segment.Text(PythonText.strip(m.content())));
                }
                out.add(new Segment.Special(m.endOfMessage() ? END_OF_MESSAGE : END_OF_TURN));
            }
            if (addGenerationPrompt) header(out, Role.ASSISTANT);
            return out;
        }
    }

    /**
     * The Llama 3.1 / 3.3 Instruct template (tokenizer_config.json {@code chat_template}, copy in test
     * resources): a system message always comes first with "Cutting Knowledge Date: December 2023" and
     * "Today Date: ..." lines, plus "Environment: ipython" and a "Tools:" line when built-in tools are
     * enabled; content is trimmed except tool results and tool calls. A tool result's text is written as a
     * JSON string (quoted and escaped): the template applies {@code tojson} to any iterable content, and a
     * string is iterable; Meta's reference format does not quote it. JSON custom tools are not supported.
     *
     * @param todayDate    the template's {@code date_string} (its default is "26 Jul 2024")
     * @param builtinTools the template's {@code builtin_tools}, or null when not defined
     */
    record Llama31(String todayDate, List<String> builtinTools) implements ChatTemplate {
        public static final String DEFAULT_DATE = "26 Jul 2024";

        public Llama31 {
            Objects.requireNonNull(todayDate, "todayDate");
            builtinTools = builtinTools == null ? null : List.copyOf(builtinTools);
        }

        public Llama31() {
            this(DEFAULT_DATE, null);
        }

        @Override
        public List<Segment> render(List<Message> messages, boolean addGenerationPrompt) {
            List<Segment> out = new ArrayList<>();
            out.add(new Segment.Special(BEGIN_OF_TEXT));
            int first = 0;
            String system = "";
            if (!messages.isEmpty() && messages.getFirst().role() == Role.SYSTEM) {
                system = PythonText.strip(messages.getFirst().content());
                first = 1;
            }
            header(out, Role.SYSTEM);
            StringBuilder preamble = new StringBuilder();
            if (builtinTools != null) {
                preamble.append("Environment: ipython\n");
                // the template lists every built-in tool but code_interpreter, which "Environment: ipython" implies
                preamble.append("Tools: ")
                        .append(String.join(", ", builtinTools.stream().filter(t -> !t.equals("code_interpreter")).toList()))
                        .append("\n\n");
            }
            preamble.append("Cutting Knowledge Date: December 2023\n");
            preamble.append("Today Date: ").append(todayDate).append("\n\n");
            preamble.append(system);
            out.add(new Segment.Text(preamble.toString()));
            out.add(new Segment.Special(END_OF_TURN));
            for (Message m : messages.subList(first, messages.size())) {
                header(out, m.role());
                if (m.role() == Role.IPYTHON) {
                    out.add(new Segment.Text(jsonString(m.content())));
                } else if (m.toolCall()) {
                    out.add(new Segment.Special(PYTHON_TAG));
                    out.add(new Segment.Text(m.content()));
                } else {
                    out.add(new Segment.Text(PythonText.strip(m.content())));
                }
                out.add(new Segment.Special(m.endOfMessage() ? END_OF_MESSAGE : END_OF_TURN));
            }
            if (addGenerationPrompt) header(out, Role.ASSISTANT);
            return out;
        }
    }

    /** Python {@code json.dumps(s, ensure_ascii=False)}, as Hugging Face's {@code tojson} filter calls it. */
    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private static void header(List<Segment> out, Role role) {
        out.add(new Segment.Special(START_HEADER));
        out.add(new Segment.Text(role.header()));
        out.add(new Segment.Special(END_HEADER));
        out.add(new Segment.Text("\n\n"));
    }
}
