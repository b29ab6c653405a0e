package org.llama3j.data.io;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Stream compression chosen by file extension: {@code .gz} gzip, {@code .zst}/{@code .zstd} zstd, else none. */
public enum Compression {
    NONE(""), GZIP(".gz"), ZSTD(".zst");

    private final String extension;

    Compression(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    public static Compression of(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".gz")) {
            return GZIP;
        }
        if (n.endsWith(".zst") || n.endsWith(".zstd")) {
            return ZSTD;
        }
        return NONE;
    }

    public static Compression named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> NONE;
            case "gzip", "gz" -> GZIP;
            case "zstd", "zst" -> ZSTD;
            default -> throw new IllegalArgumentException("unknown compression '" + name + "' (known: none, gzip, zstd)");
        };
    }

    public static InputStream openInput(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return switch (of(file)) {
                case NONE -> raw;
                case GZIP -> new GZIPInputStream(raw, 1 << 16);
                case ZSTD -> new BufferedInputStream(new ZstdInputStream(raw), 1 << 16);
            };
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    public static OutputStream openOutput(Path file) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return switch (of(file)) {
            case NONE -> raw;
            case GZIP -> new GZIPOutputStream(raw, 1 << 16);
            case ZSTD -> new BufferedOutputStream(new ZstdOutputStream(raw), 1 << 16);
        };
    }
}
