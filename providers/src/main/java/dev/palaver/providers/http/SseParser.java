package dev.palaver.providers.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental text/event-stream parser (WHATWG HTML, "Server-sent events", event stream interpretation):
 * lines end in CR, LF or CRLF, possibly split across buffers; {@code data} lines accumulate; a blank line
 * dispatches; comments ({@code :}), {@code id} and {@code retry} are ignored. Lines are decoded as UTF-8
 * only once complete, so a character split across buffers survives. One event is bounded in size.
 */
public final class SseParser {

    private final int maxEventBytes;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private boolean firstLine = true;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType = "";
    private int eventBytes;
    private int events;

    public SseParser(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Feeds bytes and hands {@code sink} every event they complete. Throws a MALFORMED failure for an
     * oversized event.
     */
    public void feed(ByteBuffer bytes, Consumer<SseEvent> sink) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\r' || b == '\n') {
                endLine(sink);
            } else {
                append(b);
            }
        }
    }

    /** Events dispatched so far. */
    public int events() {
        return events;
    }

    private void append(byte b) {
        if (++eventBytes > maxEventBytes) {
            throw new ProviderException(ProviderFailure.Kind.MALFORMED,
                    "an event-stream event exceeded " + maxEventBytes + " bytes");
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    private void endLine(Consumer<SseEvent> sink) {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (firstLine) {
            firstLine = false;
            if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
        }
        if (text.isEmpty()) {
            dispatch(sink);
            return;
        }
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            case "event" -> eventType = value;
            default -> { }
        }
    }

    private void dispatch(Consumer<SseEvent> sink) {
        eventBytes = 0;
        if (!hasData) {
            eventType = "";
            return;
        }
        String payload = data.substring(0, data.length() - 1);
        String type = eventType.isEmpty() ? "message" : eventType;
        data.setLength(0);
        hasData = false;
        eventType = "";
        events++;
        sink.accept(new SseEvent(type, payload));
    }
}
