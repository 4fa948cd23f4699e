package dev.palaver.providers.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The bytes of a {@link HttpRequest}'s body, collected from its publisher (the providers' bodies are small). */
final class RequestBodies {

    /** The most a provider request may carry (an audio file for transcription is the largest). */
    static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    private RequestBodies() {
    }

    /** Whether the method carries a body (then {@code Content-Length: 0} is sent for an empty one). */
    static boolean sendsBody(HttpRequest request) {
        return WITH_BODY.contains(request.method().toUpperCase(Locale.ROOT));
    }

    static byte[] bytes(HttpRequest request) throws IOException {
        var publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return new byte[0];
        }
        if (publisher.get().contentLength() > MAX_BYTES) {
            throw new IOException("request body too large");
        }
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<>() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                if (out.size() + item.remaining() > MAX_BYTES) {
                    done.completeExceptionally(new IOException("request body too large"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(out.toByteArray());
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the request body");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("the request body failed");
        } catch (TimeoutException e) {
            throw new IOException("the request body did not complete");
        }
    }
}
