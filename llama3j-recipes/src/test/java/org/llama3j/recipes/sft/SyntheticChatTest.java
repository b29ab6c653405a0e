package org.llama3j.recipes.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.llama3j.chat.Message;
import org.llama3j.chat.Role;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.tokenizer.BpeTrainer;

class SyntheticChatTest {

    static final List<TopicSentence> SENTENCES = List.of(
            new TopicSentence("church", "The old church stood on a hill above the town."),
            new TopicSentence("weather", "The weather was cold and wet all week."),
            new TopicSentence("students", "Many students walked to school in the morning."));

    static final Pattern SUM = Pattern.compile("(\\d+) ([+-]) (\\d+) = (\\d+)\\.");

    @Test
    void sameSeedSameDialoguesOtherSeedOthers() {
        SyntheticChat chat = new SyntheticChat(SENTENCES);
        List<SyntheticChat.Dialog> a = chat.generate(300, 7);
        assertEquals(a, new SyntheticChat(SENTENCES).generate(300, 7));
        assertNotEquals(a, chat.generate(300, 8));
        assertEquals(a.subList(0, 100), chat.generate(100, 7), "a prefix of the stream does not depend on n");
    }

    @Test
    void everyKindAppearsAndDialoguesAreShortAndMultiTurn() {
        Map<SyntheticChat.Kind, Integer> kinds = new EnumMap<>(SyntheticChat.Kind.class);
        int multiTurn = 0;
        for (SyntheticChat.Dialog d : new SyntheticChat(SENTENCES).generate(2000, 1)) {
            assertTrue(d.turns().size() >= 1 && d.turns().size() <= 4, "turns: " + d.turns().size());
            multiTurn += d.turns().size() > 1 ? 1 : 0;
            for (SyntheticChat.Turn t : d.turns()) {
                kinds.merge(t.kind(), 1, Integer::sum);
                assertFalse(t.user().isBlank() || t.assistant().isBlank(), t.toString());
            }
        }
        assertEquals(Set.of(SyntheticChat.Kind.values()), kinds.keySet(), kinds.toString());
        assertTrue(multiTurn > 800 && multiTurn < 1800, "multi-turn dialogues: " + multiTurn);
    }

