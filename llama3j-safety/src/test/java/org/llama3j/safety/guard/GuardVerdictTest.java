package org.llama3j.safety.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GuardVerdictTest {

    @Test
    void parsesSafe() {
        assertTrue(GuardVerdict.parse("safe").safe());
        assertTrue(GuardVerdict.parse("\n\n  safe \n").safe());
        assertTrue(GuardVerdict.parse("safe<|eot_id|>").safe());
    }

    @Test
    void parsesUnsafeWithCategories() {
        GuardVerdict v = GuardVerdict.parse("unsafe\nS1,S3");
        assertFalse(v.safe());
        assertEquals(List.of("S1", "S3"), v.categories());
        assertEquals(List.of("S10", "S2"), GuardVerdict.parse("\n unsafe \r\n S10 , S2 \n").categories());
        assertEquals(List.of("S14"), GuardVerdict.parse("unsafe\nS14<|eot_id|>").categories());
        assertEquals(List.of(), GuardVerdict.parse("unsafe").categories());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Safe", "sure, safe", "unsafe\nS1,,S2", "unsafe\nO1", "unsafe\nS1\nS2",
            "safe\nS1", "unsafe\nviolence", "unsafe\nS0x", "I cannot help"})
    void rejectsGarbage(String output) {
        assertThrows(GuardVerdictException.class, () -> GuardVerdict.parse(output));
    }

    @Test
    void scoreThreshold() {
        assertTrue(new GuardScore(0.5).unsafe());
        assertFalse(new GuardScore(0.49).unsafe());
        assertThrows(IllegalArgumentException.class, () -> new GuardScore(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new GuardScore(0.2, 1.0));
    }
}
