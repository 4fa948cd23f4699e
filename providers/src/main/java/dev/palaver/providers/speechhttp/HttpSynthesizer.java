package dev.palaver.providers.speechhttp;

import dev.palaver.media.time.Scheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.http.ProviderTransport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the HTTP speech-synthesis providers share: their {@link ProviderTransport} (HTTP/1.1, so a cancel
 * closes exactly its own connection), the syntheses in flight (closed with the provider), and the checks
 * made before a request is sent.
 */
public final class HttpSynthesizer implements AutoCloseable {

    private final ProviderTransport transport;
    private final Scheduler scheduler;
    private final int maxChars;
    private final Set<HttpSpeechSynthesis> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param maxChars longest text sent in one request */
    public HttpSynthesizer(String provider, ApiKey key, HttpTimeouts timeouts, Scheduler scheduler, int maxChars) {
        this.transport = new ProviderTransport(provider, timeouts,
                key.isPresent() ? List.of(key.reveal()) : List.of());
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.maxChars = maxChars;
    }

    public String provider() {
        return transport.provider();
    }

    /** A POST of a JSON body to {@code uri}; the caller adds its authentication header. */
    public HttpRequest.Builder jsonPost(URI uri, String json) {
        return transport.request(uri)
                .header("Content-Type", "application/json")
                .header("User-Agent", "palaver")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }

    /**
     * Synthesizes {@code text} with the request {@code build} makes, or settles it without a request:
     * blank text is done at once, text longer than the limit is refused.
     *
     * @throws IllegalStateException once the provider is closed
     */
    public TextToSpeech.Synthesis synthesize(String text, TextToSpeech.Listener listener, int wireRate,
            Supplier<HttpRequest> build) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException(provider() + " is closed");
        }
        if (text.isBlank()) {
            return ImmediateSynthesis.done(scheduler, listener);
        }
        if (text.length() > maxChars) {
            return ImmediateSynthesis.failed(scheduler, listener, ProviderFailure.of(provider(),
                    Kind.BAD_REQUEST, "text of " + text.length() + " characters is over the " + maxChars + " limit"));
        }
        HttpSpeechSynthesis[] self = new HttpSpeechSynthesis[1];
        HttpSpeechSynthesis synthesis = HttpSpeechSynthesis.start(transport, build.get(), wireRate, listener,
                () -> {
                    if (self[0] != null) {
                        open.remove(self[0]);
                    }
                });
        self[0] = synthesis;
        open.add(synthesis);
        if (synthesis.isDone()) {
            open.remove(synthesis);
        }
        return synthesis;
    }

    /** Syntheses started and not yet finished or closed. */
    public int inFlight() {
        open.removeIf(HttpSpeechSynthesis::isDone);
        return open.size();
    }

    /** Closes every synthesis in flight (their listeners hear nothing more) and the transport. */
    @Override
    public void close() {
        closed = true;
        for (HttpSpeechSynthesis s : List.copyOf(open)) {
            s.close();
        }
        open.clear();
        transport.close();
    }
}
