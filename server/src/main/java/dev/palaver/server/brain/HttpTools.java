package dev.palaver.server.brain;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.server.agents.AgentDefinition.HttpTool;
import dev.palaver.server.providers.ProviderCredentials;

/**
 * Runs an agent's custom HTTP tools: POSTs the (schema-checked) JSON arguments to the tool's URL, signed
 * with the organization's {@code http-tools} secret: {@code X-Palaver-Signature: sha256=<hex>} is the
 * HMAC-SHA256 of {@code <X-Palaver-Timestamp>.<body>}. No redirects are followed, the request is bounded
 * by a timeout and the answer by a size limit, and loopback, private, link-local and other non-public
 * addresses are refused unless {@code palaver.brain.http-tools.allow-private-addresses} is set.
 */
@Component
class HttpTools {

    static final String SIGNATURE = "X-Palaver-Signature";
    static final String TIMESTAMP = "X-Palaver-Timestamp";

    private final ProviderCredentials credentials;
    private final BrainProperties.HttpTools props;
    private final HttpClient client;

    HttpTools(ProviderCredentials credentials, BrainProperties props) {
        this.credentials = credentials;
        this.props = props.httpTools();
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(this.props.timeout()).build();
    }

    ToolDefinition definition(HttpTool tool) {
        return new ToolDefinition(tool.name(), tool.description(), tool.schema().toString(),
                props.timeout().plusSeconds(1));
    }

    /** Calls the tool; failures (address refused, timeout, HTTP error, too large) are error results. */
    ToolResult call(HttpTool tool, String argumentsJson, ToolContext ctx) {
        URI uri = URI.create(tool.url());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return ToolResult.error("The tool's URL must be http or https.");
        }
        String refused = refusedAddress(uri.getHost());
        if (refused != null) {
            return ToolResult.error(refused);
        }
        String secret = credentials.find(ctx.orgId(), ProviderCredentials.HTTP_TOOLS)
                .map(ProviderCredentials.Credential::apiKey).orElse(null);
        if (secret == null) {
            return ToolResult.error("The organization has no http-tools signing secret, so the tool was not called.");
        }
        String timestamp = Long.toString(ctx.now().get().getEpochSecond());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(props.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Palaver-HttpTool")
                .header("X-Palaver-Tool", tool.name())
                .header(TIMESTAMP, timestamp)
                .header(SIGNATURE, "sha256=" + sign(secret, timestamp + "." + argumentsJson))
                .POST(HttpRequest.BodyPublishers.ofString(argumentsJson, StandardCharsets.UTF_8));
        if (ctx.callId() != null) {
            request.header("X-Palaver-Call-Id", ctx.callId().toString());
        }
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                byte[] bytes = in.readNBytes((int) props.maxResponse().toBytes() + 1);
                if (bytes.length > props.maxResponse().toBytes()) {
                    return ToolResult.error("The tool's answer is larger than " + props.maxResponse().toBytes() + " bytes.");
                }
                body = new String(bytes, StandardCharsets.UTF_8);
            }
            if (response.statusCode() / 100 != 2) {
                return ToolResult.error("The tool answered HTTP " + response.statusCode() + ": "
                        + (body.length() > 300 ? body.substring(0, 300) : body));
            }
            return ToolResult.ok(body.isBlank() ? "{}" : body);
        } catch (java.net.http.HttpTimeoutException e) {
            return ToolResult.error("The tool did not answer within " + props.timeout().toMillis() + " ms.");
        } catch (IOException e) {
            return ToolResult.error("The tool could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ToolResult.error("The tool call was cancelled.");
        }
    }

    /** Why the host may not be called, or null when it may. */
    private String refusedAddress(String host) {
        if (props.allowPrivateAddresses()) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "The tool's host " + host + " does not resolve.";
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                return "The tool's host " + host + " is a loopback, private or otherwise non-public address, which "
                        + "this server does not call.";
            }
        }
        return null;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc; // fc00::/7 unique local
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return !(first == 0 || (first == 100 && second >= 64 && second <= 127) // 100.64/10 carrier-grade NAT
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240);
    }

    static String sign(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
