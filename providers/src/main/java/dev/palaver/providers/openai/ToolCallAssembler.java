package dev.palaver.providers.openai;

import dev.palaver.media.llm.ToolCall;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Assembles streamed {@code tool_calls} fragments into complete calls. OpenAI sends a call's id and name in
 * its first fragment and argument text in later ones, keyed by {@code index}. Some compatible servers
 * (Ollama) send every call of a parallel batch whole at index 0, and some omit the index: so a fragment
 * that names a function opens a new call when the call at its index is already named, and a fragment
 * without an index continues the latest call. Arguments are kept as the model wrote them, valid or not.
 */
final class ToolCallAssembler {

    static final int MAX_CALLS = 64;
    static final int MAX_ARGUMENT_CHARS = 1 << 20;

    private static final class Slot {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    private final String provider;
    private final List<Slot> slots = new ArrayList<>();
    private final Map<Integer, Slot> byIndex = new HashMap<>();

    ToolCallAssembler(String provider) {
        this.provider = provider;
    }

    void add(JsonNode fragment) {
        if (!fragment.isObject()) {
            throw new ProviderException(ProviderFailure.Kind.MALFORMED, provider + ": a tool call fragment is not an object");
        }
        JsonNode indexNode = fragment.get("index");
        Integer index = indexNode != null && indexNode.isIntegralNumber() ? indexNode.asInt() : null;
        String id = Json.string(fragment.get("id"));
        JsonNode function = fragment.path("function");
        String name = Json.string(function.get("name"));
        JsonNode args = function.get("arguments");

        Slot slot = index != null ? byIndex.get(index) : slots.isEmpty() ? null : slots.getLast();
        boolean named = name != null && !name.isEmpty();
        if (slot == null || (named && slot.name != null)) {
            if (slots.size() == MAX_CALLS) {
                throw new ProviderException(ProviderFailure.Kind.MALFORMED,
                        provider + ": more than " + MAX_CALLS + " tool calls in one reply");
            }
            slot = new Slot();
            slots.add(slot);
            if (index != null) {
                byIndex.put(index, slot);
            }
        }
        if (slot.id == null && id != null && !id.isEmpty()) {
            slot.id = id;
        }
        if (named && slot.name == null) {
            slot.name = name;
        }
        if (args != null && !args.isNull()) {
            // Some servers send the arguments as a JSON object rather than as text.
            slot.arguments.append(args.isString() ? args.stringValue() : Json.write(args));
            if (slot.arguments.length() > MAX_ARGUMENT_CHARS) {
                throw new ProviderException(ProviderFailure.Kind.MALFORMED,
                        provider + ": tool call arguments longer than " + MAX_ARGUMENT_CHARS + " characters");
            }
        }
    }

    /**
     * The calls in the order they began. A call without an id gets a generated one (the tool result must
     * name it); a call without a name gets an empty one, which the engine answers as an unknown tool; empty
     * arguments (a function without parameters) become {@code {}}.
     */
    List<ToolCall> calls() {
        List<ToolCall> calls = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            String id = slot.id != null ? slot.id : "call_" + i;
            String name = slot.name != null ? slot.name : "";
            String arguments = slot.arguments.isEmpty() ? "{}" : slot.arguments.toString();
            calls.add(new ToolCall(id, name, arguments));
        }
        return calls;
    }
}
