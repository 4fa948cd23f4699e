package dev.palaver.server.calls;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A call running on this node. Every method is safe from any thread, and ending is idempotent: whichever
 * of {@link #hangUp()}, {@link #end(String)}, the transport closing or the agent hanging up comes first
 * ends the call, once.
 */
public interface LiveCall {

    UUID orgId();

    UUID callId();

    /** Ends the call now (no goodbye), recorded as {@code hangup_requested}. */
    void hangUp();

    /**
     * Ends the call now with {@code reason} as its end reason (e.g. {@code caller_hung_up} when the
     * transport knows better than the engine); only the first end counts.
     */
    void end(String reason);

    /** Waits until the call has ended and its record, transcript and recording are final. */
    boolean awaitEnd(Duration timeout) throws InterruptedException;

    /** Completes once the call has ended and its record is final. */
    CompletionStage<EndedCall> ended();

    /** How a call ended. */
    record EndedCall(UUID callId, CallStatus status, String endReason) {
    }
}
