package dev.palaver.providers.speechhttp;

import dev.palaver.media.time.Scheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.speechhttp.ProviderFailure.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the HTTP speech-synthesis providers share: their HttpClient, timeouts and scheduler, the
 * syntheses in flight (closed with the provider), and the checks made before a request is sent.
 */
public final class HttpSynthesizer implements AutoCloseable {

    private final StreamingHttpCall.Spec spec;
    private final HttpClient client;
    private final int maxChars;
    private final Set<TextToSpeech.Synthesis> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param maxChars longest text sent in one request */
    public HttpSynthesizer(String provider, ApiKey key, SpeechTimeouts timeouts, Scheduler scheduler, int maxChars) {
        this.spec = new StreamingHttpCall.Spec(provider, timeouts, scheduler, key);
        this.maxChars = maxChars;
        this.client = SpeechHttpClients.create(timeouts.connect());
    }

    public String provider() {
        return spec.provider();
    }

    /** A POST of a JSON body to {@code uri}, with the given authentication header. */
    public HttpRequest.Builder jsonPost(URI uri, String json) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("User-Agent", "palaver")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }

    /**
     * Synthesizes {@code text} with the request {@code build} makes, or settles it without a request:
     * blank text is done at once, text longer than the limit is refused.
     */
    public TextToSpeech.Synthesis synthesize(String text, TextToSpeech.Listener listener, int wireRate,
            java.util.function.Supplier<HttpRequest> build) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException(spec.provider() + " is closed");
        }
        if (text.isBlank()) {
            return ImmediateSynthesis.done(spec.scheduler(), listener);
        }
        if (text.length() > maxChars) {
            return ImmediateSynthesis.failed(spec.scheduler(), listener, ProviderFailure.of(spec.provider(),
                    Kind.BAD_REQUEST, "text of " + text.length() + " characters is over the " + maxChars + " limit"));
        }
        HttpSpeechSynthesis[] self = new HttpSpeechSynthesis[1];
        HttpSpeechSynthesis synthesis = HttpSpeechSynthesis.start(client, build.get(), spec, wireRate, listener,
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
        open.removeIf(s -> s instanceof HttpSpeechSynthesis h && h.isDone());
        return open.size();
    }

    /** Closes every synthesis in flight (their listeners hear nothing more) and stops the HttpClient. */
    @Override
    public void close() {
        closed = true;
        for (TextToSpeech.Synthesis s : open) {
            s.close();
        }
        open.clear();
        SpeechHttpClients.shutdown(client);
    }
}
