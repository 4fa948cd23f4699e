package dev.palaver.providers.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * How one resilient decorator retries and falls back.
 *
 * @param maxAttempts attempts on one provider (the first and its retries) before the next provider is tried
 * @param initialBackoff wait before the first retry; each later one waits {@code backoffMultiplier} times
 *     longer, up to {@code maxBackoff}, each randomized by {@code jitter} (0.5: anywhere from half to one
 *     and a half times)
 * @param retryBudget how long after the request started a retry may still be begun; a wait (backoff or the
 *     provider's Retry-After) that would end past it moves on to the next provider instead
 * @param firstOutput how long one attempt may take to produce its first output (text, audio, transcript)
 *     before it is abandoned for the next provider; for speech-to-text it runs from the first end of speech
 * @param maxReplay speech-to-text only: audio kept to replay into a fallback until the first transcript
 */
public record ResiliencePolicy(int maxAttempts, Duration initialBackoff, double backoffMultiplier, double jitter,
        Duration maxBackoff, Duration retryBudget, Duration firstOutput, Duration maxReplay) {

    public ResiliencePolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        positive(initialBackoff, "initialBackoff");
        positive(maxBackoff, "maxBackoff");
        positive(firstOutput, "firstOutput");
        positive(maxReplay, "maxReplay");
        Objects.requireNonNull(retryBudget, "retryBudget");
        if (retryBudget.isNegative()) {
            throw new IllegalArgumentException("retryBudget must not be negative");
        }
        if (backoffMultiplier < 1) {
            throw new IllegalArgumentException("backoffMultiplier must be at least 1: " + backoffMultiplier);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
    }

    /** Language models: 3 attempts, 200 ms backoff doubling, 2 s retry budget, first token within 4 s. */
    public static ResiliencePolicy languageModel() {
        return new ResiliencePolicy(3, Duration.ofMillis(200), 2, 0.5, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(30));
    }

    /** Speech synthesis: 3 attempts, 150 ms backoff doubling, 1.5 s retry budget, first audio within 2.5 s. */
    public static ResiliencePolicy textToSpeech() {
        return new ResiliencePolicy(3, Duration.ofMillis(150), 2, 0.5, Duration.ofSeconds(1),
                Duration.ofMillis(1500), Duration.ofMillis(2500), Duration.ofSeconds(30));
    }

    /** Recognition: 2 attempts, 200 ms backoff, 2 s retry budget, a transcript within 3 s of speech ending. */
    public static ResiliencePolicy speechToText() {
        return new ResiliencePolicy(2, Duration.ofMillis(200), 2, 0.5, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(30));
    }

    public ResiliencePolicy withMaxAttempts(int v) {
        return new ResiliencePolicy(v, initialBackoff, backoffMultiplier, jitter, maxBackoff, retryBudget, firstOutput,
                maxReplay);
    }

    public ResiliencePolicy withBackoff(Duration initial, double multiplier, double jitterFactor) {
        return new ResiliencePolicy(maxAttempts, initial, multiplier, jitterFactor, maxBackoff, retryBudget,
                firstOutput, maxReplay);
    }

    public ResiliencePolicy withRetryBudget(Duration v) {
        return new ResiliencePolicy(maxAttempts, initialBackoff, backoffMultiplier, jitter, maxBackoff, v, firstOutput,
                maxReplay);
    }

    public ResiliencePolicy withFirstOutput(Duration v) {
        return new ResiliencePolicy(maxAttempts, initialBackoff, backoffMultiplier, jitter, maxBackoff, retryBudget, v,
                maxReplay);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
