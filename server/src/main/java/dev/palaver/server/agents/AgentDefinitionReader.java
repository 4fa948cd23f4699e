package dev.palaver.server.agents;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.palaver.server.agents.AgentDefinition.Brain;
import dev.palaver.server.agents.AgentDefinition.Condition;
import dev.palaver.server.agents.AgentDefinition.Endpointing;
import dev.palaver.server.agents.AgentDefinition.FalseInterruption;
import dev.palaver.server.agents.AgentDefinition.Flow;
import dev.palaver.server.agents.AgentDefinition.FlowNode;
import dev.palaver.server.agents.AgentDefinition.HttpTool;
import dev.palaver.server.agents.AgentDefinition.Interruption;
import dev.palaver.server.agents.AgentDefinition.Kind;
import dev.palaver.server.agents.AgentDefinition.Limits;
import dev.palaver.server.agents.AgentDefinition.Memory;
import dev.palaver.server.agents.AgentDefinition.ProviderChain;
import dev.palaver.server.agents.AgentDefinition.ProviderChoice;
import dev.palaver.server.agents.AgentDefinition.Providers;
import dev.palaver.server.agents.AgentDefinition.Slot;
import dev.palaver.server.agents.AgentDefinition.SlotType;
import dev.palaver.server.agents.AgentDefinition.Transition;

/**
 * Reads an agent definition from a request body, strictly: every field is checked for type, size and
 * meaning, unknown fields are refused, absent optional ones get their defaults, and every problem is
 * reported with its exact path ({@code providers.tts.fallbacks[0].provider},
 * {@code flow.nodes[2].transitions[0].target}). JSON types are never coerced: {@code "brain": 5} is an error.
 * One reader reads one body.
 */
final class AgentDefinitionReader {

    static final int MAX_NAME = 100;
    static final int MAX_PROMPT = 20_000;
    static final int MAX_FIRST_MESSAGE = 1_000;
    static final int MAX_VOICE = 100;
    static final int MAX_MODEL = 100;
    static final int MAX_FALLBACKS = 3;
    static final int MAX_TOOLS = 20;
    static final int MAX_HTTP_TOOLS = 20;
    static final int MAX_TOOL_DESCRIPTION = 1_000;
    static final int MAX_URL = 2_000;
    static final int MAX_SCHEMA_CHARS = 16_000;
    static final int MAX_KNOWLEDGE_BASES = 20;
    static final int MIN_ENDPOINTING_MS = 100;
    static final int MAX_ENDPOINTING_MS = 5_000;
    static final int MIN_INTERRUPTION_MS = 50;
    static final int MAX_INTERRUPTION_MS = 5_000;
    static final int MIN_MAX_DURATION_S = 10;
    static final int MAX_MAX_DURATION_S = 14_400;
    static final int MIN_SILENCE_S = 2;
    static final int MAX_SILENCE_S = 300;
    static final int MAX_NODES = 100;
    static final int MAX_INSTRUCTIONS = 4_000;
    static final int MAX_REPLY = 2_000;
    static final int MAX_SLOTS = 20;
    static final int MAX_SLOT_PROMPT = 500;
    static final int MAX_FUNCTIONS = 10;
    static final int MAX_TRANSITIONS = 20;
    static final int MAX_EXAMPLES = 50;
    static final int MAX_EXAMPLE = 200;

    static final String DEFAULT_LANGUAGE = "en-US";
    static final int DEFAULT_ENDPOINTING_MS = 500;
    static final int DEFAULT_INTERRUPTION_MS = 400;
    static final int DEFAULT_MAX_DURATION_S = 1_800;
    static final int DEFAULT_SILENCE_S = 8;

    /** Fields of an agent as the API shows it that a client may send back unchanged; they are ignored. */
    static final Set<String> READ_ONLY = Set.of("id", "version", "createdAt", "updatedAt");

    private static final Set<String> FIELDS = Set.of("name", "brain", "personaPrompt", "firstMessage", "language",
            "voice", "providers", "endpointing", "interruption", "tools", "httpTools", "knowledgeBaseIds", "memory",
            "limits", "enabled", "flow");

    private static final Pattern LANGUAGE = Pattern.compile(
            "(?<lang>[a-z]{2,3})(?:-(?<script>[a-z]{4}))?(?:-(?<region>[a-z]{2}|[0-9]{3}))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/@+-]+");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The definition, or the errors that stop it (then {@code definition} is null). */
    record Result(AgentDefinition definition, List<FieldError> errors) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    private final List<FieldError> errors = new ArrayList<>();

