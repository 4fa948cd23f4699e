package dev.palaver.server.brain;

/** Opens the brain of one conversation. */
public interface AgentBrains {

    /**
     * Opens a brain for {@code conversation}. The caller closes it when the conversation ends, after
     * {@link AgentBrain#conversationEnded}.
     */
    AgentBrain open(Conversation conversation);
}
