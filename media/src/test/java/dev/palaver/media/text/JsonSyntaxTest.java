package dev.palaver.media.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            " { \"a\" : 1 } ",
            "{\"name\":\"Ann\",\"age\":-3.5e2,\"ok\":true,\"none\":null}",
            "{\"list\":[1,[2,3],{\"x\":\"y\"}],\"empty\":[]}",
            "{\"escaped\":\"line\\nbreak \\\"quoted\\\" \\u00e9\"}"})
    void acceptsObjects(String json) {
        assertThat(JsonSyntax.isObject(json)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "[]", "\"text\"", "42", "null",
            "{", "{\"a\":1", "{\"a\":1,}", "{'a':1}", "{a:1}", "{\"a\":01}", "{\"a\":1} extra",
            "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":.5}", "{\"a\":1.}"})
    void rejectsAnythingElse(String json) {
        assertThat(JsonSyntax.isObject(json)).isFalse();
    }

    @Test
    void rejectsNullAndAbsurdNesting() {
        assertThat(JsonSyntax.isObject(null)).isFalse();
        assertThat(JsonSyntax.isObject("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")).isFalse();
        assertThat(JsonSyntax.isObject("{\"a\":" + "[".repeat(10) + "]".repeat(10) + "}")).isTrue();
    }
}
