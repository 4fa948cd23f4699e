package dev.palaver.media.call;

import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolResult;

/**
 * Everything that happens to a call, as it arrives in the call's mailbox. Provider and transport events
 * carry the id of the stream that produced them, so events from a stream the call has since closed or
 * replaced are recognised and dropped.
 */
sealed interface SessionEvent {

    record Start() implements SessionEvent {
    }

    record AudioReceived(short[] frame) implements SessionEvent {
    }

    /** Produced by the call's own turn detector from inbound audio. */
    record SpeechStarted(long onsetNanos) implements SessionEvent {
    }

    /** Produced by the call's own turn detector; {@code silenceOnsetNanos} is when the silence began. */
    record SpeechStopped(long silenceOnsetNanos) implements SessionEvent {
    }

    record TranscriptPartial(long stream, String text) implements SessionEvent {
    }

    record TranscriptFinal(long stream, String text, boolean flushed) implements SessionEvent {
    }

    record SttFailed(long stream, String message) implements SessionEvent {
    }

    record LlmText(long stream, String text) implements SessionEvent {
    }

    record LlmToolCall(long stream, ToolCall call) implements SessionEvent {
    }

    record LlmDone(long stream) implements SessionEvent {
    }

    record LlmFailed(long stream, String message) implements SessionEvent {
    }

    record ToolFinished(long reply, String toolCallId, ToolResult result) implements SessionEvent {
    }

    /** Synthesized audio; pieces that arrive while it waits in the mailbox join it (see {@link PendingAudio}). */
    record TtsAudio(long stream, PendingAudio audio) implements SessionEvent {
    }

    record TtsDone(long stream) implements SessionEvent {
    }

    record TtsFailed(long stream, String message) implements SessionEvent {
    }

    record MarkPlayed(String name) implements SessionEvent {
    }

    record DtmfReceived(char digit) implements SessionEvent {
    }

    record TimerFired(TimerKind kind, String name, long token) implements SessionEvent {
    }

    record HangUpRequested() implements SessionEvent {
    }

    record TransportClosed() implements SessionEvent {
    }

    record SummaryText(long stream, String text) implements SessionEvent {
    }

    record SummaryDone(long stream) implements SessionEvent {
    }

    record SummaryFailed(long stream, String message) implements SessionEvent {
    }
}
