package dev.palaver.providers.resilience;

import dev.palaver.providers.http.ApiKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Providers of one capability in the order they are tried: the primary, then its fallbacks (for speech,
 * say: ElevenLabs, then OpenAI, then offline flite). Each has a short name (for metrics, logs and
 * messages) and the fingerprint of the credential it runs with (for its circuit breaker); the credential
 * itself is not kept.
 */
public final class FallbackChain<T> {

    /** One provider of the chain. */
    public record Link<T>(String name, String fingerprint, T provider) {
        public Link {
            if (name == null || !name.matches("[A-Za-z0-9_.\\-]{1,64}")) {
                throw new IllegalArgumentException("provider name must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(provider, "provider");
        }
    }

    private final List<Link<T>> links;

    private FallbackChain(List<Link<T>> links) {
        if (links.isEmpty()) {
            throw new IllegalArgumentException("a chain needs at least one provider");
        }
        this.links = List.copyOf(links);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    public List<Link<T>> links() {
        return links;
    }

    public static final class Builder<T> {
        private final List<Link<T>> links = new ArrayList<>();

        /** The next provider, running with {@code key} ({@link ApiKey#none()} for one that needs none). */
        public Builder<T> add(String name, ApiKey key, T provider) {
            links.add(new Link<>(name, key.fingerprint(), provider));
            return this;
        }

        /** The next provider, one without a credential (offline engines, local servers). */
        public Builder<T> add(String name, T provider) {
            return add(name, ApiKey.none(), provider);
        }

        public FallbackChain<T> build() {
            return new FallbackChain<>(links);
        }
    }
}
