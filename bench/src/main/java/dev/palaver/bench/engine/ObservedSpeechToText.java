package dev.palaver.bench.engine;

import dev.palaver.media.stt.SpeechToText;

/**
 * Wraps a recogniser to see what passes through it: counts the frames the call pushes and notes when
 * the last final transcript was handed to the call (just before the call stamps it in its mailbox).
 */
final class ObservedSpeechToText implements SpeechToText {

    private final SpeechToText delegate;
    private volatile long framesPushed;
    private volatile long lastFinalNanos;

    ObservedSpeechToText(SpeechToText delegate) {
        this.delegate = delegate;
    }

    @Override
    public Stream open(Listener listener) {
        Stream stream = delegate.open(new Listener() {
            @Override
            public void onPartial(String text) {
                listener.onPartial(text);
            }

            @Override
            public void onFinal(String text, boolean flushed) {
                lastFinalNanos = System.nanoTime();
                listener.onFinal(text, flushed);
            }

            @Override
            public void onError(String message) {
                listener.onError(message);
            }
        });
        return new Stream() {
            @Override
            public void push(short[] frame) {
                stream.push(frame);
                // One writer (the call's loop): a plain increment of the volatile is safe.
                framesPushed = framesPushed + 1;
            }

            @Override
            public void endOfSpeech() {
                stream.endOfSpeech();
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }

    long framesPushed() {
        return framesPushed;
    }

    long lastFinalNanos() {
        return lastFinalNanos;
    }
}
