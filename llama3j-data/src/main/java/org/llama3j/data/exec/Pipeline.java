package org.llama3j.data.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llama3j.data.io.ReaderConfig;
import org.llama3j.data.step.PipelineStep;

/**
 * What to run: how to read the input and the ordered steps. {@code fingerprint} identifies the configuration
 * (the YAML runner uses a hash of the parsed config), so a work directory is never resumed by a different pipeline.
 */
public record Pipeline(ReaderConfig reader, List<PipelineStep> steps, String fingerprint) {

    public Pipeline {
        steps = List.copyOf(steps);
    }

    /** Stats labels of the steps: the step name, suffixed "#2", "#3"... when a name repeats. */
    public List<String> labels() {
        Map<String, Integer> seen = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (PipelineStep s : steps) {
            int n = seen.merge(s.name(), 1, Integer::sum);
            out.add(n == 1 ? s.name() : s.name() + "#" + n);
        }
        return out;
    }
}
