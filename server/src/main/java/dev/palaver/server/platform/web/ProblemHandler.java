package dev.palaver.server.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;

import dev.palaver.server.platform.ratelimit.RateLimitHeaders;
import dev.palaver.server.platform.ratelimit.RateLimitedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception that reaches MVC into a problem body with a stable {@code code} and the
 * {@code requestId}. Unexpected failures are logged with their stack trace here and answered with a
 * generic 500: no class names, SQL or stack frames reach the client.
 */
@RestControllerAdvice
final class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e, HttpServletRequest request) {
        HttpHeaders headers = e instanceof RateLimitedException limited
                ? RateLimitHeaders.of(limited.decision()) : new HttpHeaders();
        return problem(e.code(), e.getMessage(), request, headers);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<Object> tooLarge(PayloadTooLargeException e, HttpServletRequest request) {
        return problem(ErrorCode.PAYLOAD_TOO_LARGE, e.getMessage(), request, new HttpHeaders());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraint(ConstraintViolationException e, HttpServletRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getConstraintViolations().forEach(v -> errors.add(
                Map.of("field", leaf(v.getPropertyPath().toString()), "message", v.getMessage())));
        ProblemDetail body = Problems.withFieldErrors(
                Problems.of(ErrorCode.VALIDATION_FAILED, ErrorCode.VALIDATION_FAILED.defaultDetail(), request), errors);
        return ResponseEntity.status(body.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> denied(AccessDeniedException e, HttpServletRequest request) {
        return problem(ErrorCode.FORBIDDEN, ErrorCode.FORBIDDEN.defaultDetail(), request, new HttpHeaders());
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> unauthenticated(AuthenticationException e, HttpServletRequest request) {
        return problem(ErrorCode.UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED.defaultDetail(), request, new HttpHeaders());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(ErrorCode.INTERNAL_ERROR, ErrorCode.INTERNAL_ERROR.defaultDetail(), request, new HttpHeaders());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getBindingResult().getFieldErrors().forEach(f -> errors.add(Map.of("field", f.getField(),
                "message", f.getDefaultMessage() == null ? "is invalid" : f.getDefaultMessage())));
        e.getBindingResult().getGlobalErrors().forEach(g -> errors.add(Map.of("field", g.getObjectName(),
                "message", g.getDefaultMessage() == null ? "is invalid" : g.getDefaultMessage())));
        ProblemDetail body = Problems.withFieldErrors(Problems.of(ErrorCode.VALIDATION_FAILED,
                ErrorCode.VALIDATION_FAILED.defaultDetail(), servlet(request)), errors);
        return ResponseEntity.status(body.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(err -> errors.add(Map.of(
                "field", r.getMethodParameter().getParameterName() == null ? "parameter" : r.getMethodParameter().getParameterName(),
                "message", err.getDefaultMessage() == null ? "is invalid" : err.getDefaultMessage()))));
        ProblemDetail body = Problems.withFieldErrors(Problems.of(ErrorCode.VALIDATION_FAILED,
                ErrorCode.VALIDATION_FAILED.defaultDetail(), servlet(request)), errors);
        return ResponseEntity.status(body.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        HttpServletRequest servletRequest = servlet(request);
        ErrorCode code = codeFor(e, status);
        String detail = code == ErrorCode.MALFORMED_JSON || code == ErrorCode.INTERNAL_ERROR
                ? code.defaultDetail() : safeDetail(e, code);
        if (code == ErrorCode.INTERNAL_ERROR) {
            log.error("Request failed on {} {}", servletRequest.getMethod(), servletRequest.getRequestURI(), e);
        }
        return problem(code, detail, servletRequest, headers);
    }

    private static ErrorCode codeFor(Exception e, HttpStatusCode status) {
        return switch (e) {
            case HttpMessageNotReadableException r when causedBy(r, PayloadTooLargeException.class) -> ErrorCode.PAYLOAD_TOO_LARGE;
            case HttpMessageNotReadableException ignored -> ErrorCode.MALFORMED_JSON;
            case NoResourceFoundException ignored -> ErrorCode.NOT_FOUND;
            case NoHandlerFoundException ignored -> ErrorCode.NOT_FOUND;
            case HttpRequestMethodNotSupportedException ignored -> ErrorCode.METHOD_NOT_ALLOWED;
            case HttpMediaTypeNotSupportedException ignored -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case HttpMediaTypeNotAcceptableException ignored -> ErrorCode.NOT_ACCEPTABLE;
            case MaxUploadSizeExceededException ignored -> ErrorCode.PAYLOAD_TOO_LARGE;
            default -> ErrorCodes.forStatus(status.value());
        };
    }

    private static String safeDetail(Exception e, ErrorCode code) {
        return switch (e) {
            case HttpRequestMethodNotSupportedException m -> "Method " + m.getMethod() + " is not allowed here.";
            case HttpMediaTypeNotSupportedException m when m.getContentType() != null ->
                    "Content type " + m.getContentType() + " is not supported here.";
            default -> code.defaultDetail();
        };
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String leaf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static ResponseEntity<Object> problem(ErrorCode code, String detail, HttpServletRequest request,
                                                  HttpHeaders headers) {
        ProblemDetail body = Problems.of(code, detail, request);
        HttpHeaders out = new HttpHeaders();
        out.addAll(headers);
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, out, code.status());
    }

    private static HttpServletRequest servlet(WebRequest request) {
        return request instanceof NativeWebRequest n ? n.getNativeRequest(HttpServletRequest.class) : null;
    }
}
