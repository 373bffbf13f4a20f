package dev.falgate.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.local.CodeExpectations;
import dev.falgate.local.testing.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * template.yaml against falgate's code: the real file passes, and each mutated copy is caught. The
 * expectations (table and index keys, TTL attribute, routes) all come from the code's constants.
 */
class TemplateCheckTest {
    private static final Expectations FALGATE = CodeExpectations.falgate();

    private static String realYaml() {
        try {
            return Files.readString(TestPaths.repoTemplate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real template with one text replacement; fails if the text to replace is gone. */
    private static List<String> problemsWith(String original, String replacement) {
        String yaml = realYaml();
        assertThat(yaml).as("the mutation's anchor text").contains(original);
        return check(yaml.replace(original, replacement));
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static List<String> check(String yaml) {
        TemplateModel model = TemplateModel.parse(yaml, StackContext.local(URI.create("http://127.0.0.1:59324"),
                Map.of()));
        return TemplateCheck.run(model, FALGATE);
    }

    @Test
    void theRealTemplateMatchesTheCode() {
        assertThat(check(realYaml())).isEmpty();
    }

    @Test
    void theCodeOnlyExpectationsPassToo() {
        TemplateModel model = TemplateModel.load(TestPaths.repoTemplate(),
                StackContext.local(URI.create("http://127.0.0.1:59324"), Map.of()));
        assertThat(TemplateCheck.run(model, CodeExpectations.falgate())).isEmpty();
    }

    @Test
    void aRouteRemovedFromTheTemplateIsCaught() {
        List<String> problems = problemsWith(lines(
                "        CancelJob:",
                "          Type: HttpApi",
                "          Properties: {ApiId: !Ref HttpApi, Method: POST, Path: \"/v1/jobs/{id}/cancel\"}"), "");

        assertThat(problems).singleElement().asString()
                .contains("SubmitHandler").contains("serves POST /v1/jobs/{id}/cancel");
    }

    @Test
    void aRouteTheHandlerDoesNotServeIsCaught() {
        List<String> problems = problemsWith("Properties: {ApiId: !Ref HttpApi, Method: GET, Path: /v1/models}",
                "Properties: {ApiId: !Ref HttpApi, Method: GET, Path: /v1/model}");

        assertThat(problems).hasSize(2).anySatisfy(p -> assertThat(p).contains("routes GET /v1/model to"))
                .anySatisfy(p -> assertThat(p).contains("serves GET /v1/models"));
    }

    @Test
    void aChangedTableKeyIsCaught() {
        String yaml = realYaml()
                .replace("- {AttributeName: pk, KeyType: HASH}", "- {AttributeName: id, KeyType: HASH}")
                .replace("- {AttributeName: pk, AttributeType: S}", "- {AttributeName: id, AttributeType: S}");

        assertThat(check(yaml)).singleElement().asString().contains("JobsTable has key [id, sk]")
                .contains("expects [pk, sk]");
    }

    @Test
    void aChangedIndexKeyIsCaught() {
        List<String> problems = problemsWith(lines(
                "        - IndexName: by_model",
                "          KeySchema:",
                "            - {AttributeName: gsi3pk, KeyType: HASH}",
                "            - {AttributeName: gsi1sk, KeyType: RANGE}"), lines(
                "        - IndexName: by_modell",
                "          KeySchema:",
                "            - {AttributeName: gsi3pk, KeyType: HASH}",
                "            - {AttributeName: gsi1sk, KeyType: RANGE}",
                "          Projection: {ProjectionType: ALL}",
                "        - IndexName: by_model",
                "          KeySchema:",
                "            - {AttributeName: gsi3pk, KeyType: HASH}"));

        assertThat(problems).singleElement().asString().contains("index by_model has key [gsi3pk]")
                .contains("expects [gsi3pk, gsi1sk]");
    }

    @Test
    void aMissingIndexIsCaught() {
        List<String> problems = problemsWith("- IndexName: by_model", "- IndexName: by_modell");

        assertThat(problems).singleElement().asString().contains("lacks the index by_model");
    }

    @Test
    void aKeyWithoutAttributeDefinitionIsCaught() {
        List<String> problems = problemsWith(lines("        - {AttributeName: gsi3pk, AttributeType: S}"), "");

        assertThat(problems).singleElement().asString().contains("key attribute gsi3pk has no AttributeDefinition");
    }

    @Test
    void aHandlerClassThatDoesNotExistIsCaught() {
        List<String> problems = problemsWith("Handler: dev.falgate.read.ReadHandler::handleRequest",
                "Handler: dev.falgate.read.ReedHandler::handleRequest");

        assertThat(problems).singleElement().asString().contains("ReadFunction")
                .contains("dev.falgate.read.ReedHandler does not load");
    }

    @Test
    void aHandlerOfTheWrongKindIsCaught() {
        List<String> problems = problemsWith("Handler: dev.falgate.poller.PollerHandler::handleRequest",
                "Handler: dev.falgate.read.ReadHandler::handleRequest");

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("consumes SQS but takes")
                .contains("APIGatewayV2HTTPEvent"));
    }

    @Test
    void aPartialBatchConsumerWithoutReportBatchItemFailuresIsCaught() {
        String pollQueueEvent = "Queue: !GetAtt PollQueue.Arn\n            BatchSize: 10\n            ";
        List<String> problems = problemsWith(pollQueueEvent + "FunctionResponseTypes: [ReportBatchItemFailures]",
                pollQueueEvent + "FunctionResponseTypes: []");

        assertThat(problems).singleElement().asString().contains("returns SQSBatchResponse")
                .contains("ReportBatchItemFailures");
    }

    @Test
    void aMissingEnvironmentVariableIsCaught() {
        List<String> problems = problemsWith("        POLL_QUEUE_URL: !Ref PollQueue\n", "");

        // every function reads it (the Globals environment)
        assertThat(problems).hasSize(9).allSatisfy(p -> assertThat(p).contains("lacks environment variable "
                + "POLL_QUEUE_URL"));
    }

    @Test
    void theTestTemplatesHandlersPassTheGenericChecks() {
        TemplateModel model = TemplateModel.load(TestPaths.testTemplate(),
                StackContext.local(URI.create("http://127.0.0.1:59324"), Map.of()));
        assertThat(TemplateCheck.run(model, new Expectations(Map.of(), List.of("ITEMS_TABLE")))).isEmpty();
    }
}
