/**
 * Calls: the runtime every transport uses to run a call, and the durable record each call leaves.
 *
 * <h2>Running a call from a transport</h2>
 * A transport (Twilio media stream, browser socket, the CLI's simulated caller) adapts its connection to
 * the engine's {@link dev.palaver.media.transport.Transport} (16 kHz PCM16 mono, 20 ms frames; it converts
 * at its edge) and implements {@link dev.palaver.server.brain.CallControl} (transfer, DTMF, hang-up;
 * {@code CallControl.NONE} where it cannot). Then:
 * <pre>{@code
 * LiveCall call = runtime.start(new CallStart(orgId, agentId, CallDirection.WEB, null, null,
 *         "web:" + userId, Map.of()), transport, control);
 * // ... the caller talks; the transport's Listener.onClosed() ends the call (end reason caller_hung_up)
 * call.end("caller_hung_up");   // or end it yourself with a reason; idempotent, first reason wins
 * call.awaitEnd(Duration.ofSeconds(30));
 * }</pre>
 * A call whose media comes later (a phone that rings first) is {@link dev.palaver.server.calls.CallRuntime#reserve
 * reserved} (its record exists and counts against the organization's limit) and later
 * {@link dev.palaver.server.calls.CallRuntime#attach attached} to its transport, possibly on another node,
 * or {@link dev.palaver.server.calls.CallRuntime#abandon abandoned} if it never connects.
 *
 * <h2>What start does</h2>
 * Creates the record (inside the per-organization concurrent-call limit: {@code organizations.max_concurrent_calls}
 * or {@code palaver.calls.max-concurrent-per-org}), reads the agent's current version (recorded on the
 * call), builds its providers ({@code ProviderStacks.forAgent}), opens the brain
 * ({@code AgentBrains.open}) with the transport's call control (each request also recorded as an event),
 * and runs the engine's {@code CallSession} with the agent's call settings, the brain's system prompt,
 * first message, model and tools, a voice activity detector (Silero when its model is installed), and a
 * sink that appends events and transcript segments as they happen through a bounded writer queue that never
 * blocks the call. Both sides' audio is recorded to a two-channel WAV (caller left, agent right) through
 * {@link dev.palaver.server.calls.RecordingStorage}. When the call ends, whatever ended it, and exactly
 * once: the brain hears the conversation ({@code conversationEnded}), brain and providers close, the
 * recording is finished with its SHA-256, the {@code ended} event is written and the record gets its
 * status and end reason. A node that dies mid-call loses at most what its writer had not yet written
 * (milliseconds); another node, or the same one restarted, closes the call as {@code node_lost}.
 * {@link dev.palaver.server.calls.CallRuntime#hangUp} ends a call wherever it runs: at once on this node,
 * else the holding node sees the request in {@code calls.hangup_requested_at} within a second.
 *
 * <h2>Record</h2>
 * Events ({@code type}, {@code offsetMs} from the start of media, JSON payload): {@code started},
 * {@code turn} (per-turn latency), {@code tool_called}, {@code interrupted}, {@code transfer},
 * {@code dtmf_sent}, {@code end_requested}, {@code error}, {@code ended}. Transcript segments: role
 * ({@code caller}, {@code agent}), text, start and end offsets, and whether the agent was interrupted
 * (its text is then what the caller heard). End reasons are the engine's ({@code caller_hung_up},
 * {@code agent_hung_up}, {@code silence_timeout}, {@code max_duration}, {@code hangup_requested},
 * {@code provider_failure}, {@code error}) or the platform's ({@code setup_failed}, {@code node_lost},
 * {@code server_shutdown}, and a transport's own).
 */
package dev.palaver.server.calls;
