package dev.palaver.media.call;

/** A provider and its optional fallback; once the call fails over it stays on the fallback. */
final class Failover<T> {

    private final T primary;
    private final T fallback;
    private boolean onFallback;

    Failover(T primary, T fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    T current() {
        return onFallback ? fallback : primary;
    }

    /** Switches to the fallback; false if there is none or the call is already on it. */
    boolean failOver() {
        if (fallback == null || onFallback) {
            return false;
        }
        onFallback = true;
        return true;
    }
}