    /** Every computed answer is right: sums, differences, comparisons, parity, claimed sums, first letters. */
    @Test
    void answersComputedByCodeAreCorrect() {
        Pattern bigger = Pattern.compile("is (\\d+) (bigger|smaller) than (\\d+)\\?");
        Pattern even = Pattern.compile("is (\\d+) an even number\\?");
        Pattern claim = Pattern.compile("is (\\d+) \\+ (\\d+) equal to (-?\\d+)\\?");
        Pattern letter = Pattern.compile("does the word ([a-z]+) start with the letter ([a-z])\\?");
        int arithmetic = 0;
        int yesNo = 0;
        for (SyntheticChat.Dialog d : new SyntheticChat(SENTENCES).generate(3000, 3)) {
            for (SyntheticChat.Turn t : d.turns()) {
                String q = t.user().toLowerCase(java.util.Locale.ROOT);
                String q1 = q.endsWith("?") ? q : q + "?";
                switch (t.kind()) {
                    case ARITHMETIC -> {
                        Matcher m = SUM.matcher(t.assistant());
                        assertTrue(m.matches(), t.toString());
                        int a = Integer.parseInt(m.group(1));
                        int b = Integer.parseInt(m.group(3));
                        int c = Integer.parseInt(m.group(4));
                        assertEquals(m.group(2).equals("+") ? a + b : a - b, c, t.toString());
                        assertTrue(a <= 9 && b <= 9 && c >= 0, t.toString());
                        assertTrue(q.contains(a + " ") && q.contains(" " + b), "question names the operands: " + t);
                        arithmetic++;
                    }
                    case YES_NO -> {
                        Boolean yes = null;
                        Matcher m;
                        if ((m = bigger.matcher(q1)).find()) {
                            int a = Integer.parseInt(m.group(1));
                            int b = Integer.parseInt(m.group(3));
                            yes = m.group(2).equals("bigger") ? a > b : a < b;
                        } else if ((m = even.matcher(q1)).find()) {
                            yes = Integer.parseInt(m.group(1)) % 2 == 0;
                        } else if ((m = claim.matcher(q1)).find()) {
                            int sum = Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2));
                            yes = sum == Integer.parseInt(m.group(3));
                            assertTrue(t.assistant().contains("= " + sum + "."), t.toString());
                        } else if ((m = letter.matcher(q1)).find()) {
                            yes = m.group(1).charAt(0) == m.group(2).charAt(0);
                        }
                        assertTrue(yes != null, "a known yes/no question: " + t);
                        assertTrue(t.assistant().startsWith(yes ? "Yes, " : "No, "), t.toString());
                        yesNo++;
                    }
                    case ECHO -> {
                        assertTrue(t.assistant().startsWith("The word is ") && t.assistant().endsWith("."), t.toString());
                        String w = t.assistant().substring("The word is ".length(), t.assistant().length() - 1);
                        assertTrue(q.contains(" " + w), "the word, after a space as in the question: " + t);
                    }
                    case ABOUT -> {
                        TopicSentence s = SENTENCES.stream().filter(x -> x.text().equals(t.assistant())).findFirst()
                                .orElseThrow(() -> new AssertionError("answer is a corpus sentence: " + t));
                        assertTrue(q.contains(s.topic()) || !q.contains("about"), "asked about its topic: " + t);
                    }
                    case IDENTITY -> assertTrue(t.assistant().contains("demo language model")
                            && t.assistant().contains("llama3j"), t.toString());
                    default -> { }
                }
            }
        }
        assertTrue(arithmetic > 500 && yesNo > 400, arithmetic + " sums, " + yesNo + " yes/no");
    }

    /**
     * Rendered with posttrain's Llama 3 chat encoder, a dialogue is exactly Meta's template, and the trained
     * tokens are each assistant reply and its {@code <|eot_id|>}, nothing else.
     */
    @Test
    void dialoguesRenderAsTheLlama3TemplateWithAssistantOnlyLoss() {
        BpeTrainer bpe = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        bpe.addText("Hello! How can I help you? What is 3 + 4? 3 + 4 = 7. The old church stood on a hill.");
        Tokenizer tok = Llama3Tokenizer.fromRanks(bpe.train(300).ranks());
        ChatEncoder enc = new ChatEncoder(tok);
        SyntheticChat.Dialog d = new SyntheticChat.Dialog(List.of(
                new SyntheticChat.Turn(SyntheticChat.Kind.GREETING, "Hello!", "Hello! How can I help you?"),
                new SyntheticChat.Turn(SyntheticChat.Kind.ARITHMETIC, "What is 3 + 4?", "3 + 4 = 7.")));
        List<Message> messages = d.messages();
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT),
                messages.stream().map(Message::role).toList());
        EncodedDialog e = enc.encodeDialog(messages, 1);
        String h = "<|start_header_id|>%s<|end_header_id|>\n\n";
        assertEquals("<|begin_of_text|>" + h.formatted("user") + "Hello!<|eot_id|>" + h.formatted("assistant")
                + "Hello! How can I help you?<|eot_id|>" + h.formatted("user") + "What is 3 + 4?<|eot_id|>"
                + h.formatted("assistant") + "3 + 4 = 7.<|eot_id|>", tok.decode(e.tokens()));
        StringBuilder trained = new StringBuilder();
        for (int i = 0; i < e.tokens().length; i++) {
            if (e.trained()[i]) {
                trained.append(tok.decode(new int[] {e.tokens()[i]}));
            }
        }
        assertEquals("Hello! How can I help you?<|eot_id|>3 + 4 = 7.<|eot_id|>", trained.toString());
    }

    @Test
    void sentencesArePlainOneLinersWithATopicAndNeverHeldOut() {
        assertEquals(new TopicSentence("church", "The old church stood on a hill above the town."),
                ChatSentences.topicSentence("The old church stood on a hill above the town.").orElseThrow());
        // "between" is the longest word but a function word; "garden" wins
        assertEquals("garden", ChatSentences.topicSentence("The path between the garden and the road was long.")
                .orElseThrow().topic());
        for (String bad : List.of("Too short to use.", "It cost 5 dollars at the shop in town today.",
                "the first word is not capitalized in this sentence.", "He said \"no\" to the man at the door.",
                "This one has no full stop at the end of it", "One two three four five six seven eight nine ten eleven "
                        + "twelve thirteen fourteen fifteen sixteen seventeen.", "It is a cat on a mat, is it.")) {
            assertTrue(ChatSentences.topicSentence(bad).isEmpty(), bad);
        }
        Set<String> heldOut = ChatSentences.heldOutDocuments("A held out document about the river.\n\nAnother one.\n");
        assertTrue(heldOut.contains("A held out document about the river."));
        assertTrue(heldOut.contains("Another one."));
    }
}
