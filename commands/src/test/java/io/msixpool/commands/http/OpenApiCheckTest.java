package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The check of {@link OpenApiConformanceTest} can fail: answers the bus gives today pass it, and each
 * answer here that strays from docs/openapi.json in one way (a status, a field, a header, a content
 * type, a stream's line, a request the description refuses) is reported. No server: the answers are made up.
 */
class OpenApiCheckTest {
    private static final OpenApiCheck CHECK = OpenApiCheck.ofDocs();
    private static final String POOL = """
            {"device":"d1","pfs":[{"pf":"nvme0","emulation":"NVME","vfCount":2,"msixTotal":64,"vfMinMsix":2,\
            "vfMaxMsix":32,"msixFree":40,"msixLinked":24,"msixStranded":12,"open":true,"dynamicMsix":true,"numVfs":0,\
            "vfs":[{"vf":0,"msix":12,"open":true},{"vf":1,"msix":12,"open":false}]}]}""";
    private static final String LINE = """
            {"type":"VfOpened","device":"d1","pf":"nvme0","vf":0,"envelope":{"position":7,"sequence":6,\
            "timestamp":"2026-11-22T03:12:07.118Z","commandId":null,"actor":"ops-alice","revision":"1",\
            "prev":"%s","hash":"%s"}}""".formatted("0".repeat(64), "a".repeat(64));
    private static final String OPEN = "{\"type\":\"OpenPf\",\"device\":\"d1\",\"pf\":\"nvme0\"}";

    static Stream<Arguments> conforming() {
        return Stream.of(
                Arguments.of(get("/v1/devices/d1/pool"), answer(200, "application/json; charset=utf-8", POOL)),
                Arguments.of(post(OPEN), answer(200, "application/json; charset=utf-8",
                        "{\"ok\":true,\"events\":[{\"type\":\"PfOpened\",\"device\":\"d1\",\"pf\":\"nvme0\",\"dynamicMsix\":true}]}")),
                Arguments.of(post(OPEN), answer(200, "application/json", "{\"ok\":true,\"duplicate\":true,\"events\":[]}")),
                Arguments.of(post(OPEN), answer(422, "application/json", "{\"ok\":false,\"code\":\"PF_ALREADY_OPEN\",\"message\":\"m\"}")),
                Arguments.of(post(OPEN), answer(503, "application/json", error("UNAVAILABLE"), "Retry-After", "1")),
                Arguments.of(get("/v1/events?after=3&limit=2"), answer(200, "application/x-ndjson; charset=utf-8", LINE + "\n")),
                Arguments.of(get("/v1/devices/d1/pool/watch"), answer(200, "text/event-stream", "data: " + POOL + "\n\n")),
                Arguments.of(get("/nowhere"), answer(404, "application/json", error("NOT_FOUND"))),
                Arguments.of(RawRequest.of("DELETE", "/healthz"), answer(405, "application/json", error("METHOD_NOT_ALLOWED"), "Allow", "GET")),
                Arguments.of(RawRequest.of("GET", "/v1/devices/d1/pool"),
                        answer(401, "application/json", error("UNAUTHORIZED"), "WWW-Authenticate", "Bearer")));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource
    void conforming(RawRequest request, RawHttp.Response response) {
        assertEquals(List.of(), CHECK.findings(request, response));
    }

    static Stream<Arguments> strays() {
        return Stream.of(
                Arguments.of("an undocumented status", get("/v1/devices/d1/pool"),
                        answer(418, "application/json", error("TEAPOT")), "validation.response.status.unknown"),
                Arguments.of("a field the pool view does not have", get("/v1/devices/d1/pool"),
                        answer(200, "application/json", POOL.replace("\"numVfs\":0", "\"numVfs\":0,\"extra\":1")), "additionalProperties"),
                Arguments.of("a VF without its open flag", get("/v1/devices/d1/pool"),
                        answer(200, "application/json", POOL.replace(",\"open\":false}", "}")), "required"),
                Arguments.of("a 503 without Retry-After", post(OPEN),
                        answer(503, "application/json", error("UNAVAILABLE")), "validation.response.header.missing"),
                Arguments.of("an undocumented 500", get("/v1/devices/d1/pool"),
                        answer(500, "application/json", error("INTERNAL")), "a server error"),
                Arguments.of("a documented 500, still a server error", post(OPEN),
                        answer(500, "application/json", error("INTERNAL")), "a server error"),
                Arguments.of("an event line without its hash", get("/v1/events"),
                        answer(200, "application/x-ndjson", LINE.replace(",\"hash\":\"" + "a".repeat(64) + "\"", "") + "\n"), "required"),
                Arguments.of("event lines without the last newline", get("/v1/events"),
                        answer(200, "application/x-ndjson", LINE), "newline"),
                Arguments.of("a watch whose data is no pool", get("/v1/devices/d1/pool/watch"),
                        answer(200, "text/event-stream", "data: {\"device\":\"d1\"}\n\n"), "required"),
                Arguments.of("an unknown path answered 200", get("/v1/nowhere"),
                        answer(200, "application/json", "{\"ok\":true}"), "outside the described paths"),
                Arguments.of("another method answered 404", RawRequest.of("PUT", "/v1/commands"),
                        answer(404, "application/json", error("NOT_FOUND")), "has 405"),
                Arguments.of("a 405 without Allow", RawRequest.of("PUT", "/v1/commands"),
                        answer(405, "application/json", error("METHOD_NOT_ALLOWED")), "validation.response.header.missing"),
                Arguments.of("a 401 without WWW-Authenticate", RawRequest.of("GET", "/metrics"),
                        answer(401, "application/json", error("UNAUTHORIZED")), "validation.response.header.missing"),
                Arguments.of("a command with an unknown field accepted", post(OPEN.replace("}", ",\"msx\":1}")),
                        answer(200, "application/json", "{\"ok\":true,\"events\":[]}"), "a request the description refuses"),
                Arguments.of("a command without a token accepted", RawRequest.of("POST", "/v1/commands").json(OPEN),
                        answer(200, "application/json", "{\"ok\":true,\"events\":[]}"), "validation.request.security"),
                Arguments.of("a pool as HTML", get("/v1/devices/d1/pool"),
                        answer(200, "text/html", "<p>pool</p>"), "validation.response.contentType"),
                Arguments.of("a duplicate with events", post(OPEN), answer(200, "application/json",
                        "{\"ok\":true,\"duplicate\":true,\"events\":[{\"type\":\"PfClosed\",\"device\":\"d1\",\"pf\":\"nvme0\"}]}"), "maxItems"),
                Arguments.of("a rejection with a code no rule has", post(OPEN),
                        answer(422, "application/json", error("BAD_REQUEST")), "enum"),
                Arguments.of("a 400 with another status's code", get("/v1/devices/d1/pool"),
                        answer(400, "application/json", error("NOT_FOUND")), "enum"),
                Arguments.of("no answer at all", get("/healthz"), null, "no answer"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource
    void strays(String what, RawRequest request, RawHttp.Response response, String reported) {
        List<String> findings = CHECK.findings(request, response);
        assertTrue(findings.stream().anyMatch(finding -> finding.contains(reported)),
                () -> what + ": expected a finding containing '" + reported + "', got " + findings);
    }

    private static RawRequest get(String target) {
        return RawRequest.of("GET", target).token(BusFixture.AUDITOR_TOKEN);
    }

    private static RawRequest post(String command) {
        return RawRequest.of("POST", "/v1/commands").token(BusFixture.OPERATOR_TOKEN).json(command);
    }

    private static String error(String code) {
        return "{\"ok\":false,\"code\":\"" + code + "\",\"message\":\"m\"}";
    }

    /** An answer with a content type, a body and header pairs (name, value, ...). */
    static RawHttp.Response answer(int status, String contentType, String body, String... headers) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        all.put("content-type", List.of(contentType));
        for (int i = 0; i < headers.length; i += 2) {
            all.put(headers[i].toLowerCase(java.util.Locale.ROOT), List.of(headers[i + 1]));
        }
        return new RawHttp.Response(status, all, body);
    }
}
