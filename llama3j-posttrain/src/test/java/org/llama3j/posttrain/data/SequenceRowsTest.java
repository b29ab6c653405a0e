package org.llama3j.posttrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceRowsTest {

    private static EncodedDialog dialog(int[] tokens, boolean... trained) {
        return new EncodedDialog(tokens, trained, 1);
    }

    @Test
    void packsWholeDialogsWithDocumentIdsAndAssistantOnlyTargets() {
        EncodedDialog a = dialog(new int[] {1, 2, 3, 4}, false, false, true, true);
        EncodedDialog b = dialog(new int[] {5, 6, 7}, false, true, true);
        EncodedDialog c = dialog(new int[] {8, 9}, false, true);
        TokenBatch batch = SequenceRows.packed(List.of(a, b, c), 2, 6);
        // row 0: a (4) + c would not fit after b? a=4, b=3 > 6 ⇒ b starts row 1; c fits after b (5)
        assertArrayEquals(new int[] {1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 9, 0}, batch.tokens());
        assertArrayEquals(new int[] {-100, 3, 4, -100, -100, -100, 6, 7, -100, 9, -100, -100}, batch.targets());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4}, batch.docIds());
    }

    @Test
    void onePerRowPadsInAnotherDocument() {
        TokenBatch batch = SequenceRows.onePerRow(List.of(dialog(new int[] {1, 2, 3}, false, true, true)), 5);
        assertArrayEquals(new int[] {1, 2, 3, 0, 0}, batch.tokens());
        assertArrayEquals(new int[] {2, 3, -100, -100, -100}, batch.targets());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1}, batch.docIds());
    }
}
