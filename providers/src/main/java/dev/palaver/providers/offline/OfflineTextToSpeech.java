package dev.palaver.providers.offline;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline engines ({@link OfflineSpeech}: flite, else FreeTTS) behind the streaming synthesis SPI. The
 * engines synthesize a whole text at once, so each synthesis runs on a virtual thread of its own and its
 * audio is then handed on in 20 ms chunks, checking before each whether the synthesis was closed; once
 * {@code close()} returns the listener hears nothing more. Closing the provider closes what is in flight and
 * waits (bounded) for the synthesis threads to end.
 */
public final class OfflineTextToSpeech implements TextToSpeech, AutoCloseable {

    static final String PROVIDER = "offline TTS";
    private static final Logger log = LoggerFactory.getLogger(OfflineTextToSpeech.class);
    private static final int CHUNK_SAMPLES = AudioFormat.SAMPLES_PER_FRAME;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final OfflineSpeech speech;
    private final String voice;
    private final Set<Job> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param voice one of {@link OfflineSpeech#voices()}, or null for the default voice */
    public OfflineTextToSpeech(OfflineSpeech speech, String voice) {
        this.speech = Objects.requireNonNull(speech, "speech");
        if (voice != null && !speech.voices().contains(voice)) {
            throw new IllegalArgumentException("unknown voice '" + voice + "'; voices are " + speech.voices());
        }
        this.voice = voice;
    }

    @Override
    public Synthesis synthesize(String text, Listener listener) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException(PROVIDER + " is closed");
        }
        Job job = new Job(text, listener);
        job.thread = Thread.ofVirtual().name("palaver-offline-tts").unstarted(job::run);
        open.add(job);
        job.thread.start();
        return job::close;
    }

    /** Syntheses whose thread has not ended yet (a closed one runs on until its engine call returns). */
    public int inFlight() {
        return open.size();
    }

    /** Closes every synthesis in flight and waits for their threads to end. */
    @Override
    public void close() {
        closed = true;
        List<Job> jobs = List.copyOf(open);
        for (Job job : jobs) {
            job.close();
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Job job : jobs) {
            try {
                if (!job.thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    log.warn("{}: a synthesis thread did not end within {} ms", PROVIDER, CLOSE_WAIT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Job {
        private final String text;
        private final Listener listener;
        private final ReentrantLock delivery = new ReentrantLock();
        private Thread thread;
        /** Closed by the caller or ended; guarded by {@link #delivery}. */
        private boolean over;

        Job(String text, Listener listener) {
            this.text = text;
            this.listener = listener;
        }

        void run() {
            try {
                short[] pcm;
                try {
                    pcm = text.isBlank() ? new short[0] : speech.synthesize(text, voice);
                } catch (IllegalArgumentException e) {
                    fail(ProviderFailure.of(PROVIDER, Kind.BAD_REQUEST, e.getMessage()));
                    return;
                } catch (IllegalStateException e) {
                    fail(ProviderFailure.of(PROVIDER, Kind.CLOSED, null));
                    return;
                } catch (RuntimeException e) {
                    fail(ProviderFailure.of(PROVIDER, Kind.SERVER_ERROR, "synthesis failed (" + e.getClass().getSimpleName() + ")"));
                    return;
                }
                if (pcm.length == 0 && !text.isBlank()) {
                    fail(ProviderFailure.of(PROVIDER, Kind.EMPTY, "no audio for the text"));
                    return;
                }
                for (int at = 0; at < pcm.length; at += CHUNK_SAMPLES) {
                    short[] chunk = Arrays.copyOfRange(pcm, at, Math.min(pcm.length, at + CHUNK_SAMPLES));
                    if (!deliver(() -> listener.onAudio(chunk), false)) {
                        return;
                    }
                }
                deliver(listener::onDone, true);
            } finally {
                open.remove(this);
            }
        }

        private void fail(ProviderFailure failure) {
            deliver(() -> ProviderFailure.Receiver.deliver(listener, failure, listener::onError), true);
        }

        /** Calls the listener unless the synthesis is over; false if it is. */
        private boolean deliver(Runnable call, boolean last) {
            delivery.lock();
            try {
                if (over) {
                    return false;
                }
                over = last;
                call.run();
                return true;
            } catch (RuntimeException e) {
                log.warn("{}: the listener threw {}", PROVIDER, e.getClass().getName());
                over = true;
                return false;
            } finally {
                delivery.unlock();
            }
        }

        void close() {
            delivery.lock();
            try {
                over = true;
            } finally {
                delivery.unlock();
            }
        }
    }
}
