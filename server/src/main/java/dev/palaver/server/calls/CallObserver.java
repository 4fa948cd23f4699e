package dev.palaver.server.calls;

import dev.palaver.media.call.CallEvent;
import dev.palaver.media.call.CallEventSink;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.tts.TextToSpeech;

/**
 * Watches a running call for a transport that shows it live (a browser's captions and agent state): it may
 * wrap the call's recognition and synthesis to see partial transcripts and the text being spoken, and it
 * sees each event after the call's record has taken it. Every method is called on the call's loop or a
 * provider's thread and must return at once.
 */
public interface CallObserver {

    CallObserver NONE = new CallObserver() {
    };

    /** The recognition the call uses: {@code stt} itself, or a wrapper that watches it. */
    default SpeechToText speechToText(SpeechToText stt) {
        return stt;
    }

    /** The synthesis the call uses: {@code tts} itself, or a wrapper that watches it. */
    default TextToSpeech textToSpeech(TextToSpeech tts) {
        return tts;
    }

    /** One of the call's events, after {@code record} has taken it. */
    default void accept(CallEvent event) {
    }

    /** The sink that records an event and then shows it to this observer (whose failure never loses it). */
    default CallEventSink watching(CallEventSink record) {
        return event -> {
            record.accept(event);
            try {
                accept(event);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(CallObserver.class).warn("A call observer failed: {}", e.toString());
            }
        };
    }
}
