package dev.palaver.media.call;

/**
 * What a call holds right now. After a call ends every count is zero and the loop thread is gone.
 *
 * @param queuedEvents          events waiting in the mailbox
 * @param droppedAudioFrames    inbound frames dropped because the mailbox was nearly full
 * @param bufferedOutputSamples synthesized audio waiting to be sent
 * @param retainedInputSamples  caller audio kept for replay into a fallback recogniser
 * @param openProviderStreams   recognition, model, synthesis and summary streams the call holds open
 * @param pendingToolCalls      tool calls started and not answered
 * @param armedTimers           timers armed
 * @param invalidTransitions    refused state transitions (bugs)
 * @param loopThreadAlive       the call's virtual thread is still running
 */
public record CallDiagnostics(
        CallState state,
        int queuedEvents,
        long droppedAudioFrames,
        long bufferedOutputSamples,
        long retainedInputSamples,
        int openProviderStreams,
        int pendingToolCalls,
        int armedTimers,
        int invalidTransitions,
        boolean loopThreadAlive) {
}
