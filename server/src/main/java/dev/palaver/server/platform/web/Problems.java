package dev.palaver.server.platform.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Builds RFC 9457 problem bodies, in MVC handlers and in filters that answer before MVC. */
public final class Problems {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    public static final String TYPE_BASE = "https://palaver.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail of(ErrorCode code, String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
        problem.setType(URI.create(TYPE_BASE + code.wire().replace('_', '-')));
        problem.setTitle(code.status().getReasonPhrase());
        problem.setProperty("code", code.wire());
        problem.setProperty("requestId", RequestIds.current(request));
        if (request != null) {
            problem.setInstance(URI.create(safePath(request)));
        }
        return problem;
    }

    public static ProblemDetail withFieldErrors(ProblemDetail problem, List<Map<String, String>> errors) {
        problem.setProperty("errors", errors);
        return problem;
    }

    /** Writes a problem directly to the servlet response (for filters and security handlers). */
    public static void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code,
                             String detail) throws IOException {
        ProblemDetail problem = of(code, detail, request);
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), body(problem));
    }

    static Map<String, Object> body(ProblemDetail problem) {
        var map = new java.util.LinkedHashMap<String, Object>();
        map.put("type", problem.getType().toString());
        map.put("title", problem.getTitle());
        map.put("status", problem.getStatus());
        map.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            map.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            map.putAll(problem.getProperties());
        }
        return map;
    }

    private static String safePath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri == null || uri.length() > 512 || !uri.matches("[A-Za-z0-9/._~%!$&'()*+,;=:@-]*")) {
            return "/";
        }
        return uri;
    }
}
