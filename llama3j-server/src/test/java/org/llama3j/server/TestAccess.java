package org.llama3j.server;

import org.llama3j.Llama;

/** Lets tests in sub-packages use the shared tiny model. */
public final class TestAccess {
    private TestAccess() {
    }

    public static Llama sharedModel() throws java.io.IOException {
        return TestModels.shared();
    }

    /** A started server over the shared model. */
    public static LlamaServer serve(int parallel, int ctx) throws Exception {
        return TestModels.serve(ServerConfig.of(TestModels.tiny(), 0, parallel, ctx));
    }

    public static java.net.http.HttpResponse<String> post(java.net.URI base, String path, String json) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
