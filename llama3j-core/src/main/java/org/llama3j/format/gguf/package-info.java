/**
 * GGUF (ggml/docs/gguf.md) files: {@link org.llama3j.format.gguf.GgufReader} maps a file and
 * validates its header strictly ({@link org.llama3j.format.gguf.GgufFormatException} for every
 * defect), {@link org.llama3j.format.gguf.GgufFile} exposes typed metadata and zero-copy tensors,
 * {@link org.llama3j.format.gguf.GgufWriter} writes v3 files atomically.
 */
package org.llama3j.format.gguf;
