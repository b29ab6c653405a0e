package org.llama3j.server.http;

/**
 * A request the server refuses, answered as an OpenAI error object
 * {@code {"error":{"message","type","param","code"}}} with the given HTTP status.
 *
 * @see <a href="https://platform.openai.com/docs/guides/error-codes">OpenAI error codes</a>
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String message, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static ApiException badRequest(String message, String param) {
        return new ApiException(400, "invalid_request_error", message, param, null);
    }

    public static ApiException badRequest(String message, String param, String code) {
        return new ApiException(400, "invalid_request_error", message, param, code);
    }

    public static ApiException notFound(String message, String code) {
        return new ApiException(404, "invalid_request_error", message, null, code);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "invalid_request_error", message, null, "request_too_large");
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "invalid_request_error", message, null, "invalid_api_key");
    }

    public static ApiException overloaded(String message) {
        return new ApiException(429, "server_overloaded", message, null, "queue_full");
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "server_error", message, null, "model_loading");
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
