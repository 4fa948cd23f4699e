package dev.palaver.server.telephony;

import java.lang.reflect.Method;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.twilio.security.RequestValidator;

import dev.palaver.server.testing.Http;

/** Signing Twilio's webhooks as Twilio does, with the SDK's own RequestValidator. */
final class TwilioFixtures {

    static final String PUBLIC_URL = "https://palaver.example.test";
    static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    static final String AUTH_TOKEN = "twilio-test-auth-token-5f1c9e";

    private TwilioFixtures() {
    }

    /** The signature Twilio puts in X-Twilio-Signature: the SDK's RequestValidator computes it. */
    static String signature(String authToken, String url, Map<String, String> params) {
        try {
            Method sign = RequestValidator.class.getDeclaredMethod("getValidationSignature", String.class, Map.class);
            sign.setAccessible(true);
            return (String) sign.invoke(new RequestValidator(authToken), url, params);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> postForm(Http http, String path, Map<String, String> params, String authToken) {
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = http.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authToken != null) {
            request.header("X-Twilio-Signature", signature(authToken, PUBLIC_URL + path, params));
        }
        return http.send(request);
    }

    static HttpResponse<String> postJson(Http http, String path, String json, String authToken) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        String pathAndQuery = path + "?bodySHA256=" + hash;
        return http.send(http.request(pathAndQuery).header("Content-Type", "application/json")
                .header("X-Twilio-Signature", signature(authToken, PUBLIC_URL + pathAndQuery, Map.of()))
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sets the organization's Twilio account (this test account, optionally with a REST base URL). */
    static void putAccount(Http http, String bearer, String apiBaseUrl) {
        HttpResponse<String> put = http.send(http.request("/api/v1/telephony/twilio")
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"accountSid\":\"" + ACCOUNT_SID + "\",\"authToken\":\""
                        + AUTH_TOKEN + "\"" + (apiBaseUrl == null ? "" : ",\"apiBaseUrl\":\"" + apiBaseUrl + "\"") + "}")));
        if (put.statusCode() != 200) {
            throw new AssertionError(put.statusCode() + " " + put.body());
        }
        if (put.body().contains(AUTH_TOKEN)) {
            throw new AssertionError("the auth token came back unmasked");
        }
    }

    static Map<String, String> voiceParams(String callSid, String from, String to) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", ACCOUNT_SID);
        p.put("CallSid", callSid);
        p.put("From", from);
        p.put("To", to);
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("ApiVersion", "2010-04-01");
        return p;
    }

    /** The stream token inside answered TwiML. */
    static String token(String twiml) {
        Matcher tag = Pattern.compile("<Parameter[^>]*name=\"token\"[^>]*/?>").matcher(twiml);
        if (!tag.find()) {
            throw new AssertionError("no stream token in " + twiml);
        }
        Matcher value = Pattern.compile("value=\"([^\"]+)\"").matcher(tag.group());
        if (!value.find()) {
            throw new AssertionError("no stream token in " + twiml);
        }
        return value.group(1);
    }

    static String callSid() {
        return "CA" + java.util.UUID.randomUUID().toString().replace("-", "");
    }
}
