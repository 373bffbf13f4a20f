package dev.falgate.local;

import java.net.URI;
import java.util.Optional;

/** Where the running stack listens. {@code fal} is empty when the fal emulator is off. */
public record Endpoints(URI api, URI dynamoDb, URI sqs, URI s3, Optional<URI> fal) {
}
