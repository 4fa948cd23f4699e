package dev.palaver.server.agents;

import java.util.List;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/** An agent definition the API refuses, with every field error found ({@code validation_failed} or {@code conflict}). */
final class InvalidAgentException extends ApiException {

    private final List<FieldError> errors;

    InvalidAgentException(ErrorCode code, String detail, List<FieldError> errors) {
        super(code, detail);
        this.errors = List.copyOf(errors);
    }

    static InvalidAgentException invalid(List<FieldError> errors) {
        return new InvalidAgentException(ErrorCode.VALIDATION_FAILED, ErrorCode.VALIDATION_FAILED.defaultDetail(), errors);
    }

    List<FieldError> errors() {
        return errors;
    }
}
