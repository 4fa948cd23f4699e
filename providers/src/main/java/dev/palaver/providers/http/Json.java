package dev.palaver.providers.http;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the providers (immutable, thread-safe) and lenient parsing helpers. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The parsed document, or null if the bytes are not one JSON value. */
    public static JsonNode tryParse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The parsed document, or null if the text is not one JSON value. */
    public static JsonNode tryParse(String text) {
        try {
            return MAPPER.readTree(text);
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

    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }
}
