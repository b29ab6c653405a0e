package org.llama3j.server;

import org.llama3j.Llama;

/** Lets tests in sub-packages use the shared tiny model. */
public final class TestAccess {
    private TestAccess() {
    }

    public static Llama sharedModel() throws java.io.IOException {
        return TestModels.shared();
    }
}
