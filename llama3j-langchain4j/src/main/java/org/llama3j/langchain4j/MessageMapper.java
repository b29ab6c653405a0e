package org.llama3j.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import java.util.ArrayList;
import java.util.List;
import org.llama3j.chat.Message;

/** LangChain4j messages as llama3j chat messages (text only: Llama 3 text models). */
final class MessageMapper {
    private MessageMapper() {
    }

    static List<Message> toLlama(List<ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            out.add(switch (m) {
                case SystemMessage s -> Message.system(s.text());
                case UserMessage u -> Message.user(text(u, i));
                case AiMessage a -> {
                    if (a.hasToolExecutionRequests()) {
                        throw new UnsupportedFeatureException("messages[" + i + "]: tool calls are not supported by the "
                                + "in-process adapter yet; use llama3j serve with OpenAiChatModel for tools");
                    }
                    yield Message.assistant(a.text() == null ? "" : a.text());
                }
                default -> throw new UnsupportedFeatureException("messages[" + i + "]: " + m.type()
                        + " messages are not supported by the in-process adapter (system, user and AI messages are)");
            });
        }
        return out;
    }

    private static String text(UserMessage u, int index) {
        StringBuilder sb = new StringBuilder();
        for (Content c : u.contents()) {
            if (!(c instanceof TextContent t)) {
                throw new UnsupportedFeatureException("messages[" + index + "]: " + c.type()
                        + " content is not supported (Llama 3 text models take text only)");
            }
            sb.append(t.text());
        }
        return sb.toString();
    }
}
