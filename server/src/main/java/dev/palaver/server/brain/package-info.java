/**
 * The brain: what an agent thinks with during one conversation (a phone call, a browser call, a text test).
 * <p>
 * The call runtime asks {@link dev.palaver.server.brain.AgentBrains#open} for an {@link AgentBrain} per
 * conversation and hands its language model, tools, system prompt and first message to the media
 * engine's {@code CallSession}. A flow brain is itself a {@code LanguageModel}, so the engine runs an
 * LLM agent and an offline flow agent the same way. Call control (transfer, DTMF, hang-up) comes in
 * through {@link CallControl}, which each transport implements.
 */
package dev.palaver.server.brain;
