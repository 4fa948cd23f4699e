package dev.palaver.providers.offline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * One native {@code ps_decoder_t} with its own audio buffer. Not thread-safe: the pool hands it to one
 * utterance at a time, and the hand-over (a lock) orders its use across threads.
 *
 * <p>Each utterance starts from a cepstral mean the caller chooses: the acoustic model's initial one, or the
 * one a {@link PocketsphinxChannel}'s previous utterance ended with. In streaming mode sphinxbase normalizes
 * with a running mean that it only updates at the end of an utterance (or after 8 s) and otherwise carries
 * over, so without setting it a transcript would depend on what the pooled decoder heard before, possibly
 * from another caller. The front end's noise estimate carries over the same way; it is reset with a new
 * stream for every utterance.
 */
// Calling C is what this class is for; the JVM runs with --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
final class PocketsphinxDecoder {
    /** Audio is copied into native memory this many samples at a time. */
    static final int BUFFER_SAMPLES = 4_096;

    // Offsets in sphinxbase 5prealpha's feat_t and cmn_t (x86-64, from sphinxbase/feat.h and cmn.h).
    private static final long FEAT_CEPSIZE = 16;
    private static final long FEAT_CMN_STRUCT = 88;
    private static final long FEAT_SIZE = 96;
    private static final long CMN_VECLEN = 28;
    private static final long CMN_SIZE = 32;
    /** The en-us model's cepstrum: 13 coefficients. */
    private static final int CEPSTRUM_LENGTH = 13;

    private final PocketsphinxRecognizer.Functions functions;
    private final Arena arena;
    private final MemorySegment decoder;
    private final MemorySegment buffer;
    private final MemorySegment score;
    private final MemorySegment cepstralMean;
    private final MemorySegment meanBuffer;
    private final float[] initialMean;

    /** Takes a fresh decoder, before its first utterance, so its cepstral mean is still the model's. */
    PocketsphinxDecoder(PocketsphinxRecognizer.Functions functions, Arena arena, MemorySegment decoder) {
        this.functions = functions;
        this.arena = arena;
        this.decoder = decoder;
        this.buffer = arena.allocate(ValueLayout.JAVA_SHORT, BUFFER_SAMPLES);
        this.score = arena.allocate(ValueLayout.JAVA_INT);
        this.cepstralMean = cepstralMean(functions, decoder);
        this.meanBuffer = arena.allocate(ValueLayout.JAVA_FLOAT, CEPSTRUM_LENGTH);
        this.initialMean = mean();
    }

    /** Starts an utterance normalized from {@code mean}, or from the model's initial mean if null. */
    void start(float[] mean) {
        MemorySegment.copy(mean == null ? initialMean : mean, 0, meanBuffer, ValueLayout.JAVA_FLOAT, 0,
                CEPSTRUM_LENGTH);
        try {
            functions.setCepstralMean().invokeExact(cepstralMean, meanBuffer);
        } catch (Throwable e) {
            throw new IllegalStateException("cmn_live_set failed", e);
        }
        check("ps_start_stream", call(functions.startStream()));
        check("ps_start_utt", call(functions.startUtterance()));
    }

    /** The running cepstral mean: after {@link #end}, updated with the utterance just heard. */
    float[] mean() {
        try {
            functions.getCepstralMean().invokeExact(cepstralMean, meanBuffer);
        } catch (Throwable e) {
            throw new IllegalStateException("cmn_live_get failed", e);
        }
        return meanBuffer.toArray(ValueLayout.JAVA_FLOAT);
    }

    void process(short[] samples, int offset, int length) {
        for (int done = 0; done < length; ) {
            int chunk = Math.min(BUFFER_SAMPLES, length - done);
            MemorySegment.copy(samples, offset + done, buffer, ValueLayout.JAVA_SHORT, 0, chunk);
            int frames;
            try {
                // no_search = 0: decode as audio arrives; full_utt = 0: more audio may follow.
                frames = (int) functions.processRaw().invokeExact(decoder, buffer, (long) chunk, 0, 0);
            } catch (Throwable e) {
                throw new IllegalStateException("ps_process_raw failed", e);
            }
            check("ps_process_raw", frames);
            done += chunk;
        }
    }

    void end() {
        check("ps_end_utt", call(functions.endUtterance()));
    }

    /** The best hypothesis so far (partial during an utterance, final after {@link #end}); empty if none. */
    String hypothesis() {
        MemorySegment text;
        try {
            text = (MemorySegment) functions.hypothesis().invokeExact(decoder, score);
        } catch (Throwable e) {
            throw new IllegalStateException("ps_get_hyp failed", e);
        }
        // The string belongs to the decoder and changes with it: copy it now.
        return text.equals(MemorySegment.NULL) ? "" : text.reinterpret(Integer.MAX_VALUE).getString(0).strip();
    }

    /** Frees the native decoder and its buffers. */
    void free() {
        try {
            int references = (int) functions.free().invokeExact(decoder);
        } catch (Throwable e) {
            throw new IllegalStateException("ps_free failed", e);
        } finally {
            arena.close();
        }
    }

    /**
     * The decoder's {@code cmn_t}, reached through its {@code feat_t}. The structure has no accessor, so its
     * layout is checked against what the en-us model must give before anything is written through it.
     */
    private static MemorySegment cepstralMean(PocketsphinxRecognizer.Functions functions, MemorySegment decoder) {
        MemorySegment features;
        try {
            features = (MemorySegment) functions.features().invokeExact(decoder);
        } catch (Throwable e) {
            throw new IllegalStateException("ps_get_feat failed", e);
        }
        if (features.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("pocketsphinx decoder has no feature computation");
        }
        features = features.reinterpret(FEAT_SIZE);
        int cepstrum = features.get(ValueLayout.JAVA_INT, FEAT_CEPSIZE);
        if (cepstrum != CEPSTRUM_LENGTH) {
            throw new IllegalStateException("unexpected sphinxbase feat_t layout: cepstrum size " + cepstrum);
        }
        MemorySegment mean = features.get(ValueLayout.ADDRESS, FEAT_CMN_STRUCT);
        if (mean.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("pocketsphinx decoder runs without cepstral mean normalization");
        }
        int length = mean.reinterpret(CMN_SIZE).get(ValueLayout.JAVA_INT, CMN_VECLEN);
        if (length != CEPSTRUM_LENGTH) {
            throw new IllegalStateException("unexpected sphinxbase cmn_t layout: vector length " + length);
        }
        return mean;
    }

    private int call(MethodHandle function) {
        try {
            return (int) function.invokeExact(decoder);
        } catch (Throwable e) {
            throw new IllegalStateException("pocketsphinx call failed", e);
        }
    }

    private static void check(String function, int result) {
        if (result < 0) {
            throw new IllegalStateException(function + " returned " + result);
        }
    }
}
