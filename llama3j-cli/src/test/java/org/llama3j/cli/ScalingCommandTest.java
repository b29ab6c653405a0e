package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.eval.scaling.ModelSize;
import org.llama3j.eval.scaling.RunRecord;
import org.llama3j.eval.scaling.SweepResults;

/** {@code llama3j scaling predict} on a results file drawn from known laws: the printed N* and the report files. */
class ScalingCommandTest {
    @TempDir
    Path tmp;

    @Test
    void predictPrintsTheLawsValuesAndWritesPlotsAndReport() throws Exception {
        // loss = 20·C^-0.05 + 0.1·(ln N − ln N*)², N* = 0.1·C^0.5; task NLL = loss / 2; accuracy from a known sigmoid
        List<RunRecord> runs = new ArrayList<>();
        for (double c : new double[] {1e12, 4e12, 1.6e13}) {
            for (double k = -1; k <= 1.001; k += 0.5) {
                double n = 0.1 * Math.sqrt(c) * Math.exp(k);
                double loss = 20 * Math.pow(c, -0.05) + 0.1 * k * k;
                double nll = loss / 2;
                double acc = 0.25 + 0.75 / (1 + Math.exp(5 * (nll - 2.0)));
                runs.add(new RunRecord("r" + c + k, c, new ModelSize(8, 1, 1, 1, 8, 8, 8), Math.round(n),
                        Math.round(c / (6 * n)), c, 1, loss, nll, acc, acc, 1));
            }
        }
        Path results = tmp.resolve("sweep-results.json");
        new SweepResults("", 0.25, runs).write(results);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("scaling", "predict", "--sweep", results.toString(), "--budget", "6.4e13", "--bootstrap", "20");
        assertEquals(0, code, err.toString());
        Matcher m = Pattern.compile("compute-optimal parameters N\\*\\s+([0-9,]+)").matcher(out.toString());
        assertTrue(m.find(), out.toString());
        double n = Double.parseDouble(m.group(1).replace(",", ""));
        assertEquals(0.1 * Math.sqrt(6.4e13), n, 0.1 * Math.sqrt(6.4e13) * 0.01, out.toString());
        for (String f : new String[] {"isoflop.png", "power-laws.png", "nll-accuracy.png", "scaling-report.html"}) {
            assertTrue(Files.size(tmp.resolve(f)) > 1000, f);
        }
        assertEquals(2, cl.execute("scaling", "predict", "--sweep", tmp.resolve("missing.json").toString(), "--budget", "1e12"));
    }
}
