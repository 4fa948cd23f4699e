package dev.palaver.providers.speechhttp;

import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.speechhttp.ProviderFailure.Kind;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;

/**
 * A synthesis whose audio streams back in an HTTP response body as PCM16 at a known rate: each chunk is
 * converted to 16 kHz and handed on as it arrives. A 2xx answer that is JSON or text instead of audio,
 * or that holds no audio at all, is a failure.
 */
final class HttpSpeechSynthesis implements TextToSpeech.Synthesis {

    private final StreamingHttpCall call;
    private final Runnable onClosed;

    private HttpSpeechSynthesis(StreamingHttpCall call, Runnable onClosed) {
        this.call = call;
        this.onClosed = onClosed;
    }

    /**
     * Starts the request.
     *
     * @param wireRate the sample rate the provider sends
     * @param onClosed run when the synthesis ends in any way, maybe more than once (for the provider's
     *     bookkeeping of what is open)
     */
    static HttpSpeechSynthesis start(HttpClient client, HttpRequest request, StreamingHttpCall.Spec spec,
            int wireRate, TextToSpeech.Listener listener, Runnable onClosed) {
        Objects.requireNonNull(listener, "listener");
        Audio audio = new Audio(spec.provider(), wireRate, listener, onClosed);
        return new HttpSpeechSynthesis(StreamingHttpCall.start(client, request, spec, audio), onClosed);
    }

    @Override
    public void close() {
        call.close();
        onClosed.run();
    }

    /** Whether the synthesis has finished, failed or been closed. */
    public boolean isDone() {
        return call.isDone();
    }

    private static final class Audio implements StreamingHttpCall.Handler {
        private final String provider;
        private final PcmStreamDecoder decoder;
        private final TextToSpeech.Listener listener;
        private final Runnable onClosed;

        Audio(String provider, int wireRate, TextToSpeech.Listener listener, Runnable onClosed) {
            this.provider = provider;
            this.decoder = new PcmStreamDecoder(wireRate);
            this.listener = listener;
            this.onClosed = onClosed;
        }

        @Override
        public void onResponse(HttpResponse.ResponseInfo info) {
            String type = info.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (type.startsWith("application/json") || type.startsWith("text/")) {
                throw new ProviderFailureException(ProviderFailure.of(provider, Kind.MALFORMED_RESPONSE,
                        "answered " + type.split(";")[0] + " instead of audio"));
            }
        }

        @Override
        public void onBody(ByteBuffer bytes) {
            short[] pcm;
            try {
                pcm = decoder.decode(bytes);
            } catch (IllegalStateException e) {
                throw new ProviderFailureException(ProviderFailure.of(provider, Kind.MALFORMED_RESPONSE, e.getMessage()));
            }
            if (pcm.length > 0) {
                listener.onAudio(pcm);
            }
        }

        @Override
        public void onEnd() {
            short[] tail = decoder.finish();
            if (decoder.samplesOut() == 0) {
                throw new ProviderFailureException(ProviderFailure.of(provider, Kind.EMPTY_AUDIO, null));
            }
            if (tail.length > 0) {
                listener.onAudio(tail);
            }
            listener.onDone();
            onClosed.run();
        }

        @Override
        public void onFailure(ProviderFailure failure) {
            ProviderFailureListener.deliver(listener, failure, listener::onError);
            onClosed.run();
        }
    }
}
