package dev.falgate.emulator.queue;

/** The only three states fal's queue reports. */
public enum QueueState {
    IN_QUEUE, IN_PROGRESS, COMPLETED
}
