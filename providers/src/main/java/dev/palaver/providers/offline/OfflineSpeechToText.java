package dev.palaver.providers.offline;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pocketsphinx behind the streaming recognition SPI. Each stream has a channel of the recognizer (so its
 * utterances adapt to the caller's line) and a worker virtual thread: pushed audio is queued (bounded) and
 * fed into the current {@link PocketsphinxUtterance} as it arrives, off the caller's thread; at most every
 * {@value #PARTIAL_EVERY_MILLIS} ms of audio the partial hypothesis goes out if it changed;
 * {@code endOfSpeech()} finishes the utterance and its text goes out as the flushed final (empty if no
 * words were heard). An utterance reaching the recognizer's longest is settled as an unflushed final and
 * a new one begins. Once {@code close()} returns the listener hears nothing more; closing the provider
 * closes its streams and waits (bounded) for their workers.
 */
public final class OfflineSpeechToText implements SpeechToText, AutoCloseable {

    static final String PROVIDER = "offline STT";
    static final int PARTIAL_EVERY_MILLIS = 300;
    private static final Logger log = LoggerFactory.getLogger(OfflineSpeechToText.class);
    private static final long PARTIAL_EVERY_SAMPLES = (long) AudioFormat.SAMPLE_RATE * PARTIAL_EVERY_MILLIS / 1000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final PocketsphinxRecognizer recognizer;
    private final long maxUtteranceSamples;
    private final long maxBacklogSamples;
    private final Set<Recognition> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param maxBacklog audio that may wait to be fed before the stream counts as not keeping up */
    public OfflineSpeechToText(PocketsphinxRecognizer recognizer, Duration maxBacklog) {
        this.recognizer = Objects.requireNonNull(recognizer, "recognizer");
        this.maxUtteranceSamples = recognizer.settings().maxUtterance().toMillis() * AudioFormat.SAMPLE_RATE / 1000;
        this.maxBacklogSamples = maxBacklog.toMillis() * AudioFormat.SAMPLE_RATE / 1000;
        if (maxBacklogSamples < AudioFormat.SAMPLES_PER_FRAME) {
            throw new IllegalArgumentException("max backlog must hold at least a frame: " + maxBacklog);
        }
    }

    /** A backlog of 10 s. */
    public OfflineSpeechToText(PocketsphinxRecognizer recognizer) {
        this(recognizer, Duration.ofSeconds(10));
    }

    @Override
    public Stream open(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException(PROVIDER + " is closed");
        }
        Recognition stream = new Recognition(listener);
        open.add(stream);
        return stream;
    }

    /** Streams opened and not yet closed or failed. */
    public int openStreams() {
        return open.size();
    }

    /** Closes every open stream and waits for their workers to end. */
    @Override
    public void close() {
        closed = true;
        List<Recognition> streams = List.copyOf(open);
        for (Recognition s : streams) {
            s.close();
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Recognition s : streams) {
            try {
                if (!s.worker.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn("{}: a recognition worker did not end within {} ms", PROVIDER, CLOSE_WAIT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Recognition implements Stream {
        private final Listener listener;
        private final PocketsphinxChannel channel = recognizer.newChannel();
        private final ExecutorService worker =
                Executors.newSingleThreadExecutor(Thread.ofVirtual().name("palaver-offline-stt").factory());
        private final AtomicLong backlog = new AtomicLong();
        private final ReentrantLock delivery = new ReentrantLock();
        /** Closed or failed; guarded by {@link #delivery}. */
        private boolean over;
        // Confined to the worker.
        private PocketsphinxUtterance utterance;
        private long sinceHypothesis;
        private String lastPartial = "";

        Recognition(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void push(short[] frame) {
            if (backlog.addAndGet(frame.length) > maxBacklogSamples) {
                fail(ProviderFailure.of(PROVIDER, Kind.IDLE_TIMEOUT, "recognition is not keeping up with the audio"));
                return;
            }
            submit(() -> {
                backlog.addAndGet(-frame.length);
                feed(frame);
            });
        }

        @Override
        public void endOfSpeech() {
            submit(() -> {
                String text = utterance == null ? "" : utterance.finish();
                utterance = null;
                sinceHypothesis = 0;
                lastPartial = "";
                deliver(() -> listener.onFinal(text, true));
            });
        }

        @Override
        public void close() {
            delivery.lock();
            try {
                over = true;
            } finally {
                delivery.unlock();
            }
            end();
        }

        private void feed(short[] frame) {
            if (utterance != null && utterance.samples() + frame.length > maxUtteranceSamples) {
                String text = utterance.finish();
                utterance = null;
                if (!text.isEmpty()) {
                    deliver(() -> listener.onFinal(text, false));
                }
            }
            if (utterance == null) {
                utterance = channel.startUtterance();
                sinceHypothesis = 0;
                lastPartial = "";
            }
            utterance.feed(frame);
            sinceHypothesis += frame.length;
            if (sinceHypothesis >= PARTIAL_EVERY_SAMPLES) {
                sinceHypothesis = 0;
                String partial = utterance.partialHypothesis();
                if (!partial.isEmpty() && !partial.equals(lastPartial)) {
                    lastPartial = partial;
                    deliver(() -> listener.onPartial(partial));
                }
            }
        }

        /** Runs {@code task} on the worker; a failure of the engine fails the stream. */
        private void submit(Runnable task) {
            try {
                worker.execute(() -> {
                    if (isOver()) {
                        return;
                    }
                    try {
                        task.run();
                    } catch (IllegalStateException e) {
                        // No decoder free in time, the recognizer closed, or an utterance past its limit.
                        fail(ProviderFailure.of(PROVIDER, Kind.SERVER_ERROR, "recognition failed (" + e.getMessage() + ")"));
                    } catch (RuntimeException e) {
                        fail(ProviderFailure.of(PROVIDER, Kind.SERVER_ERROR,
                                "recognition failed (" + e.getClass().getSimpleName() + ")"));
                    }
                });
            } catch (RejectedExecutionException e) {
                // Closed: nothing more is recognized.
            }
        }

        private boolean isOver() {
            delivery.lock();
            try {
                return over;
            } finally {
                delivery.unlock();
            }
        }

        private void fail(ProviderFailure failure) {
            delivery.lock();
            try {
                if (over) {
                    return;
                }
                over = true;
                log.debug("{}", failure.safeMessage());
                ProviderFailure.Receiver.deliver(listener, failure, listener::onError);
            } catch (RuntimeException e) {
                log.warn("{}: the listener threw {}", PROVIDER, e.getClass().getName());
            } finally {
                delivery.unlock();
            }
            end();
        }

        private void deliver(Runnable call) {
            delivery.lock();
            try {
                if (!over) {
                    call.run();
                }
            } catch (RuntimeException e) {
                log.warn("{}: the listener threw {}", PROVIDER, e.getClass().getName());
            } finally {
                delivery.unlock();
            }
        }

        /** Frees the utterance on the worker and lets the worker end. */
        private void end() {
            open.remove(this);
            try {
                worker.execute(() -> {
                    if (utterance != null) {
                        utterance.close();
                        utterance = null;
                    }
                });
            } catch (RejectedExecutionException e) {
                // Already ending.
            }
            worker.shutdown();
        }
    }
}
