package dev.palaver.providers.speechtest;

import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ProviderFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records what a synthesis delivers, in order, and anything delivered after the test said it closed the
 * synthesis. {@link #classified()} takes failures as {@link ProviderFailure}s; {@link #plain()} only by
 * {@code onError}.
 */
public class RecordingSynthesisListener implements TextToSpeech.Listener {

    private final List<short[]> audio = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> afterClose = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch firstAudio = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile ProviderFailure failure;
    private volatile String error;
    private volatile long endedAt;
    private final long createdAt = System.nanoTime();

    public static RecordingSynthesisListener plain() {
        return new RecordingSynthesisListener();
    }

    public static Classified classified() {
        return new Classified();
    }

    /** Also a {@link ProviderFailure.Receiver}. */
    public static final class Classified extends RecordingSynthesisListener implements ProviderFailure.Receiver {
        @Override
        public void onFailure(ProviderFailure f) {
            record("failure");
            setFailure(f);
        }
    }

    @Override
    public void onAudio(short[] pcm) {
        record("audio");
        audio.add(pcm);
        firstAudio.countDown();
    }

    @Override
    public void onDone() {
        record("done");
    }

    @Override
    public void onError(String message) {
        record("error");
        error = message;
        endedAt = System.nanoTime();
        ended.countDown();
    }

    void setFailure(ProviderFailure f) {
        failure = f;
        endedAt = System.nanoTime();
        ended.countDown();
    }

    void record(String event) {
        if (closed) {
            afterClose.add(event);
        }
        events.add(event);
        if (event.equals("done")) {
            endedAt = System.nanoTime();
            ended.countDown();
        }
    }

    /** The test has closed the synthesis: anything from now on is a violation. */
    public void markClosed() {
        closed = true;
    }

    public boolean awaitEnd(Duration within) throws InterruptedException {
        return ended.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean awaitAudio(Duration within) throws InterruptedException {
        return firstAudio.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Time from creating this listener to the end (done or failure). */
    public Duration elapsedToEnd() {
        return Duration.ofNanos(endedAt - createdAt);
    }

    public List<String> events() {
        return List.copyOf(events);
    }

    public List<String> eventsAfterClose() {
        return List.copyOf(afterClose);
    }

    public ProviderFailure failure() {
        return failure;
    }

    public String error() {
        return error;
    }

    public int chunks() {
        return audio.size();
    }

    /** All audio delivered, joined. */
    public short[] audio() {
        List<short[]> copy = new ArrayList<>(audio);
        int n = copy.stream().mapToInt(a -> a.length).sum();
        short[] out = new short[n];
        int at = 0;
        for (short[] a : copy) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }
}
