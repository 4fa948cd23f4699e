package dev.palaver.providers.speechhttp;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Builds provider URLs from a configurable base URL, a path and query parameters. */
public final class SpeechUrls {

    private SpeechUrls() {
    }

    /**
     * {@code base} + {@code path} + the encoded {@code query} (entries with null values are left out).
     *
     * @throws IllegalArgumentException if {@code base} is not an absolute http(s) or ws(s) URL
     */
    public static URI build(URI base, String path, Map<String, String> query) {
        String scheme = base.getScheme();
        if (!base.isAbsolute() || scheme == null || !scheme.matches("(?i)https?|wss?")) {
            throw new IllegalArgumentException("base URL must be absolute http(s) or ws(s): " + base);
        }
        if (base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("base URL must have no query or fragment: " + base);
        }
        String root = base.toString();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        StringJoiner params = new StringJoiner("&");
        query.forEach((k, v) -> {
            if (v != null) {
                params.add(encode(k) + "=" + encode(v));
            }
        });
        String q = params.length() == 0 ? "" : "?" + params;
        return URI.create(root + path + q);
    }

    /** A value safe to place in a URL path segment: letters, digits, '-', '_' and '.' only. */
    public static String pathSegment(String value, String what) {
        if (value == null || !value.matches("[A-Za-z0-9._-]+") || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(what + " must be letters, digits, '-', '_' or '.': " + value);
        }
        return value;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
