package io.msixpool.commands.http;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.RepoFiles;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * docs/openapi.json as a check of the bus: Atlassian's OpenAPI validator (openapi-request-validator-core,
 * OpenAPI 3.1 with JSON Schema 2020-12), which nobody here wrote, judges each request and its answer.
 * Two things it leaves to its users are done here, still with its own parts: the lines of the two
 * streams (the events' NDJSON and the watch's server-sent events) go through its schema validator, and a
 * request outside the described paths and methods is judged by the description's
 * {@code x-any-request-responses}, which the validator sees as one more operation.
 */
final class OpenApiCheck {
    /** The operation the description's x-any-request-responses become for the validator. */
    private static final String ANY_REQUEST_PATH = "/x-any-request";

    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;
    private final SchemaValidator schemas;
    private final Map<Pattern, PathItem> paths = new LinkedHashMap<>();

    OpenApiCheck(String description) {
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(description, null, null);
        if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
            throw new IllegalArgumentException("not a valid OpenAPI description: " + parsed.getMessages());
        }
        api = parsed.getOpenAPI();
        // Objects are closed where the description says so (additionalProperties or unevaluatedProperties
        // false); the validator's option to close every object would refuse what allOf composes.
        LevelResolver levels = LevelResolver.create()
                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE).build();
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(withAnyRequestOperation(description))
                .withLevelResolver(levels)
                .withStrictOperationPathMatching()
                .build();
        schemas = new SchemaValidator(api, new MessageResolver(levels));
        api.getPaths().forEach((template, item) -> paths.put(Pattern.compile(
                "\\Q" + template.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E"), item));
    }

    static OpenApiCheck ofDocs() {
        try {
            return new OpenApiCheck(Files.readString(RepoFiles.find("docs/openapi.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    OpenAPI api() {
        return api;
    }

    /** The description with x-any-request-responses as the responses of one more path, for the validator. */
    private static String withAnyRequestOperation(String description) {
        ObjectNode root = BusFixture.object(description);
        ObjectNode operation = root.with("paths").putObject(ANY_REQUEST_PATH).putObject("get");
        operation.putArray("security");
        operation.set("responses", root.required("x-any-request-responses"));
        return root.toString();
    }

    /** What is wrong with {@code json} by the component schema {@code name}: one line each, none when it conforms. */
    List<String> schemaErrors(String name, String json) {
        Schema<?> schema = api.getComponents().getSchemas().get(name);
        if (schema == null) {
            throw new IllegalArgumentException("docs/openapi.json has no schema " + name);
        }
        return errors(schemas.validate(json, schema, "validation.response.body"), "");
    }

    /**
     * What is wrong with this exchange by the description, one line each; none when it conforms. A
     * null response is a connection closed without an answer.
     */
    List<String> findings(RawRequest request, RawHttp.Response response) {
        List<String> findings = new ArrayList<>();
        if (response == null) {
            findings.add("no answer: the server closed the connection");
            return findings;
        }
        if (response.status() >= 500 && response.status() != 503) {
            findings.add("a server error: " + response.status() + " " + response.body().strip());
        }
        Target target = Target.parse(request.target());
        PathItem item = target == null ? null : pathItem(target.path());
        boolean described = item != null && describedMethod(request.method())
                && item.readOperationsMap().containsKey(PathItem.HttpMethod.valueOf(request.method()));
        // The HTTP codec refuses a request line or headers too long before any route is chosen:
        // those answers are x-any-request-responses', whatever the path.
        boolean beforeRouting = response.status() == 414 || response.status() == 431;
        if (described && !beforeRouting) {
            ValidationReport report = validator.validate(validatorRequest(request, target), validatorResponse(response));
            findings.addAll(errors(report, "validation.response"));
            if (response.body().isEmpty() && contentType(response).startsWith("application/x-ndjson")) {
                // No event after the position: an empty log, which the validator takes for a missing body.
                findings.removeIf(finding -> finding.startsWith("validation.response.body.missing"));
            }
            findings.addAll(acceptedThoughRefused(report, response));
            findings.addAll(streamFindings(target.path(), response));
        } else {
            // Outside the paths and methods: a malformed URL is a 400, an unknown path a 404, another method a 405.
            int expected = target == null ? 400 : item == null ? 404 : 405;
            if (response.status() != expected && !beforeRouting) {
                findings.add("a request outside the described paths and methods answers " + response.status()
                        + ", where x-any-request-responses has " + expected + " for it");
            }
            boolean head = request.method().equals("HEAD"); // whose answer has no body
            for (String error : errors(validator.validateResponse(ANY_REQUEST_PATH, Request.Method.GET,
                    validatorResponse(response)), "validation.response")) {
                if (!(head && error.startsWith("validation.response.body.missing"))) {
                    findings.add(error);
                }
            }
        }
        return findings;
    }

    private PathItem pathItem(String path) {
        return paths.entrySet().stream().filter(p -> p.getKey().matcher(path).matches())
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static boolean describedMethod(String method) {
        return List.of("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE").contains(method);
    }

    private static SimpleRequest validatorRequest(RawRequest request, Target target) {
        SimpleRequest.Builder built = new SimpleRequest.Builder(request.method(), target.path());
        target.query().forEach(built::withQueryParam);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(bearerSpelled(h)));
        headers.forEach(built::withHeader);
        if (request.body().length > 0) {
            built.withBody(new String(request.body(), StandardCharsets.UTF_8));
        }
        return built.build();
    }

    /**
     * An authentication scheme is case-insensitive (RFC 9110, 11.1) and the bus takes "bearer" too; the
     * validator compares it case-sensitively, so it is given the scheme spelled "Bearer".
     */
    private static String bearerSpelled(Map.Entry<String, String> header) {
        String value = header.getValue();
        return header.getKey().equalsIgnoreCase("Authorization") && value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? "Bearer " + value.substring(7) : value;
    }

    private static SimpleResponse validatorResponse(RawHttp.Response response) {
        SimpleResponse.Builder built = SimpleResponse.Builder.status(response.status());
        response.headers().forEach(built::withHeader);
        return built.withBody(response.body()).build();
    }

    /** A success for a request the description refuses (its token, content type, parameters or body). */
    private static List<String> acceptedThoughRefused(ValidationReport report, RawHttp.Response response) {
        if (response.status() / 100 != 2) {
            return List.of();
        }
        List<String> refusals = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            String key = message.getKey();
            boolean refusing = key.startsWith("validation.request.security.") || key.startsWith("validation.request.contentType.")
                    || key.startsWith("validation.request.parameter.schema.") || key.equals("validation.request.parameter.collection.invalid")
                    || key.startsWith("validation.request.body.") && !key.equals("validation.request.body.unexpected");
            if (refusing && message.getLevel() == ValidationReport.Level.ERROR) {
                refusals.add("answered " + response.status() + " to a request the description refuses: " + key + ": "
                        + message.getMessage());
            }
        }
        return refusals;
    }

    /**
     * Each line of a 200's stream by its schema: NDJSON lines are LoggedEvents, a pool watch's data
     * PoolViews, a fleet watch's PfSummaries.
     */
    private List<String> streamFindings(String path, RawHttp.Response response) {
        String event = path.equals("/v1/pools/watch") ? "PfSummary" : "PoolView";
        String type = contentType(response);
        List<String> findings = new ArrayList<>();
        if (response.status() != 200) {
            return findings;
        }
        if (type.startsWith("application/x-ndjson")) {
            if (!response.body().isEmpty() && !response.body().endsWith("\n")) {
                findings.add("the NDJSON body does not end with a newline");
            }
            response.body().lines().forEach(line -> findings.addAll(schemaErrors("LoggedEvent", line)));
        } else if (type.startsWith("text/event-stream")) {
            for (String line : response.body().split("\n")) {
                if (line.startsWith("data: ")) {
                    findings.addAll(schemaErrors(event, line.substring(6)));
                } else if (!line.isEmpty() && !line.startsWith(":")) {
                    findings.add("a server-sent event line that is neither data nor a comment: " + line);
                }
            }
        }
        return findings;
    }

    private static String contentType(RawHttp.Response response) {
        return String.valueOf(response.header("content-type")).toLowerCase(Locale.ROOT);
    }

    /** The report's errors whose key starts with {@code prefix}, one line each. */
    private static List<String> errors(ValidationReport report, String prefix) {
        List<String> errors = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() == ValidationReport.Level.ERROR && message.getKey().startsWith(prefix)) {
                errors.add(message.getKey() + ": " + message.getMessage() + String.join("; ", message.getAdditionalInfo()));
            }
        }
        return errors;
    }

    /** A request target's path (as sent) and its query parameters (decoded); null when it does not decode. */
    record Target(String path, Map<String, List<String>> query) {
        static Target parse(String target) {
            int mark = target.indexOf('?');
            String path = mark < 0 ? target : target.substring(0, mark);
            Map<String, List<String>> query = new LinkedHashMap<>();
            try {
                URLDecoder.decode(path, StandardCharsets.UTF_8);
                if (mark >= 0) {
                    for (String pair : target.substring(mark + 1).split("&")) {
                        if (pair.isEmpty()) {
                            continue;
                        }
                        String[] parts = pair.split("=", 2);
                        query.computeIfAbsent(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                                .add(parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
                    }
                }
                return new Target(path, query);
            } catch (IllegalArgumentException malformed) {
                return null;
            }
        }
    }
}
