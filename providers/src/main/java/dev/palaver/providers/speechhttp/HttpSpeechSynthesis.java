package dev.palaver.providers.speechhttp;

import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.HttpExchange;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.http.ProviderTransport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;

/**
 * A synthesis whose audio streams back in an HTTP response body as PCM16 at a known rate: each chunk is
 * converted to 16 kHz and handed on as it arrives. A 2xx answer that is JSON or text instead of audio,
 * or that holds no audio at all, is a failure. Handler calls hold the exchange's lock, so once
 * {@link #close()} returns the listener hears nothing more.
 */
final class HttpSpeechSynthesis implements TextToSpeech.Synthesis, HttpExchange.Handler {

    private final String provider;
    private final PcmStreamDecoder decoder;
    private final TextToSpeech.Listener listener;
    private final Runnable onClosed;
    private HttpExchange exchange;
    private volatile boolean done;

    private HttpSpeechSynthesis(String provider, int wireRate, TextToSpeech.Listener listener, Runnable onClosed) {
        this.provider = provider;
        this.decoder = new PcmStreamDecoder(wireRate);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.onClosed = onClosed;
    }

    /**
     * Starts the request.
     *
     * @param wireRate the sample rate the provider sends
     * @param onClosed run when the synthesis ends in any way, maybe more than once (for the provider's
     *     bookkeeping of what is open)
     */
    static HttpSpeechSynthesis start(ProviderTransport transport, HttpRequest request, int wireRate,
            TextToSpeech.Listener listener, Runnable onClosed) {
        HttpSpeechSynthesis synthesis = new HttpSpeechSynthesis(transport.provider(), wireRate, listener, onClosed);
        synthesis.exchange = transport.exchange(request, synthesis);
        synthesis.exchange.start();
        return synthesis;
    }

    @Override
    public void close() {
        done = true;
        exchange.cancel();
        onClosed.run();
    }

    /** Whether the synthesis has finished, failed or been closed. */
    boolean isDone() {
        return done;
    }

    @Override
    public void onResponse(HttpResponse.ResponseInfo info) {
        String type = info.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json") || type.startsWith("text/")) {
            throw new ProviderException(ProviderFailure.of(provider, Kind.MALFORMED,
                    "answered " + type.split(";")[0].strip() + " instead of audio"));
        }
    }

    @Override
    public void onBody(ByteBuffer bytes) {
        short[] pcm;
        try {
            pcm = decoder.decode(bytes);
        } catch (IllegalStateException e) {
            throw new ProviderException(ProviderFailure.of(provider, Kind.MALFORMED, e.getMessage()));
        }
        if (pcm.length > 0) {
            listener.onAudio(pcm);
        }
    }

    @Override
    public void onEnd() {
        short[] tail = decoder.finish();
        if (decoder.samplesOut() == 0) {
            throw new ProviderException(ProviderFailure.of(provider, Kind.EMPTY, "no audio in the answer"));
        }
        if (tail.length > 0) {
            listener.onAudio(tail);
        }
        exchange.finish();
        done = true;
        listener.onDone();
        onClosed.run();
    }

    @Override
    public void onFailure(ProviderFailure failure) {
        done = true;
        ProviderFailure.Receiver.deliver(listener, failure, listener::onError);
        onClosed.run();
    }
}
