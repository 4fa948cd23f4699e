package dev.palaver.server.brain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.palaver.server.agents.AgentSeeds;
import dev.palaver.server.identity.FirstOwner;
import dev.palaver.server.knowledge.KnowledgeBases;

/**
 * The sample agent of the first organization: "Front desk", an offline flow agent (no language model) for a
 * hair salon with a knowledge base of its opening hours, address, services and prices. It answers questions,
 * takes messages and books appointments. Created once, on the start that creates the first organization; a
 * failure is logged and does not stop the server.
 */
@Component
@Order(10)
public class FrontDesk implements ApplicationRunner {

    public static final String AGENT_NAME = "Front desk";
    public static final String KNOWLEDGE_BASE_NAME = "Front desk knowledge";
    static final List<String> DOCUMENTS = List.of("opening-hours.txt", "address.txt", "services-and-prices.txt",
            "policies.txt");
    private static final String RESOURCES = "/seed/front-desk/";
    private static final Logger log = LoggerFactory.getLogger(FrontDesk.class);

    private final FirstOwner firstOwner;
    private final KnowledgeBases knowledgeBases;
    private final AgentSeeds agents;
    private final ObjectMapper json;

    FrontDesk(FirstOwner firstOwner, KnowledgeBases knowledgeBases, AgentSeeds agents, ObjectMapper json) {
        this.firstOwner = firstOwner;
        this.knowledgeBases = knowledgeBases;
        this.agents = agents;
        this.json = json;
    }

    @Override
    public void run(ApplicationArguments args) {
        firstOwner.createdThisStart().ifPresent(first -> {
            try {
                UUID agentId = create(first.orgId());
                log.info("Created the sample agent \"{}\" ({})", AGENT_NAME, agentId);
            } catch (RuntimeException e) {
                log.warn("Could not create the sample agent \"{}\": {}", AGENT_NAME, e.toString());
            }
        });
    }

    /** Creates the knowledge base and the agent in {@code orgId}; returns the agent's id. */
    public UUID create(UUID orgId) {
        UUID kb = knowledgeBases.create(orgId, null, KNOWLEDGE_BASE_NAME,
                "Opening hours, address, services and prices of the sample salon.").id();
        for (String document : DOCUMENTS) {
            knowledgeBases.addDocument(orgId, null, kb, document, "text/plain", read(document));
        }
        ObjectNode definition = (ObjectNode) json.readTree(new String(read("agent.json"),
                java.nio.charset.StandardCharsets.UTF_8));
        definition.putArray("knowledgeBaseIds").add(kb.toString());
        return agents.create(orgId, definition);
    }

    private static byte[] read(String name) {
        try (InputStream in = FrontDesk.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
