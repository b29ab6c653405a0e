package org.llama3j.safety.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llama3j.safety.codeshield.CodeShield;
import org.llama3j.safety.codeshield.CodeShieldConfig;
import org.llama3j.safety.guard.Conversation;
import org.llama3j.safety.guard.GuardClassifier;
import org.llama3j.safety.guard.GuardMessage;
import org.llama3j.safety.guard.GuardRole;
import org.llama3j.safety.guard.GuardScore;
import org.llama3j.safety.guard.GuardVerdict;
import org.llama3j.safety.guard.GuardPromptException;

class SafetyPolicyTest {
    static final CodeShield SHIELD = CodeShield.withConfig(CodeShieldConfig.defaults().withTimeBudget(Duration.ofSeconds(10)));

    /** Unsafe (S9) when the assessed message contains "bomb"; records what it was asked. */
    static final class StubGuard implements GuardClassifier {
        final List<Conversation> seen = new ArrayList<>();

        @Override
        public GuardScore score(Conversation c) {
            return new GuardScore(classify(c).safe() ? 0.0 : 1.0);
        }

        @Override
        public GuardVerdict classify(Conversation c) {
            seen.add(c);
            if (c.messages().getLast().content().contains("explode")) {
                throw new GuardPromptException("guard prompt of 9000 tokens does not fit the context of 8192 tokens");
            }
            return c.messages().getLast().content().contains("bomb") ? new GuardVerdict(false, List.of("S9")) : GuardVerdict.ofSafe();
        }
    }

    @Test
    void inputGoesThroughTheGuardWithHistoryNormalised() {
        StubGuard g = new StubGuard();
        SafetyPolicy p = SafetyPolicy.of(g, null);
        Decision d = p.checkInput(List.of(PolicyMessage.system("be nice"), PolicyMessage.assistant("Hi! How can I help?"),
                PolicyMessage.user("how do I build a"), PolicyMessage.user("bomb"), new PolicyMessage("tool", "x")));
        assertEquals(new Decision.Block("Llama Guard: unsafe input (S9)", List.of("S9")), d);
        // system and tool left out, the leading assistant turn dropped, the two user turns joined
        assertEquals(List.of(new GuardMessage(GuardRole.USER, "how do I build a\n\nbomb")), g.seen.getLast().messages());

        assertTrue(p.checkInput(List.of(PolicyMessage.user("bake bread"))).allowed());
        assertTrue(p.checkInput(List.of(PolicyMessage.system("only a system message"))).allowed());
        // an assistant prefill at the end: the guard assesses the last user turn
        p.checkInput(List.of(PolicyMessage.user("q"), PolicyMessage.assistant("a"), PolicyMessage.user("q2"), PolicyMessage.assistant("pre")));
        assertEquals(3, g.seen.getLast().messages().size());
        assertEquals(GuardRole.USER, g.seen.getLast().assessedRole());
    }

    @Test
    void guardFailureBlocks() {
        Decision d = SafetyPolicy.of(new StubGuard(), null).checkInput(List.of(PolicyMessage.user("explode")));
        assertFalse(d.allowed());
        assertTrue(((Decision.Block) d).reason().startsWith("Llama Guard could not classify the input (blocked, fail closed)"),
                d.toString());
    }

    @Test
    void outputCodeShieldBlocksErrorsAndNotesWarnings() {
        SafetyPolicy p = SafetyPolicy.of(null, SHIELD);
        Decision d = p.checkOutput("```python\nimport os\nos.system('rm -rf ' + path)\n```");
        assertEquals(new Decision.Block("Code Shield: insecure code: python-os-system (line 3)", List.of("CWE-78")), d);
        Decision w = p.checkOutput("```python\nh = hashlib.md5(data)\n```");
        assertEquals(new Decision.Allow(List.of("Code Shield warning python-weak-hash CWE-328 at line 2")), w);
        assertEquals(new Decision.Allow(List.of()), p.checkOutput("Paris is the capital of France."));
        assertTrue(SafetyPolicy.none().checkOutput("os.system(cmd)").allowed());
        assertTrue(SafetyPolicy.none().checkInput(List.of(PolicyMessage.user("bomb"))).allowed());
    }

    @Test
    void outputGuardSeesTheAnswerAsTheAgentTurn() {
        StubGuard g = new StubGuard();
        SafetyPolicy p = SafetyPolicy.of(g, SHIELD);
        Decision d = p.checkOutput(List.of(PolicyMessage.user("chemistry?")), "Here is how to make a bomb");
        assertEquals(new Decision.Block("Llama Guard: unsafe output (S9)", List.of("S9")), d);
        assertEquals(List.of(new GuardMessage(GuardRole.USER, "chemistry?"), new GuardMessage(GuardRole.AGENT, "Here is how to make a bomb")),
                g.seen.getLast().messages());
        int asked = g.seen.size();
        assertTrue(p.checkOutput("a bomb, without context").allowed()); // no user turn: the guard is not asked
        assertEquals(asked, g.seen.size());
        // Code Shield runs first: an insecure answer is blocked whatever the guard says
        Decision code = p.checkOutput(List.of(PolicyMessage.user("code?")), "```python\nos.system(cmd)\n```");
        assertEquals(List.of("CWE-78"), ((Decision.Block) code).categories());
    }
}
