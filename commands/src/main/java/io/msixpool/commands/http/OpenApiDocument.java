package io.msixpool.commands.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/openapi.json}: docs/openapi.json as the build copied it into the jar (commands/pom.xml),
 * so the description the bus serves is the one in the docs, never a second copy kept by hand.
 */
final class OpenApiDocument {
    static final String PATH = "/v1/openapi.json";

    private OpenApiDocument() {
    }

    /** The description's text; a jar without it was not built by Maven, and the server refuses to start. */
    static String text() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the class path: build with Maven, "
                        + "which copies docs/openapi.json into the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
