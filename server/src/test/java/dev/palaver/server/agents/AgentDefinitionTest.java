package dev.palaver.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.palaver.media.call.CallSettings;
import dev.palaver.media.call.FalseInterruptionPolicy;

class AgentDefinitionTest {

    private static AgentDefinition read(String json) {
        AgentDefinitionReader.Result result = AgentDefinitionReader.read(AgentFixtures.JSON.readTree(json));
        assertThat(result.errors()).isEmpty();
        return result.definition();
    }

    @Test
    void anAgentsTurnTakingAndLimitsBecomeTheCallEnginesSettings() {
        AgentDefinition agent = read(AgentFixtures.llmAgent("Support").toString());
        CallSettings defaults = CallSettings.builder().maxToolRounds(2).build();

        CallSettings settings = agent.callSettings(defaults);

        assertThat(settings.systemPrompt()).isEqualTo("You are a helpful support agent.");
        assertThat(settings.firstMessage()).isEqualTo("Hi, this is Acme support.");
        assertThat(settings.endpointingDelay()).isEqualTo(Duration.ofMillis(600));
        assertThat(settings.interruptionThreshold()).isEqualTo(Duration.ofMillis(300));
        assertThat(settings.ignoreBackchannels()).isFalse();
        assertThat(settings.falseInterruptionPolicy()).isEqualTo(FalseInterruptionPolicy.REPEAT_SENTENCE);
        assertThat(settings.silenceTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxDuration()).isEqualTo(Duration.ofSeconds(600));
        assertThat(settings.maxToolRounds()).as("what the agent does not define comes from the defaults").isEqualTo(2);
    }

    @Test
    void theDefaultsMatchTheEnginesOwn() {
        AgentDefinition agent = read("""
                {"name": "Plain", "brain": "flow",
                 "flow": {"startNode": "hi", "nodes": [{"id": "hi", "instructions": "Greet.", "end": true}]}}""");
        CallSettings engine = CallSettings.builder().build();

        CallSettings settings = agent.callSettings(engine);

        assertThat(settings.endpointingDelay()).isEqualTo(engine.endpointingDelay());
        assertThat(settings.interruptionThreshold()).isEqualTo(engine.interruptionThreshold());
        assertThat(settings.ignoreBackchannels()).isEqualTo(engine.ignoreBackchannels());
        assertThat(settings.falseInterruptionPolicy()).isEqualTo(engine.falseInterruptionPolicy());
        assertThat(settings.silenceTimeout()).isEqualTo(engine.silenceTimeout());
        assertThat(settings.maxDuration()).isEqualTo(engine.maxDuration());
        assertThat(settings.firstMessage()).as("no first message: wait for the caller").isEmpty();
    }

    @Test
    void eachFalseInterruptionChoiceMapsToItsPolicy() {
        assertThat(AgentDefinition.FalseInterruption.RESUME.policy()).isEqualTo(FalseInterruptionPolicy.RESUME);
        assertThat(AgentDefinition.FalseInterruption.REPEAT.policy()).isEqualTo(FalseInterruptionPolicy.REPEAT_SENTENCE);
        assertThat(AgentDefinition.FalseInterruption.LISTEN.policy()).isEqualTo(FalseInterruptionPolicy.LISTEN);
    }

    @Test
    void anHttpToolsSchemaCannotBeChangedThroughTheRecord() {
        AgentDefinition agent = read(AgentFixtures.llmAgent("Support").toString());

        agent.httpTools().getFirst().schema().put("type", "string");

        assertThat(agent.httpTools().getFirst().schema().get("type").asString()).isEqualTo("object");
    }
}
