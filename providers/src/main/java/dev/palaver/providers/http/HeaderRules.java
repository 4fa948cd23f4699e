package dev.palaver.providers.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of provider configuration that reaches HTTP headers and URLs. Messages name the offending
 * header or field, never its value: the value may be a secret.
 */
public final class HeaderRules {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern VISIBLE = Pattern.compile("[\\x21-\\x7E]+");
    private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7E\\t]*");
    /** Set by the HTTP client itself; it refuses them. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private HeaderRules() {
    }

    /** A usable API key, or null for none; rejects blanks and characters a header cannot carry. */
    public static String apiKey(String key, boolean required) {
        if (key == null || key.isBlank()) {
            if (required) {
                throw new IllegalArgumentException("apiKey is required");
            }
            return null;
        }
        if (!VISIBLE.matcher(key).matches()) {
            throw new IllegalArgumentException("apiKey contains characters an HTTP header cannot carry");
        }
        return key;
    }

    /** An immutable, ordered copy of {@code headers} after checking names and values. */
    public static Map<String, String> extraHeaders(Map<String, String> headers, Set<String> managed) {
        Map<String, String> out = new LinkedHashMap<>();
        if (headers == null) {
            return Map.of();
        }
        headers.forEach((name, value) -> {
            if (name == null || !TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException("extra header name is not a valid HTTP token");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESTRICTED.contains(lower) || managed.contains(lower)) {
                throw new IllegalArgumentException("extra header " + name + " is set by the provider");
            }
            if (value == null || !VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("extra header " + name + " has a value an HTTP header cannot carry");
            }
            out.put(name, value);
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The base URL without a trailing slash; http or https, no user info, query or fragment. */
    public static URI baseUrl(URI url) {
        if (url == null) {
            throw new IllegalArgumentException("baseUrl is required");
        }
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL with a host");
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not carry user info, a query or a fragment");
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    /** A short provider name for messages: the given name, else the URL's host. */
    public static String name(String name, URI baseUrl) {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return baseUrl.getHost();
    }

    /** Header names only, for toString: values may be secrets. */
    public static String names(Map<String, String> headers) {
        return headers.keySet().toString();
    }
}
