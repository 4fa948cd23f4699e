package dev.palaver.media.call;

import dev.palaver.media.call.CallEvent.TurnMeasured;
import java.time.Duration;

/**
 * Clock readings along one turn's critical path, turned into {@link TurnMetrics}. Provider waits are
 * measured from the loop sending a request to the provider posting its answer, so time the answer spends
 * in the mailbox, and everything the loop does in between, is counted as the platform's.
 */
final class TurnTiming {

    private static final long UNSET = Long.MIN_VALUE;

    private final int turn;
    private final long speechEnd;
    private final long turnEnd;
    private final long sttFlushAt;
    private final long sttFinalAt;

    private long llmFirstRequest = UNSET;
    private long llmFirstToken = UNSET;
    private long ttsFirstRequest = UNSET;
    private long ttsFirstByte = UNSET;
    private long firstAudio = UNSET;
    private long roundStart = UNSET;
    private long toolsStart = UNSET;
    private long waitedBeforeFirstPiece;
    private boolean firstPiece;

    TurnTiming(int turn, long speechEnd, long turnEnd, long sttFlushAt, long sttFinalAt) {
        this.turn = turn;
        this.speechEnd = speechEnd;
        this.turnEnd = turnEnd;
        this.sttFlushAt = sttFlushAt;
        this.sttFinalAt = sttFinalAt;
    }

    /** Keyed input: no recogniser involved. */
    static TurnTiming keyed(int turn, long lastKey, long now) {
        return new TurnTiming(turn, lastKey, now, UNSET, UNSET);
    }

    void llmRequested(long now) {
        if (llmFirstRequest == UNSET) {
            llmFirstRequest = now;
        }
        if (!firstPiece) {
            roundStart = now;
        }
    }

    void llmProgress(long posted) {
        if (llmFirstToken == UNSET) {
            llmFirstToken = posted;
        }
    }

    /** A model round ended (tool calls, failure) before producing anything to say. */
    void llmRoundEnded(long posted) {
        if (!firstPiece && roundStart != UNSET) {
            waitedBeforeFirstPiece += posted - roundStart;
            roundStart = UNSET;
        }
    }

    /** The model completed the first piece of text worth saying. */
    void pieceReady(long posted) {
        if (!firstPiece) {
            llmRoundEnded(posted);
            firstPiece = true;
        }
    }

    void toolsStarted(long now) {
        if (!firstPiece) {
            toolsStart = now;
        }
    }

    void toolsDone(long posted) {
        if (!firstPiece && toolsStart != UNSET) {
            waitedBeforeFirstPiece += posted - toolsStart;
            toolsStart = UNSET;
        }
    }

    void ttsRequested(long now) {
        if (ttsFirstRequest == UNSET) {
            ttsFirstRequest = now;
        }
    }

    void ttsAudio(long posted) {
        if (ttsFirstByte == UNSET && ttsFirstRequest != UNSET) {
            ttsFirstByte = posted;
        }
    }

    void audioSent(long now) {
        if (firstAudio == UNSET) {
            firstAudio = now;
        }
    }

    TurnMeasured measured(String callId, long atMillis) {
        Duration endpointing = between(speechEnd, turnEnd);
        Duration tts = between(ttsFirstRequest, ttsFirstByte);
        Duration firstAudioOut = between(speechEnd, firstAudio);
        Duration providerTime = null;
        Duration overhead = null;
        if (firstAudioOut != null) {
            providerTime = endpointing.plusNanos(waitedBeforeFirstPiece).plus(tts == null ? Duration.ZERO : tts);
            overhead = firstAudioOut.minus(providerTime);
        }
        return new TurnMeasured(callId, atMillis, new TurnMetrics(turn, endpointing, between(sttFlushAt, sttFinalAt),
                between(llmFirstRequest, llmFirstToken), tts, firstAudioOut, providerTime, overhead));
    }

    private static Duration between(long from, long to) {
        return from == UNSET || to == UNSET ? null : Duration.ofNanos(to - from);
    }
}
