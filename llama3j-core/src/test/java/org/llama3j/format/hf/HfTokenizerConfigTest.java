package org.llama3j.format.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenizerConfigTest {
    @Test
    void stringTokensAndTemplate() {
        var c = HfTokenizerConfig.parse("t.json",
                "{\"bos_token\":\"<|begin_of_text|>\",\"eos_token\":\"<|eot_id|>\",\"chat_template\":\"{{ messages }}\"}");
        assertEquals(new HfTokenizerConfig("{{ messages }}", "<|begin_of_text|>", "<|eot_id|>"), c);
    }

    /** transformers writes AddedToken objects and, for several templates, a list of named ones. */
    @Test
    void addedTokenObjectsAndNamedTemplates() {
        var c = HfTokenizerConfig.parse("t.json", "{\"bos_token\":{\"content\":\"<s>\",\"lstrip\":false},"
                + "\"chat_template\":[{\"name\":\"tool_use\",\"template\":\"T\"},{\"name\":\"default\",\"template\":\"D\"}]}");
        assertEquals("<s>", c.bosToken());
        assertEquals("D", c.chatTemplate());
        assertNull(c.eosToken());
    }

    @Test
    void badValuesNameTheField() {
        assertEquals("t.json: 'eos_token' is 5, expected a token string or {\"content\": ...}",
                assertThrows(HfConfigException.class, () -> HfTokenizerConfig.parse("t.json", "{\"eos_token\":5}")).getMessage());
        assertEquals("t.json: 'chat_template' is NUMBER, expected a string or a list",
                assertThrows(HfConfigException.class, () -> HfTokenizerConfig.parse("t.json", "{\"chat_template\":1}")).getMessage());
    }

    @Test
    void absentFileIsNone(@TempDir Path dir) throws Exception {
        assertEquals(HfTokenizerConfig.NONE, HfTokenizerConfig.read(dir));
    }
}
