package dev.palaver.media.call;

/**
 * What a call reports as it happens, for the platform to persist: {@link CallEventSink} receives these
 * in order from the call's loop. {@code atMillis} is the offset from the start of the call.
 */
public sealed interface CallEvent {

    String callId();

    long atMillis();

    record CallStarted(String callId, long atMillis) implements CallEvent {
    }

    /**
     * One stretch of speech for the transcript: a caller turn, or what the caller heard of one agent reply
     * ({@code interrupted}: the agent was cut off after {@code text}). Offsets are from the call start.
     */
    record TranscriptRecorded(String callId, long atMillis, Speaker speaker, String text, long startMillis,
                              long endMillis, boolean interrupted) implements CallEvent {
    }

    record TurnMeasured(String callId, long atMillis, TurnMetrics metrics) implements CallEvent {
    }

    record ToolCalled(String callId, long atMillis, String toolCallId, String name, String argumentsJson,
                      String result, boolean error, long durationMillis) implements CallEvent {
    }

    /** The caller cut the agent off (by voice or key) after the agent had said {@code heardText}. */
    record CallerInterrupted(String callId, long atMillis, String heardText) implements CallEvent {
    }

    /** Something went wrong that the call survived or ended on; {@code component} is stt, llm, tts, tool or engine. */
    record ErrorOccurred(String callId, long atMillis, String component, String message) implements CallEvent {
    }

    record CallEnded(String callId, long atMillis, EndReason reason) implements CallEvent {
    }

    enum Speaker { CALLER, AGENT }
}
