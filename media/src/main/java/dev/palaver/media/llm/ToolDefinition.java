package dev.palaver.media.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * A tool offered to the model. {@code parametersSchema} is a JSON Schema object (as text);
 * {@code timeout} bounds one call of the tool, after which the model is told it timed out.
 */
public record ToolDefinition(String name, String description, String parametersSchema, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parametersSchema, "parametersSchema");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    public ToolDefinition(String name, String description, String parametersSchema) {
        this(name, description, parametersSchema, DEFAULT_TIMEOUT);
    }
}
