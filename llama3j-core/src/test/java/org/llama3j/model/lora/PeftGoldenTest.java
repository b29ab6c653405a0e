package org.llama3j.model.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.SafetensorsModelLoader;

/**
 * A PEFT adapter written by PyTorch ({@code scripts/oracle/peft_golden.py}: HF layout, q/k B rows half-split,
 * r 4, α 8, all seven projections) on the HF checkpoint of {@code hf_golden.py}: llama3j's side path must give
 * PyTorch's logits of the merged weights W + (α/r)·B·A. Independent of llama3j's writer, so it pins the tensor
 * names, the A/B orientation, the scale and the q/k permutation.
 */
class PeftGoldenTest {

    @Test
    void pytorchAdapterOnHfCheckpointMatches() throws Exception {
        Path base = Path.of(getClass().getResource("/golden/hf/f32-untied-llama3rope/config.json").toURI()).getParent();
        Path adapterDir = Path.of(getClass().getResource("/golden/peft-lora/adapter_config.json").toURI()).getParent();
        int[] tokens = {1, 17, 200, 3, 99, 42, 42, 7, 255, 0, 128, 64, 5, 31, 190, 77, 12, 250, 9, 100};
        try (var ckpt = SafetensorsModelLoader.open(base)) {
            LlamaModel m = ckpt.model();
            LoraAdapter a = PeftAdapter.read(adapterDir, LoraBase.of(m.config()));
            assertEquals(14, a.matrices().size());
            assertEquals(2f, a.config().scale());
            LlamaModel adapted = m.withLora(a);
            float[] ours = adapted.forward(adapted.newState(tokens.length), tokens, tokens.length, 0);
            byte[] raw = Files.readAllBytes(adapterDir.resolve("logits.f32"));
            float[] torch = new float[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(torch);
            assertEquals(torch.length, ours.length);
            double diff = LoraInferenceTest.maxAbsDiff(ours, torch);
            double scale = 0;
            for (float t : torch) {
                scale = Math.max(scale, Math.abs(t));
            }
            System.out.printf("PEFT adapter vs PyTorch: max relative logit difference %.3g%n", diff / scale);
            assertTrue(diff / scale < 1e-5, "relative " + diff / scale);
        }
    }
}
