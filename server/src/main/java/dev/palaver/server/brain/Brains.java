package dev.palaver.server.brain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.server.agents.AgentDefinition;
import dev.palaver.server.agents.AgentDefinition.Brain;
import dev.palaver.server.crm.CrmProperties;
import dev.palaver.server.knowledge.KnowledgeSearch;
import dev.palaver.server.memory.CallerMemories;
import dev.palaver.server.memory.CallerMemories.Memory;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.providers.ProviderStacks;
import dev.palaver.server.providers.VoiceStack;

/**
 * Opens the brain of each conversation. An {@code llm} agent thinks with its language model chain, its
 * persona prompt, its tools and (when it has knowledge bases) the passages that match each caller turn.
 * A {@code flow} agent without a language model runs its flow offline ({@link FlowEngine}); with one,
 * each node steers the model ({@link LlmFlowModel}). When the agent remembers callers, what memory holds
 * goes into the system prompt and the first message, and a flow starts with the caller's name and number
 * filled in.
 */
@Component
class Brains implements AgentBrains, DisposableBean {

    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy", Locale.ENGLISH);

    private final BuiltInTools builtIns;
    private final HttpTools httpTools;
    private final TransitionMatcher matcher;
    private final KnowledgeSearch knowledge;
    private final CallerMemories memories;
    private final ProviderStacks stacks;
    private final CrmProperties crm;
    private final ObjectMapper json;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    Brains(BuiltInTools builtIns, HttpTools httpTools, TransitionMatcher matcher, KnowledgeSearch knowledge,
           CallerMemories memories, ProviderStacks stacks, CrmProperties crm, ObjectMapper json) {
        this.builtIns = builtIns;
        this.httpTools = httpTools;
        this.matcher = matcher;
        this.knowledge = knowledge;
        this.memories = memories;
        this.stacks = stacks;
        this.crm = crm;
        this.json = json;
    }

    @Override
    public AgentBrain open(Conversation conversation) {
        AgentDefinition agent = conversation.agent().definition();
        LanguageModel llm;
        VoiceStack.LanguageModelOnly owned = null;
        if (conversation.stack() != null) {
            llm = conversation.stack().llm();
        } else {
            owned = stacks.languageModelFor(conversation.orgId(), agent);
            llm = owned.llm();
        }
        try {
            return open(conversation, agent, llm, owned);
        } catch (RuntimeException e) {
            if (owned != null) {
                owned.close();
            }
            throw e;
        }
    }

    private AgentBrain open(Conversation conversation, AgentDefinition agent, LanguageModel llm, AutoCloseable owned) {
        boolean remembers = agent.memory().enabled() && CallerMemories.validCallerId(conversation.callerId());
        Optional<Memory> memory = remembers ? memories.find(conversation.orgId(), conversation.callerId()) : Optional.empty();
        ToolContext ctx = new ToolContext(conversation.orgId(), conversation.callId(), conversation.callerId(), agent,
                conversation.control(), Instant::now);
        AgentToolbox tools = new AgentToolbox(ctx, builtIns, httpTools, json, background);
        String systemPrompt = systemPrompt(agent, memory);
        String firstMessage = firstMessage(agent, memory);
        ConversationBrain.MemoryTarget target = remembers
                ? new ConversationBrain.MemoryTarget(memories, conversation.orgId(), conversation.callerId()) : null;
        if (agent.brain() == Brain.LLM) {
            if (llm == null) {
                throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Agent " + conversation.agent().agentId()
                        + " has no language model that can run here.");
            }
            LanguageModel model = agent.knowledgeBaseIds().isEmpty() ? llm
                    : new KnowledgeContextModel(llm, knowledge, conversation.orgId(), agent.knowledgeBaseIds());
            return new ConversationBrain(systemPrompt, firstMessage, model, llm, tools, null, target, owned, background);
        }
        if (llm != null) {
            LlmFlowModel steered = new LlmFlowModel(agent.flow(), llm);
            return new ConversationBrain(systemPrompt, firstMessage, steered, llm, tools, steered::currentNode, target,
                    owned, background);
        }
        FlowEngine engine = new FlowEngine(agent.flow(), matcher, parameters(tools.definitions()),
                knownSlots(conversation, memory), () -> LocalDate.now(crm.timeZone()), crm.phoneRegion(),
                !agent.knowledgeBaseIds().isEmpty(), json);
        return new ConversationBrain(systemPrompt, firstMessage, new FlowLanguageModel(engine), null, tools,
                engine::currentNode, target, owned, background);
    }

    private String systemPrompt(AgentDefinition agent, Optional<Memory> memory) {
        StringBuilder prompt = new StringBuilder(agent.personaPrompt().strip());
        if (!prompt.isEmpty()) {
            prompt.append("\n\n");
        }
        prompt.append("Today is ").append(TODAY.format(LocalDate.now(crm.timeZone()))).append(" (time zone ")
                .append(crm.timeZone().getId()).append("). Tools take dates as YYYY-MM-DD and times as HH:MM.");
        memory.ifPresent(m -> {
            prompt.append("\n\nWhat you remember about this caller from earlier conversations:");
            m.facts().forEach((k, v) -> prompt.append("\n- ").append(k.replace('_', ' ')).append(": ").append(v));
            if (!m.summary().isBlank()) {
                prompt.append("\nEarlier conversations:\n").append(m.summary());
            }
        });
        return prompt.toString();
    }

    private static String firstMessage(AgentDefinition agent, Optional<Memory> memory) {
        String name = memory.map(m -> m.facts().get("name")).orElse(null);
        if (name == null || name.isBlank()) {
            return agent.firstMessage();
        }
        String welcome = "Welcome back, " + name + "!";
        return agent.firstMessage().isBlank() ? welcome + " How can I help you today?"
                : welcome + " " + agent.firstMessage();
    }

    /** Slots a flow can start with: the caller's own number, and their name when remembered. */
    private static Map<String, String> knownSlots(Conversation conversation, Optional<Memory> memory) {
        Map<String, String> known = new HashMap<>();
        if (conversation.callerId() != null && conversation.callerId().startsWith("+")) {
            known.put("phone", conversation.callerId());
        }
        memory.map(m -> m.facts().get("name")).ifPresent(n -> known.put("name", n));
        return known;
    }

    private Map<String, Set<String>> parameters(List<ToolDefinition> definitions) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (ToolDefinition d : definitions) {
            Set<String> names = new HashSet<>();
            JsonNode properties = json.readTree(d.parametersSchema()).path("properties");
            properties.propertyNames().forEach(names::add);
            out.put(d.name(), names);
        }
        return out;
    }

    @Override
    public void destroy() {
        background.close();
    }
}
