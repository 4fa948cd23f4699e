package dev.palaver.server.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Errors that never reached a handler (the container's own, or a filter's exception) are dispatched
 * here by the servlet container; they get the same problem body as everything else.
 */
@Controller
final class ProblemErrorController implements org.springframework.boot.webmvc.error.ErrorController {

    @RequestMapping(value = "/error", produces = {MediaType.APPLICATION_PROBLEM_JSON_VALUE, MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE})
    @ResponseBody
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer i ? i : 500;
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        ErrorCode errorCode = exception instanceof Throwable t && isTooLarge(t)
                ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCodes.forStatus(code);
        if (errorCode == ErrorCode.INTERNAL_ERROR && exception instanceof Throwable t) {
            org.slf4j.LoggerFactory.getLogger(ProblemErrorController.class).error("Request failed before reaching a handler", t);
        }
        ProblemDetail body = Problems.of(errorCode, errorCode.defaultDetail(), request);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String s && s.matches("[A-Za-z0-9/._~%-]{1,512}")) {
            body.setInstance(java.net.URI.create(s));
        }
        return ResponseEntity.status(errorCode.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    private static boolean isTooLarge(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PayloadTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
