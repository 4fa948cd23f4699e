package dev.palaver.server.agents;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;

import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * An agent's definition as editable JSON, for the dashboard: the same reader and validation messages as
 * the API ({@link AgentDefinitionReader}), the same versioned save ({@link Agents#update}).
 */
@Service
public class AgentDrafts {

    /** One problem with a draft: the field path (empty for the whole document) and why. */
    public record Issue(String field, String message) {
    }

    /** What saving a draft did. */
    public sealed interface Outcome permits Saved, Rejected {
    }

    public record Saved(Agents.Stored agent) implements Outcome {
    }

    public record Rejected(List<Issue> issues) implements Outcome {
    }

    private final Agents agents;
    private final ObjectMapper json;

    AgentDrafts(Agents agents, ObjectMapper json) {
        this.agents = agents;
        this.json = json;
    }

    /** The definition as indented JSON, in the shape the API and {@link #check} accept. */
    public String json(AgentDefinition definition) {
        return json.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json.valueToTree(definition));
    }

    /** Every validation message for a draft; empty when it would save. */
    public List<Issue> check(String draft) {
        return parse(draft).issues();
    }

    /**
     * Saves the draft as the agent's next version when it is valid and the agent is still at
     * {@code expectedVersion}; a stale version or a taken name is a rejection too.
     */
    public Outcome save(Caller caller, UUID agentId, String draft, Integer expectedVersion) {
        Parsed parsed = parse(draft);
        if (!parsed.issues().isEmpty()) {
            return new Rejected(parsed.issues());
        }
        try {
            return new Saved(agents.update(caller, agentId, parsed.definition(), expectedVersion));
        } catch (InvalidAgentException e) {
            return new Rejected(issues(e.errors()));
        } catch (ApiException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                throw e;
            }
            return new Rejected(List.of(new Issue("", e.getMessage())));
        }
    }

    private record Parsed(AgentDefinition definition, List<Issue> issues) {
    }

    private Parsed parse(String draft) {
        JsonNode node;
        try {
            node = json.readTree(draft == null ? "" : draft);
        } catch (JacksonException e) {
            return new Parsed(null, List.of(new Issue("", "This is not valid JSON: " + e.getOriginalMessage())));
        }
        if (node == null || !node.isObject()) {
            return new Parsed(null, List.of(new Issue("", "The definition must be a JSON object.")));
        }
        AgentDefinitionReader.Result result = AgentDefinitionReader.read(node);
        return new Parsed(result.definition(), issues(result.errors()));
    }

    private static List<Issue> issues(List<FieldError> errors) {
        return errors.stream().map(f -> new Issue(f.field(), f.message())).toList();
    }
}
