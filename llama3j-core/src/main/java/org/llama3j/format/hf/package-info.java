/**
 * Hugging Face checkpoint conventions: {@code config.json} for Llama models, the state-dict tensor
 * names ({@link org.llama3j.format.hf.HfTensorNames}), the q/k row permutation between HF's
 * half-split rotary layout and GGUF's interleaved one, {@code tokenizer_config.json} (chat template,
 * bos/eos), and writing a GGUF vocabulary as {@code tokenizer.json}. Loading and exporting whole
 * models lives in {@code org.llama3j.model} ({@code SafetensorsModelLoader}, {@code SafetensorsExporter}).
 */
package org.llama3j.format.hf;
