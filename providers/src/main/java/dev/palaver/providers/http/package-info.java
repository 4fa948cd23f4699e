/**
 * HTTP plumbing shared by every cloud provider (LLM, embeddings, speech): one
 * {@link dev.palaver.providers.http.ProviderTransport} per provider instance, whose requests run on
 * {@link dev.palaver.providers.http.Http1Client} (blocking HTTP/1.1 on a virtual thread per exchange, keep-alive
 * connections shared by the process) and whose WebSockets use the JDK client every provider shares ({@link dev.palaver.providers.http.SharedHttpClients}); {@link dev.palaver.providers.http.HttpExchange} for one request under connect, first-byte,
 * idle-gap and total deadlines ({@link dev.palaver.providers.http.HttpTimeouts}), cancellable at any point;
 * an incremental server-sent-events parser; the one JSON mapper ({@link dev.palaver.providers.http.Json});
 * credentials that print masked ({@link dev.palaver.providers.http.ApiKey}); and the one failure vocabulary:
 * {@link dev.palaver.providers.http.ProviderFailure} (its {@link dev.palaver.providers.http.ProviderFailure.Kind},
 * whether a retry can help, Retry-After, the HTTP status), thrown as
 * {@link dev.palaver.providers.http.ProviderException}, which the resilience layer decides on.
 *
 * <p>A listener that also implements {@link dev.palaver.providers.http.ProviderFailure.Receiver} gets failures
 * classified; any other gets the failure's safe message through {@code onError}. Credentials never reach a
 * message: failures carry only fixed text, statuses and short error codes, scrubbed of every configured secret.
 */
package dev.palaver.providers.http;
