package org.llama3j.data.langid;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Multinomial naive Bayes over hashed character 1-4-grams ({@link CharNgrams}): {@code score(L) = sum over n-grams
 * of log P(bucket | L)}, with add-{@code alpha} smoothing and uniform priors (Dunning 1994, "Statistical
 * Identification of Language"; the classic baseline that langid.py and CLD refine). The confidence is the NB
 * posterior of the best language, which is sharp on anything longer than a sentence.
 * <p>File format (gzip, big-endian): magic {@code "L3LI"}, version 1, buckets, scale (float), language count, then
 * per language its code (UTF) and {@code buckets} shorts holding {@code round(log P * scale)}.
 */
public final class LanguageModel implements Serializable {

    private static final int MAGIC = 0x4c334c49; // "L3LI"
    private static final int VERSION = 1;
    /** log-probabilities are >= about -20 for any realistic corpus size; 1/256 nats resolution fits a short. */
    private static final float SCALE = 256f;
    /** The model trained by scripts/data/build-langid.sh, shipped with the module. */
    public static final String SHIPPED_RESOURCE = "/org/llama3j/data/langid/fortunes-langid.bin.gz";

    private final List<String> languages;
    private final CharNgrams ngrams;
    private final short[][] logProbs;

    private LanguageModel(List<String> languages, int buckets, short[][] logProbs) {
        this.languages = List.copyOf(languages);
        this.ngrams = new CharNgrams(buckets);
        this.logProbs = logProbs;
    }

    public List<String> languages() {
        return languages;
    }

    /** Trains on texts per language code. */
    public static LanguageModel train(Map<String, List<String>> samples, int buckets, double alpha) {
        if (samples.size() < 2) {
            throw new LanguageIdException("language model needs at least 2 languages, got " + samples.keySet());
        }
        CharNgrams ng = new CharNgrams(buckets);
        List<String> langs = new ArrayList<>(samples.keySet());
        short[][] lp = new short[langs.size()][buckets];
        for (int l = 0; l < langs.size(); l++) {
            long[] counts = new long[buckets];
            long[] total = {0};
            for (String text : samples.get(langs.get(l))) {
                ng.forEach(text, b -> {
                    counts[b]++;
                    total[0]++;
                });
            }
            if (total[0] == 0) {
                throw new LanguageIdException("no training text with letters for language " + langs.get(l));
            }
            double denom = Math.log(total[0] + alpha * buckets);
            for (int b = 0; b < buckets; b++) {
                double v = (Math.log(counts[b] + alpha) - denom) * SCALE;
                lp[l][b] = (short) Math.max(Short.MIN_VALUE, Math.round(v));
            }
        }
        return new LanguageModel(langs, buckets, lp);
    }

    /** The best language and its posterior; {@code "und"} with confidence 0 for a text without letters. */
    public LanguageGuess identify(String text) {
        double[] scores = new double[languages.size()];
        int[] n = {0};
        ngrams.forEach(text, b -> {
            n[0]++;
            for (int l = 0; l < scores.length; l++) {
                scores[l] += logProbs[l][b];
            }
        });
        if (n[0] == 0) {
            return new LanguageGuess(LanguageGuess.UNDETERMINED, 0);
        }
        int best = 0;
        for (int l = 1; l < scores.length; l++) {
            if (scores[l] > scores[best]) {
                best = l;
            }
        }
        double z = 0;
        for (double s : scores) {
            z += Math.exp((s - scores[best]) / SCALE);
        }
        return new LanguageGuess(languages.get(best), 1 / z);
    }

    public void save(Path file) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new GZIPOutputStream(Files.newOutputStream(file))))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(ngrams.buckets());
            out.writeFloat(SCALE);
            out.writeInt(languages.size());
            for (int l = 0; l < languages.size(); l++) {
                out.writeUTF(languages.get(l));
                for (short v : logProbs[l]) {
                    out.writeShort(v);
                }
            }
        } catch (IOException e) {
            throw new LanguageIdException("cannot write language model " + file + ": " + e.getMessage(), e);
        }
    }

    public static LanguageModel load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new LanguageIdException("cannot read language model " + file + ": " + e.getMessage(), e);
        }
    }

    /** The model shipped in this module's resources (12 languages, trained on Debian fortunes). */
    public static LanguageModel shipped() {
        try (InputStream in = LanguageModel.class.getResourceAsStream(SHIPPED_RESOURCE)) {
            if (in == null) {
                throw new LanguageIdException("resource " + SHIPPED_RESOURCE + " is missing from the classpath");
            }
            return read(in, SHIPPED_RESOURCE);
        } catch (IOException e) {
            throw new LanguageIdException("cannot read " + SHIPPED_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static LanguageModel read(InputStream raw, String name) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw)));
        if (in.readInt() != MAGIC) {
            throw new LanguageIdException(name + " is not a llama3j language model (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new LanguageIdException(name + ": unsupported language model version " + version);
        }
        int buckets = in.readInt();
        float scale = in.readFloat();
        int count = in.readInt();
        if (Integer.bitCount(buckets) != 1 || buckets > (1 << 24) || scale != SCALE || count < 2 || count > 1000) {
            throw new LanguageIdException(name + ": corrupt header (buckets " + buckets + ", scale " + scale
                    + ", languages " + count + ")");
        }
        List<String> langs = new ArrayList<>();
        short[][] lp = new short[count][buckets];
        for (int l = 0; l < count; l++) {
            langs.add(in.readUTF());
            for (int b = 0; b < buckets; b++) {
                lp[l][b] = in.readShort();
            }
        }
        return new LanguageModel(langs, buckets, lp);
    }
}
