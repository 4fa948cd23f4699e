/**
 * OpenAI-compatible endpoints (OpenAI, Groq, Together, LM Studio, Ollama, vLLM, llama.cpp server): streamed
 * Chat Completions with tools, and embeddings.
 */
package dev.palaver.providers.openai;
