package dev.palaver.server.platform.web;

import org.springframework.http.HttpStatus;

/** Stable machine-readable error codes: clients switch on these, so they never change meaning. */
public enum ErrorCode {
    MALFORMED_JSON(HttpStatus.BAD_REQUEST, "The request body is not valid JSON or does not match the expected shape."),
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Some fields are invalid."),
    BAD_REQUEST(HttpStatus.BAD_REQUEST, "The request is invalid."),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Authentication is required."),
    FORBIDDEN(HttpStatus.FORBIDDEN, "You are not allowed to do this."),
    NOT_FOUND(HttpStatus.NOT_FOUND, "No such resource."),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "This method is not allowed here."),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "No acceptable representation."),
    CONFLICT(HttpStatus.CONFLICT, "The request conflicts with the current state."),
    PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE, "The request body is too large."),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "This content type is not supported here."),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests; retry later."),
    CALL_LIMIT_REACHED(HttpStatus.TOO_MANY_REQUESTS, "The organization has as many calls in progress as it may have."),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side; the request id helps us find it."),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "The service is temporarily unavailable.");

    private final HttpStatus status;
    private final String defaultDetail;

    ErrorCode(HttpStatus status, String defaultDetail) {
        this.status = status;
        this.defaultDetail = defaultDetail;
    }

    public HttpStatus status() {
        return status;
    }

    public String defaultDetail() {
        return defaultDetail;
    }

    /** The code as it appears in problem bodies, e.g. {@code malformed_json}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
