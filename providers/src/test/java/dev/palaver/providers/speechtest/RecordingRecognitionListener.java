package dev.palaver.providers.speechtest;

import dev.palaver.media.stt.SpeechToText;
import dev.palaver.providers.http.ProviderFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records recognition events as text, in order: {@code partial:…}, {@code final:…} (not flushed),
 * {@code flushed:…}, {@code failure:KIND} or {@code error:…}; and anything after the test closed the stream.
 */
public class RecordingRecognitionListener implements SpeechToText.Listener {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> afterClose = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile ProviderFailure failure;
    private volatile String error;

    public static RecordingRecognitionListener plain() {
        return new RecordingRecognitionListener();
    }

    public static Classified classified() {
        return new Classified();
    }

    public static final class Classified extends RecordingRecognitionListener implements ProviderFailure.Receiver {
        @Override
        public void onFailure(ProviderFailure f) {
            setFailure(f);
            record("failure:" + f.kind());
        }
    }

    @Override
    public void onPartial(String text) {
        record("partial:" + text);
    }

    @Override
    public void onFinal(String text, boolean flushed) {
        record((flushed ? "flushed:" : "final:") + text);
    }

    @Override
    public void onError(String message) {
        error = message;
        record("error:" + message);
    }

    void setFailure(ProviderFailure f) {
        failure = f;
    }

    void record(String event) {
        if (closed) {
            afterClose.add(event);
        }
        events.add(event);
    }

    public void markClosed() {
        closed = true;
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

    /** Waits until an event starting with {@code prefix} has been recorded. */
    public boolean awaitEvent(String prefix, Duration within) throws InterruptedException {
        return Await.until(within, () -> events.stream().anyMatch(e -> e.startsWith(prefix)));
    }

    /** Waits until {@code n} events starting with {@code prefix} have been recorded. */
    public boolean awaitEvents(String prefix, int n, Duration within) throws InterruptedException {
        return Await.until(within, () -> events.stream().filter(e -> e.startsWith(prefix)).count() >= n);
    }

    public long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }
}
