package dev.palaver.server.agents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.swagger.v3.oas.annotations.media.Schema;

import tools.jackson.databind.node.ObjectNode;

import dev.palaver.media.call.CallSettings;
import dev.palaver.media.call.FalseInterruptionPolicy;

/**
 * One version of an agent, validated: what {@code POST|PUT /api/v1/agents} accept (less the read-only
 * fields) and what {@link AgentDefinitions} hands to other features. Instances are only made from input
 * that passed {@link AgentDefinitionReader}, or read back from a stored version; components are never null
 * except where documented ({@code voice}, {@code providers.llm}, {@code flow}, and the optional parts of
 * providers and flows).
 *
 * @param name             unique per organization, ignoring case (1-100 characters)
 * @param brain            what produces replies
 * @param personaPrompt    the system prompt ("" when absent; required for an {@code llm} brain)
 * @param firstMessage     said when a call starts; "" to wait for the caller
 * @param language         a BCP 47 tag in canonical case, e.g. {@code en-US}
 * @param voice            the agent's voice, used by a TTS choice that names none; null for the provider's default
 * @param providers        speech and language providers, each with ordered fallbacks
 * @param tools            built-in tools the agent may use ({@link AgentTools#BUILT_IN}), in the order given
 * @param httpTools        the organization's own HTTP tools
 * @param knowledgeBaseIds knowledge bases to search (their existence is the knowledge feature's concern)
 * @param enabled          whether calls may be started with this agent
 * @param flow             the conversation graph; present exactly when {@code brain} is {@link Brain#FLOW}
 */
