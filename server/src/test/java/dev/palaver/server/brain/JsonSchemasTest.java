package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class JsonSchemasTest {

    private static final JsonNode SCHEMA = TestTurnsClient.JSON.readTree("""
            {"type": "object",
             "properties": {
               "name": {"type": "string", "minLength": 1, "maxLength": 5},
               "date": {"type": "string", "format": "date"},
               "time": {"type": "string", "format": "time"},
               "digits": {"type": "string", "pattern": "^[0-9*#]+$"},
               "count": {"type": "integer", "minimum": 1, "maximum": 3},
               "kind": {"enum": ["cut", "colour"]},
               "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}},
             "required": ["name"],
             "additionalProperties": false}
            """);

    private static java.util.List<String> check(String json) {
        return JsonSchemas.validate(SCHEMA, TestTurnsClient.JSON.readTree(json));
    }

    @Test
    void conformingArgumentsHaveNoProblems() {
        assertThat(check("""
                {"name": "Ann", "date": "2026-12-01", "time": "15:00", "digits": "12#", "count": 2, "kind": "cut",
                 "tags": ["a", "b"]}""")).isEmpty();
    }

    @Test
    void eachBrokenRuleIsNamedAtItsPath() {
        assertThat(check("{}")).containsExactly("$.name: is required");
        assertThat(check("{\"name\": 5}")).containsExactly("$.name: must be a string, not a number");
        assertThat(check("{\"name\": \"\"}")).containsExactly("$.name: must have at least 1 characters");
        assertThat(check("{\"name\": \"Annabel\"}")).containsExactly("$.name: must have at most 5 characters");
        assertThat(check("{\"name\": \"Ann\", \"date\": \"next tuesday\"}"))
                .containsExactly("$.date: must be a date (YYYY-MM-DD)");
        assertThat(check("{\"name\": \"Ann\", \"time\": \"3pm\"}")).containsExactly("$.time: must be a time (HH:MM)");
        assertThat(check("{\"name\": \"Ann\", \"digits\": \"12a\"}")).containsExactly("$.digits: must match ^[0-9*#]+$");
        assertThat(check("{\"name\": \"Ann\", \"count\": 4}")).containsExactly("$.count: must be at most 3");
        assertThat(check("{\"name\": \"Ann\", \"count\": 1.5}")).containsExactly("$.count: must be an integer, not a number");
        assertThat(check("{\"name\": \"Ann\", \"kind\": \"perm\"}")).containsExactly("$.kind: must be one of [\"cut\",\"colour\"]");
        assertThat(check("{\"name\": \"Ann\", \"tags\": [\"a\", 2, \"c\"]}"))
                .containsExactly("$.tags: must have at most 2 items", "$.tags[1]: must be a string, not a number");
        assertThat(check("{\"name\": \"Ann\", \"colour\": \"red\"}")).containsExactly("$.colour: is not a parameter of this tool");
    }

    @Test
    void anythingButAnObjectIsRefusedAtTheRoot() {
        assertThat(JsonSchemas.validate(SCHEMA, TestTurnsClient.JSON.readTree("[1]")))
                .containsExactly("$: must be an object, not an array");
    }
}
