package dev.palaver.providers.testing;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Records every listener call, in order, with the time the terminal call arrived. */
public class RecordingListener implements LanguageModel.Listener {

    public sealed interface Event {
    }

    public record Text(String delta) implements Event {
    }

    public record Tool(ToolCall call) implements Event {
    }

    public record Done() implements Event {
    }

    public record Error(String message) implements Event {
    }

    private final List<Event> events = new ArrayList<>();
    private final CountDownLatch terminal = new CountDownLatch(1);
    private final CountDownLatch firstText = new CountDownLatch(1);
    private final long startNanos = System.nanoTime();
    private volatile long terminalNanos;
    private volatile Consumer<String> onTextHook = t -> { };

    /** Runs {@code hook} on the listener's thread for every text delta (after recording it). */
    public RecordingListener onTextDo(Consumer<String> hook) {
        onTextHook = hook;
        return this;
    }

    @Override
    public void onText(String delta) {
        record(new Text(delta));
        firstText.countDown();
        onTextHook.accept(delta);
    }

    @Override
    public void onToolCall(ToolCall call) {
        record(new Tool(call));
    }

    @Override
    public void onDone() {
        record(new Done());
        ended();
    }

    @Override
    public void onError(String message) {
        record(new Error(message));
        ended();
    }

    protected final synchronized void record(Event event) {
        events.add(event);
    }

    protected final void ended() {
        terminalNanos = System.nanoTime();
        terminal.countDown();
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Waits (bounded) for the terminal call; fails the test if none came. */
    public RecordingListener awaitTerminal(Duration limit) {
        try {
            if (!terminal.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no terminal call within " + limit.toMillis() + " ms; events: " + events());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return this;
    }

    public void awaitFirstText(Duration limit) {
        try {
            if (!firstText.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no text within " + limit.toMillis() + " ms; events: " + events());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Time from this listener's creation to its terminal call. */
    public Duration elapsed() {
        return Duration.ofNanos(terminalNanos - startNanos);
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        for (Event e : events()) {
            if (e instanceof Text t) {
                out.append(t.delta());
            }
        }
        return out.toString();
    }

    public List<String> deltas() {
        return events().stream().filter(Text.class::isInstance).map(e -> ((Text) e).delta()).toList();
    }

    public List<ToolCall> toolCalls() {
        return events().stream().filter(Tool.class::isInstance).map(e -> ((Tool) e).call()).toList();
    }

    public long terminalCount() {
        return events().stream().filter(e -> e instanceof Done || e instanceof Error).count();
    }

    /** The error message; fails if the stream did not end in exactly one error. */
    public String error() {
        List<Event> all = events();
        if (terminalCount() != 1 || !(all.getLast() instanceof Error error)) {
            throw new AssertionError("expected one error as the last call, got " + all);
        }
        return error.message();
    }

    public boolean done() {
        List<Event> all = events();
        return terminalCount() == 1 && all.getLast() instanceof Done;
    }
}
