package dev.palaver.media.call;

import java.time.Duration;

/**
 * Latency of one caller turn, measured from the end of the caller's speech. A value is null when the
 * turn had no such step (keyed input has no speech recognition; a reply cut off early has no audio).
 *
 * @param turn                1-based caller turn number
 * @param endpointingDelay    end of speech → turn decided
 * @param sttFinalLatency     end of speech signalled to the recogniser → its final transcript
 * @param llmTimeToFirstToken first request → first token
 * @param ttsTimeToFirstByte  first synthesis request → first audio
 * @param firstAudioOut       end of speech → first reply frame sent to the caller
 * @param providerTime        the part of firstAudioOut spent waiting on the endpointing delay, the
 *                            recogniser, the model, tools and synthesis
 * @param platformOverhead    firstAudioOut − providerTime: the engine's own time on the critical path
 */
public record TurnMetrics(
        int turn,
        Duration endpointingDelay,
        Duration sttFinalLatency,
        Duration llmTimeToFirstToken,
        Duration ttsTimeToFirstByte,
        Duration firstAudioOut,
        Duration providerTime,
        Duration platformOverhead) {
}