    private AgentDefinitionReader() {
    }

    static Result read(JsonNode body) {
        AgentDefinitionReader reader = new AgentDefinitionReader();
        AgentDefinition definition = reader.agent(body);
        return reader.errors.isEmpty() ? new Result(definition, List.of()) : new Result(null, List.copyOf(reader.errors));
    }

    // ---------------------------------------------------------------- the agent

    private AgentDefinition agent(JsonNode body) {
        Obj root = object(body, "", FIELDS, READ_ONLY);
        if (root == null) {
            return null;
        }
        String name = requiredText(root, "name", MAX_NAME);
        if (name != null) {
            name = name.strip();
            if (name.codePoints().anyMatch(Character::isISOControl)) {
                error("name", "must not contain control characters");
            }
        }
        Brain brain = choice(root, "brain", true, Brain::valueOf, Brain.values(), Brain::wire);
        String personaPrompt = text(root, "personaPrompt", MAX_PROMPT, "");
        if (brain == Brain.LLM && personaPrompt != null && personaPrompt.isBlank() && !hasErrorAt("personaPrompt")) {
            error("personaPrompt", "is required when brain is llm");
        }
        String firstMessage = text(root, "firstMessage", MAX_FIRST_MESSAGE, "");
        String language = language(root);
        String voice = token(root, "voice", MAX_VOICE);
        Providers providers = providers(root, brain);
        Endpointing endpointing = endpointing(root);
        Interruption interruption = interruption(root);
        List<String> tools = tools(root);
        List<HttpTool> httpTools = httpTools(root);
        List<UUID> knowledgeBaseIds = knowledgeBaseIds(root);
        Memory memory = memory(root);
        Limits limits = limits(root);
        Boolean enabled = bool(root, "enabled", true);

        Flow flow = null;
        JsonNode flowNode = root.get("flow");
        if (brain == Brain.LLM && flowNode != null) {
            error("flow", "applies only when brain is flow");
        } else if (brain == Brain.FLOW && flowNode == null) {
            error("flow", "is required when brain is flow");
        } else if (flowNode != null) {
            // Unknown while tools or httpTools are invalid: functions are then not judged against them.
            Set<String> agentTools = null;
            if (tools != null && httpTools != null) {
                agentTools = new LinkedHashSet<>(tools);
                for (HttpTool t : httpTools) {
                    agentTools.add(t.name());
                }
            }
            flow = new FlowReader(agentTools).flow(flowNode);
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new AgentDefinition(name, brain, personaPrompt, firstMessage, language, voice, providers, endpointing,
                interruption, tools, httpTools, knowledgeBaseIds, memory, limits, enabled, flow);
    }

    private String language(Obj root) {
        String tag = token(root, "language", 35);
        if (tag == null) {
            return hasErrorAt("language") ? null : DEFAULT_LANGUAGE;
        }
        var m = LANGUAGE.matcher(tag);
        if (!m.matches()) {
            error("language", "must be a BCP 47 language tag such as en-US");
            return null;
        }
        StringBuilder canonical = new StringBuilder(m.group("lang").toLowerCase(Locale.ROOT));
        if (m.group("script") != null) {
            String s = m.group("script");
            canonical.append('-').append(s.substring(0, 1).toUpperCase(Locale.ROOT)).append(s.substring(1).toLowerCase(Locale.ROOT));
        }
        if (m.group("region") != null) {
            canonical.append('-').append(m.group("region").toUpperCase(Locale.ROOT));
        }
        return canonical.toString();
    }

    private Providers providers(Obj root, Brain brain) {
        int before = errors.size();
        Obj p = optionalObject(root, "providers", Set.of("stt", "llm", "tts"));
        ProviderChain stt = p == null ? null : chain(p, Kind.STT);
        ProviderChain llm = p == null ? null : chain(p, Kind.LLM);
        ProviderChain tts = p == null ? null : chain(p, Kind.TTS);
        if (brain == Brain.LLM && llm == null && !hasErrorAt("providers") && !hasErrorAt("providers.llm")) {
            error("providers.llm", "is required when brain is llm (offline has no language model)");
        }
        if (errors.size() > before) {
            return null;
        }
        return new Providers(stt != null ? stt : offline(), llm, tts != null ? tts : offline());
    }

    private static ProviderChain offline() {
        return new ProviderChain("offline", null, null, List.of());
    }

    private ProviderChain chain(Obj parent, Kind kind) {
        Obj c = optionalObject(parent, kind.wire(), Set.of("provider", "model", "voice", "fallbacks"));
        if (c == null) {
            return null;
        }
        int before = errors.size();
        ProviderChoice first = providerChoice(c, kind);
        List<ProviderChoice> fallbacks = new ArrayList<>();
        List<JsonNode> items = array(c, "fallbacks", MAX_FALLBACKS);
        Set<ProviderChoice> seen = new HashSet<>();
        if (first != null) {
            seen.add(first);
        }
        for (int i = 0; items != null && i < items.size(); i++) {
            String path = c.at("fallbacks") + "[" + i + "]";
            Obj f = object(items.get(i), path, Set.of("provider", "model", "voice"), Set.of());
            ProviderChoice choice = f == null ? null : providerChoice(f, kind);
            if (choice != null && !seen.add(choice)) {
                error(path, "repeats an earlier choice");
            }
            if (choice != null) {
                fallbacks.add(choice);
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new ProviderChain(first.provider(), first.model(), first.voice(), fallbacks);
    }

    private ProviderChoice providerChoice(Obj c, Kind kind) {
        int before = errors.size();
        String provider = requiredText(c, "provider", 50);
        if (provider != null) {
            if (!ProviderCatalog.isKnown(provider)) {
                error(c.at("provider"), "must be one of: " + String.join(", ", ProviderCatalog.all()));
            } else if (!ProviderCatalog.offers(provider, kind)) {
                error(c.at("provider"), provider + " does not offer " + kind.wire() + "; choose one of: "
                        + String.join(", ", ProviderCatalog.offering(kind)));
            }
        }
        String model = token(c, "model", MAX_MODEL);
        if (model != null && !MODEL.matcher(model).matches()) {
            error(c.at("model"), "may contain only letters, digits and . _ : / @ + -");
        }
        String voice = null;
        if (kind != Kind.TTS && c.get("voice") != null) {
            error(c.at("voice"), "applies to tts only");
        } else {
            voice = token(c, "voice", MAX_VOICE);
        }
        return errors.size() > before ? null : new ProviderChoice(provider, model, voice);
    }

    private Endpointing endpointing(Obj root) {
        Obj o = optionalObject(root, "endpointing", Set.of("delayMs"));
        if (o == null) {
            return hasErrorAt("endpointing") ? null : new Endpointing(DEFAULT_ENDPOINTING_MS);
        }
        Integer delay = integer(o, "delayMs", MIN_ENDPOINTING_MS, MAX_ENDPOINTING_MS, DEFAULT_ENDPOINTING_MS);
        return delay == null ? null : new Endpointing(delay);
    }

    private Interruption interruption(Obj root) {
        Obj o = optionalObject(root, "interruption", Set.of("thresholdMs", "backchannels", "falseInterruption"));
        if (o == null) {
            return hasErrorAt("interruption") ? null
                    : new Interruption(DEFAULT_INTERRUPTION_MS, true, FalseInterruption.RESUME);
        }
        Integer threshold = integer(o, "thresholdMs", MIN_INTERRUPTION_MS, MAX_INTERRUPTION_MS, DEFAULT_INTERRUPTION_MS);
        Boolean backchannels = bool(o, "backchannels", true);
        FalseInterruption falseInterruption = o.get("falseInterruption") == null ? FalseInterruption.RESUME
                : choice(o, "falseInterruption", false, FalseInterruption::valueOf, FalseInterruption.values(),
                        FalseInterruption::wire);
        if (threshold == null || backchannels == null || falseInterruption == null) {
            return null;
        }
        return new Interruption(threshold, backchannels, falseInterruption);
    }

    private List<String> tools(Obj root) {
        List<JsonNode> items = array(root, "tools", MAX_TOOLS);
        if (items == null) {
            return null;
        }
        int before = errors.size();
        List<String> tools = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode item = items.get(i);
            if (!item.isString()) {
                error(path, "must be a string");
            } else if (!AgentTools.BUILT_IN.contains(item.stringValue())) {
                error(path, "is not a built-in tool; built-in tools are: " + String.join(", ", AgentTools.BUILT_IN)
                        + " (HTTP tools go in httpTools)");
            } else if (tools.contains(item.stringValue())) {
                error(path, "is listed twice");
            } else {
                tools.add(item.stringValue());
            }
        }
        return errors.size() > before ? null : tools;
    }

    private List<HttpTool> httpTools(Obj root) {
        List<JsonNode> items = array(root, "httpTools", MAX_HTTP_TOOLS);
        if (items == null) {
            return null;
        }
        int before = errors.size();
        List<HttpTool> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "httpTools[" + i + "]";
            Obj t = object(items.get(i), path, Set.of("name", "description", "url", "schema"), Set.of());
            if (t == null) {
                continue;
            }
            int toolBefore = errors.size();
            String name = requiredText(t, "name", 64);
            if (name != null) {
                if (!TOOL_NAME.matcher(name).matches()) {
                    error(t.at("name"), "must start with a letter and contain only letters, digits, _ and - (at most 64)");
                } else if (AgentTools.BUILT_IN.contains(name)) {
                    error(t.at("name"), "is the name of a built-in tool");
                } else if (!names.add(name)) {
                    error(t.at("name"), "is used by another HTTP tool");
                }
            }
            String description = text(t, "description", MAX_TOOL_DESCRIPTION, "");
            String url = requiredText(t, "url", MAX_URL);
            if (url != null) {
                checkUrl(t.at("url"), url.strip());
            }
            ObjectNode schema = schema(t);
            if (errors.size() == toolBefore) {
                tools.add(new HttpTool(name, description, url.strip(), schema));
            }
        }
        return errors.size() > before ? null : tools;
    }

    private void checkUrl(String path, String url) {
        try {
            URI uri = new URI(url);
            if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getHost().isBlank()) {
                error(path, "must be an absolute http or https URL");
            } else if (uri.getRawUserInfo() != null) {
                error(path, "must not contain credentials");
            }
        } catch (URISyntaxException e) {
            error(path, "must be an absolute http or https URL");
        }
    }

