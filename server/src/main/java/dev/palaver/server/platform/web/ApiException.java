package dev.palaver.server.platform.web;

/** An error the API reports to the client as it is: a code and a safe, human-readable detail. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;

    public ApiException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ApiException(ErrorCode code) {
        this(code, code.defaultDetail());
    }

    public ErrorCode code() {
        return code;
    }
}
