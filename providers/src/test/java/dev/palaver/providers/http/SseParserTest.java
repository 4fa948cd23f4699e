package dev.palaver.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private final List<SseEvent> events = new ArrayList<>();
    private final SseParser parser = new SseParser(64);

    private void feed(String... parts) {
        for (String part : parts) {
            parser.feed(ByteBuffer.wrap(part.getBytes(StandardCharsets.UTF_8)), events::add);
        }
    }

    @Test
    void dataLinesDispatchOnABlankLine() {
        feed("data: one\n\n", "data: two\n");
        assertThat(events).containsExactly(new SseEvent("message", "one"));
        feed("\n");
        assertThat(events).containsExactly(new SseEvent("message", "one"), new SseEvent("message", "two"));
        assertThat(parser.events()).isEqualTo(2);
    }

    @Test
    void everyLineEndingWorksEvenSplitAcrossBuffers() {
        feed("data: a\r\n\r\n", "data: b\r\r", "data: c\r", "\n\r", "\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("a", "b", "c");
    }

    @Test
    void multipleDataLinesJoinWithNewlines() {
        feed("data: first\ndata:second\ndata\n\n");
        assertThat(events).containsExactly(new SseEvent("message", "first\nsecond\n"));
    }

    @Test
    void eventNamesCommentsIdsAndRetriesAreHandled() {
        feed(": keep-alive\n\n", "event: content_block_delta\nid: 7\nretry: 100\ndata: {}\n\n", "event: ping\n\n",
                "data: after\n\n");
        assertThat(events).containsExactly(new SseEvent("content_block_delta", "{}"), new SseEvent("message", "after"));
    }

    @Test
    void onlyOneLeadingSpaceIsStripped() {
        feed("data:  two spaces\n\n");
        assertThat(events).containsExactly(new SseEvent("message", " two spaces"));
    }

    @Test
    void aCharacterSplitAcrossBuffersSurvives() {
        byte[] bytes = "data: café 👋\n\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            parser.feed(ByteBuffer.wrap(new byte[] {b}), events::add);
        }
        assertThat(events).containsExactly(new SseEvent("message", "café 👋"));
    }

    @Test
    void aByteOrderMarkAtTheStartIsIgnored() {
        feed("\uFEFFdata: x\n\n");
        assertThat(events).containsExactly(new SseEvent("message", "x"));
    }

    @Test
    void anIncompleteEventAtTheEndIsNotDispatched() {
        feed("data: partial");
        assertThat(events).isEmpty();
    }

    @Test
    void anOversizedEventIsMalformed() {
        assertThatThrownBy(() -> feed("data: " + "x".repeat(100)))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderFailure.Kind.MALFORMED));
    }

    @Test
    void theSizeLimitIsPerEvent() {
        for (int i = 0; i < 10; i++) {
            feed("data: " + "x".repeat(40) + "\n\n");
        }
        assertThat(events).hasSize(10);
    }
}
