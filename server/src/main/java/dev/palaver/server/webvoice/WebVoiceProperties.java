package dev.palaver.server.webvoice;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Browser voice settings ({@code palaver.webvoice.*}).
 *
 * @param turnAudioTtl         how long a turn's reply audio can be fetched before the cleanup deletes it
 * @param turnSessionTtl       how long a turn-API conversation stays open without a turn
 * @param maxTurnSessions      turn-API conversations a node keeps open at once (the idlest is closed past that)
 * @param ffmpegPath           the ffmpeg executable that decodes WebM and Ogg uploads
 * @param ffmpegTimeout        how long one decode may take before the process is killed
 * @param resumeWindow         how long a browser call waits for its socket to come back after a network loss
 * @param sessionTokenTtl      how long a session token minted with a publishable key can open a call
 * @param publicSessionsPerMinute session tokens one publishable key may mint per minute (per client address)
 */
@Validated
@ConfigurationProperties("palaver.webvoice")
record WebVoiceProperties(@DefaultValue("10m") Duration turnAudioTtl,
                          @DefaultValue("30m") Duration turnSessionTtl,
                          @DefaultValue("1000") @Positive int maxTurnSessions,
                          @DefaultValue("ffmpeg") @NotBlank String ffmpegPath,
                          @DefaultValue("20s") Duration ffmpegTimeout,
                          @DefaultValue("15s") Duration resumeWindow,
                          @DefaultValue("2m") Duration sessionTokenTtl,
                          @DefaultValue("20") @Positive int publicSessionsPerMinute) {
}
