package dev.palaver.bench.calls;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Twilio side of an inbound call before its media flows: the signed voice webhook Twilio posts when a
 * number rings, and the TwiML it gets back.
 *
 * @param publicUrl  the server's public URL (what it signs against: {@code PALAVER_PUBLIC_URL})
 * @param accountSid the Twilio account the organization configured
 * @param authToken  that account's auth token (the signing key)
 * @param to         the organization's number being called, E.164
 */
public record TwilioLine(String publicUrl, String accountSid, String authToken, String to) {

    public static final String VOICE_PATH = "/telephony/twilio/voice";

    /** Posts the voice webhook for a new call from {@code from} and returns the stream it is told to open. */
    public TwimlStream ring(HttpClient http, String callSid, String from) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", accountSid);
        form.put("ApiVersion", "2010-04-01");
        form.put("CallSid", callSid);
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        form.put("From", from);
        form.put("To", to);
        String url = publicUrl + VOICE_PATH;
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignature.sign(authToken, url, form))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the voice webhook answered " + response.statusCode() + ": " + response.body());
        }
        return TwimlStream.parse(response.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
