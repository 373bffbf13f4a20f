package dev.falgate.config;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value built on first use and kept: what a function needs only on some requests (an HTTP
 * client, an SDK client) is not built at INIT, where every cold start would pay for it.
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private volatile T value;

    private Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    public static <T> Lazy<T> of(Supplier<T> factory) {
        return new Lazy<>(factory);
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                if (value == null) {
                    value = factory.get();
                }
                v = value;
            }
        }
        return v;
    }

    /** Runs {@code action} on the value if it was built (closing what was never opened is a no-op). */
    public void ifBuilt(Consumer<T> action) {
        T v = value;
        if (v != null) {
            action.accept(v);
        }
    }
}
