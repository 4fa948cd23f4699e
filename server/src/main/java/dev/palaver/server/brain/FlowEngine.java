package dev.palaver.server.brain;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.server.agents.AgentDefinition.Condition;
import dev.palaver.server.agents.AgentDefinition.Flow;
import dev.palaver.server.agents.AgentDefinition.FlowNode;
import dev.palaver.server.agents.AgentDefinition.Slot;
import dev.palaver.server.agents.AgentDefinition.SlotType;
import dev.palaver.server.agents.AgentDefinition.Transition;
import dev.palaver.server.agents.AgentTools;
import dev.palaver.server.crm.PhoneNumbers;

/**
 * A flow without a language model: one conversation's position in the graph and its filled slots.
 * <p>
 * A caller's turn fills what slots it can (parsers), then moves along the node's example transition that
 * matches best, if any. Arriving at a node, the agent asks for its first missing required slot; once all are
 * there it calls the node's functions (as tool calls, which the caller of this engine runs and answers with
 * {@link #onToolResults}), says the node's reply template, and follows its condition transitions. A
 * {@code knowledge_search} function answers from the best matching sentences. A failed function says the
 * tool's message and asks again for the arguments it names ({@code retry}). What nothing matches is answered
 * from knowledge when the agent has any, else with a gentle "didn't catch that".
 */
final class FlowEngine {

    /** What to say now, and the tools to run before the rest of the turn. */
    record Step(String text, List<ToolCall> calls) {
    }

    private enum Waiting { NOTHING, NODE_FUNCTIONS, FALLBACK_ANSWER }

    private static final int MAX_HOPS = 12;
    private static final String DID_NOT_CATCH = "Sorry, I didn't quite catch that.";
    /** How close (cosine) knowledge must be to an utterance no transition matched, to be its answer. */
    static final double FALLBACK_SIMILARITY = 0.3;

    private final Flow flow;
    private final TransitionMatcher matcher;
    private final Map<String, Set<String>> toolParameters;
    private final boolean canSearchKnowledge;
    private final Supplier<LocalDate> today;
    private final String phoneRegion;
    private final ObjectMapper json;
    private final Map<String, SlotType> slotTypes = new HashMap<>();
    private final Map<String, String> slots = new LinkedHashMap<>();
    private final AtomicLong callIds = new AtomicLong();

    private FlowNode node;
    private String prompted;
    private boolean functionsDone;
    private Waiting waiting = Waiting.NOTHING;
    private String lastUtterance = "";
    private int hops;

    /**
     * @param toolParameters each tool the agent has, with its argument names
     * @param initialSlots   values known before the conversation (the caller's number, a remembered name)
     */
    FlowEngine(Flow flow, TransitionMatcher matcher, Map<String, Set<String>> toolParameters,
               Map<String, String> initialSlots, Supplier<LocalDate> today, String phoneRegion, boolean hasKnowledge,
               ObjectMapper json) {
        this.flow = flow;
        this.matcher = matcher;
        this.toolParameters = Map.copyOf(toolParameters);
        this.canSearchKnowledge = hasKnowledge && toolParameters.containsKey(AgentTools.KNOWLEDGE_SEARCH);
        this.today = today;
        this.phoneRegion = phoneRegion;
        this.json = json;
        for (FlowNode n : flow.nodes()) {
            for (Slot s : n.slots()) {
                slotTypes.putIfAbsent(s.name(), s.type());
            }
        }
        initialSlots.forEach((name, value) -> {
            if (slotTypes.containsKey(name) && value != null && !value.isBlank()) {
                slots.put(name, value);
            }
        });
        this.node = flow.start();
    }

    synchronized String currentNode() {
        return node.id();
    }

    synchronized Map<String, String> slots() {
        return Map.copyOf(slots);
    }

    /** The caller said {@code text}. */
    synchronized Step onUser(String text) {
        hops = 0;
        waiting = Waiting.NOTHING;
        lastUtterance = text.strip();
        StringBuilder out = new StringBuilder();
        fill(node, lastUtterance);
        Optional<Transition> next = matcher.best(lastUtterance, node.transitions());
        if (next.isPresent()) {
            return enter(next.get().target(), lastUtterance, out);
        }
        return settle(true, out);
    }

