package dev.palaver.media.call;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How an agent behaves on a call: what it says unprompted, how it takes turns, and its limits. Build with
 * {@link #builder()}; every value has a default suited to phone calls.
 *
 * @param systemPrompt            the agent's persona and instructions
 * @param firstMessage            said when the call starts; blank to wait for the caller
 * @param vadStartThreshold       speech probability at which a window counts as speech
 * @param vadStopThreshold        speech probability below which a window counts as silence
 * @param minSpeech               speech needed before the caller counts as speaking
 * @param minSilence              silence needed before the caller counts as stopped
 * @param endpointingDelay        silence after the caller's last word before their turn ends (a final
 *                                transcript is needed too)
 * @param interruptionThreshold   caller speech needed to cut the agent off
 * @param ignoreBackchannels      "uh-huh", "okay" and the like do not cut the agent off
 * @param backchannels            the words and phrases that count as backchannels (lower case)
 * @param backchannelMaxDuration  caller speech this long cuts the agent off even before its words are known
 * @param falseInterruptionPolicy what to do when an interruption turns out to hold no words
 * @param falseInterruptionWindow an interruption is false if the caller's speech ends within this time
 *                                of it and no words were recognised
 * @param silenceTimeout          silence while listening before a re-prompt
 * @param maxReprompts            re-prompts before saying goodbye and hanging up
 * @param repromptMessage         said when the caller is silent
 * @param goodbyeMessage          said before hanging up on a silent caller
 * @param maxDuration             the longest a call may last
 * @param maxDurationMessage      said before hanging up at the maximum duration
 * @param providerStallTimeout    a provider stream making no progress this long has stalled
 * @param apologyMessage          said when the agent cannot produce a reply
 * @param notHeardMessage         said when speech recognition fails and there is no fallback
 * @param fillerAfter             thinking this long with nothing playing brings a filler
 * @param fillerMessage           the filler; blank for none
 * @param maxToolRounds           tool-calling rounds allowed in one reply
 * @param maxConsecutiveFailures  provider failures in a row, without a successful reply, before hanging up
 * @param maxHistoryTurns         turns kept verbatim; older ones are folded into the summary
 * @param maxSummaryChars         bound on the running summary
 * @param maxReplyChars           bound on one reply's generated text (and tool arguments)
 * @param maxBufferedAudio        synthesized audio held ahead of playback
 * @param dtmfTimeout             pause after the last key before the keys count as input ("#" ends at once)
 * @param markGrace               wait for a reply's last mark to be reported played before moving on
 * @param mailboxCapacity         events the call's mailbox holds
 */
