package dev.falgate.emulator;

/** The knobs that may change while the emulator runs (Java API and {@code POST /_emulator/config}). */
public final class RuntimeSettings {
    private volatile double speed;
    private volatile boolean dropWebhooks;

    public RuntimeSettings(double speed, boolean dropWebhooks) {
        this.speed = FalEmulatorConfig.requirePositive(speed);
        this.dropWebhooks = dropWebhooks;
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
}
