package org.llama3j.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Llama 3 tokenizer factory and its special tokens. The 256 special tokens follow the mergeable
 * ranks (Meta llama-models {@code models/llama3/tokenizer.py}, Llama 3.1 naming as in the 3.1
 * {@code tokenizer.json}): 128000 begin_of_text, 128001 end_of_text, 128002/3 reserved 0/1,
 * 128004 finetune_right_pad_id, 128005 reserved 2, 128006 start_header_id, 128007 end_header_id,
 * 128008 eom_id, 128009 eot_id, 128010 python_tag, then reserved_special_token_3.. to 128255.
 */
public final class Llama3Tokenizer {
    public static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
    public static final String END_OF_TEXT = "<|end_of_text|>";
    public static final String FINETUNE_RIGHT_PAD = "<|finetune_right_pad_id|>";
    public static final String START_HEADER = "<|start_header_id|>";
    public static final String END_HEADER = "<|end_header_id|>";
    public static final String END_OF_MESSAGE = "<|eom_id|>";
    public static final String END_OF_TURN = "<|eot_id|>";
    public static final String PYTHON_TAG = "<|python_tag|>";
    public static final int SPECIAL_TOKEN_COUNT = 256;
    /** Number of mergeable ranks in Meta's Llama 3 {@code tokenizer.model}. */
    public static final int BASE_VOCABULARY = 128_000;

    private static final List<String> NAMED = List.of(
            BEGIN_OF_TEXT, END_OF_TEXT, "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
            FINETUNE_RIGHT_PAD, "<|reserved_special_token_2|>", START_HEADER, END_HEADER,
            END_OF_MESSAGE, END_OF_TURN, PYTHON_TAG);

    private Llama3Tokenizer() {
    }

    /** The 256 Llama 3 special tokens with ids {@code baseVocabulary ..  baseVocabulary + 255}. */
    public static SpecialTokens specialTokens(int baseVocabulary) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < NAMED.size(); i++) map.put(NAMED.get(i), baseVocabulary + i);
        for (int i = NAMED.size(); i < SPECIAL_TOKEN_COUNT; i++) {
            map.put("<|reserved_special_token_" + (i - NAMED.size() + 3) + "|>", baseVocabulary + i);
        }
        return new SpecialTokens(map);
    }

    /** Tokenizer over tiktoken ranks (any size) with the Llama 3 pattern and specials after the ranks. */
    public static Tokenizer fromRanks(Map<ByteSequence, Integer> ranks) {
        return new Tokenizer(ranks, specialTokens(ranks.size()), Llama3PreTokenizer.INSTANCE, BEGIN_OF_TEXT);
    }

    /** Loads Meta's {@code tokenizer.model} (tiktoken format). */
    public static Tokenizer load(Path tokenizerModel) {
        return fromRanks(TiktokenFile.read(tokenizerModel));
    }

    public static Tokenizer load(InputStream tokenizerModel, String source) {
        try {
            return fromRanks(TiktokenFile.read(tokenizerModel, source));
        } catch (IOException e) {
            throw new TokenizerException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }
}