public record CallSettings(
        String systemPrompt,
        String firstMessage,
        float vadStartThreshold,
        float vadStopThreshold,
        Duration minSpeech,
        Duration minSilence,
        Duration endpointingDelay,
        Duration interruptionThreshold,
        boolean ignoreBackchannels,
        Set<String> backchannels,
        Duration backchannelMaxDuration,
        FalseInterruptionPolicy falseInterruptionPolicy,
        Duration falseInterruptionWindow,
        Duration silenceTimeout,
        int maxReprompts,
        String repromptMessage,
        String goodbyeMessage,
        Duration maxDuration,
        String maxDurationMessage,
        Duration providerStallTimeout,
        String apologyMessage,
        String notHeardMessage,
        Duration fillerAfter,
        String fillerMessage,
        int maxToolRounds,
        int maxConsecutiveFailures,
        int maxHistoryTurns,
        int maxSummaryChars,
        int maxReplyChars,
        Duration maxBufferedAudio,
        Duration dtmfTimeout,
        Duration markGrace,
        int mailboxCapacity) {

    public static final Set<String> DEFAULT_BACKCHANNELS = Set.of(
            "uh-huh", "uh huh", "mm-hmm", "mhm", "mm", "hmm", "okay", "ok", "right", "yeah", "yep", "sure",
            "i see", "got it", "alright");

    public CallSettings {
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        Objects.requireNonNull(firstMessage, "firstMessage");
        backchannels = Set.copyOf(backchannels);
        if (vadStopThreshold > vadStartThreshold) {
            throw new IllegalArgumentException("vadStopThreshold must not exceed vadStartThreshold");
        }
        if (maxToolRounds < 0 || maxHistoryTurns < 1 || maxReprompts < 0 || maxConsecutiveFailures < 1) {
            throw new IllegalArgumentException("limits out of range");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public static final class Builder {
        private String systemPrompt = "You are a helpful voice assistant on a phone call. Answer briefly.";
        private String firstMessage = "Hello! How can I help you today?";
        private float vadStartThreshold = 0.5f;
        private float vadStopThreshold = 0.35f;
        private Duration minSpeech = Duration.ofMillis(60);
        private Duration minSilence = Duration.ofMillis(200);
        private Duration endpointingDelay = Duration.ofMillis(500);
        private Duration interruptionThreshold = Duration.ofMillis(400);
        private boolean ignoreBackchannels = true;
        private Set<String> backchannels = DEFAULT_BACKCHANNELS;
        private Duration backchannelMaxDuration = Duration.ofMillis(1500);
        private FalseInterruptionPolicy falseInterruptionPolicy = FalseInterruptionPolicy.RESUME;
        private Duration falseInterruptionWindow = Duration.ofMillis(1500);
        private Duration silenceTimeout = Duration.ofSeconds(8);
        private int maxReprompts = 2;
        private String repromptMessage = "Are you still there?";
        private String goodbyeMessage = "I'll let you go now. Goodbye!";
        private Duration maxDuration = Duration.ofMinutes(30);
        private String maxDurationMessage = "I'm sorry, we've reached the time limit for this call. Goodbye!";
        private Duration providerStallTimeout = Duration.ofMillis(1500);
        private String apologyMessage = "I'm sorry, I'm having trouble right now. Could you say that again?";
        private String notHeardMessage = "Sorry, I didn't catch that. Could you say it again?";
        private Duration fillerAfter = Duration.ofSeconds(2);
        private String fillerMessage = "One moment, please.";
        private int maxToolRounds = 4;
        private int maxConsecutiveFailures = 3;
        private int maxHistoryTurns = 20;
        private int maxSummaryChars = 2_000;
        private int maxReplyChars = 4_000;
        private Duration maxBufferedAudio = Duration.ofSeconds(10);
        private Duration dtmfTimeout = Duration.ofSeconds(2);
        private Duration markGrace = Duration.ofSeconds(1);
        private int mailboxCapacity = 256;

        private Builder() {
        }

        private Builder(CallSettings s) {
            systemPrompt = s.systemPrompt;
            firstMessage = s.firstMessage;
            vadStartThreshold = s.vadStartThreshold;
            vadStopThreshold = s.vadStopThreshold;
            minSpeech = s.minSpeech;
            minSilence = s.minSilence;
            endpointingDelay = s.endpointingDelay;
            interruptionThreshold = s.interruptionThreshold;
            ignoreBackchannels = s.ignoreBackchannels;
            backchannels = s.backchannels;
            backchannelMaxDuration = s.backchannelMaxDuration;
            falseInterruptionPolicy = s.falseInterruptionPolicy;
            falseInterruptionWindow = s.falseInterruptionWindow;
            silenceTimeout = s.silenceTimeout;
            maxReprompts = s.maxReprompts;
            repromptMessage = s.repromptMessage;
            goodbyeMessage = s.goodbyeMessage;
            maxDuration = s.maxDuration;
            maxDurationMessage = s.maxDurationMessage;
            providerStallTimeout = s.providerStallTimeout;
            apologyMessage = s.apologyMessage;
            notHeardMessage = s.notHeardMessage;
            fillerAfter = s.fillerAfter;
            fillerMessage = s.fillerMessage;
            maxToolRounds = s.maxToolRounds;
            maxConsecutiveFailures = s.maxConsecutiveFailures;
            maxHistoryTurns = s.maxHistoryTurns;
            maxSummaryChars = s.maxSummaryChars;
            maxReplyChars = s.maxReplyChars;
            maxBufferedAudio = s.maxBufferedAudio;
            dtmfTimeout = s.dtmfTimeout;
            markGrace = s.markGrace;
            mailboxCapacity = s.mailboxCapacity;
        }

        public Builder systemPrompt(String v) { systemPrompt = v; return this; }
        public Builder firstMessage(String v) { firstMessage = v; return this; }
        public Builder vadThresholds(float start, float stop) { vadStartThreshold = start; vadStopThreshold = stop; return this; }
        public Builder minSpeech(Duration v) { minSpeech = v; return this; }
        public Builder minSilence(Duration v) { minSilence = v; return this; }
        public Builder endpointingDelay(Duration v) { endpointingDelay = v; return this; }
        public Builder interruptionThreshold(Duration v) { interruptionThreshold = v; return this; }
        public Builder ignoreBackchannels(boolean v) { ignoreBackchannels = v; return this; }
        public Builder backchannels(Set<String> v) { backchannels = v; return this; }
        public Builder backchannelMaxDuration(Duration v) { backchannelMaxDuration = v; return this; }
        public Builder falseInterruptionPolicy(FalseInterruptionPolicy v) { falseInterruptionPolicy = v; return this; }
        public Builder falseInterruptionWindow(Duration v) { falseInterruptionWindow = v; return this; }
        public Builder silenceTimeout(Duration v) { silenceTimeout = v; return this; }
        public Builder maxReprompts(int v) { maxReprompts = v; return this; }
        public Builder repromptMessage(String v) { repromptMessage = v; return this; }
        public Builder goodbyeMessage(String v) { goodbyeMessage = v; return this; }
        public Builder maxDuration(Duration v) { maxDuration = v; return this; }
        public Builder maxDurationMessage(String v) { maxDurationMessage = v; return this; }
        public Builder providerStallTimeout(Duration v) { providerStallTimeout = v; return this; }
        public Builder apologyMessage(String v) { apologyMessage = v; return this; }
        public Builder notHeardMessage(String v) { notHeardMessage = v; return this; }
        public Builder fillerAfter(Duration v) { fillerAfter = v; return this; }
        public Builder fillerMessage(String v) { fillerMessage = v; return this; }
        public Builder maxToolRounds(int v) { maxToolRounds = v; return this; }
        public Builder maxConsecutiveFailures(int v) { maxConsecutiveFailures = v; return this; }
        public Builder maxHistoryTurns(int v) { maxHistoryTurns = v; return this; }
        public Builder maxSummaryChars(int v) { maxSummaryChars = v; return this; }
        public Builder maxReplyChars(int v) { maxReplyChars = v; return this; }
        public Builder maxBufferedAudio(Duration v) { maxBufferedAudio = v; return this; }
        public Builder dtmfTimeout(Duration v) { dtmfTimeout = v; return this; }
        public Builder markGrace(Duration v) { markGrace = v; return this; }
        public Builder mailboxCapacity(int v) { mailboxCapacity = v; return this; }

        public CallSettings build() {
            return new CallSettings(systemPrompt, firstMessage, vadStartThreshold, vadStopThreshold, minSpeech,
                    minSilence, endpointingDelay, interruptionThreshold, ignoreBackchannels, backchannels,
                    backchannelMaxDuration, falseInterruptionPolicy, falseInterruptionWindow, silenceTimeout,
                    maxReprompts, repromptMessage, goodbyeMessage, maxDuration, maxDurationMessage,
                    providerStallTimeout, apologyMessage, notHeardMessage, fillerAfter, fillerMessage,
                    maxToolRounds, maxConsecutiveFailures, maxHistoryTurns, maxSummaryChars, maxReplyChars,
                    maxBufferedAudio, dtmfTimeout, markGrace, mailboxCapacity);
        }
    }
}