public record AgentDefinition(
        String name,
        Brain brain,
        String personaPrompt,
        String firstMessage,
        String language,
        String voice,
        Providers providers,
        Endpointing endpointing,
        Interruption interruption,
        List<String> tools,
        List<HttpTool> httpTools,
        List<UUID> knowledgeBaseIds,
        Memory memory,
        Limits limits,
        boolean enabled,
        Flow flow) {

    public AgentDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(brain, "brain");
        personaPrompt = Objects.requireNonNullElse(personaPrompt, "");
        firstMessage = Objects.requireNonNullElse(firstMessage, "");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(providers, "providers");
        Objects.requireNonNull(endpointing, "endpointing");
        Objects.requireNonNull(interruption, "interruption");
        tools = List.copyOf(tools);
        httpTools = List.copyOf(httpTools);
        knowledgeBaseIds = List.copyOf(knowledgeBaseIds);
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(limits, "limits");
    }

    /** The call engine's settings for this agent: {@code defaults} with what the agent defines put over them. */
    public CallSettings callSettings(CallSettings defaults) {
        return defaults.toBuilder()
                .systemPrompt(personaPrompt)
                .firstMessage(firstMessage)
                .endpointingDelay(Duration.ofMillis(endpointing.delayMs()))
                .interruptionThreshold(Duration.ofMillis(interruption.thresholdMs()))
                .ignoreBackchannels(interruption.backchannels())
                .falseInterruptionPolicy(interruption.falseInterruption().policy())
                .silenceTimeout(Duration.ofSeconds(limits.silenceTimeoutSeconds()))
                .maxDuration(Duration.ofSeconds(limits.maxDurationSeconds()))
                .build();
    }

    /** Every tool the agent may call: built-in ones, then its HTTP tools. */
    public List<String> toolNames() {
        List<String> all = new ArrayList<>(tools);
        httpTools.forEach(t -> all.add(t.name()));
        return List.copyOf(all);
    }

    /** The HTTP tool of this name, if the agent has one. */
    public Optional<HttpTool> httpTool(String name) {
        return httpTools.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The voice to ask of a TTS choice: its own, else the agent's; null for the provider's default. */
    public String voiceFor(ProviderChoice ttsChoice) {
        return ttsChoice.voice() != null ? ttsChoice.voice() : voice;
    }

    public enum Brain {
        /** A language model answers, with the persona prompt, tools and context. */
        LLM,
        /** A {@link Flow} steers the conversation (with a language model when one is configured). */
        FLOW;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Brain fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /** The kinds of provider an agent uses. */
    public enum Kind {
        STT, LLM, TTS;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Providers per kind. {@code llm} is null when a flow agent runs without a language model (offline).
     */
    public record Providers(ProviderChain stt, ProviderChain llm, ProviderChain tts) {
        public Providers {
            Objects.requireNonNull(stt, "stt");
            Objects.requireNonNull(tts, "tts");
        }

        /** The chain of one kind; empty only for an absent LLM. */
        public Optional<ProviderChain> of(Kind kind) {
            return Optional.ofNullable(switch (kind) {
                case STT -> stt;
                case LLM -> llm;
                case TTS -> tts;
            });
        }
    }

    /**
     * The first choice of one kind and the ones to fall back to, in order, when it fails or stalls.
     * {@code model} and {@code voice} are null for the provider's default; only TTS has a voice.
     */
    public record ProviderChain(String provider, String model, String voice, List<ProviderChoice> fallbacks) {
        public ProviderChain {
            Objects.requireNonNull(provider, "provider");
            fallbacks = List.copyOf(fallbacks);
        }

        /** The first choice, then the fallbacks. */
        public List<ProviderChoice> choices() {
            List<ProviderChoice> all = new ArrayList<>();
            all.add(new ProviderChoice(provider, model, voice));
            all.addAll(fallbacks);
            return List.copyOf(all);
        }
    }

    public record ProviderChoice(String provider, String model, String voice) {
        public ProviderChoice {
            Objects.requireNonNull(provider, "provider");
        }
    }

    /** Silence after the caller's last word before their turn ends. */
    public record Endpointing(int delayMs) {
    }

    /**
     * Barge-in: caller speech this long cuts the agent off; with {@code backchannels} true, short
     * acknowledgements ("uh-huh", "okay") do not.
     */
    public record Interruption(int thresholdMs, boolean backchannels, FalseInterruption falseInterruption) {
        public Interruption {
            Objects.requireNonNull(falseInterruption, "falseInterruption");
        }
    }

    /** What to do after an interruption that turned out to hold no words. */
    public enum FalseInterruption {
        RESUME(FalseInterruptionPolicy.RESUME),
        REPEAT(FalseInterruptionPolicy.REPEAT_SENTENCE),
        LISTEN(FalseInterruptionPolicy.LISTEN);

        private final FalseInterruptionPolicy policy;

        FalseInterruption(FalseInterruptionPolicy policy) {
            this.policy = policy;
        }

        public FalseInterruptionPolicy policy() {
            return policy;
        }

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static FalseInterruption fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * A tool that calls the organization's own URL with JSON arguments matching {@code schema} (a JSON
     * Schema of {@code "type": "object"}). Only its shape is checked on save; the call itself (address
     * rules, signature, timeout) is the tool runner's.
     */
    public record HttpTool(String name, String description, String url,
                           @Schema(implementation = Object.class, description = "JSON Schema of the tool's arguments")
                           ObjectNode schema) {
        public HttpTool {
            Objects.requireNonNull(name, "name");
            description = Objects.requireNonNullElse(description, "");
            Objects.requireNonNull(url, "url");
            schema = schema.deepCopy();
        }

        /** A copy: the record stays immutable. */
        @Override
        public ObjectNode schema() {
            return schema.deepCopy();
        }
    }

    /** Whether callers are remembered between calls. */
    public record Memory(boolean enabled) {
    }

    public record Limits(int maxDurationSeconds, int silenceTimeoutSeconds) {
    }

    /**
     * A structured conversation: the call starts in {@code startNode}; each node speaks ({@code reply}
     * template, or with a language model its {@code instructions}), fills its slots, may call its functions,
     * and moves on along the first transition that applies.
     */
    public record Flow(String startNode, List<FlowNode> nodes) {
        public Flow {
            Objects.requireNonNull(startNode, "startNode");
            nodes = List.copyOf(nodes);
        }

        public Optional<FlowNode> node(String id) {
            return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
        }

        public FlowNode start() {
            return node(startNode).orElseThrow();
        }
    }

    /**
     * @param reply template with {@code {slot}} placeholders; null when the node's reply comes from its
     *              instructions (with a language model) or its functions (e.g. knowledge search)
     * @param end   the call ends after this node's reply
     */
    public record FlowNode(String id, String instructions, String reply, List<Slot> slots, List<String> functions,
                           List<Transition> transitions, boolean end) {
        public FlowNode {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(instructions, "instructions");
            slots = List.copyOf(slots);
            functions = List.copyOf(functions);
            transitions = List.copyOf(transitions);
        }
    }

    /** A value the node collects from the caller; {@code prompt} asks for it ("" only when not required). */
    public record Slot(String name, SlotType type, boolean required, String prompt) {
        public Slot {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            prompt = Objects.requireNonNullElse(prompt, "");
        }
    }

    public enum SlotType {
        DATE, TIME, PHONE, NAME, NUMBER, TEXT;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static SlotType fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * A way out of a node: taken when the caller says something like one of {@code examples}, or, with a
     * {@code condition} instead, when the condition holds. Exactly one of the two is set.
     */
    public record Transition(String target, List<String> examples, Condition condition) {
        public Transition {
            Objects.requireNonNull(target, "target");
            examples = List.copyOf(examples);
        }
    }

    public enum Condition {
        /** Every required slot of the node is filled. */
        SLOTS_FILLED,
        /** Right after the node's reply. */
        ALWAYS;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Condition fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
