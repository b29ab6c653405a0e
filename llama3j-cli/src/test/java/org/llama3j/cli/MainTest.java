package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Subcommands are registered one at a time when the first argument names one, all of them otherwise. */
class MainTest {
    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Class<?> c : Main.SUBCOMMANDS) {
            names.add(c.getAnnotation(Command.class).name());
        }
        return names;
    }

    @Test
    void aNamedCommandIsRegisteredAlone() {
        CommandLine cl = Main.commandLine(new String[] {"generate", "--prompt", "x"});
        assertEquals(List.of("generate"), List.copyOf(cl.getSubcommands().keySet()));
        assertEquals(List.of("serve"), List.copyOf(Main.commandLine(new String[] {"serve"}).getSubcommands().keySet()));
    }

    @Test
    void otherwiseAllAreRegisteredInHelpOrder() {
        List<String> all = names();
        assertEquals(22, all.size());
        assertEquals(all.size(), all.stream().distinct().count(), "duplicate command names");
        assertEquals(all, List.copyOf(Main.commandLine().getSubcommands().keySet()));
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"generat"}, new String[] {"-V"})) {
            assertEquals(all, List.copyOf(Main.commandLine(args).getSubcommands().keySet()), args[0]);
        }
        assertEquals(List.of("generate", "chat", "tokenize"), all.subList(0, 3));
    }

    @Test
    void exitCodes() {
        assertEquals(0, Main.run("--version"));
        assertEquals(2, Main.run("generat", "--prompt", "x"));
        assertEquals(2, Main.run("generate"));   // --prompt missing
        assertEquals(0, Main.run("generate", "--help"));
    }

    @Test
    void parameterErrorsPointAtTheRightHelp() {
        CliTest.Run unknown = CliTest.run("generat", "--prompt", "x");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Try 'llama3j --help'."), unknown.err());
        CliTest.Run missing = CliTest.run("generate");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("Try 'llama3j generate --help'."), missing.err());
    }
}
