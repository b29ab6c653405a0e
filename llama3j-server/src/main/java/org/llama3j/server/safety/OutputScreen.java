package org.llama3j.server.safety;

/** Checks one finished answer before the client sees any of it. */
@FunctionalInterface
public interface OutputScreen {
    /** Null when {@code text} may be shown; otherwise one line saying why it is withheld. */
    String withhold(String text);
}
