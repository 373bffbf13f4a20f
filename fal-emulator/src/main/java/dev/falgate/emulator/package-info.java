/**
 * The offline fal.ai emulator. {@link dev.falgate.emulator.FalEmulator} is the entry point;
 * {@link dev.falgate.emulator.Main} runs it standalone. Inside, by concern:
 * <ul>
 *   <li>{@code http} - routing (direct, or by {@code x-fal-target-url} as fal's proxy protocol)
 *       and the queue / storage / control / file / JWKS endpoints;</li>
 *   <li>{@code queue} - requests and their IN_QUEUE → IN_PROGRESS → COMPLETED life, the
 *       concurrency limit, timing, result expiry;</li>
 *   <li>{@code faults} - the fault knobs ({@code FaultPlan}) and the failing runner;</li>
 *   <li>{@code storage} - uploads as {@code fal.storage.upload} makes them;</li>
 *   <li>{@code input} - the model-side input checks and file downloads (422s);</li>
 *   <li>{@code output} - output JSON from the catalog schema, one file producer per category;</li>
 *   <li>{@code image} - pixel operations, codecs and simple renders;</li>
 *   <li>{@code mesh} - the textured cube and its GLB / OBJ / STL / FBX / USDZ / zip writers;</li>
 *   <li>{@code webhook} - Ed25519 signing, JWKS and delivery with retries.</li>
 * </ul>
 * The wire behaviour follows {@code shared/notes/fal-protocol.md}.
 */
package dev.falgate.emulator;