    /** A JSON Schema for the tool's arguments, checked for shape only: an object schema whose required names are properties. */
    private ObjectNode schema(Obj tool) {
        JsonNode schema = tool.get("schema");
        String path = tool.at("schema");
        if (schema == null) {
            error(path, "is required");
            return null;
        }
        if (!schema.isObject()) {
            error(path, "must be a JSON Schema object");
            return null;
        }
        int before = errors.size();
        if (schema.toString().length() > MAX_SCHEMA_CHARS) {
            error(path, "must be at most " + MAX_SCHEMA_CHARS + " characters of JSON");
            return null;
        }
        JsonNode type = schema.get("type");
        if (type == null || !type.isString() || !type.stringValue().equals("object")) {
            error(path + ".type", "must be \"object\" (tool arguments are a JSON object)");
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && !properties.isObject()) {
            error(path + ".properties", "must be an object");
            properties = null;
        } else if (properties != null) {
            for (var p : properties.properties()) {
                if (!p.getValue().isObject()) {
                    error(path + ".properties." + p.getKey(), "must be a JSON Schema object");
                }
            }
        }
        JsonNode required = schema.get("required");
        if (required != null && !required.isArray()) {
            error(path + ".required", "must be an array of property names");
        } else if (required != null) {
            for (int i = 0; i < required.size(); i++) {
                JsonNode r = required.get(i);
                if (!r.isString()) {
                    error(path + ".required[" + i + "]", "must be a string");
                } else if (properties == null || !properties.has(r.stringValue())) {
                    error(path + ".required[" + i + "]", "names no property in properties");
                }
            }
        }
        return errors.size() > before ? null : (ObjectNode) schema;
    }

