package dev.palaver.providers.http;

/** One server-sent event: its type ({@code message} unless named) and its data lines joined by LF. */
public record SseEvent(String event, String data) {
}
