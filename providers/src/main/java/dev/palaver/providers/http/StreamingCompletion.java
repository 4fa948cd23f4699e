package dev.palaver.providers.http;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolCall;
import java.nio.ByteBuffer;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A streamed chat completion over server-sent events: the shared half of the OpenAI-compatible and
 * Anthropic streams. Subclasses turn events into text and tool calls; this class guarantees the listener
 * contract: calls in order, exactly one of {@code onDone} / {@code onError} (or
 * {@link ProviderFailure.Receiver#onFailure}), nothing after it or after {@link #close()}.
 */
public abstract class StreamingCompletion implements HttpExchange.Handler, LanguageModel.Stream {

    private static final int MAX_EVENT_BYTES = 1 << 20;

    protected final String provider;
    private final LanguageModel.Listener listener;
    private final SseParser parser = new SseParser(MAX_EVENT_BYTES);
    private HttpExchange exchange;
    private long bytes;
    /** Set by the terminal call or by close(); checked before every listener call. */
    private volatile boolean ended;

    protected StreamingCompletion(String provider, LanguageModel.Listener listener) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Binds the exchange this completion reads; call before starting it. */
    public final void attach(HttpExchange exchange) {
        this.exchange = exchange;
    }

    /** One event of the stream. Throw a {@link ProviderException} to fail the completion. */
    protected abstract void onEvent(SseEvent event);

    /** The body ended cleanly without the end marker: call {@link #done()} or throw. */
    protected abstract void onStreamEnd();

    protected final void text(String delta) {
        if (!ended && delta != null && !delta.isEmpty()) {
            listener.onText(delta);
        }
    }

    protected final void toolCall(ToolCall call) {
        if (!ended) {
            listener.onToolCall(call);
        }
    }

    /** The completion ended normally. */
    protected final void done() {
        if (ended) {
            return;
        }
        ended = true;
        if (exchange != null) {
            exchange.finish();
        }
        listener.onDone();
    }

    protected final ProviderException malformed(String what) {
        return new ProviderException(ProviderFailure.Kind.MALFORMED, provider + ": " + what);
    }

    protected final ProviderException truncated() {
        return new ProviderException(ProviderFailure.Kind.TRUNCATED,
                provider + ": the stream ended before its end marker");
    }

    /** The event's data as a JSON object, or a MALFORMED failure. */
    protected final JsonNode parseObject(SseEvent event) {
        JsonNode node = Json.tryParse(event.data());
        if (node == null || !node.isObject()) {
            throw malformed("an event of the stream is not a JSON object");
        }
        return node;
    }

    @Override
    public final void onBody(ByteBuffer buffer) {
        bytes += buffer.remaining();
        parser.feed(buffer, this::dispatch);
    }

    @Override
    public final void onEnd() {
        if (ended) {
            return;
        }
        if (bytes == 0) {
            throw new ProviderException(ProviderFailure.Kind.EMPTY, provider + ": empty response");
        }
        if (parser.events() == 0) {
            throw malformed("the response is not an event stream");
        }
        onStreamEnd();
    }

    @Override
    public final void onFailure(ProviderFailure failure) {
        if (ended) {
            return;
        }
        ended = true;
        deliverFailure(listener, failure);
    }

    /** Stops the completion; no listener call follows. */
    @Override
    public final void close() {
        // Also stops the rest of a buffer being parsed when close() comes from inside a listener call.
        ended = true;
        if (exchange != null) {
            exchange.cancel();
        }
    }

    private void dispatch(SseEvent event) {
        if (!ended) {
            onEvent(event);
        }
    }

    /** Reports {@code failure} as the terminal call: classified if the listener can take it, else as text. */
    public static void deliverFailure(LanguageModel.Listener listener, ProviderFailure failure) {
        ProviderFailure.Receiver.deliver(listener, failure, listener::onError);
    }

    /** A stream that failed before any request was sent; closing it does nothing. */
    public static LanguageModel.Stream failed(LanguageModel.Listener listener, ProviderFailure failure) {
        deliverFailure(listener, failure);
        return () -> { };
    }
}
