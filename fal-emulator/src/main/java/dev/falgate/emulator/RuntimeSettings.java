package dev.falgate.emulator;

/** The knobs that may change while the emulator runs (Java API and {@code POST /_emulator/config}). */
public final class RuntimeSettings {
    private volatile double speed;
    private volatile boolean dropWebhooks;
    private volatile int concurrency;
    private volatile boolean expireResults;

    public RuntimeSettings(double speed, boolean dropWebhooks) {
        this(speed, dropWebhooks, FalEmulatorConfig.UNLIMITED, false);
    }

    public RuntimeSettings(double speed, boolean dropWebhooks, int concurrency,
            boolean expireResults) {
        this.speed = FalEmulatorConfig.requirePositive(speed);
        this.dropWebhooks = dropWebhooks;
        this.concurrency = FalEmulatorConfig.requireConcurrency(concurrency);
        this.expireResults = expireResults;
    }

    public double speed() {
        return speed;
    }

    public void setSpeed(double speed) {
        this.speed = FalEmulatorConfig.requirePositive(speed);
    }

    public boolean dropWebhooks() {
        return dropWebhooks;
    }

    public void setDropWebhooks(boolean dropWebhooks) {
        this.dropWebhooks = dropWebhooks;
    }

    /** How many requests may be IN_PROGRESS at once; {@link FalEmulatorConfig#UNLIMITED} = no limit. */
    public int concurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = FalEmulatorConfig.requireConcurrency(concurrency);
    }

    /** Whether results expire as at fal (1 h, 6 min from 10 KB; scaled by the speed). */
    public boolean expireResults() {
        return expireResults;
    }

    public void setExpireResults(boolean expireResults) {
        this.expireResults = expireResults;
    }
}
