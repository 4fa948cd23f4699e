/**
 * Deterministic providers for tests, the call simulator and benchmarks: scripted, timed on the injected
 * scheduler (so they run on virtual time), able to stall or fail on cue, and counting the streams they
 * have open so a test can prove a call closed everything.
 */
package dev.palaver.media.fake;
