package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.UserMessage;

class MemoryExtractionTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @Test
    void namesPreferencesAndWhatWasDone() {
        ToolCall book = new ToolCall("c1", "book_appointment",
                "{\"name\": \"Kim\", \"date\": \"2026-12-01\", \"time\": \"15:00\", \"service\": \"haircut\"}");
        ToolCall search = new ToolCall("c2", "knowledge_search", "{\"query\": \"parking\"}");
        List<ChatMessage> history = List.of(
                AssistantMessage.of("Hello!"),
                new UserMessage("Hi, this is Kim. I prefer appointments in the afternoon."),
                new AssistantMessage("", List.of(search), false),
                new ToolMessage("c2", "knowledge_search", "{}", false),
                new AssistantMessage("", List.of(book), false),
                new ToolMessage("c1", "book_appointment", "{\"booked\": true}", false));

        MemoryExtraction.Learned learned = MemoryExtraction.ruleBased(history, DAY);

        assertThat(learned.facts()).containsEntry("name", "Kim")
                .containsEntry("preference", "appointments in the afternoon");
        assertThat(learned.summaryLine())
                .isEqualTo("2026-11-24: asked \"parking\"; booked a haircut for 2026-12-01 15:00.");
    }

    @Test
    void failedToolsTeachNothingAndAPlainCallIsSummarisedByItsFirstWords() {
        ToolCall book = new ToolCall("c1", "book_appointment", "{\"name\": \"Lou\", \"date\": \"2026-12-01\", \"time\": \"15:00\"}");
        List<ChatMessage> history = List.of(
                new UserMessage("Do you have anything on Tuesday?"),
                new AssistantMessage("", List.of(book), false),
                new ToolMessage("c1", "book_appointment", "{\"error\": \"slot_taken\"}", true));

        MemoryExtraction.Learned learned = MemoryExtraction.ruleBased(history, DAY);

        assertThat(learned.facts()).isEmpty();
        assertThat(learned.summaryLine()).isEqualTo("2026-11-24: called and said \"Do you have anything on Tuesday?\".");
    }
}
