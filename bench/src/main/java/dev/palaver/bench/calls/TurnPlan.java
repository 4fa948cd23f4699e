package dev.palaver.bench.calls;

import dev.palaver.bench.fakes.FakeDelays;

/**
 * How the simulated callers behave and what the providers are known to take.
 *
 * @param endpointingMs     the agent's endpointing delay (silence after the last word before its turn ends)
 * @param delays            the fake providers' fixed delays
 * @param bargeInEvery      every this many turns the caller interrupts the agent's answer
 * @param bargeInAfterMs    how long into the agent's answer the interruption starts
 * @param pauseMs           the caller's pause after the agent finishes, before speaking again
 * @param replyTimeoutMs    no answer within this after the caller's last word counts as an error
 */
public record TurnPlan(int endpointingMs, FakeDelays delays, int bargeInEvery, int bargeInAfterMs, int pauseMs,
        int replyTimeoutMs) {

    static final long FRAME_NANOS = 20_000_000L;

    public static TurnPlan standard(int endpointingMs, FakeDelays delays) {
        return new TurnPlan(endpointingMs, delays, 3, 700, 300, 5_000);
    }

    /**
     * The part of a turn that is not the platform's: the endpointing silence (or the STT's final, if that
     * comes later), the model's time to first token and the synthesis' time to first byte.
     */
    public double providerAndEndpointingMillis() {
        return Math.max(endpointingMs, delays.sttFinal().toMillis()) + delays.llmFirstToken().toMillis()
                + delays.ttsFirstByte().toMillis();
    }

    /**
     * Frames of an interruption after which the fake STT sends words: the interruption's last condition. The
     * clear is timed from the moment the frame completing them was sent.
     */
    public int bargeInDecisionFrames() {
        return (int) Math.ceil(delays.sttPartialAfter().toNanos() / (double) FRAME_NANOS);
    }
}
