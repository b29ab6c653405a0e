package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {

    static int run(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void missingModelFileIsAUserError() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "serve", "--model", "/no/such/model.gguf", "--port", "0"));
        assertTrue(err.toString().contains("/no/such/model.gguf"), err.toString());
    }

    @Test
    void badSizesAreUserErrors() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "serve", "--model", "pom.xml", "--parallel", "0"));
        assertTrue(err.toString().contains("parallel"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(err2, "serve", "--model", "pom.xml", "--port", "70000"));
        assertTrue(err2.toString().contains("port"), err2.toString());
    }

    @Test
    void serveIsASubcommandWithLoopbackDefault() {
        CommandLine serve = Main.commandLine().getSubcommands().get("serve");
        assertEquals("127.0.0.1", serve.getCommandSpec().findOption("--host").defaultValue());
        assertEquals("8080", serve.getCommandSpec().findOption("--port").defaultValue());
    }

    @Test
    void badGuardOptionsAreUserErrorsBeforeTheServerStarts() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "serve", "--model", "pom.xml", "--port", "0", "--guard", "/no/such/guard.gguf"));
        assertTrue(err.toString().contains("/no/such/guard.gguf"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(err2, "serve", "--model", "pom.xml", "--port", "0", "--guard-threshold", "1.5"));
        assertTrue(err2.toString().contains("--guard-threshold"), err2.toString());
        StringWriter err3 = new StringWriter();
        assertEquals(2, run(err3, "serve", "--model", "pom.xml", "--port", "0", "--guard", "pom.xml",
                "--guard-taxonomy", "/no/such/taxonomy.yaml"));
        assertTrue(err3.toString().contains("taxonomy.yaml"), err3.toString());
    }
}
