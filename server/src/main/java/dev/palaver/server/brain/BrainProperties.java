package dev.palaver.server.brain;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Brain settings.
 *
 * @param httpTools    custom HTTP tools: {@code allowPrivateAddresses} lets them call loopback, private and
 *                     link-local addresses (off: an agent's tool must not reach the server's own network);
 *                     {@code timeout} bounds one request; {@code maxResponse} bounds the answer read
 * @param testSessions text test sessions ({@code POST /api/v1/agents/{id}/test-turns}): at most
 *                     {@code max} kept, each dropped after {@code ttl} without a turn
 * @param flowMatchThreshold cosine similarity an utterance needs to a transition's example phrase
 */
@Validated
@ConfigurationProperties("palaver.brain")
record BrainProperties(@Valid @NotNull @DefaultValue HttpTools httpTools,
                       @Valid @NotNull @DefaultValue TestSessions testSessions,
                       @DefaultValue("0.5") double flowMatchThreshold) {

    record HttpTools(@DefaultValue("false") boolean allowPrivateAddresses,
                     @DefaultValue("5s") @NotNull Duration timeout,
                     @DefaultValue("64KB") @NotNull DataSize maxResponse) {
    }

    record TestSessions(@DefaultValue("1000") @Positive int max,
                        @DefaultValue("30m") @NotNull Duration ttl) {
    }
}
