package dev.palaver.providers.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A whole response body collected in memory (bounded), for requests answered in one document. */
public final class BufferedBody implements HttpExchange.Handler {

    private final String provider;
    private final int maxBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private HttpExchange exchange;

    public BufferedBody(String provider, int maxBytes) {
        this.provider = provider;
        this.maxBytes = maxBytes;
    }

    /** Sends the request and waits for the body; the exchange's timeouts bound the wait. */
    public static byte[] fetch(ProviderTransport transport, java.net.http.HttpRequest request, int maxBytes) {
        BufferedBody handler = new BufferedBody(transport.provider(), maxBytes);
        HttpExchange exchange = transport.exchange(request, handler);
        handler.exchange = exchange;
        exchange.start();
        return handler.await();
    }

    private byte[] await() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            exchange.cancel();
            Thread.currentThread().interrupt();
            throw new CancellationException(provider + ": interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProviderException failure) {
                throw new ProviderException(failure.failure());
            }
            throw new IllegalStateException(provider + ": unexpected failure");
        }
    }

    @Override
    public void onBody(ByteBuffer bytes) {
        if (body.size() + bytes.remaining() > maxBytes) {
            throw new ProviderException(ProviderFailure.Kind.MALFORMED,
                    provider + ": the response is larger than " + maxBytes + " bytes");
        }
        byte[] chunk = new byte[bytes.remaining()];
        bytes.get(chunk);
        body.writeBytes(chunk);
    }

    @Override
    public void onEnd() {
        if (body.size() == 0) {
            throw new ProviderException(ProviderFailure.Kind.EMPTY, provider + ": empty response");
        }
        exchange.finish();
        result.complete(body.toByteArray());
    }

    @Override
    public void onFailure(ProviderFailure failure) {
        result.completeExceptionally(new ProviderException(failure));
    }
}
