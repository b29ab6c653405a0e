package org.llama3j.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiktoken BPE file ({@code tiktoken.load.load_tiktoken_bpe}), as Meta ships Llama 3's
 * {@code tokenizer.model}: one line per token, {@code base64(bytes) SPACE rank}.
 */
public final class TiktokenFile {
    private TiktokenFile() {
    }

    public static Map<ByteSequence, Integer> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new TokenizerException("cannot read tiktoken file " + file + ": " + e.getMessage(), e);
        }
    }

    /** @param source name used in error messages */
    public static Map<ByteSequence, Integer> read(InputStream in, String source) throws IOException {
        Map<ByteSequence, Integer> ranks = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
        Base64.Decoder base64 = Base64.getDecoder();
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isEmpty()) continue;
            int space = line.indexOf(' ');
            if (space <= 0 || space != line.lastIndexOf(' ')) {
                throw new TokenizerException(source + " line " + lineNo + ": expected 'base64 rank', got '" + clip(line) + "'");
            }
            byte[] token;
            int rank;
            try {
                token = base64.decode(line.substring(0, space));
            } catch (IllegalArgumentException e) {
                throw new TokenizerException(source + " line " + lineNo + ": bad base64 token '" + clip(line) + "'", e);
            }
            try {
                rank = Integer.parseInt(line.substring(space + 1));
            } catch (NumberFormatException e) {
                throw new TokenizerException(source + " line " + lineNo + ": bad rank '" + clip(line) + "'", e);
            }
            if (rank < 0) throw new TokenizerException(source + " line " + lineNo + ": negative rank " + rank);
            if (token.length == 0) throw new TokenizerException(source + " line " + lineNo + ": empty token");
            if (ranks.put(ByteSequence.of(token), rank) != null) {
                throw new TokenizerException(source + " line " + lineNo + ": token repeated");
            }
        }
        return ranks;
    }

    /** Writes ranks in rank order, in the format {@link #read} and tiktoken load. */
    public static void write(Map<ByteSequence, Integer> ranks, OutputStream out) {
        List<Map.Entry<ByteSequence, Integer>> entries = new ArrayList<>(ranks.entrySet());
        entries.sort(Map.Entry.comparingByValue());
        Base64.Encoder base64 = Base64.getEncoder();
        try {
            Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
            for (Map.Entry<ByteSequence, Integer> e : entries) {
                w.write(base64.encodeToString(e.getKey().toArray()));
                w.write(' ');
                w.write(Integer.toString(e.getValue()));
                w.write('\n');
            }
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Map<ByteSequence, Integer> ranks, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(ranks, out);
        } catch (IOException e) {
            throw new TokenizerException("cannot write tiktoken file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
