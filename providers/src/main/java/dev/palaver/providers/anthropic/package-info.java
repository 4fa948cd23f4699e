/** Anthropic's Messages API, streamed, with tool use. */
package dev.palaver.providers.anthropic;
