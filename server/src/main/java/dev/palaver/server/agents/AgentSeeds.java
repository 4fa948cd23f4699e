package dev.palaver.server.agents;

import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;

/** Agents the server creates itself (the first organization's samples), validated like any other. */
@Service
public class AgentSeeds {

    private final Agents agents;

    AgentSeeds(Agents agents) {
        this.agents = agents;
    }

    /**
     * Creates an agent from its JSON definition on behalf of the system (audited without an actor).
     *
     * @throws IllegalArgumentException when the definition is invalid (a bug in the seed, with the field errors)
     */
    public UUID create(UUID orgId, JsonNode definition) {
        AgentDefinitionReader.Result result = AgentDefinitionReader.read(definition);
        if (!result.valid()) {
            throw new IllegalArgumentException("invalid seed agent: " + result.errors());
        }
        Caller system = new Caller(orgId, null, Role.OWNER, null, null, Set.of());
        return agents.create(system, result.definition()).id();
    }
}
