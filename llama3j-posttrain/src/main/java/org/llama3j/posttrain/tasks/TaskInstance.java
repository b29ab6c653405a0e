package org.llama3j.posttrain.tasks;

/** One synthetic task: the user's prompt, the one correct reply, and a plausible wrong reply. */
public record TaskInstance(TaskKind kind, String prompt, String answer, String wrongAnswer) {

    /** Whether a model reply solves the task: exactly the answer, surrounding whitespace ignored. */
    public boolean check(String reply) {
        return reply.strip().equals(answer);
    }
}