    /** The results of the tool calls of the last step. */
    synchronized Step onToolResults(List<ToolMessage> results) {
        StringBuilder out = new StringBuilder();
        Waiting was = waiting;
        waiting = Waiting.NOTHING;
        return switch (was) {
            case NOTHING -> new Step("", List.of());
            case FALLBACK_ANSWER -> {
                Optional<String> answer = knowledgeAnswer(results, FALLBACK_SIMILARITY);
                if (answer.isPresent()) {
                    say(out, answer.get());
                } else {
                    didNotCatch(out);
                }
                yield new Step(out.toString(), List.of());
            }
            case NODE_FUNCTIONS -> afterFunctions(results, out);
        };
    }

    private Step afterFunctions(List<ToolMessage> results, StringBuilder out) {
        boolean failed = false;
        boolean askAgain = false;
        for (ToolMessage r : results) {
            if (!r.error()) {
                continue;
            }
            failed = true;
            JsonNode body = parse(r.content());
            say(out, body.path("message").isString() ? body.path("message").asString()
                    : "I'm sorry, something went wrong on my side.");
            for (JsonNode retry : body.path("retry")) {
                if (slots.remove(retry.asString()) != null || slotTypes.containsKey(retry.asString())) {
                    askAgain = true;
                }
            }
        }
        if (failed && askAgain) {
            prompted = firstMissing().map(Slot::name).orElse(null);
            return new Step(out.toString(), List.of());
        }
        functionsDone = true;
        if (!failed && node.reply() == null && node.functions().contains(AgentTools.KNOWLEDGE_SEARCH)) {
            say(out, knowledgeAnswer(results, -1).orElse("I'm sorry, I don't have that information."));
        }
        return afterWork(out, !failed);
    }

    private Step enter(String target, String text, StringBuilder out) {
        if (++hops > MAX_HOPS) {
            return new Step(out.toString(), List.of());
        }
        node = flow.node(target).orElseThrow();
        functionsDone = false;
        prompted = null;
        if (text != null) {
            fill(node, text);
        }
        return settle(false, out);
    }

    /** Asks for what is missing, else runs the node's functions, else finishes the node. */
    private Step settle(boolean stayed, StringBuilder out) {
        Optional<Slot> missing = firstMissing();
        if (missing.isPresent()) {
            prompted = missing.get().name();
            say(out, missing.get().prompt());
            return new Step(out.toString(), List.of());
        }
        prompted = null;
        if (!functionsDone && !node.functions().isEmpty()) {
            List<ToolCall> calls = new ArrayList<>();
            for (String function : node.functions()) {
                calls.add(call(function));
            }
            waiting = Waiting.NODE_FUNCTIONS;
            return new Step(out.toString(), calls);
        }
        if (stayed) {
            return unmatched(out);
        }
        return afterWork(out, true);
    }

    private Step afterWork(StringBuilder out, boolean sayReply) {
        if (sayReply && node.reply() != null) {
            say(out, render(node.reply()));
        }
        if (!node.functions().isEmpty()) {
            forgetDetails(node);
        }
        for (Transition t : node.transitions()) {
            if (t.condition() == Condition.ALWAYS
                    || (t.condition() == Condition.SLOTS_FILLED && firstMissing().isEmpty())) {
                return enter(t.target(), null, out);
            }
        }
        return new Step(out.toString(), List.of());
    }

    /**
     * After a node's work is done its details (dates, times, numbers, text) are spent: a second booking asks
     * for its own. Who the caller is (name, phone) stays.
     */
    private void forgetDetails(FlowNode n) {
        for (Slot s : n.slots()) {
            if (s.type() != SlotType.NAME && s.type() != SlotType.PHONE) {
                slots.remove(s.name());
            }
        }
    }

    /** Nothing in this node handles what was said: answer from knowledge, else say so. */
    private Step unmatched(StringBuilder out) {
        if (canSearchKnowledge && !lastUtterance.isBlank()) {
            waiting = Waiting.FALLBACK_ANSWER;
            ObjectNode args = json.createObjectNode();
            args.put("query", lastUtterance);
            return new Step(out.toString(), List.of(toolCall(AgentTools.KNOWLEDGE_SEARCH, args)));
        }
        didNotCatch(out);
        return new Step(out.toString(), List.of());
    }

