package org.llama3j.data.dedup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.Document;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;

/**
 * URL-level dedup (Llama 3 paper, section 3.1.1: "we perform de-duplication across the entire dataset on the URL
 * level ... we keep the most recent version for pages corresponding to each URL"). The newest copy by the date
 * metadata field wins (ISO-8601 instant, offset date-time, local date-time or date; unparsable or missing dates
 * count as oldest); ties keep the first in key order. URLs are compared after trimming and dropping the
 * fragment. Documents without a URL are kept.
 */
public final class UrlDeduplicator implements GlobalStep<UrlDeduplicator.Signature, KeyRemovals> {

    public record Config(String urlKey, String dateKey) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config("url", "date");
    }

    public record Signature(String url, long epochMillis) implements java.io.Serializable {
    }

    /** Removal reason of the documents this step drops. */
    public static final String REASON = "url_duplicate";

    private final Config config;

    public UrlDeduplicator(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "url_dedup";
    }

    public static String normalizeUrl(String url) {
        String u = url.strip();
        int hash = u.indexOf('#');
        return hash >= 0 ? u.substring(0, hash) : u;
    }

    /** Milliseconds since the epoch, or Long.MIN_VALUE when absent or unparsable. */
    static long epochMillis(String date) {
        if (date == null) {
            return Long.MIN_VALUE;
        }
        String d = date.strip();
        try {
            return Instant.parse(d).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next format
        }
        try {
            return OffsetDateTime.parse(d).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next format
        }
        try {
            return LocalDateTime.parse(d).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next format
        }
        try {
            return LocalDate.parse(d).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            return Long.MIN_VALUE;
        }
    }

    @Override
    public Signature signature(Document doc) {
        String url = doc.meta(config.urlKey());
        return url == null ? null : new Signature(normalizeUrl(url), epochMillis(doc.meta(config.dateKey())));
    }

    @Override
    public KeyRemovals decide(Stream<Keyed<Signature>> signatures) {
        Map<String, Keyed<Signature>> newest = new HashMap<>();
        Map<Long, String> removed = new HashMap<>();
        signatures.filter(k -> k.signature() != null).forEach(k -> {
            Keyed<Signature> best = newest.get(k.signature().url());
            if (best == null) {
                newest.put(k.signature().url(), k);
            } else if (k.signature().epochMillis() > best.signature().epochMillis()) {
                removed.put(best.key(), "older copy of " + k.signature().url());
                newest.put(k.signature().url(), k);
            } else {
                removed.put(k.key(), "older copy of " + k.signature().url());
            }
        });
        return new KeyRemovals(REASON, removed);
    }

    @Override
    public Verdict apply(long key, Document doc, KeyRemovals decision) {
        return decision.apply(key, doc);
    }
}
