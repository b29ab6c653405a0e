package org.llama3j.posttrain;

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.tokenizer.BpeModel;
import org.llama3j.train.tokenizer.BpeTrainer;

/** Seeded tiny chat models for tests: a small BPE vocabulary (+ Llama 3 specials) and random weights. */
public final class TinyModels {

    public static final String TEXT = "What is 2 plus 3? 5. Reverse abc: cba. Convert 2 km to m: 2000 m. "
            + "Answer in the form ANSWER: x. ANSWER: 7. Hello there, how are you? I am fine, thank you.";

    private TinyModels() {
    }

    public static PolicyModel chatModel(int dim, int layers, int maxSeqLen, long seed) {
        BpeTrainer trainer = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        trainer.addText(TEXT);
        BpeModel bpe = trainer.train(300);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TiktokenFile.write(bpe.ranks(), bytes);
        int vocab = bpe.ranks().size() + Llama3Tokenizer.SPECIAL_TOKEN_COUNT;
        ModelShape shape = new ModelShape(dim, layers, 4, 2, dim * 2, vocab, 1e-5f, 10000, Optional.empty(),
                false, maxSeqLen);
        LlamaParameters params = new LlamaParameters(shape);
        params.initialize(seed, 0.05);
        return new PolicyModel(params, bytes.toByteArray(), Llama3Tokenizer.fromRanks(bpe.ranks()));
    }
}
