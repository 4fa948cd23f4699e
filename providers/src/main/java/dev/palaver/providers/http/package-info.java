/**
 * HTTP plumbing shared by the cloud providers: one {@link dev.palaver.providers.http.ProviderTransport}
 * (a JDK HTTP client on virtual threads) per provider instance; {@link dev.palaver.providers.http.HttpExchange}
 * for one request under connect, first-byte, idle-gap and total deadlines, cancellable at any point; an
 * incremental server-sent-events parser; and {@link dev.palaver.providers.http.ProviderFailure}, the
 * classification (auth, rate limit with Retry-After, server, timeout, connection, malformed, truncated,
 * empty) a resilience layer decides on. A listener that also implements
 * {@link dev.palaver.providers.http.ProviderFailure.Receiver} gets failures classified; any other gets the
 * failure's safe message through {@code onError}. Credentials never reach a message: failures carry only
 * fixed text, statuses and short error codes, scrubbed of every configured secret.
 */
package dev.palaver.providers.http;
