package dev.palaver.providers.speechhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parsesObjectsArraysStringsNumbersAndLiterals() {
        Map<String, Object> m = Json.parseObject(
                " {\"a\": \"x\\\"y\\u00e9\\n\", \"b\": [1, -2.5e1, true, false, null], \"c\": {\"d\": {}} } ");
        assertThat(m.get("a")).isEqualTo("x\"yé\n");
        assertThat(m.get("b")).isEqualTo(List.of(1.0, -25.0, true, false, Json.NULL));
        assertThat(Json.object(Json.object(m, "c"), "d")).isEmpty();
        assertThat(Json.string(m, "b")).isNull();
        assertThat(Json.bool(m, "missing", true)).isTrue();
        assertThat(Json.array(m, "a")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "{\"a\" 1}", "[1 2]", "{\"a\":01}", "{\"a\":\"\u0001\"}",
        "{\"a\":1} x", "tru", "{\"a\":\"\\x\"}", "{'a':1}", "\"unterminated"})
    void refusesWhatIsNotJson(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.MalformedJsonException.class);
    }

    @Test
    void refusesNestingDeeperThanItsBound() {
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(Json.MalformedJsonException.class);
        assertThat(Json.parse("[".repeat(20) + "]".repeat(20))).isInstanceOf(List.class);
    }

    @Test
    void parseObjectRefusesOtherValues() {
        assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(Json.MalformedJsonException.class);
    }

    @Test
    void writesObjectsThatParseBackAndLeavesOutNulls() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", List.of(1, "two", false));
        String text = Json.object("text", "He said \"hi\"\n\ttab\u2028 \\ end", "speed", 1.25, "n", 3, "skip", null,
                "nested", nested);
        assertThat(text).doesNotContain("skip").contains("\\u2028");
        Map<String, Object> back = Json.parseObject(text);
        assertThat(back.get("text")).isEqualTo("He said \"hi\"\n\ttab\u2028 \\ end");
        assertThat(back.get("speed")).isEqualTo(1.25);
        assertThat(back.get("n")).isEqualTo(3.0);
        assertThat(Json.object(back, "nested").get("k")).isEqualTo(List.of(1.0, "two", false));
        assertThat(Json.quote("a\u0000b")).isEqualTo("\"a\\u0000b\"");
    }

    @Test
    void refusesToWriteWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.object("x", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.object("x", new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.object("x")).isInstanceOf(IllegalArgumentException.class);
    }
}
