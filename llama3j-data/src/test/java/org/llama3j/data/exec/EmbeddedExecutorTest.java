package org.llama3j.data.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.Document;
import org.llama3j.data.dedup.ExactDeduplicator;
import org.llama3j.data.dedup.MinHashDeduplicator;
import org.llama3j.data.filter.GopherQualityFilter;
import org.llama3j.data.filter.GopherRepetitionFilter;
import org.llama3j.data.io.ReaderConfig;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.StepStats;
import org.llama3j.data.step.Verdict;

class EmbeddedExecutorTest {

    /** Passes documents through; throws on {@code crashId} while armed, recording what it saw. */
    static final class CrashStep implements DocumentStep {
        static volatile boolean armed;
        static final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final String crashId;

        CrashStep(String crashId) {
            this.crashId = crashId;
        }

        @Override
        public String name() {
            return "crash_probe";
        }

        @Override
        public Verdict process(Document doc) {
            seen.add(doc.id());
            if (armed && doc.id().equals(crashId)) {
                throw new IllegalStateException("simulated crash at " + crashId);
            }
            return Verdict.keep(doc);
        }
    }

    static Pipeline pipeline() {
        return new Pipeline(ReaderConfig.DEFAULTS, List.of(
                new GopherQualityFilter(GopherQualityFilter.Config.DEFAULTS),
                new GopherRepetitionFilter(GopherRepetitionFilter.Config.DEFAULTS),
                new ExactDeduplicator(ExactDeduplicator.Config.DEFAULTS),
                new CrashStep("f2-20"),
                new MinHashDeduplicator(MinHashDeduplicator.Config.DEFAULTS)), "test-pipeline-v1");
    }

    static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void everyInputDocumentIsKeptOrRemovedForOneReason(@TempDir Path dir) throws IOException {
        List<Path> inputs = TestCorpus.write(dir, 4, 50, 11);
        CrashStep.armed = false;
        Path out = dir.resolve("out");
        PipelineResult r = new EmbeddedExecutor(ExecutorConfig.of(out, 3)).run(pipeline(), inputs);
        System.out.print(r.table());
        List<StepStats> stats = r.stats();
        assertEquals(List.of("read", "gopher_quality", "gopher_repetition", "exact_dedup", "crash_probe", "minhash_dedup"),
                stats.stream().map(StepStats::step).toList());
        assertEquals(200, stats.getFirst().input());
        for (int i = 0; i < stats.size(); i++) {
            assertTrue(stats.get(i).balanced(), stats.get(i).toString());
            if (i > 0) {
                assertEquals(stats.get(i - 1).kept(), stats.get(i).input(), "chain at " + stats.get(i).step());
            }
        }
        // 200 lines: 20 short docs, 8 broken lines (i = 11 and 36 per file), 15 duplicates (i % 10 == 7, files 1-3)
        assertEquals(8, stats.get(0).removed().get("malformed_json"));
        assertEquals(20, stats.get(1).removed().get("gopher_short_doc"));
        assertEquals(15, stats.get(3).removed().get("exact_duplicate"));
        // 15 near duplicates (i % 10 == 9, files 1-3: a file-0 text plus one sentence, Jaccard ~0.94)
        assertEquals(15, stats.get(5).removed().get("near_duplicate"));
        long outputDocs = r.outputs().stream().mapToLong(p -> lines(p).size()).sum();
        assertEquals(stats.getLast().kept(), outputDocs);
        long removalLines = files(out.resolve("removals")).stream().mapToLong(p -> lines(p).size()).sum();
        assertEquals(stats.stream().mapToLong(StepStats::removedTotal).sum(), removalLines);
        long quarantined = files(out.resolve("quarantine")).stream().mapToLong(p -> lines(p).size()).sum();
        assertEquals(8, quarantined);
        assertTrue(Files.readString(out.resolve("stats.json")).contains("\"exact_duplicate\" : 15"));
    }