    private void didNotCatch(StringBuilder out) {
        say(out, DID_NOT_CATCH);
        if (node.reply() != null) {
            say(out, render(node.reply()));
        }
    }

    private ToolCall call(String function) {
        ObjectNode args = json.createObjectNode();
        Set<String> parameters = toolParameters.getOrDefault(function, Set.of());
        for (String p : parameters) {
            String value = slots.get(p);
            if (value != null) {
                if (slotTypes.get(p) == SlotType.NUMBER && p.toLowerCase().endsWith("minutes")) {
                    args.put(p, (int) Double.parseDouble(value));
                } else {
                    args.put(p, value);
                }
            }
        }
        if (parameters.contains("query") && !args.has("query")) {
            args.put("query", lastUtterance.isBlank() ? node.instructions() : lastUtterance);
        }
        if (parameters.contains("message") && !args.has("message") && !lastUtterance.isBlank()) {
            args.put("message", lastUtterance);
        }
        return toolCall(function, args);
    }

    private ToolCall toolCall(String name, ObjectNode args) {
        return new ToolCall("flow-" + callIds.incrementAndGet(), name, json.writeValueAsString(args));
    }

    private void fill(FlowNode n, String text) {
        for (Slot s : n.slots()) {
            boolean isPrompted = s.name().equals(prompted);
            SlotParsers.parse(s.type(), text, isPrompted, today.get(), phoneRegion)
                    .ifPresent(v -> slots.put(s.name(), v));
        }
    }

    private Optional<Slot> firstMissing() {
        return node.slots().stream().filter(s -> s.required() && !slots.containsKey(s.name())).findFirst();
    }

    private String render(String template) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            out.append(template, i, open);
            out.append(display(template.substring(open + 1, close)));
            i = close + 1;
        }
        return out.toString().replaceAll("\\s{2,}", " ").strip();
    }

    private String display(String slot) {
        String value = slots.get(slot);
        if (value == null) {
            return "";
        }
        return switch (slotTypes.getOrDefault(slot, SlotType.TEXT)) {
            case DATE -> Spoken.date(LocalDate.parse(value));
            case TIME -> Spoken.time(LocalTime.parse(value));
            case PHONE -> PhoneNumbers.display(value);
            case NAME, NUMBER, TEXT -> value;
        };
    }

    /**
     * The sentences of the best knowledge hit that share the most words with what was asked; empty when there
     * is none, or when its similarity to the question (if the search measured one) is below {@code minSimilarity}.
     */
    private Optional<String> knowledgeAnswer(List<ToolMessage> results, double minSimilarity) {
        for (ToolMessage r : results) {
            if (r.error() || !AgentTools.KNOWLEDGE_SEARCH.equals(r.name())) {
                continue;
            }
            JsonNode hits = parse(r.content()).path("results");
            if (hits.isEmpty()) {
                continue;
            }
            JsonNode similarity = hits.get(0).path("similarity");
            if (similarity.isNumber() && similarity.asDouble() < minSimilarity) {
                return Optional.empty();
            }
            return Optional.of(bestSentences(hits.get(0).path("text").asString(), lastUtterance));
        }
        return Optional.empty();
    }

    static String bestSentences(String text, String question) {
        String clean = text.replaceAll("(?m)^#+\\s*", "").replaceAll("\\s+", " ").strip();
        if (clean.length() <= 280) {
            return clean;
        }
        String[] sentences = clean.split("(?<=[.!?])\\s+");
        Set<String> asked = TransitionMatcher.words(question);
        int best = 0;
        int bestScore = -1;
        for (int i = 0; i < sentences.length; i++) {
            Set<String> common = new HashSet<>(TransitionMatcher.words(sentences[i]));
            common.retainAll(asked);
            if (common.size() > bestScore) {
                bestScore = common.size();
                best = i;
            }
        }
        String answer = sentences[best];
        if (best + 1 < sentences.length && answer.length() + sentences[best + 1].length() < 280) {
            answer = answer + " " + sentences[best + 1];
        }
        return answer;
    }

    private JsonNode parse(String content) {
        try {
            return json.readTree(content);
        } catch (JacksonException e) {
            return json.createObjectNode();
        }
    }

    private static void say(StringBuilder out, String text) {
        Spoken.append(out, text);
    }
}
