package dev.palaver.server.agents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.palaver.server.agents.AgentDefinition.Kind;

/**
 * The providers an agent may name, and what each offers. {@code offline} is the embedded default
 * (pocketsphinx, flite): speech only, since no small language model ships with Palaver.
 */
public final class ProviderCatalog {

    private static final Map<String, Set<Kind>> OFFERS = new LinkedHashMap<>();

    static {
        OFFERS.put("offline", Set.of(Kind.STT, Kind.TTS));
        OFFERS.put("openai", Set.of(Kind.STT, Kind.LLM, Kind.TTS));
        OFFERS.put("anthropic", Set.of(Kind.LLM));
        OFFERS.put("groq", Set.of(Kind.STT, Kind.LLM));
        OFFERS.put("deepgram", Set.of(Kind.STT, Kind.TTS));
        OFFERS.put("elevenlabs", Set.of(Kind.TTS));
    }

    private ProviderCatalog() {
    }

    public static boolean isKnown(String provider) {
        return OFFERS.containsKey(provider);
    }

    public static boolean offers(String provider, Kind kind) {
        return OFFERS.getOrDefault(provider, Set.of()).contains(kind);
    }

    /** Every provider, in a stable order. */
    public static List<String> all() {
        return List.copyOf(OFFERS.keySet());
    }

    /** The providers of one kind, in a stable order. */
    public static List<String> offering(Kind kind) {
        return OFFERS.entrySet().stream().filter(e -> e.getValue().contains(kind)).map(Map.Entry::getKey).toList();
    }
}
