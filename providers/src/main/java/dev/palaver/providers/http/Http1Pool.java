package dev.palaver.providers.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Idle keep-alive connections by origin, shared by every provider of the process, so a call's first request
 * to a provider reuses a connection (and its TLS session) that an earlier call opened. A connection idles at
 * most {@link #MAX_IDLE} (providers' servers close theirs after a minute or more), at most
 * {@link #MAX_IDLE_PER_ORIGIN} per origin; the newest idle one is taken first, and expired ones are closed
 * whenever the pool is touched.
 */
final class Http1Pool {

    static final Duration MAX_IDLE = Duration.ofSeconds(30);
    static final int MAX_IDLE_PER_ORIGIN = 256;

    /** Where a connection goes: scheme, host and port. */
    record Key(boolean tls, String host, int port) {
        static Key of(URI uri) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean tls = switch (scheme) {
                case "https" -> true;
                case "http" -> false;
                default -> throw new IllegalArgumentException("not an http(s) URI");
            };
            String host = uri.getHost();
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("the URI has no host");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
            return new Key(tls, host, port);
        }

        /** The Host header's value. */
        String authority() {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return port == (tls ? 443 : 80) ? h : h + ":" + port;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, ArrayDeque<Http1Connection>> idle = new HashMap<>();
    private final long maxIdleNanos = MAX_IDLE.toNanos();

    /** An idle connection to {@code key}, or null. */
    Http1Connection take(Key key) {
        List<Http1Connection> expired = new ArrayList<>();
        Http1Connection found = null;
        long now = System.nanoTime();
        lock.lock();
        try {
            ArrayDeque<Http1Connection> queue = idle.get(key);
            while (queue != null && !queue.isEmpty() && found == null) {
                Http1Connection c = queue.pollLast();
                if (now - c.idleSince() < maxIdleNanos && !c.isClosed()) {
                    found = c;
                } else {
                    expired.add(c);
                }
            }
            sweep(now, expired);
        } finally {
            lock.unlock();
        }
        expired.forEach(Http1Connection::close);
        return found;
    }

    /** Keeps {@code connection} for reuse. */
    void give(Http1Connection connection) {
        List<Http1Connection> expired = new ArrayList<>();
        long now = System.nanoTime();
        connection.markIdle(now);
        lock.lock();
        try {
            ArrayDeque<Http1Connection> queue = idle.computeIfAbsent(connection.key(), k -> new ArrayDeque<>());
            queue.addLast(connection);
            if (queue.size() > MAX_IDLE_PER_ORIGIN) {
                expired.add(queue.pollFirst());
            }
            sweep(now, expired);
        } finally {
            lock.unlock();
        }
        expired.forEach(Http1Connection::close);
    }

    /** Idle connections kept now. */
    int idleCount() {
        lock.lock();
        try {
            return idle.values().stream().mapToInt(ArrayDeque::size).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the idle connections to {@code key}. */
    void clear(Key key) {
        List<Http1Connection> closing = new ArrayList<>();
        lock.lock();
        try {
            ArrayDeque<Http1Connection> queue = idle.remove(key);
            if (queue != null) {
                closing.addAll(queue);
            }
        } finally {
            lock.unlock();
        }
        closing.forEach(Http1Connection::close);
    }

    /** Moves connections idle too long, oldest first, to {@code expired}; holds the lock. */
    private void sweep(long now, List<Http1Connection> expired) {
        var origins = idle.values().iterator();
        while (origins.hasNext()) {
            ArrayDeque<Http1Connection> queue = origins.next();
            while (!queue.isEmpty() && now - queue.peekFirst().idleSince() >= maxIdleNanos) {
                expired.add(queue.pollFirst());
            }
            if (queue.isEmpty()) {
                origins.remove();
            }
        }
    }
}
