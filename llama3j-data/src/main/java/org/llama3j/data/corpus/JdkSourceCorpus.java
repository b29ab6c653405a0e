package org.llama3j.data.corpus;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Java source code from the running JDK's {@code lib/src.zip} (GPLv2 with the Classpath Exception):
 * one document per {@code .java} file of the chosen packages, category {@code code}.
 */
public final class JdkSourceCorpus {
    /** Everyday library packages: enough code to mix in without dwarfing the prose. */
    public static final List<String> DEFAULT_PREFIXES = List.of("java.base/java/util/", "java.base/java/time/",
            "java.base/java/io/", "java.base/java/text/", "java.base/java/math/");

    private JdkSourceCorpus() {
    }

    /** The running JDK's {@code lib/src.zip}. */
    public static Path defaultZip() {
        return Path.of(System.getProperty("java.home"), "lib", "src.zip");
    }

    /** Writes the files under {@code prefixes} (in zip order) to {@code out}; returns how many. */
    public static int write(Path srcZip, List<String> prefixes, Path out) {
        if (!Files.isRegularFile(srcZip)) {
            throw new DemoCorpusException(srcZip + " does not exist (a JDK with sources is needed for the code part)");
        }
        try (ZipFile zip = new ZipFile(srcZip.toFile()); CorpusWriter w = new CorpusWriter(out, "code", "jdk")) {
            for (ZipEntry e : zip.stream().sorted(java.util.Comparator.comparing(ZipEntry::getName)).toList()) {
                String name = e.getName();
                if (e.isDirectory() || !name.endsWith(".java") || prefixes.stream().noneMatch(name::startsWith)) {
                    continue;
                }
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                try {
                    String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                    w.write("jdk/" + name, text, Map.of("lang", "java"));
                } catch (CharacterCodingException bad) {
                    // not UTF-8: skip rather than feed mojibake (none in recent JDKs)
                }
            }
            return w.documents();
        } catch (IOException e) {
            throw new DemoCorpusException("cannot read " + srcZip + ": " + e.getMessage(), e);
        }
    }
}