    @Test
    void restartSkipsCompletedTasksAndReproducesTheCleanRun(@TempDir Path dir) throws IOException {
        List<Path> inputs = TestCorpus.write(dir, 4, 50, 23);
        CrashStep.armed = false;
        Path clean = dir.resolve("clean");
        PipelineResult cleanResult = new EmbeddedExecutor(ExecutorConfig.of(clean, 2)).run(pipeline(), inputs);

        Path out = dir.resolve("resumed");
        ExecutorConfig cfg = ExecutorConfig.of(out, 2);
        CrashStep.armed = true;
        var e = assertThrows(PipelineExecutionException.class, () -> new EmbeddedExecutor(cfg).run(pipeline(), inputs));
        assertTrue(e.getMessage().contains("stage 1, task 2") && e.getMessage().contains("simulated crash at f2-20"),
                e.getMessage());
        Path stage1 = cfg.workDir().resolve("stage-1");
        assertEquals(Set.of("part-00000.done", "part-00001.done", "part-00003.done"),
                Set.copyOf(files(stage1).stream().map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".done")).toList()));
        FileTime task0Written = Files.getLastModifiedTime(stage1.resolve("part-00000.jsonl"));

        CrashStep.armed = false;
        CrashStep.seen.clear();
        PipelineResult resumed = new EmbeddedExecutor(cfg).run(pipeline(), inputs);
        assertEquals(4 + 3, resumed.tasksSkipped()); // all of stage 0, three tasks of stage 1
        assertEquals(1 + 4, resumed.tasksRun());     // the crashed task, then all of stage 2
        assertTrue(!CrashStep.seen.isEmpty() && CrashStep.seen.stream().allMatch(id -> id.startsWith("f2-")),
                "only the unfinished task is re-run: " + CrashStep.seen);
        assertEquals(task0Written, Files.getLastModifiedTime(stage1.resolve("part-00000.jsonl")));

        assertEquals(cleanResult.stats(), resumed.stats());
        List<Path> a = files(clean);
        List<Path> b = files(out);
        assertEquals(a.stream().map(Path::getFileName).toList(), b.stream().map(Path::getFileName).toList());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).getFileName().toString());
        }
        for (String sub : List.of("removals", "quarantine")) {
            List<Path> ra = files(clean.resolve(sub));
            List<Path> rb = files(out.resolve(sub));
            assertEquals(ra.size(), rb.size());
            for (int i = 0; i < ra.size(); i++) {
                assertArrayEquals(Files.readAllBytes(ra.get(i)), Files.readAllBytes(rb.get(i)), ra.get(i).toString());
            }
        }
        // a third run does nothing and changes nothing
        PipelineResult again = new EmbeddedExecutor(cfg).run(pipeline(), inputs);
        assertEquals(0, again.tasksRun());
        assertEquals(cleanResult.stats(), again.stats());
    }

    @Test
    void aWorkDirectoryIsNotResumedByAnotherPipeline(@TempDir Path dir) throws IOException {
        List<Path> inputs = TestCorpus.write(dir, 2, 10, 5);
        CrashStep.armed = false;
        ExecutorConfig cfg = ExecutorConfig.of(dir.resolve("out"), 1);
        new EmbeddedExecutor(cfg).run(pipeline(), inputs);
        Pipeline other = new Pipeline(ReaderConfig.DEFAULTS, pipeline().steps(), "test-pipeline-v2");
        var e = assertThrows(DataPipelineException.class, () -> new EmbeddedExecutor(cfg).run(other, inputs));
        assertTrue(e.getMessage().contains("different pipeline"), e.getMessage());
        var missing = assertThrows(DataPipelineException.class,
                () -> new EmbeddedExecutor(cfg).run(pipeline(), List.of(dir.resolve("nope.jsonl"))));
        assertTrue(missing.getMessage().contains("nope.jsonl"), missing.getMessage());
    }

    @Test
    void outputCompressionFollowsTheConfig(@TempDir Path dir) throws IOException {
        List<Path> inputs = TestCorpus.write(dir, 2, 10, 5);
        var cfg = new ExecutorConfig(dir.resolve("out"), dir.resolve("work"), 2, org.llama3j.data.io.Compression.GZIP);
        PipelineResult r = new EmbeddedExecutor(cfg).run(new Pipeline(ReaderConfig.DEFAULTS, List.of(), "identity"), inputs);
        assertEquals(List.of("part-00000.jsonl.gz", "part-00001.jsonl.gz"),
                r.outputs().stream().map(p -> p.getFileName().toString()).toList());
        List<Document> back = new ArrayList<>();
        for (Path p : r.outputs()) {
            try (var s = new org.llama3j.data.io.JsonlReader(p, ReaderConfig.DEFAULTS, q -> { }, new org.llama3j.data.step.CountingLedger("read")).documents()) {
                s.forEach(back::add);
            }
        }
        assertEquals(r.stats("read").kept(), back.size());
    }

    @Test
    void resultsDoNotDependOnTheThreadCount(@TempDir Path dir) throws IOException {
        // one big file (many batches of 64 in flight at once) and two small ones
        List<Path> inputs = new ArrayList<>(TestCorpus.write(dir.resolve("big"), 1, 1500, 31));
        inputs.addAll(TestCorpus.write(dir.resolve("small"), 2, 40, 32));
        CrashStep.armed = false;
        PipelineResult one = new EmbeddedExecutor(ExecutorConfig.of(dir.resolve("t1"), 1)).run(pipeline(), inputs);
        PipelineResult four = new EmbeddedExecutor(ExecutorConfig.of(dir.resolve("t4"), 4)).run(pipeline(), inputs);
        assertEquals(one.stats(), four.stats());
        assertEquals(1580, one.stats("read").input());
        System.out.print(one.table());
        assertEquals(150 + 8, one.stats("gopher_quality").removed().get("gopher_short_doc")); // i % 10 == 3
        for (String sub : List.of("", "removals", "quarantine")) {
            List<Path> a = files(dir.resolve("t1").resolve(sub));
            List<Path> b = files(dir.resolve("t4").resolve(sub));
            assertEquals(a.size(), b.size(), sub);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).toString());
            }
        }
    }
}
