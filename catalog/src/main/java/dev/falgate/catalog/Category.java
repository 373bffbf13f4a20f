package dev.falgate.catalog;

import com.fasterxml.jackson.annotation.JsonValue;

/** The fixed set of model categories. Timing (typical run time, deadline) is set per category. */
public enum Category {
    IMAGE_EDITING("image-editing", 10, 600),
    IMAGE_TO_3D("image-to-3d", 90, 3600),
    MULTIVIEW_TO_3D("multiview-to-3d", 120, 3600),
    MULTIVIEW_GENERATION("multiview-generation", 60, 1800),
    SEGMENTATION("segmentation", 10, 600);

    private final String id;
    private final int typicalSeconds;
    private final int deadlineSeconds;

    Category(String id, int typicalSeconds, int deadlineSeconds) {
        this.id = id;
        this.typicalSeconds = typicalSeconds;
        this.deadlineSeconds = deadlineSeconds;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** How long a job of this category usually takes at fal: when the first status poll is due. */
    public int typicalSeconds() {
        return typicalSeconds;
    }

    /** After this long a job is failed with code {@code timeout} and cancelled at fal. */
    public int deadlineSeconds() {
        return deadlineSeconds;
    }

    public static Category fromId(String id) {
        for (Category c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category: " + id);
    }
}
