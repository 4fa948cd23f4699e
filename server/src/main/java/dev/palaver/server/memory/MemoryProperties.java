package dev.palaver.server.memory;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Caller memory settings: {@code retention} is how long a caller's memory is kept after it last changed
 * (the cleanup job deletes older ones; {@code 0} keeps them until deleted), {@code cleanupInterval} how
 * often that job runs.
 */
@Validated
@ConfigurationProperties("palaver.memory")
record MemoryProperties(@DefaultValue("365d") @NotNull Duration retention,
                        @DefaultValue("1h") @NotNull Duration cleanupInterval) {
}
