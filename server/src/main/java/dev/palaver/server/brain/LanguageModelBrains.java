package dev.palaver.server.brain;

import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolExecutor;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The brain of an agent that thinks with its language model chain: persona prompt, first message, no tools.
 * An agent without a language model has no brain here.
 */
@Component
class LanguageModelBrains implements AgentBrains {

    @Override
    public AgentBrain open(Conversation conversation) {
        LanguageModel model = conversation.stack() == null ? null : conversation.stack().llm();
        if (model == null) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Agent " + conversation.agent().agentId() + " has no language model that can run here.");
        }
        var definition = conversation.agent().definition();
        return new AgentBrain() {
            @Override
            public String systemPrompt() {
                return definition.personaPrompt();
            }

            @Override
            public String firstMessage() {
                return definition.firstMessage();
            }

            @Override
            public LanguageModel languageModel() {
                return model;
            }

            @Override
            public ToolExecutor tools() {
                return ToolExecutor.none();
            }

            @Override
            public void conversationEnded(List<ChatMessage> history) {
            }

            @Override
            public void close() {
            }
        };
    }
}
