package org.llama3j.data.filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;

/**
 * Removes documents whose URL host is a blocklisted domain or a subdomain of one ("example.com" blocks
 * "www.example.com" and "a.b.example.com", not "badexample.com"), the domain part of datatrove's
 * {@code pipeline/filters/url_filter.py}. Domains come inline and/or from files with one domain per line
 * ('#' starts a comment). Documents without a URL are kept; an unparsable URL is removed as
 * {@code invalid_url} only when {@code removeInvalidUrls} is set.
 */
public final class UrlBlocklistFilter implements DocumentStep {

    public record Config(String urlKey, List<String> domains, List<String> domainFiles, boolean removeInvalidUrls) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config("url", List.of(), List.of(), false);

        public Config {
            domains = List.copyOf(domains);
            domainFiles = List.copyOf(domainFiles);
        }
    }

    private final Config config;
    private final Set<String> blocked = new HashSet<>();

    public UrlBlocklistFilter(Config config) {
        this.config = config;
        config.domains().forEach(d -> blocked.add(normalize(d)));
        for (String f : config.domainFiles()) {
            try {
                for (String line : Files.readAllLines(Path.of(f))) {
                    String d = line.replaceFirst("#.*", "").strip();
                    if (!d.isEmpty()) {
                        blocked.add(normalize(d));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("url_blocklist: cannot read domain file " + f, e);
            }
        }
    }

    private static String normalize(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    @Override
    public String name() {
        return "url_blocklist";
    }

    /** The host of the URL, lower-cased, or null when the URL cannot be parsed. */
    static String host(String url) {
        try {
            String h = new URI(url.strip()).getHost();
            return h == null ? null : normalize(h);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** True when {@code host} or any parent domain of it is blocked. */
    boolean isBlocked(String host) {
        String h = host;
        while (true) {
            if (blocked.contains(h)) {
                return true;
            }
            int dot = h.indexOf('.');
            if (dot < 0) {
                return false;
            }
            h = h.substring(dot + 1);
        }
    }

    @Override
    public Verdict process(Document doc) {
        String url = doc.meta(config.urlKey());
        if (url == null) {
            return Verdict.keep(doc);
        }
        String host = host(url);
        if (host == null) {
            return config.removeInvalidUrls() ? Verdict.remove("invalid_url", url) : Verdict.keep(doc);
        }
        return isBlocked(host) ? Verdict.remove("blocked_domain", host) : Verdict.keep(doc);
    }
}
