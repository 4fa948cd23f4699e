package dev.palaver.server.webvoice;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Whole-clip recognition and synthesis over the engine's streaming interfaces, for the turn API: the clip
 * is pushed frame by frame and ended with {@code endOfSpeech}, whose flushed final is the transcript; a reply
 * is synthesized to the end. Both wait at most {@code timeout}.
 */
final class Transcription {

    /** Synthesized replies longer than this are cut (a runaway reply must not fill memory). */
    static final int MAX_REPLY_SAMPLES = 120 * AudioFormat.SAMPLE_RATE;

    private Transcription() {
    }

    static String recognize(SpeechToText stt, short[] samples, Duration timeout) {
        var finished = new CompletableFuture<String>();
        var text = new StringBuilder();
        try (SpeechToText.Stream stream = stt.open(new SpeechToText.Listener() {
            @Override
            public void onPartial(String partial) {
            }

            @Override
            public void onFinal(String settled, boolean flushed) {
                synchronized (text) {
                    if (!settled.isBlank()) {
                        text.append(text.isEmpty() ? "" : " ").append(settled.strip());
                    }
                }
                if (flushed) {
                    synchronized (text) {
                        finished.complete(text.toString());
                    }
                }
            }

            @Override
            public void onError(String message) {
                finished.completeExceptionally(new IllegalStateException(message));
            }
        })) {
            int frame = AudioFormat.SAMPLES_PER_FRAME;
            for (int at = 0; at < samples.length; at += frame) {
                stream.push(Arrays.copyOfRange(samples, at, Math.min(samples.length, at + frame)));
            }
            stream.endOfSpeech();
            return await(finished, timeout, "Speech recognition");
        }
    }

    static short[] synthesize(TextToSpeech tts, String text, Duration timeout) {
        var finished = new CompletableFuture<short[]>();
        var audio = new Object() {
            short[] samples = new short[0];
            int length;
        };
        try (TextToSpeech.Synthesis ignored = tts.synthesize(text, new TextToSpeech.Listener() {
            @Override
            public void onAudio(short[] pcm) {
                synchronized (audio) {
                    int room = MAX_REPLY_SAMPLES - audio.length;
                    int take = Math.min(room, pcm.length);
                    if (audio.length + take > audio.samples.length) {
                        audio.samples = Arrays.copyOf(audio.samples, Math.max(audio.length + take, audio.samples.length * 2));
                    }
                    System.arraycopy(pcm, 0, audio.samples, audio.length, take);
                    audio.length += take;
                }
            }

            @Override
            public void onDone() {
                synchronized (audio) {
                    finished.complete(Arrays.copyOf(audio.samples, audio.length));
                }
            }

            @Override
            public void onError(String message) {
                finished.completeExceptionally(new IllegalStateException(message));
            }
        })) {
            return await(finished, timeout, "Speech synthesis");
        }
    }

    static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, what + " did not finish within " + timeout.toSeconds() + " s.");
        } catch (ExecutionException e) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, what + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, what + " was interrupted.");
        }
    }
}
