package dev.palaver.server.webvoice;

import java.util.Arrays;
import java.util.function.Consumer;

import dev.palaver.media.tts.TextToSpeech;

/**
 * Synthesis as a browser call uses it: tells {@code onText} what is about to be said (the agent's caption),
 * and hands audio on in as few pieces as it arrives in bursts. Engines that synthesize a whole sentence at
 * once (flite) deliver hundreds of 20 ms chunks in one burst, more events than a call's mailbox holds; here a
 * burst becomes a few large pieces, while audio that streams in arrives as promptly as before (each piece is
 * handed on from a virtual thread started by its first chunk). Order is kept: {@code onDone} follows all audio.
 */
final class CoalescingTextToSpeech implements TextToSpeech {

    private final TextToSpeech inner;
    private final Consumer<String> onText;

    CoalescingTextToSpeech(TextToSpeech inner, Consumer<String> onText) {
        this.inner = inner;
        this.onText = onText;
    }

    @Override
    public Synthesis synthesize(String text, Listener listener) {
        onText.accept(text);
        Batches batches = new Batches(listener);
        Synthesis synthesis = inner.synthesize(text, batches);
        return () -> {
            batches.close();
            synthesis.close();
        };
    }

    private static final class Batches implements Listener {
        private final Listener out;
        private short[] pending = new short[0];
        private int length;
        private boolean scheduled;
        private boolean closed;

        Batches(Listener out) {
            this.out = out;
        }

        @Override
        public void onAudio(short[] pcm) {
            boolean schedule;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (length + pcm.length > pending.length) {
                    pending = Arrays.copyOf(pending, Math.max(length + pcm.length, pending.length * 2));
                }
                System.arraycopy(pcm, 0, pending, length, pcm.length);
                length += pcm.length;
                schedule = !scheduled;
                scheduled = true;
            }
            if (schedule) {
                Thread.ofVirtual().name("webvoice-tts-batch").start(this::flush);
            }
        }

        private synchronized void flush() {
            scheduled = false;
            flushLocked();
        }

        private void flushLocked() {
            if (closed || length == 0) {
                return;
            }
            short[] piece = Arrays.copyOf(pending, length);
            length = 0;
            out.onAudio(piece);
        }

        @Override
        public synchronized void onDone() {
            flushLocked();
            if (!closed) {
                closed = true;
                out.onDone();
            }
        }

        @Override
        public synchronized void onError(String message) {
            if (!closed) {
                closed = true;
                out.onError(message);
            }
        }

        synchronized void close() {
            closed = true;
        }
    }
}
