package dev.falgate.emulator.mesh;

/** The metallic-roughness factors written with every textured material. */
public record MaterialStyle(String name, double metallic, double roughness) {
    public static final MaterialStyle STANDARD = new MaterialStyle("textured", 0.0, 0.9);
    /** The "PBR" variants some models return differ in their factors. */
    public static final MaterialStyle PBR = new MaterialStyle("pbr", 0.35, 0.55);
}
