package dev.palaver.server.knowledge;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Knowledge settings. {@code maxOpenIndexes}: how many organizations' Lucene indexes a node keeps open at
 * once (each holds file handles and a writer); the least recently used one is closed past that.
 */
@Validated
@ConfigurationProperties("palaver.knowledge")
record KnowledgeProperties(@DefaultValue("64") @Positive int maxOpenIndexes) {
}
