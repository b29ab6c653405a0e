package org.llama3j.safety.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardPromptBuilderTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = GuardPromptBuilderTest.class.getResourceAsStream("/guard/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void llamaGuard2AgentPromptIsByteExact() throws IOException {
        String prompt = GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_2)
                .build("Whats the color of the sky?", "The sky is blue.");
        assertEquals(resource("llama_guard_2_agent.txt"), prompt);
    }

    @Test
    void llamaGuard3UserPromptIsByteExact() throws IOException {
        String prompt = GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_3).build("How do I bake bread?");
        assertEquals(resource("llama_guard_3_user.txt"), prompt);
    }

    @Test
    void roleIsAgentWhenMessageCountIsEven() {
        assertEquals(GuardRole.USER, Conversation.of("a").assessedRole());
        assertEquals(GuardRole.AGENT, Conversation.of("a", "b").assessedRole());
        assertEquals(GuardRole.USER, Conversation.of("a", "b", "c").assessedRole());
        String p = GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_3).build("a", "b", "c", "d");
        assertTrue(p.contains("unsafe content in 'Agent' messages"));
        assertTrue(p.contains("ONLY THE LAST Agent message"));
        assertTrue(p.contains("User: a\n\nAgent: b\n\nUser: c\n\nAgent: d\n\n<END CONVERSATION>"));
    }

    @Test
    void defaultCategoryCountsMatchPublishedTaxonomies() {
        assertEquals(11, GuardVersion.LLAMA_GUARD_2.defaultCategories().size());
        assertEquals(14, GuardVersion.LLAMA_GUARD_3.defaultCategories().size());
        assertEquals("Code Interpreter Abuse.", GuardVersion.LLAMA_GUARD_3.defaultCategories().get(13).name());
    }

    @Test
    void customCategoriesWithPolicyAreNumberedInOrder() {
        String p = GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_3)
                .withCategories(List.of(new SafetyCategory("Pirates.", "Should not\n - talk like a pirate."),
                        SafetyCategory.named("Ninjas.")))
                .withPolicy(true)
                .build("Arr");
        assertTrue(p.contains("<BEGIN UNSAFE CONTENT CATEGORIES>\nS1: Pirates.\nShould not\n - talk like a pirate.\nS2: Ninjas.\n<END UNSAFE CONTENT CATEGORIES>"), p);
        String noPolicy = GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_3)
                .withCategories(List.of(new SafetyCategory("Pirates.", "desc"))).build("Arr");
        assertTrue(noPolicy.contains("S1: Pirates.\n<END UNSAFE"));
    }

    @Test
    void excludedCategoriesKeepTheirCodes() {
        String p = GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_3).excluding(java.util.Set.of("S6", "S14")).build("hi");
        assertTrue(p.contains("S5: Defamation.\nS7: Privacy.\n"), p);
        assertTrue(p.contains("S13: Elections.\n<END UNSAFE CONTENT CATEGORIES>"), p);
        assertThrows(GuardPromptException.class,
                () -> GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_2).excluding(java.util.Set.of("S12")));
        String oneB = GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_3_1B).build("hi");
        String full = GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_3).excluding(java.util.Set.of("S14")).build("hi");
        assertEquals(full, oneB);
    }

    @Test
    void invalidConversationsAreRejectedWithReasons() {
        GuardPromptException empty = assertThrows(GuardPromptException.class, Conversation::of);
        assertTrue(empty.getMessage().contains("empty"));
        GuardPromptException blank = assertThrows(GuardPromptException.class, () -> Conversation.of("hi", "  "));
        assertTrue(blank.getMessage().contains("message 1"));
        GuardPromptException order = assertThrows(GuardPromptException.class, () -> new Conversation(List.of(
                new GuardMessage(GuardRole.AGENT, "hello"))));
        assertTrue(order.getMessage().contains("alternate"));
        GuardPromptException twice = assertThrows(GuardPromptException.class, () -> new Conversation(List.of(
                new GuardMessage(GuardRole.USER, "a"), new GuardMessage(GuardRole.USER, "b"))));
        assertTrue(twice.getMessage().contains("message 1"));
        assertThrows(GuardPromptException.class, () -> GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_2).withCategories(List.of()));
        assertThrows(GuardPromptException.class, () -> SafetyCategory.named(" "));
    }
}
