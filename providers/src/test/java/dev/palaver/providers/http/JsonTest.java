package dev.palaver.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class JsonTest {

    @Test
    void parsesObjectsArraysStringsNumbersAndLiterals() {
        JsonNode m = Json.tryParseObject(
                " {\"a\": \"x\\\"y\\u00e9\\n\", \"b\": [1, -2.5e1, true, false, null], \"c\": {\"d\": {}} } ");
        assertThat(Json.string(m, "a")).isEqualTo("x\"yé\n");
        JsonNode b = m.get("b");
        assertThat(b.get(0).asInt()).isEqualTo(1);
        assertThat(b.get(1).asDouble()).isEqualTo(-25.0);
        assertThat(b.get(2).booleanValue()).isTrue();
        assertThat(b.get(3).booleanValue()).isFalse();
        assertThat(b.get(4).isNull()).isTrue();
        assertThat(m.get("c").get("d").isEmpty()).isTrue();
        assertThat(Json.string(m, "b")).isNull();
        assertThat(Json.string(null, "a")).isNull();
        assertThat(Json.bool(m, "missing", true)).isTrue();
        assertThat(Json.bool(m, "a", false)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "{\"a\" 1}", "[1 2]", "{\"a\":01}", "{\"a\":\"\u0001\"}",
        "{\"a\":1} x", "tru", "{\"a\":\"\\x\"}", "{'a':1}", "\"unterminated"})
    void refusesWhatIsNotJson(String text) {
        assertThat(Json.tryParse(text)).isNull();
        assertThat(Json.tryParse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void refusesNestingDeeperThanItsBound() {
        assertThat(Json.tryParse("[".repeat(100) + "]".repeat(100))).isNull();
        assertThat(Json.tryParse("[".repeat(20) + "]".repeat(20))).isNotNull();
    }

    @Test
    void parseObjectRefusesOtherValues() {
        assertThat(Json.tryParseObject("[1]")).isNull();
        assertThat(Json.tryParseObject("\"x\"")).isNull();
    }

    @Test
    void writesObjectsThatParseBackAndLeavesOutNulls() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", List.of(1, "two", false));
        nested.put("gone", null);
        String text = Json.fields("text", "He said \"hi\"\n\ttab\u2028 \\ end", "speed", 1.25, "n", 3, "skip", null,
                "nested", nested);
        assertThat(text).doesNotContain("skip").doesNotContain("gone").contains("\\u2028");
        JsonNode back = Json.tryParseObject(text);
        assertThat(Json.string(back, "text")).isEqualTo("He said \"hi\"\n\ttab\u2028 \\ end");
        assertThat(back.get("speed").asDouble()).isEqualTo(1.25);
        assertThat(back.get("n").asInt()).isEqualTo(3);
        assertThat(Json.write(back.get("nested").get("k"))).isEqualTo("[1,\"two\",false]");
        assertThat(Json.fields("a", "a\u0000b")).isEqualTo("{\"a\":\"a\\u0000b\"}");
    }

    @Test
    void refusesToWriteWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.fields("x", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.fields("x", new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.fields("x")).isInstanceOf(IllegalArgumentException.class);
    }
}
