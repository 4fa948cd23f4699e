/**
 * Agents: what an organization's voice agents are and how each version of them is kept.
 * <p>
 * {@link dev.palaver.server.agents.AgentDefinition} is the typed definition; other features read it through
 * {@link dev.palaver.server.agents.AgentDefinitions} ({@code current}, {@code version}, {@code findByName}),
 * never from the tables. Every save writes an immutable row in {@code agent_versions} (the database refuses
 * updates and deletes), so a call can record the exact version it ran; deleting an agent only marks it.
 * <p>
 * Input is read by {@code AgentDefinitionReader}: strict JSON types, bounded sizes, known providers per
 * kind, known tools, and flow graphs checked as a whole (unique ids, existing targets, every node reachable
 * from the start and able to finish: reach an end node, or a node offering end_call or transfer_call, or
 * lead back to the start).
 */
package dev.palaver.server.agents;
