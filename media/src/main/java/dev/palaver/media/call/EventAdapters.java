package dev.palaver.media.call;

import dev.palaver.media.call.SessionEvent.AudioReceived;
import dev.palaver.media.call.SessionEvent.DtmfReceived;
import dev.palaver.media.call.SessionEvent.LlmDone;
import dev.palaver.media.call.SessionEvent.LlmFailed;
import dev.palaver.media.call.SessionEvent.LlmText;
import dev.palaver.media.call.SessionEvent.LlmToolCall;
import dev.palaver.media.call.SessionEvent.MarkPlayed;
import dev.palaver.media.call.SessionEvent.SttFailed;
import dev.palaver.media.call.SessionEvent.SummaryDone;
import dev.palaver.media.call.SessionEvent.SummaryFailed;
import dev.palaver.media.call.SessionEvent.SummaryText;
import dev.palaver.media.call.SessionEvent.TranscriptFinal;
import dev.palaver.media.call.SessionEvent.TranscriptPartial;
import dev.palaver.media.call.SessionEvent.TransportClosed;
import dev.palaver.media.call.SessionEvent.TtsAudio;
import dev.palaver.media.call.SessionEvent.TtsDone;
import dev.palaver.media.call.SessionEvent.TtsFailed;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.transport.Transport;
import dev.palaver.media.tts.TextToSpeech;
import java.util.function.Predicate;

/**
 * The listeners a call hands to its transport and providers. They run on whatever thread the provider
 * uses and do one thing: post an event, tagged with the id of the stream it came from, to the call's
 * mailbox. They never touch call state.
 */
final class EventAdapters {

    private EventAdapters() {
    }

    record TransportInput(Predicate<SessionEvent> post) implements Transport.Listener {
        @Override
        public void onAudio(short[] frame) {
            post.test(new AudioReceived(frame));
        }

        @Override
        public void onMarkPlayed(String name) {
            post.test(new MarkPlayed(name));
        }

        @Override
        public void onDtmf(char digit) {
            post.test(new DtmfReceived(digit));
        }

        @Override
        public void onClosed() {
            post.test(new TransportClosed());
        }
    }

    record Recognition(long stream, Predicate<SessionEvent> post) implements SpeechToText.Listener {
        @Override
        public void onPartial(String text) {
            post.test(new TranscriptPartial(stream, text));
        }

        @Override
        public void onFinal(String text, boolean flushed) {
            post.test(new TranscriptFinal(stream, text, flushed));
        }

        @Override
        public void onError(String message) {
            post.test(new SttFailed(stream, message));
        }
    }

    record Completion(long stream, Predicate<SessionEvent> post) implements LanguageModel.Listener {
        @Override
        public void onText(String delta) {
            post.test(new LlmText(stream, delta));
        }

        @Override
        public void onToolCall(ToolCall call) {
            post.test(new LlmToolCall(stream, call));
        }

        @Override
        public void onDone() {
            post.test(new LlmDone(stream));
        }

        @Override
        public void onError(String message) {
            post.test(new LlmFailed(stream, message));
        }
    }

    /** A synthesis' listener. Its calls come in order, one at a time; only the audio still in the mailbox is shared. */
    static final class Synthesis implements TextToSpeech.Listener {
        private final long stream;
        private final Predicate<SessionEvent> post;
        private volatile PendingAudio waiting;

        Synthesis(long stream, Predicate<SessionEvent> post) {
            this.stream = stream;
            this.post = post;
        }

        @Override
        public void onAudio(short[] pcm) {
            if (waiting != null && waiting.append(pcm)) {
                return;
            }
            PendingAudio audio = new PendingAudio(pcm);
            waiting = post.test(new TtsAudio(stream, audio)) ? audio : null;
        }

        @Override
        public void onDone() {
            post.test(new TtsDone(stream));
        }

        @Override
        public void onError(String message) {
            post.test(new TtsFailed(stream, message));
        }
    }

    record Summary(long stream, Predicate<SessionEvent> post) implements LanguageModel.Listener {
        @Override
        public void onText(String delta) {
            post.test(new SummaryText(stream, delta));
        }

        @Override
        public void onToolCall(ToolCall call) {
            // A summary request offers no tools.
        }

        @Override
        public void onDone() {
            post.test(new SummaryDone(stream));
        }

        @Override
        public void onError(String message) {
            post.test(new SummaryFailed(stream, message));
        }
    }
}
