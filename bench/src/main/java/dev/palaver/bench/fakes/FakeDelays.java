package dev.palaver.bench.fakes;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fake providers' timing. Each delay is fixed unless {@code lognormalSigma} is positive, in which case
 * each draw is log-normal with the fixed value as its median (cloud providers' latencies are right-skewed
 * like that). The call simulator subtracts the fixed values from the turn time, so the platform-overhead
 * figures are only exact with fixed delays.
 *
 * @param sttFinal        digital silence after speech → the final transcript (Deepgram-style endpointing)
 * @param sttPartialAfter speech heard (audio time) before the first interim transcript with words
 * @param llmFirstToken   request → the first chunk (a whole sentence)
 * @param llmPerToken     gap between later chunks (one word each)
 * @param ttsFirstByte    request → the first audio bytes
 * @param ttsMillisPerChar audio length per character of text
 * @param lognormalSigma  0 for fixed delays; otherwise the log-normal shape
 */
public record FakeDelays(Duration sttFinal, Duration sttPartialAfter, Duration llmFirstToken, Duration llmPerToken,
        Duration ttsFirstByte, int ttsMillisPerChar, double lognormalSigma) {

    public static final FakeDelays DEFAULT = new FakeDelays(Duration.ofMillis(150), Duration.ofMillis(500),
            Duration.ofMillis(250), Duration.ofMillis(15), Duration.ofMillis(120), 55, 0);

    public FakeDelays {
        for (Duration d : List.of(sttFinal, sttPartialAfter, llmFirstToken, llmPerToken, ttsFirstByte)) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a delay is negative: " + d);
            }
        }
        if (ttsMillisPerChar <= 0 || lognormalSigma < 0) {
            throw new IllegalArgumentException("ttsMillisPerChar must be positive and sigma not negative");
        }
    }

    /** One draw of {@code median}: itself when delays are fixed. */
    public long drawNanos(Duration median) {
        return draw(median, ThreadLocalRandom.current());
    }

    long draw(Duration median, Random random) {
        if (lognormalSigma == 0) {
            return median.toNanos();
        }
        return Math.round(median.toNanos() * Math.exp(lognormalSigma * random.nextGaussian()));
    }

    /** Parses {@code --stt-final-ms N --stt-partial-ms N --llm-ttft-ms N --llm-token-ms N --tts-ttfb-ms N --tts-ms-per-char N --lognormal-sigma S}; other arguments are skipped. */
    public static FakeDelays parse(List<String> args) {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            if (isDelay(args.get(i))) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(args.get(i) + " needs a value");
                }
                v.put(args.get(i), args.get(++i));
            }
        }
        FakeDelays d = DEFAULT;
        return new FakeDelays(ms(v, "--stt-final-ms", d.sttFinal), ms(v, "--stt-partial-ms", d.sttPartialAfter),
                ms(v, "--llm-ttft-ms", d.llmFirstToken), ms(v, "--llm-token-ms", d.llmPerToken),
                ms(v, "--tts-ttfb-ms", d.ttsFirstByte),
                Integer.parseInt(v.getOrDefault("--tts-ms-per-char", Integer.toString(d.ttsMillisPerChar))),
                Double.parseDouble(v.getOrDefault("--lognormal-sigma", Double.toString(d.lognormalSigma))));
    }


    static boolean isDelay(String name) {
        return switch (name) {
            case "--stt-final-ms", "--stt-partial-ms", "--llm-ttft-ms", "--llm-token-ms", "--tts-ttfb-ms",
                 "--tts-ms-per-char", "--lognormal-sigma" -> true;
            default -> false;
        };
    }

    private static Duration ms(Map<String, String> values, String name, Duration absent) {
        String v = values.get(name);
        return v == null ? absent : Duration.ofMillis(Long.parseLong(v));
    }
}
