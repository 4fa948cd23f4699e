package dev.palaver.server.telephony;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import com.twilio.security.RequestValidator;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads and authenticates Twilio's webhooks. Twilio signs the URL it called (from {@code PALAVER_PUBLIC_URL},
 * since a proxy may rewrite ours) with the account's auth token: with the form parameters for a form body,
 * or with a {@code bodySHA256} query parameter for a JSON body. The account comes from the request's
 * {@code AccountSid}; anything unsigned, signed wrongly or from an unknown account is refused.
 */
@Component
class TwilioRequests {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TwilioRequests.class);

    /** A request that passed the signature check: its account and parameters. */
    record Verified(TwilioAccounts.Account account, Map<String, String> params) {
        String param(String name) {
            return params.get(name);
        }
    }

    private final TwilioAccounts accounts;
    private final ObjectMapper json;
    private final String publicUrl;

    TwilioRequests(TwilioAccounts accounts, ObjectMapper json, @Value("${palaver.public-url:}") String publicUrl) {
        this.accounts = accounts;
        this.json = json;
        this.publicUrl = publicUrl == null ? "" : publicUrl.strip().replaceAll("/+$", "");
    }

    /** The externally visible URL of {@code path} (http(s)). */
    String publicUrl(String path) {
        return publicUrl + path;
    }

    /** The media stream URL: the public URL with ws(s). */
    String mediaUrl() {
        return publicUrl("/telephony/twilio/media").replaceFirst("^http", "ws");
    }

    boolean configured() {
        return !publicUrl.isEmpty();
    }

    Optional<Verified> verify(HttpServletRequest request, byte[] body) {
        String signature = request.getHeader("X-Twilio-Signature");
        if (!configured()) {
            log.warn("Refusing a Twilio webhook: PALAVER_PUBLIC_URL is not set, so no signature can be checked");
            return Optional.empty();
        }
        if (signature == null || signature.isBlank()) {
            return Optional.empty();
        }
        String url = publicUrl(request.getRequestURI()) + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        String contentType = request.getContentType() == null ? "" : request.getContentType();
        try {
            if (contentType.startsWith("application/json")) {
                String text = new String(body, StandardCharsets.UTF_8);
                Map<String, String> params = new LinkedHashMap<>();
                JsonNode tree = json.readTree(text);
                tree.properties().forEach(e -> params.put(e.getKey(), e.getValue().isString()
                        ? e.getValue().asString() : e.getValue().toString()));
                return accounts.findBySid(params.get("AccountSid"))
                        .filter(a -> validJson(a, url, text, signature))
                        .map(a -> new Verified(a, params));
            }
            Map<String, String> params = form(new String(body, StandardCharsets.UTF_8));
            return accounts.findBySid(params.get("AccountSid"))
                    .filter(a -> new RequestValidator(a.authToken()).validate(url, params, signature))
                    .map(a -> new Verified(a, params));
        } catch (JacksonException | IllegalArgumentException e) {
            // A body that does not parse is not a signed Twilio request. Anything else (the database not
            // answering) is our failure, not the sender's: it propagates as a 5xx, which Twilio retries,
            // instead of a 403, which it does not.
            return Optional.empty();
        }
    }

    private static boolean validJson(TwilioAccounts.Account account, String url, String body, String signature) {
        try {
            return URI.create(url).getQuery() != null && URI.create(url).getQuery().contains("bodySHA256=")
                    && new RequestValidator(account.authToken()).validate(url, body, signature);
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }
}
