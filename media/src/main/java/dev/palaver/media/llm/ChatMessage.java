package dev.palaver.media.llm;

/** One message of a conversation sent to a language model. */
public sealed interface ChatMessage permits SystemMessage, UserMessage, AssistantMessage, ToolMessage {
}
