package dev.palaver.providers.http;

import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonpCharacterEscapes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper of the providers (immutable, thread-safe) and lenient helpers around it. Provider
 * messages are small: nesting deeper than {@value #MAX_DEPTH} is refused. Written JSON escapes U+2028 and
 * U+2029 as well, so a body can be embedded in JavaScript unchanged.
 */
public final class Json {

    static final int MAX_DEPTH = 64;

    public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .characterEscapes(JsonpCharacterEscapes.instance())
                    .build())
            .build();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The parsed document, or null if the bytes are not exactly one JSON value. */
    public static JsonNode tryParse(byte[] bytes) {
        try {
            return present(MAPPER.readTree(bytes));
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The parsed document, or null if the text is not exactly one JSON value. */
    public static JsonNode tryParse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return present(MAPPER.readTree(text));
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The parsed object, or null if the text is not exactly one JSON object. */
    public static ObjectNode tryParseObject(String text) {
        return tryParse(text) instanceof ObjectNode object ? object : null;
    }

    /** The node's string value, or null if it is missing or not a string. */
    public static String string(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }

    /** The string field {@code name} of {@code node}, or null if either is missing or it is not a string. */
    public static String string(JsonNode node, String name) {
        return node == null ? null : string(node.get(name));
    }

    /** The boolean field {@code name} of {@code node}; {@code absent} if there is none. */
    public static boolean bool(JsonNode node, String name, boolean absent) {
        JsonNode value = node == null ? null : node.get(name);
        return value != null && value.isBoolean() ? value.booleanValue() : absent;
    }

    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /**
     * An object written from key/value pairs, leaving out pairs whose value is null. Values may be strings,
     * finite numbers, booleans, and maps and lists of those.
     *
     * @throws IllegalArgumentException for an odd number of arguments or a value JSON cannot hold
     */
    public static String fields(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must pair up");
        }
        ObjectNode object = object();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                object.set((String) keysAndValues[i], node(keysAndValues[i + 1]));
            }
        }
        return write(object);
    }

    private static JsonNode node(Object value) {
        return switch (value) {
            case String s -> MAPPER.getNodeFactory().stringNode(s);
            case Boolean b -> MAPPER.getNodeFactory().booleanNode(b);
            case Integer n -> MAPPER.getNodeFactory().numberNode(n);
            case Long n -> MAPPER.getNodeFactory().numberNode(n);
            case Number n -> {
                double d = n.doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("JSON has no " + d);
                }
                yield MAPPER.getNodeFactory().numberNode(d);
            }
            case Map<?, ?> map -> {
                ObjectNode object = object();
                map.forEach((k, v) -> {
                    if (v != null) {
                        object.set(String.valueOf(k), node(v));
                    }
                });
                yield object;
            }
            case List<?> list -> {
                ArrayNode array = MAPPER.createArrayNode();
                list.forEach(v -> array.add(v == null ? MAPPER.getNodeFactory().nullNode() : node(v)));
                yield array;
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
        };
    }

    /** {@code readTree} answers empty input with a missing node rather than failing. */
    private static JsonNode present(JsonNode node) {
        return node == null || node.isMissingNode() ? null : node;
    }
}
