package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.llama3j.quant.BlockCodec;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Dequantizes weight rows straight into a k-major GEMM panel (column {@code i} of row
 * {@code k} at {@code panel[k·width + i]}). Q8_0, Q4_0 and F16 are decoded inline (ggml-common.h
 * block layouts: F16 scale, then 32 int8, or 16 bytes of nibbles with element j in the low nibble
 * of byte j and element j+16 in the high one, minus 8); other types go through their
 * {@link BlockCodec} and a row buffer. Q8_0 and Q4_0 panels of two vectors' width take the
 * vectorised {@link QuantPanelPacking}.
 */
final class PanelPacking {
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Scratch of {@link InterleavedMatrix#pack}: a 16 × 16 int tile and a group's 32 × 16 scales (twice for Q4_K's minimums). */
    private static final ThreadLocal<int[]> INTERLEAVED_TILE = ThreadLocal.withInitial(() -> new int[256]);
    private static final ThreadLocal<float[]> INTERLEAVED_SCALES = ThreadLocal.withInitial(() -> new float[1024]);

    private PanelPacking() {
    }

    /** Rows {@code [r0, r0 + rows)} into columns {@code 0..rows-1}; columns {@code rows..width-1} are zeroed. */
    static void pack(Tensor w, int r0, int rows, int width, float[] panel, float[] rowBuffer) {
        InterleavedMatrix interleaved = InterleavedMatrix.of(w);
        if (interleaved != null && width == 32) {
            interleaved.pack(r0, rows, panel, INTERLEAVED_TILE.get(), INTERLEAVED_SCALES.get());
            return;
        }
        if (QuantPanelPacking.supports(w.type(), width)) {
            QuantPanelPacking.pack(w.data(), w.type(), w.rowBytes(), w.rowLength(), r0, rows, panel);
            return;
        }
        packScalar(w, r0, rows, width, panel, rowBuffer);
    }

    /** The scalar packing of every type (the reference {@link QuantPanelPacking} must equal). */
    static void packScalar(Tensor w, int r0, int rows, int width, float[] panel, float[] rowBuffer) {
        int n = w.rowLength();
        for (int i = rows; i < width; i++) {
            for (int k = 0; k < n; k++) {
                panel[k * width + i] = 0f;
            }
        }
        MemorySegment seg = w.data();
        long rowBytes = w.rowBytes();
        DType type = w.type();
        // Block-major: all rows' block b land in one 32 x width tile of the panel (4 KB for a
        // 32-wide panel), which stays in L1 while it is filled column by column.
        switch (type) {
            case Q8_0 -> {
                for (int b = 0, blocks = n / 32; b < blocks; b++) {
                    int base = b * 32 * width;
                    for (int i = 0; i < rows; i++) {
                        long off = (r0 + i) * rowBytes + 34L * b;
                        float d = Float.float16ToFloat(seg.get(LE_SHORT, off));
                        for (int j = 0; j < 32; j++) {
                            panel[base + j * width + i] = d * seg.get(ValueLayout.JAVA_BYTE, off + 2 + j);
                        }
                    }
                }
            }
            case Q4_0 -> {
                for (int b = 0, blocks = n / 32; b < blocks; b++) {
                    int base = b * 32 * width;
                    for (int i = 0; i < rows; i++) {
                        long off = (r0 + i) * rowBytes + 18L * b;
                        float d = Float.float16ToFloat(seg.get(LE_SHORT, off));
                        for (int j = 0; j < 16; j++) {
                            int q = seg.get(ValueLayout.JAVA_BYTE, off + 2 + j) & 0xff;
                            panel[base + j * width + i] = d * ((q & 0x0f) - 8);
                            panel[base + (j + 16) * width + i] = d * ((q >>> 4) - 8);
                        }
                    }
                }
            }
            case F16 -> {
                for (int k0 = 0; k0 < n; k0 += 32) {
                    int kEnd = Math.min(n, k0 + 32);
                    for (int i = 0; i < rows; i++) {
                        long rowOff = (r0 + i) * rowBytes;
                        for (int k = k0; k < kEnd; k++) {
                            panel[k * width + i] = Float.float16ToFloat(seg.get(LE_SHORT, rowOff + 2L * k));
                        }
                    }
                }
            }
            case F32 -> {
                for (int k0 = 0; k0 < n; k0 += 32) {
                    int kEnd = Math.min(n, k0 + 32);
                    for (int i = 0; i < rows; i++) {
                        long rowOff = (r0 + i) * rowBytes;
                        for (int k = k0; k < kEnd; k++) {
                            panel[k * width + i] = seg.get(LE_FLOAT, rowOff + 4L * k);
                        }
                    }
                }
            }
            default -> {
                BlockCodec codec = BlockCodecs.of(type);
                for (int i = 0; i < rows; i++) {
                    codec.dequantize(seg, (r0 + i) * rowBytes, rowBuffer, 0, n);
                    for (int k = 0; k < n; k++) {
                        panel[k * width + i] = rowBuffer[k];
                    }
                }
            }
        }
    }
}
