/**
 * The real-time call engine.
 *
 * <p>Wire a call with {@link dev.palaver.media.call.CallSession#builder()}: a
 * {@link dev.palaver.media.transport.Transport}, speech-to-text, language model and text-to-speech providers
 * (each with an optional fallback), a {@link dev.palaver.media.llm.ToolExecutor}, one
 * {@link dev.palaver.media.vad.VoiceActivityDetector} per call, a {@link dev.palaver.media.time.Scheduler}
 * (shared), {@link dev.palaver.media.call.CallSettings} (the agent's behaviour) and a
 * {@link dev.palaver.media.call.CallEventSink} (persistence). Then {@code start()}; end it with
 * {@code hangUp()} or by closing the transport. Everything the call does is reported to the sink as
 * {@link dev.palaver.media.call.CallEvent}s, as it happens.
 *
 * <p>Only the call's own loop touches its state; providers and transports post events to it. Tests and
 * the simulator run calls on a {@link dev.palaver.media.time.VirtualScheduler} with
 * {@link dev.palaver.media.call.LoopMode#ON_SCHEDULER} and the fakes in {@code dev.palaver.media.fake}.
 */
package dev.palaver.media.call;
