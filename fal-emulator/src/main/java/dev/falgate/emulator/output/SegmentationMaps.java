package dev.falgate.emulator.output;

import dev.falgate.catalog.OutputField;
import dev.falgate.emulator.image.ImageFormat;
import dev.falgate.emulator.image.ImageOps;
import dev.falgate.emulator.image.Pixels;
import java.util.List;

/** Segmentation (SAM): a colour-coded region map of the input, same size, as PNG. */
final class SegmentationMaps implements FileProducer {

    @Override
    public List<GeneratedFile> produce(OutputField field, GenerationContext context) {
        Pixels map = ImageOps.segmentationMap(Pixels.of(context.primaryImage().image()));
        return List.of(GeneratedFile.image(map.toImage(), ImageFormat.PNG));
    }
}
