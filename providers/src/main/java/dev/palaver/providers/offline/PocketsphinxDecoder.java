package dev.palaver.providers.offline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * One native {@code ps_decoder_t} with its own audio buffer. Not thread-safe: the pool hands it to one
 * utterance at a time, and the hand-over (a lock) orders its use across threads.
 */
final class PocketsphinxDecoder {
    /** Audio is copied into native memory this many samples at a time. */
    static final int BUFFER_SAMPLES = 4_096;

    private final PocketsphinxRecognizer.Functions functions;
    private final Arena arena;
    private final MemorySegment decoder;
    private final MemorySegment buffer;
    private final MemorySegment score;

    PocketsphinxDecoder(PocketsphinxRecognizer.Functions functions, Arena arena, MemorySegment decoder) {
        this.functions = functions;
        this.arena = arena;
        this.decoder = decoder;
        this.buffer = arena.allocate(ValueLayout.JAVA_SHORT, BUFFER_SAMPLES);
        this.score = arena.allocate(ValueLayout.JAVA_INT);
    }

    void start() {
        check("ps_start_utt", call(functions.startUtterance()));
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
            int ignored = (int) functions.free().invokeExact(decoder);
        } catch (Throwable e) {
            throw new IllegalStateException("ps_free failed", e);
        } finally {
            arena.close();
        }
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
