package dev.palaver.server.providers;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.tts.TextToSpeech;

/**
 * An agent's providers for one call, each a resilient fallback chain over the agent's ordered choices.
 * Closing it closes the providers under the chains (their HTTP clients and streams in flight); the shared
 * offline engines and circuit breakers stay.
 *
 * @param stt       speech recognition
 * @param llm       the language model; null for a flow agent without one
 * @param tts       speech synthesis
 * @param providers the providers under the chains, closed by {@link #close()}
 */
public record VoiceStack(SpeechToText stt, LanguageModel llm, TextToSpeech tts, List<AutoCloseable> providers)
        implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VoiceStack.class);

    public VoiceStack {
        Objects.requireNonNull(stt, "stt");
        Objects.requireNonNull(tts, "tts");
        providers = List.copyOf(providers);
    }

    /** The language model, absent for a flow agent without one. */
    public Optional<LanguageModel> languageModel() {
        return Optional.ofNullable(llm);
    }

    @Override
    public void close() {
        closeAll(providers);
    }

    /** An agent's language model alone ({@code llm} null when it has none); closing releases its providers. */
    public record LanguageModelOnly(LanguageModel llm, List<AutoCloseable> providers) implements AutoCloseable {
        public LanguageModelOnly {
            providers = List.copyOf(providers);
        }

        @Override
        public void close() {
            closeAll(providers);
        }
    }

    static void closeAll(List<AutoCloseable> providers) {
        for (AutoCloseable provider : providers) {
            try {
                provider.close();
            } catch (Exception e) {
                log.warn("Closing a provider failed: {}", e.toString());
            }
        }
    }
}
