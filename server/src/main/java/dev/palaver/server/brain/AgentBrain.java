package dev.palaver.server.brain;

import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolExecutor;

import java.util.List;
import java.util.Optional;

/** What one conversation's agent thinks with. Not shared between conversations. */
public interface AgentBrain extends AutoCloseable {

    /** The system prompt the conversation starts from (persona, plus what memory holds of the caller). */
    String systemPrompt();

    /** What the agent says first ("" to wait for the caller), personalised where memory allows. */
    String firstMessage();

    /** The model the conversation streams replies from: a provider chain or a flow. */
    LanguageModel languageModel();

    /** The tools the model may call. */
    ToolExecutor tools();

    /** The conversation is over; {@code history} is what was said (and heard). Must return quickly. */
    void conversationEnded(List<ChatMessage> history);

    /** For a flow brain, the node the conversation is in now; empty for other brains. */
    default Optional<String> flowNode() {
        return Optional.empty();
    }

    @Override
    void close();
}