    private List<UUID> knowledgeBaseIds(Obj root) {
        List<JsonNode> items = array(root, "knowledgeBaseIds", MAX_KNOWLEDGE_BASES);
        if (items == null) {
            return null;
        }
        int before = errors.size();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "knowledgeBaseIds[" + i + "]";
            JsonNode item = items.get(i);
            if (!item.isString() || !UUID_TEXT.matcher(item.stringValue()).matches()) {
                error(path, "must be a UUID");
                continue;
            }
            UUID id = UUID.fromString(item.stringValue());
            if (ids.contains(id)) {
                error(path, "is listed twice");
            } else {
                ids.add(id);
            }
        }
        return errors.size() > before ? null : ids;
    }

    private Memory memory(Obj root) {
        Obj o = optionalObject(root, "memory", Set.of("enabled"));
        if (o == null) {
            return hasErrorAt("memory") ? null : new Memory(false);
        }
        Boolean enabled = bool(o, "enabled", false);
        return enabled == null ? null : new Memory(enabled);
    }

    private Limits limits(Obj root) {
        Obj o = optionalObject(root, "limits", Set.of("maxDurationSeconds", "silenceTimeoutSeconds"));
        if (o == null) {
            return hasErrorAt("limits") ? null : new Limits(DEFAULT_MAX_DURATION_S, DEFAULT_SILENCE_S);
        }
        Integer maxDuration = integer(o, "maxDurationSeconds", MIN_MAX_DURATION_S, MAX_MAX_DURATION_S, DEFAULT_MAX_DURATION_S);
        Integer silence = integer(o, "silenceTimeoutSeconds", MIN_SILENCE_S, MAX_SILENCE_S, DEFAULT_SILENCE_S);
        if (maxDuration == null || silence == null) {
            return null;
        }
        if (silence >= maxDuration) {
            error(o.at("silenceTimeoutSeconds"), "must be less than maxDurationSeconds");
            return null;
        }
        return new Limits(maxDuration, silence);
    }

    // ---------------------------------------------------------------- the flow

    /**
     * Reads a flow graph. Besides each field's own rules: node ids are unique, {@code startNode} and every
     * transition target name a node, every node is reachable from {@code startNode}, and from every node the
     * conversation can finish: it can reach an end node ({@code end: true}, or one offering {@code end_call}
     * or {@code transfer_call}) or lead back to {@code startNode}. A node with no transitions is allowed
     * only where that holds (e.g. a single-node flow, which stays in its start node).
     */
    private final class FlowReader {
        /** The agent's tool names; null when they could not be read (then functions are not checked against them). */
        private final Set<String> agentTools;
        /** Slot name → its type and where it was first declared, over the whole flow. */
        private final Map<String, SlotDeclaration> slotTypes = new HashMap<>();
        private boolean graphValid = true;

        private record SlotDeclaration(SlotType type, String nodePath) {
        }

        FlowReader(Set<String> agentTools) {
            this.agentTools = agentTools;
        }

        Flow flow(JsonNode node) {
            int before = errors.size();
            Obj f = object(node, "flow", Set.of("startNode", "nodes"), Set.of());
            if (f == null) {
                return null;
            }
            String startNode = requiredText(f, "startNode", 64);
            List<JsonNode> nodes = array(f, "nodes", MAX_NODES);
            if (nodes != null && nodes.isEmpty()) {
                error("flow.nodes", "must have at least one node");
            }
            if (startNode == null || nodes == null || nodes.isEmpty()) {
                return null;
            }
            String[] ids = scanIds(nodes);
            Set<String> known = new HashSet<>();
            Arrays.stream(ids).filter(java.util.Objects::nonNull).forEach(known::add);
            scanSlots(nodes);
            if (!known.contains(startNode)) {
                error("flow.startNode", "names no node of this flow: '" + startNode + "'");
                graphValid = false;
            }

            List<FlowNode> read = new ArrayList<>();
            List<List<String>> targets = new ArrayList<>();
            boolean[] terminal = new boolean[nodes.size()];
            Map<String, Integer> firstIndex = new HashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                List<String> nodeTargets = new ArrayList<>();
                targets.add(nodeTargets);
                FlowNode n = node(nodes.get(i), "flow.nodes[" + i + "]", i, ids, known, firstIndex, nodeTargets, terminal);
                if (n != null) {
                    read.add(n);
                }
            }
            if (graphValid) {
                checkGraph(startNode, ids, targets, terminal);
            }
            return errors.size() > before ? null : new Flow(startNode, read);
        }

        private String[] scanIds(List<JsonNode> nodes) {
            String[] ids = new String[nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                JsonNode id = nodes.get(i).isObject() ? nodes.get(i).get("id") : null;
                if (id != null && id.isString() && NODE_ID.matcher(id.stringValue()).matches()) {
                    ids[i] = id.stringValue();
                }
            }
            return ids;
        }

        private void scanSlots(List<JsonNode> nodes) {
            for (int i = 0; i < nodes.size(); i++) {
                JsonNode slots = nodes.get(i).isObject() ? nodes.get(i).get("slots") : null;
                if (slots == null || !slots.isArray()) {
                    continue;
                }
                for (JsonNode slot : slots.values()) {
                    JsonNode name = slot.isObject() ? slot.get("name") : null;
                    JsonNode type = slot.isObject() ? slot.get("type") : null;
                    SlotType t = type != null && type.isString() ? enumOrNull(SlotType::valueOf, type.stringValue()) : null;
                    if (name != null && name.isString() && SLOT_NAME.matcher(name.stringValue()).matches() && t != null) {
                        slotTypes.putIfAbsent(name.stringValue(), new SlotDeclaration(t, "flow.nodes[" + i + "]"));
                    }
                }
            }
        }

        private FlowNode node(JsonNode json, String path, int index, String[] ids, Set<String> known,
                              Map<String, Integer> firstIndex, List<String> nodeTargets, boolean[] terminal) {
            int before = errors.size();
            Obj n = object(json, path, Set.of("id", "instructions", "reply", "slots", "functions", "transitions", "end"), Set.of());
            if (n == null) {
                graphValid = false;
                return null;
            }
            String id = requiredText(n, "id", 64);
            if (id != null && ids[index] == null) {
                error(n.at("id"), "may contain only letters, digits, _ and - (at most 64)");
            }
            if (ids[index] == null) {
                graphValid = false;
            } else {
                Integer first = firstIndex.putIfAbsent(id, index);
                if (first != null) {
                    error(n.at("id"), "duplicates the id of flow.nodes[" + first + "]");
                    graphValid = false;
                }
            }
            String instructions = requiredText(n, "instructions", MAX_INSTRUCTIONS);
            String reply = token(n, "reply", MAX_REPLY);
            if (reply != null) {
                checkTemplate(n.at("reply"), reply);
            }
            List<Slot> slots = slots(n);
            List<String> functions = functions(n);
            Boolean end = bool(n, "end", false);
            if (functions == null || end == null) {
                graphValid = false; // whether the node ends the conversation is unknown
            }
            terminal[index] = Boolean.TRUE.equals(end)
                    || (functions != null && functions.stream().anyMatch(AgentTools.ENDING_CALL::contains));
            Boolean hasRequiredSlot = slots == null ? null : slots.stream().anyMatch(Slot::required);
            List<Transition> transitions = transitions(n, known, hasRequiredSlot, nodeTargets);
            if (Boolean.TRUE.equals(end) && transitions != null && !transitions.isEmpty()) {
                error(n.at("transitions"), "must be empty on an end node");
            }
            if (errors.size() > before) {
                return null;
            }
            return new FlowNode(id, instructions, reply, slots, functions, transitions, end);
        }

        private void checkTemplate(String path, String template) {
            int i = 0;
            while (i < template.length()) {
                char c = template.charAt(i);
                if (c == '}') {
                    error(path, "has a '}' without an opening '{'");
                    return;
                }
                if (c != '{') {
                    i++;
                    continue;
                }
                int close = template.indexOf('}', i + 1);
                int nextOpen = template.indexOf('{', i + 1);
                if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
                    error(path, "has a '{' without a closing '}'");
                    return;
                }
                String placeholder = template.substring(i + 1, close);
                if (!slotTypes.containsKey(placeholder)) {
                    error(path, "refers to {" + placeholder + "}, which is not a slot of this flow");
                    return;
                }
                i = close + 1;
            }
        }

        private List<Slot> slots(Obj node) {
            List<JsonNode> items = array(node, "slots", MAX_SLOTS);
            if (items == null) {
                return null;
            }
            int before = errors.size();
            List<Slot> slots = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                String path = node.at("slots") + "[" + i + "]";
                Obj s = object(items.get(i), path, Set.of("name", "type", "required", "prompt"), Set.of());
                if (s == null) {
                    continue;
                }
                int slotBefore = errors.size();
                String name = requiredText(s, "name", 40);
                if (name != null && !SLOT_NAME.matcher(name).matches()) {
                    error(s.at("name"), "must start with a lower-case letter and contain only a-z, 0-9 and _ (at most 40)");
                } else if (name != null && !names.add(name)) {
                    error(s.at("name"), "is used by another slot of this node");
                }
                SlotType type = choice(s, "type", true, SlotType::valueOf, SlotType.values(), SlotType::wire);
                if (name != null && type != null && slotTypes.containsKey(name) && slotTypes.get(name).type() != type) {
                    SlotDeclaration first = slotTypes.get(name);
                    error(s.at("type"), "slot '" + name + "' is a " + first.type().wire() + " in " + first.nodePath()
                            + "; a slot name has one type in a flow");
                }
                Boolean required = bool(s, "required", true);
                String prompt = text(s, "prompt", MAX_SLOT_PROMPT, "");
                if (Boolean.TRUE.equals(required) && prompt != null && prompt.isBlank()) {
                    error(s.at("prompt"), "is required for a required slot (it asks the caller for the value)");
                }
                if (errors.size() == slotBefore) {
                    slots.add(new Slot(name, type, required, prompt));
                }
            }
            return errors.size() > before ? null : slots;
        }

        private List<String> functions(Obj node) {
            List<JsonNode> items = array(node, "functions", MAX_FUNCTIONS);
            if (items == null) {
                return null;
            }
            int before = errors.size();
            List<String> functions = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String path = node.at("functions") + "[" + i + "]";
                JsonNode item = items.get(i);
                if (!item.isString()) {
                    error(path, "must be a string");
                } else if (functions.contains(item.stringValue())) {
                    error(path, "is listed twice");
                } else if (agentTools == null || agentTools.contains(item.stringValue())) {
                    functions.add(item.stringValue());
                } else if (AgentTools.BUILT_IN.contains(item.stringValue())) {
                    error(path, "is not one of this agent's tools; add it to tools");
                } else {
                    error(path, "is not a known tool: neither built in nor one of this agent's httpTools");
                }
            }
            return errors.size() > before ? null : functions;
        }

        /** {@code hasRequiredSlot} is null when the node's slots are invalid (then it is not judged). */
        private List<Transition> transitions(Obj node, Set<String> known, Boolean hasRequiredSlot, List<String> nodeTargets) {
            List<JsonNode> items = array(node, "transitions", MAX_TRANSITIONS);
            if (items == null) {
                graphValid = false;
                return null;
            }
            int before = errors.size();
            List<Transition> transitions = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String path = node.at("transitions") + "[" + i + "]";
                Obj t = object(items.get(i), path, Set.of("target", "examples", "condition"), Set.of());
                if (t == null) {
                    graphValid = false;
                    continue;
                }
                int transitionBefore = errors.size();
                String target = requiredText(t, "target", 64);
                if (target == null) {
                    graphValid = false;
                } else if (!known.contains(target)) {
                    error(t.at("target"), "names no node of this flow: '" + target + "'");
                    graphValid = false;
                } else {
                    nodeTargets.add(target);
                }
                List<String> examples = examples(t);
                Condition condition = t.get("condition") == null ? null
                        : choice(t, "condition", false, Condition::valueOf, Condition.values(), Condition::wire);
                if (examples != null && condition != null && !examples.isEmpty()) {
                    error(t.at("condition"), "cannot be combined with examples: a transition is taken on one or the other");
                } else if (examples != null && examples.isEmpty() && t.get("condition") == null) {
                    error(path, "needs examples (phrases that lead here) or a condition");
                }
                if (condition == Condition.SLOTS_FILLED && Boolean.FALSE.equals(hasRequiredSlot)) {
                    error(t.at("condition"), "slots_filled needs a required slot in this node");
                }
                if (errors.size() == transitionBefore) {
                    transitions.add(new Transition(target, examples, condition));
                }
            }
            return errors.size() > before ? null : transitions;
        }

        private List<String> examples(Obj transition) {
            List<JsonNode> items = array(transition, "examples", MAX_EXAMPLES);
            if (items == null) {
                return null;
            }
            int before = errors.size();
            List<String> examples = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String path = transition.at("examples") + "[" + i + "]";
                JsonNode item = items.get(i);
                if (!item.isString()) {
                    error(path, "must be a string");
                } else if (item.stringValue().isBlank()) {
                    error(path, "must not be blank");
                } else if (length(item.stringValue()) > MAX_EXAMPLE) {
                    error(path, "must be at most " + MAX_EXAMPLE + " characters");
                } else {
                    examples.add(item.stringValue());
                }
            }
            return errors.size() > before ? null : examples;
        }

        private void checkGraph(String start, String[] ids, List<List<String>> targets, boolean[] terminal) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                index.put(ids[i], i);
            }
            boolean[] reachable = new boolean[ids.length];
            Deque<Integer> queue = new ArrayDeque<>();
            int s = index.get(start);
            reachable[s] = true;
            queue.add(s);
            while (!queue.isEmpty()) {
                for (String t : targets.get(queue.poll())) {
                    int j = index.get(t);
                    if (!reachable[j]) {
                        reachable[j] = true;
                        queue.add(j);
                    }
                }
            }
            // Backwards from the nodes where a conversation can finish (end nodes, and start, to go round again).
            List<List<Integer>> incoming = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                incoming.add(new ArrayList<>());
            }
            for (int i = 0; i < ids.length; i++) {
                for (String t : targets.get(i)) {
                    incoming.get(index.get(t)).add(i);
                }
            }
            boolean[] canFinish = new boolean[ids.length];
            for (int i = 0; i < ids.length; i++) {
                if (terminal[i] || i == s) {
                    canFinish[i] = true;
                    queue.add(i);
                }
            }
            while (!queue.isEmpty()) {
                for (int j : incoming.get(queue.poll())) {
                    if (!canFinish[j]) {
                        canFinish[j] = true;
                        queue.add(j);
                    }
                }
            }
            for (int i = 0; i < ids.length; i++) {
                if (!reachable[i]) {
                    error("flow.nodes[" + i + "]", "is not reachable from startNode '" + start + "'");
                } else if (!canFinish[i]) {
                    error("flow.nodes[" + i + "]", "leads neither to an end node nor back to startNode, so a "
                            + "conversation here could never finish (mark an end node with end: true)");
                }
            }
        }
    }

    // ---------------------------------------------------------------- JSON helpers

    /** An object being read and its path; {@code get} treats JSON null as absent. */
    private record Obj(JsonNode node, String path) {
        JsonNode get(String key) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : v;
        }

        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }
    }

    private void error(String path, String message) {
        errors.add(new FieldError(path, message));
    }

    private boolean hasErrorAt(String path) {
        return errors.stream().anyMatch(e -> e.field().equals(path) || e.field().startsWith(path + ".")
                || e.field().startsWith(path + "["));
    }

    private Obj object(JsonNode node, String path, Set<String> fields, Set<String> ignored) {
        if (node == null || !node.isObject()) {
            error(path.isEmpty() ? "(body)" : path, "must be an object");
            return null;
        }
        for (String key : node.propertyNames()) {
            if (!fields.contains(key) && !ignored.contains(key)) {
                error(path.isEmpty() ? key : path + "." + key, "is not a known field");
            }
        }
        return new Obj(node, path);
    }

    /** A nested object that may be absent (null then, with no error). */
    private Obj optionalObject(Obj parent, String key, Set<String> fields) {
        JsonNode v = parent.get(key);
        if (v == null) {
            return null;
        }
        return object(v, parent.at(key), fields, Set.of());
    }

    private String string(Obj o, String key, boolean required, boolean allowBlank, int max) {
        JsonNode v = o.get(key);
        String path = o.at(key);
        if (v == null) {
            if (required) {
                error(path, "is required");
            }
            return null;
        }
        if (!v.isString()) {
            error(path, "must be a string");
            return null;
        }
        String s = v.stringValue();
        if (!allowBlank && s.isBlank()) {
            error(path, "must not be blank");
            return null;
        }
        if (length(s) > max) {
            error(path, "must be at most " + max + " characters");
            return null;
        }
        return s;
    }

    /** A required, non-blank string. */
    private String requiredText(Obj o, String key, int max) {
        return string(o, key, true, false, max);
    }

    /** An optional string that is not blank when given; null when absent. */
    private String token(Obj o, String key, int max) {
        return string(o, key, false, false, max);
    }

    /** An optional string that may be blank; {@code absent} when not given (null after an error). */
    private String text(Obj o, String key, int max, String absent) {
        if (o.get(key) == null) {
            return absent;
        }
        return string(o, key, false, true, max);
    }

    private Integer integer(Obj o, String key, int min, int max, int absent) {
        JsonNode v = o.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isIntegralNumber()) {
            error(o.at(key), "must be an integer");
            return null;
        }
        if (!v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            error(o.at(key), "must be between " + min + " and " + max);
            return null;
        }
        return v.intValue();
    }

    private Boolean bool(Obj o, String key, boolean absent) {
        JsonNode v = o.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isBoolean()) {
            error(o.at(key), "must be true or false");
            return null;
        }
        return v.booleanValue();
    }

    /** The items of an optional array (empty when absent); null after an error. */
    private List<JsonNode> array(Obj o, String key, int max) {
        JsonNode v = o.get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            error(o.at(key), "must be an array");
            return null;
        }
        if (v.size() > max) {
            error(o.at(key), "must have at most " + max + " items");
            return null;
        }
        return List.copyOf(v.values());
    }

    private <E extends Enum<E>> E choice(Obj o, String key, boolean required, Function<String, E> valueOf,
                                         E[] values, Function<E, String> wire) {
        JsonNode v = o.get(key);
        if (v == null) {
            if (required) {
                error(o.at(key), "is required");
            }
            return null;
        }
        E e = v.isString() ? enumOrNull(valueOf, v.stringValue()) : null;
        if (e == null || !wire.apply(e).equals(v.stringValue())) {
            error(o.at(key), "must be one of: " + String.join(", ", Arrays.stream(values).map(wire).toList()));
            return null;
        }
        return e;
    }

    private static <E extends Enum<E>> E enumOrNull(Function<String, E> valueOf, String wire) {
        try {
            return valueOf.apply(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
