package org.llama3j.cli;

/** Entry point of the {@code llama3j} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("llama3j");
    }
}
