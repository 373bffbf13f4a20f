package dev.falgate.emulator.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Category;
import dev.falgate.catalog.OutputField;
import dev.falgate.emulator.Json;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a model's output JSON from its catalog schema: every file field gets real files
 * (made by the category's {@link FileProducer}, stored in the {@link FileStore}) described as
 * fal does ({@code url, content_type, file_name, file_size}, plus {@code width, height} for
 * image fields), as an object or a list as the schema says; other fields via ScalarOutputs.
 * With {@code sync_mode} the files come inline as {@code data:} URIs instead of URLs.
 */
public final class OutputAssembler {
    private final FileStore files;
    private final Map<Category, FileProducer> producers = new EnumMap<>(Category.class);

    public OutputAssembler(FileStore files) {
        this.files = files;
        producers.put(Category.IMAGE_EDITING, new EditedImages());
        producers.put(Category.SEGMENTATION, new SegmentationMaps());
        producers.put(Category.MULTIVIEW_GENERATION, new MultiViews());
        MeshAssets meshes = new MeshAssets();
        producers.put(Category.IMAGE_TO_3D, meshes);
        producers.put(Category.MULTIVIEW_TO_3D, meshes);
    }

    public ObjectNode assemble(GenerationContext context) {
        Map<String, JsonNode> fileFields = new LinkedHashMap<>();
        int imageCount = 0;
        for (OutputField field : context.model().fileOutputs()) {
            List<GeneratedFile> made = producer(context).produce(field, context);
            imageCount = Math.max(imageCount, made.size());
            fileFields.put(field.name(), describe(field, made, context));
        }
        ObjectNode output = Json.object();
        for (OutputField field : context.model().outputs()) {
            JsonNode value = field.file() ? fileFields.get(field.name())
                    : ScalarOutputs.value(field, context, imageCount);
            if (value != null) {
                output.set(field.name(), value);
            }
        }
        return output;
    }

    private FileProducer producer(GenerationContext context) {
        FileProducer producer = producers.get(context.model().category());
        if (producer == null) {
            throw new IllegalStateException("no outputs for " + context.model().category());
        }
        return producer;
    }

    private JsonNode describe(OutputField field, List<GeneratedFile> made,
            GenerationContext context) {
        if (!field.list()) {
            return describeOne(field, made.get(0), field.name(), context);
        }
        ArrayNode list = Json.array();
        for (int i = 0; i < made.size(); i++) {
            list.add(describeOne(field, made.get(i), field.name() + "_" + i, context));
        }
        return list;
    }

    private ObjectNode describeOne(OutputField field, GeneratedFile file, String baseName,
            GenerationContext context) {
        String fileName = baseName + "." + file.extension();
        ObjectNode node = Json.object()
                .put("url", location(file, fileName, context))
                .put("content_type", file.contentType())
                .put("file_name", fileName)
                .put("file_size", file.bytes().length);
        if ("image".equals(field.kind()) && file.width() != null) {
            node.put("width", file.width()).put("height", file.height());
        }
        return node;
    }

    /**
     * Where the file can be fetched: its URL on the emulator's CDN or, with {@code sync_mode},
     * the file itself as a base64 data URI (fal's answer then skips the CDN).
     */
    private String location(GeneratedFile file, String fileName, GenerationContext context) {
        if (context.syncMode()) {
            return "data:" + file.contentType() + ";base64,"
                    + Base64.getEncoder().encodeToString(file.bytes());
        }
        StoredFile stored = new StoredFile(file.bytes(), file.contentType());
        return files.put(context.requestId(), fileName, stored).toString();
    }
}
