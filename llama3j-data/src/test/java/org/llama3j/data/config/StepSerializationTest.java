package org.llama3j.data.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.PipelineStep;

/** A distributed executor ships step objects to workers: every step type must survive Java serialization. */
class StepSerializationTest {

    @Test
    void everyStepTypeRoundTripsAndBehavesTheSame(@TempDir Path dir) throws Exception {
        PipelineConfigParserTest.rawDir(dir);
        PipelineSpec spec = PipelineConfigParser.parse(PipelineConfigParserTest.VALID, dir, "p.yaml");
        Document probe = new Document("p", "The porn river and the garden of the village have a quiet morning.\n"
                + "Javascript must be enabled to view the garden of the village.", java.util.Map.of("url", "https://example.com/"));
        for (PipelineStep step : spec.pipeline().steps()) {
            if (step instanceof DocumentStep d) {
                d.process(probe); // warm lazily loaded state before shipping
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(step);
            }
            Object copy;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                copy = in.readObject();
            }
            assertEquals(step.getClass(), copy.getClass());
            if (step instanceof DocumentStep d) {
                assertEquals(d.process(probe), ((DocumentStep) copy).process(probe), step.name());
            }
        }
    }
}
