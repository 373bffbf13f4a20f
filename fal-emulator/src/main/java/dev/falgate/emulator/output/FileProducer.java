package dev.falgate.emulator.output;

import dev.falgate.catalog.OutputField;
import java.util.List;

/** Makes the file(s) of one output field for one category of models. */
@FunctionalInterface
public interface FileProducer {

    /** One file for an object field; one or more for a list field. */
    List<GeneratedFile> produce(OutputField field, GenerationContext context);
}
