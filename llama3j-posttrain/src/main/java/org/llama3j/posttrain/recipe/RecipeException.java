package org.llama3j.posttrain.recipe;

/** A recipe file that cannot be run: the message names the file and the key. */
public final class RecipeException extends RuntimeException {
    public RecipeException(String message) {
        super(message);
    }
}
