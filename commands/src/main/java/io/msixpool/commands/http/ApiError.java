package io.msixpool.commands.http;

import io.msixpool.commands.wire.Json;

/**
 * A non-2xx answer: every one carries {@code {"ok":false,"code":...,"message":...}}. The codes of
 * the bus itself (docs/http.md, including {@code REQUEST_TIMEOUT}) sit beside docs/wire.md's: {@code BAD_REQUEST}, {@code UNKNOWN_DEVICE}
 * and the rules' codes.
 */
public record ApiError(int status, String code, String message) {
    static ApiError badRequest(String message) {
        return new ApiError(400, "BAD_REQUEST", message);
    }

    static ApiError unauthorized() {
        return new ApiError(401, "UNAUTHORIZED", "send a valid token as 'Authorization: Bearer <token>'");
    }

    static ApiError forbidden(Caller caller, String what) {
        return new ApiError(403, "FORBIDDEN", "token '" + caller.name() + "' has role "
                + caller.role().name().toLowerCase(java.util.Locale.ROOT) + ", which may not " + what);
    }

    static ApiError notFound(String path) {
        return new ApiError(404, "NOT_FOUND", "no such resource: " + path);
    }

    static ApiError unknownDevice(String device) {
        var unknown = io.msixpool.commands.wire.Outcome.Rejected.unknownDevice(device);
        return new ApiError(404, unknown.code().name(), unknown.message());
    }

    static ApiError methodNotAllowed(String method, String path, String allowed) {
        return new ApiError(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path + "; use " + allowed);
    }

    static ApiError requestTimeout(String what) {
        return new ApiError(408, "REQUEST_TIMEOUT", what + " did not arrive in time; send the request again");
    }

    static ApiError tooLarge(int limit) {
        return new ApiError(413, "PAYLOAD_TOO_LARGE", "a command body may hold at most " + limit + " bytes");
    }

    static ApiError unsupportedMediaType(String contentType) {
        return new ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
                "send the command as 'Content-Type: application/json' (UTF-8), not '" + contentType + "'");
    }

    static ApiError unavailable(String message) {
        return new ApiError(503, "UNAVAILABLE", message);
    }

    static ApiError internal(String message) {
        return new ApiError(500, "INTERNAL", message);
    }

    String toJson() {
        return Json.mapper().createObjectNode().put("ok", false).put("code", code).put("message", message).toString();
    }
}
