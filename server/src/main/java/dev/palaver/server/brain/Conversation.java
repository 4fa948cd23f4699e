package dev.palaver.server.brain;

import dev.palaver.server.agents.AgentVersion;
import dev.palaver.server.providers.VoiceStack;

import java.util.Objects;
import java.util.UUID;

/**
 * One conversation a brain serves.
 *
 * @param orgId    the organization
 * @param agent    the agent version the conversation runs
 * @param callId   the call record's id; null for a text test session
 * @param callerId who is calling, for memory and customers: an E.164 number, {@code web:<userId>}, or null
 * @param channel  how the caller reaches the agent
 * @param stack    the agent's providers for this conversation (its language model may be absent; a text
 *                 conversation may pass null and let the brain build what it needs)
 * @param control  transfer, DTMF and hang-up for the agent's tools
 */
public record Conversation(UUID orgId, AgentVersion agent, UUID callId, String callerId, Channel channel,
                           VoiceStack stack, CallControl control) {

    public Conversation {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(control, "control");
    }

    public enum Channel { PHONE, WEB, TEXT }
}
