package org.llama3j.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenLogprobTest {

    @Test
    void logSoftmaxOfHandComputedLogits() {
        // log-sum-exp of {1, 2, 3} = 3 + ln(1 + e^-1 + e^-2) = 3.4076059644443806 (Python math)
        float[] logits = {9f, 1f, 2f, 3f};
        TokenLogprob lp = TokenLogprob.of(logits, 1, 3, 0, 2);
        assertEquals(1 - 3.4076059644443806, lp.logprob(), 1e-6);
        assertArrayEquals(new int[] {2, 1}, lp.topTokens());
        assertEquals(3 - 3.4076059644443806, lp.topLogprobs()[0], 1e-6);
        assertEquals(2 - 3.4076059644443806, lp.topLogprobs()[1], 1e-6);
    }

    @Test
    void tiesKeepTheLowerIdFirstAndLargeLogitsDoNotOverflow() {
        float[] logits = {1000f, 1000f};
        TokenLogprob lp = TokenLogprob.of(logits, 0, 2, 1, 2);
        assertEquals(-Math.log(2), lp.logprob(), 1e-9);
        assertArrayEquals(new int[] {0, 1}, lp.topTokens());
        assertThrows(IllegalArgumentException.class, () -> TokenLogprob.of(logits, 0, 2, 2, 0));
    }

    @Test
    void stopStringFilterHoldsBackAPossibleStopAndCutsAtIt() {
        StopStringFilter f = new StopStringFilter(List.of("END"));
        assertEquals("abc ", f.append("abc E"));
        assertEquals("", f.append("N"));
        assertEquals("", f.append("Dxyz"));
        assertEquals(true, f.matched());
        assertEquals("abc ", f.text());
        assertThrows(IllegalArgumentException.class, () -> new StopStringFilter(List.of("")));
    }
}
