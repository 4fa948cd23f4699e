package dev.palaver.media.llm;

/**
 * A streaming chat model. Listener calls may come from any thread, in order, and must only hand the
 * result on. A stream ends with exactly one of {@link Listener#onDone()} or {@link Listener#onError},
 * unless it is closed first.
 */
public interface LanguageModel {

    /** Starts a completion; returns a handle to stop it. */
    Stream stream(LlmRequest request, Listener listener);

    /** A completion in flight. */
    interface Stream extends AutoCloseable {
        /** Stops the completion and releases it; no listener calls follow. Idempotent. */
        @Override
        void close();
    }

    interface Listener {
        /** The next piece of reply text. */
        void onText(String delta);

        /** A complete tool call (assembled by the provider from its streamed fragments). */
        void onToolCall(ToolCall call);

        /** The completion finished normally. */
        void onDone();

        /** The completion failed; nothing more follows. */
        void onError(String message);
    }
}
