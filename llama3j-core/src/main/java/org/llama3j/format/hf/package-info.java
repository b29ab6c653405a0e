/**
 * Hugging Face checkpoint conventions: {@code config.json} for Llama models and the q/k row
 * permutation between HF's half-split rotary layout and GGUF's interleaved one.
 */
package org.llama3j.format.hf;
