/**
 * safetensors files and sharded HF model directories. Tensors come out in ggml order (the HF shape
 * reversed, same bytes), like GGUF tensors, so model code sees one convention.
 */
package org.llama3j.format.safetensors;
