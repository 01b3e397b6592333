package io.msixpool.commands.http;

import static io.msixpool.commands.http.BusFixture.AUDITOR;
import static io.msixpool.commands.http.BusFixture.AUDITOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.OPERATOR;
import static io.msixpool.commands.http.BusFixture.OPERATOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.assign;
import static io.msixpool.commands.http.BusFixture.lines;
import static io.msixpool.commands.http.BusFixture.object;
import static io.msixpool.commands.http.BusFixture.provision;
import static io.msixpool.commands.http.BusFixture.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.TestStores;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The HTTP contract of issue 4 over real HTTP on loopback, against a real {@link BusServer} over a
 * fresh real store, once per store kind: every row of the endpoint table and every status it names,
 * with the content type and the exact JSON of docs/wire.md. Each test works on devices of its own.
 */
@ParameterizedClass(name = "{0} store")
@EnumSource(TestStores.Kind.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BusContractTest {
    private static BusFixture bus;

    @Parameter
    TestStores.Kind kind;

    @BeforeParameterizedClassInvocation
    static void startServer(TestStores.Kind kind) {
        bus = BusFixture.start(kind);
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        bus.close();
    }

    // ---- POST /v1/commands

    @Test
    void anAcceptedCommandAnswers200WithExactlyItsEvents() {
        HttpResponse<String> provisioned = bus.post(OPERATOR_TOKEN, provision("acc-1", "nvme0", 4, 64));
        assertJson(provisioned, 200, """
                {"ok":true,"events":[
                  {"type":"PfProvisioned","device":"acc-1","pf":"nvme0","emulation":"NVME","vfCount":4,"msixTotal":64,"vfMinMsix":2,"vfMaxMsix":32},
                  {"type":"DefaultDistributionApplied","device":"acc-1","pf":"nvme0","msixPerVf":16}]}""");

        bus.accept("{\"type\":\"OpenPf\",\"device\":\"acc-1\",\"pf\":\"nvme0\"}");
        assertJson(bus.post(OPERATOR_TOKEN, "{\"type\":\"Reclaim\",\"device\":\"acc-1\",\"pf\":\"nvme0\"}"), 200, """
                {"ok":true,"events":[{"type":"VectorsReclaimed","device":"acc-1","pf":"nvme0","total":64,
                  "reclaimed":[{"vf":0,"msix":16},{"vf":1,"msix":16},{"vf":2,"msix":16},{"vf":3,"msix":16}]}]}""");
        assertJson(bus.post(OPERATOR_TOKEN, assign("acc-1", "nvme0", 2, 12)), 200, """
                {"ok":true,"events":[{"type":"VectorsAssigned","device":"acc-1","pf":"nvme0","vf":2,"msix":12},
                  {"type":"VfOpened","device":"acc-1","pf":"nvme0","vf":2}]}""");
    }

    @Test
    void aCommandResentWithItsCommandIdAnswers200DuplicateWithNoEvents() {
        bus.openReclaimedPf("dup-1", "nvme0", 4);
        String command = "{\"type\":\"AssignVectors\",\"device\":\"dup-1\",\"pf\":\"nvme0\",\"vf\":1,\"msix\":8,\"commandId\":\"req-1\"}";
        assertJson(bus.post(OPERATOR_TOKEN, command), 200, """
                {"ok":true,"events":[{"type":"VectorsAssigned","device":"dup-1","pf":"nvme0","vf":1,"msix":8},
                  {"type":"VfOpened","device":"dup-1","pf":"nvme0","vf":1}]}""");
        int events = bus.events().size();
        ObjectNode pool = bus.pool("dup-1");

        assertJson(bus.post(OPERATOR_TOKEN, command), 200, "{\"ok\":true,\"duplicate\":true,\"events\":[]}");
        assertEquals(events, bus.events().size(), "a duplicate records nothing");
        assertEquals(pool, bus.pool("dup-1"), "a duplicate changes nothing");

        HttpResponse<String> reused = bus.post(OPERATOR_TOKEN, command.replace("\"msix\":8", "\"msix\":9"));
        assertError(reused, 422, "COMMAND_ID_REUSED");
        assertEquals(events, bus.events().size());
    }

    @Test
    void aCommandARuleRejectsAnswers422WithTheRulesCodeAndChangesNothing() {
        bus.openReclaimedPf("rej-1", "nvme0", 4); // 64 vectors free
        bus.accept(assign("rej-1", "nvme0", 0, 32));
        bus.accept(assign("rej-1", "nvme0", 1, 30));
        int events = bus.events().size();
        ObjectNode pool = bus.pool("rej-1");

        assertError(bus.post(OPERATOR_TOKEN, assign("rej-1", "nvme0", 2, 8)), 422, "INSUFFICIENT_FREE_MSIX");
        assertError(bus.post(OPERATOR_TOKEN, assign("rej-1", "nvme0", 2, 33)), 422, "MSIX_OUT_OF_RANGE");
        assertError(bus.post(OPERATOR_TOKEN, assign("rej-1", "nvme0", 4, 2)), 422, "UNKNOWN_VF");
        assertError(bus.post(OPERATOR_TOKEN, assign("rej-1", "nvme1", 2, 2)), 422, "UNKNOWN_PF");
        assertError(bus.post(OPERATOR_TOKEN, provision("rej-1", "nvme0", 4, 64)), 422, "PF_ALREADY_PROVISIONED");
        // An unknown device in a command is a rule's rejection (422), unlike an unknown device in a path (404).
        assertError(bus.post(OPERATOR_TOKEN, "{\"type\":\"OpenPf\",\"device\":\"rej-none\",\"pf\":\"nvme0\"}"),
                422, "UNKNOWN_DEVICE");

        assertEquals(events, bus.events().size(), "a rejected command records nothing");
        assertEquals(pool, bus.pool("rej-1"), "a rejected command changes nothing");
        assertError(bus.poolResponse("rej-none"), 404, "UNKNOWN_DEVICE");
    }

    @Test
    void aMalformedCommandAnswers400BadRequestAndChangesNothing() {
        bus.accept(provision("bad-1", "nvme0", 4, 64));
        int events = bus.events().size();
        ObjectNode pool = bus.pool("bad-1");
        List<String> malformed = List.of(
                "{\"type\":\"OpenPf\",\"device\":\"bad-1\"",                                // truncated JSON
                "[{\"type\":\"OpenPf\",\"device\":\"bad-1\",\"pf\":\"nvme0\"}]",            // not an object
                "\"OpenPf\"",
                "",
                "{\"device\":\"bad-1\",\"pf\":\"nvme0\"}",                                  // no type
                "{\"type\":\"Nope\",\"device\":\"bad-1\",\"pf\":\"nvme0\"}",                // not a command name
                "{\"type\":\"OpenPf\",\"device\":\"bad-1\",\"pf\":\"nvme0\",\"dynamicMsix\":\"yes\"}",
                "{\"type\":\"OpenPf\",\"device\":\"bad-1\",\"pf\":\"nvme0\",\"extra\":1}",  // unknown field
                "{\"type\":\"OpenPf\",\"device\":\"bad 1\",\"pf\":\"nvme0\"}",              // device pattern
                "{\"type\":\"SetNumVfs\",\"device\":\"bad-1\",\"pf\":\"nvme0\",\"numVfs\":1.5}",
                "{\"type\":\"SetNumVfs\",\"device\":\"bad-1\",\"pf\":\"nvme0\",\"numVfs\":\"1\"}",
                "{\"type\":\"SetNumVfs\",\"device\":\"bad-1\",\"pf\":\"nvme0\",\"numVfs\":2147483648}",
                "{\"type\":\"OpenPf\",\"device\":\"bad-1\",\"pf\":\"nvme0\",\"commandId\":\"has space\"}",
                "{\"type\":\"OpenPf\",\"device\":\"bad-1\",\"pf\":\"nvme0\"} {\"type\":\"ClosePf\"}"); // two values
        for (String body : malformed) {
            assertError(bus.post(OPERATOR_TOKEN, body), 400, "BAD_REQUEST", "for body <" + body + ">");
        }
        assertEquals(events, bus.events().size(), "a malformed command records nothing");
        assertEquals(pool, bus.pool("bad-1"));
    }

    @Test
    void withoutAValidTokenEveryEndpointButHealthAnswers401AndNothingIsDecided() {
        bus.accept(provision("auth-1", "nvme0", 4, 64));
        int events = bus.events().size();
        List<String> invalid = new ArrayList<>();
        invalid.add(null);                                     // no Authorization header
        invalid.add("Bearer wrong-token-0000000000000");       // nobody's token
        invalid.add("Bearer " + OPERATOR_TOKEN.substring(1));   // almost the operator's
        invalid.add("Bearer " + OPERATOR_TOKEN.toUpperCase(Locale.ROOT));
        invalid.add("Bearer " + OPERATOR_TOKEN + "x");
        invalid.add("Basic " + OPERATOR_TOKEN);                  // another scheme
        invalid.add(OPERATOR_TOKEN);                             // no scheme
        invalid.add("Bearer");
        invalid.add("Bearer ");
        invalid.add("BearerX" + OPERATOR_TOKEN);
        String open = "{\"type\":\"OpenPf\",\"device\":\"auth-1\",\"pf\":\"nvme0\"}";
        for (String authorization : invalid) {
            String what = "Authorization: " + authorization;
            HttpRequest.Builder post = bus.request("/v1/commands").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(open));
            assertUnauthorized(bus.send(withAuthorization(post, authorization)), what + " on POST /v1/commands");
            for (String path : List.of("/v1/devices/auth-1/pool", "/v1/devices/auth-1/pool/watch", "/v1/events", "/metrics")) {
                assertUnauthorized(bus.send(withAuthorization(bus.request(path).GET(), authorization)), what + " on " + path);
            }
        }
        assertEquals(events, bus.events().size(), "no command without a valid token was decided");
        assertFalse(bus.pool("auth-1").path("pfs").path(0).path("open").asBoolean());

        // The scheme is case-insensitive (RFC 9110), the token is not.
        HttpResponse<String> lowerCase = bus.send(bus.request("/v1/devices/auth-1/pool").GET()
                .header("Authorization", "bearer " + AUDITOR_TOKEN));
        assertEquals(200, lowerCase.statusCode(), lowerCase::body);
    }

    @Test
    void anAuditorMayReadEverythingButGets403OnCommands() {
        bus.accept(provision("aud-1", "nvme0", 4, 64));
        int events = bus.events().size();
        HttpResponse<String> refused = bus.post(AUDITOR_TOKEN, "{\"type\":\"OpenPf\",\"device\":\"aud-1\",\"pf\":\"nvme0\"}");
        assertError(refused, 403, "FORBIDDEN");
        assertEquals(events, bus.events().size(), "the auditor's command was not decided");

        assertEquals(200, bus.get(AUDITOR_TOKEN, "/v1/devices/aud-1/pool").statusCode());
        assertEquals(200, bus.get(AUDITOR_TOKEN, "/v1/events").statusCode());
        assertEquals(200, bus.get(AUDITOR_TOKEN, "/metrics").statusCode());
        // The operator reads too.
        assertEquals(bus.pool("aud-1"), object(bus.get(OPERATOR_TOKEN, "/v1/devices/aud-1/pool").body()));
        assertEquals(200, bus.get(OPERATOR_TOKEN, "/v1/events").statusCode());
        assertEquals(200, bus.get(OPERATOR_TOKEN, "/metrics").statusCode());
    }

    @Test
    void aBodyOver64KiBAnswers413AndAWrongContentType415() {
        bus.accept(provision("size-1", "nvme0", 4, 64));
        int events = bus.events().size();
        String command = "{\"type\":\"OpenPf\",\"device\":\"size-1\",\"pf\":\"nvme0\"}";
        String oversized = command + " ".repeat(CommandBody.LIMIT + 1 - command.length());
        assertError(bus.post(OPERATOR_TOKEN, oversized), 413, "PAYLOAD_TOO_LARGE");

        for (String contentType : List.of("text/plain", "application/x-www-form-urlencoded",
                "application/json; charset=ISO-8859-1", "application/jsonx")) {
            HttpResponse<String> response = bus.send(bus.request("/v1/commands")
                    .header("Authorization", "Bearer " + OPERATOR_TOKEN).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(command)));
            assertError(response, 415, "UNSUPPORTED_MEDIA_TYPE", "for Content-Type " + contentType);
        }
        assertEquals(events, bus.events().size());
        assertFalse(bus.pool("size-1").path("pfs").path(0).path("open").asBoolean());

        // The parameters docs/wire.md allows: charset utf-8 in any case, quoted or not.
        HttpResponse<String> accepted = bus.send(bus.request("/v1/commands")
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .header("Content-Type", "Application/JSON; charset=\"UTF-8\"")
                .POST(HttpRequest.BodyPublishers.ofString(command)));
        assertEquals(200, accepted.statusCode(), accepted::body);
    }

    // ---- GET /v1/devices/{device}/pool

    @Test
    void thePoolOfAKnownDeviceIsItsViewAsWireMdShowsIt() {
        // docs/wire.md's example pool, reached through the bus.
        bus.openReclaimedPf("bf3-a", "nvme0", 4);
        bus.accept(assign("bf3-a", "nvme0", 2, 12));
        bus.accept(assign("bf3-a", "nvme0", 3, 12));
        bus.accept("{\"type\":\"CloseVf\",\"device\":\"bf3-a\",\"pf\":\"nvme0\",\"vf\":3}");
        bus.accept(provision("bf3-a", "emu-b", 0, 0)); // a second PF: PFs come in ascending pf order

        assertJson(bus.poolResponse("bf3-a"), 200, """
                {"device":"bf3-a","pfs":[
                  {"pf":"emu-b","emulation":"NVME","vfCount":0,"msixTotal":0,"vfMinMsix":2,"vfMaxMsix":32,
                   "msixFree":0,"msixLinked":0,"msixStranded":0,"open":false,"dynamicMsix":false,"numVfs":0,"vfs":[]},
                  {"pf":"nvme0","emulation":"NVME","vfCount":4,"msixTotal":64,"vfMinMsix":2,"vfMaxMsix":32,
                   "msixFree":40,"msixLinked":24,"msixStranded":12,"open":true,"dynamicMsix":true,"numVfs":0,
                   "vfs":[{"vf":0,"msix":0,"open":false},{"vf":1,"msix":0,"open":false},{"vf":2,"msix":12,"open":true},{"vf":3,"msix":12,"open":false}]}
                ]}""");
    }

    @Test
    void thePoolOfAnUnknownDeviceAnswers404UnknownDevice() {
        assertError(bus.poolResponse("never-provisioned"), 404, "UNKNOWN_DEVICE");
        assertError(bus.get(AUDITOR_TOKEN, "/v1/devices/not%20an%20id/pool"), 400, "BAD_REQUEST");
    }

    // ---- GET /v1/events

    @Test
    void theEventsAreTheExportedLogWithTheTokensNameAsActor() {
        long before = lastPosition();
        bus.accept(provision("log-1", "nvme0", 2, 32));
        ObjectNode opened = bus.accept("{\"type\":\"OpenPf\",\"device\":\"log-1\",\"pf\":\"nvme0\",\"commandId\":\"log-open\"}");
        assertError(bus.post(OPERATOR_TOKEN, provision("log-1", "nvme0", 2, 32)), 422, "PF_ALREADY_PROVISIONED");

        HttpResponse<String> response = bus.get(AUDITOR_TOKEN, "/v1/events?after=" + before);
        assertEquals(200, response.statusCode(), response::body);
        assertContentType(response, "application/x-ndjson");
        List<ObjectNode> logged = lines(response.body());
        List<JsonNode> events = new ArrayList<>();
        logged.forEach(line -> {
            ObjectNode event = line.deepCopy();
            event.remove("envelope");
            events.add(event);
        });
        List<JsonNode> expected = new ArrayList<>();
        expected.add(object("""
                {"type":"PfProvisioned","device":"log-1","pf":"nvme0","emulation":"NVME","vfCount":2,"msixTotal":32,"vfMinMsix":2,"vfMaxMsix":32}"""));
        expected.add(object("{\"type\":\"DefaultDistributionApplied\",\"device\":\"log-1\",\"pf\":\"nvme0\",\"msixPerVf\":16}"));
        opened.get("events").forEach(expected::add);
        assertEquals(expected, events, "the log after " + before + " holds exactly these commands' events");

        long position = before;
        for (int i = 0; i < logged.size(); i++) {
            JsonNode envelope = logged.get(i).get("envelope");
            assertEquals(OPERATOR, envelope.path("actor").asText(), "the token's name is the actor");
            assertTrue(envelope.path("position").asLong() > position, "positions increase");
            position = envelope.path("position").asLong();
            assertEquals(i, envelope.path("sequence").asLong(), "the device's stream starts at 0");
            assertTrue(envelope.path("timestamp").asText().endsWith("Z"), envelope::toString);
            Instant.parse(envelope.path("timestamp").asText());
            assertTrue(envelope.path("hash").asText().matches("[0-9a-f]{64}"), envelope::toString);
        }
        assertTrue(logged.get(0).get("envelope").get("commandId").isNull());
        assertEquals("log-open", logged.get(2).get("envelope").get("commandId").asText());
    }

    @Test
    void theEventsArePagedByAfterAndLimit() {
        bus.accept(provision("page-1", "nvme0", 2, 32));
        bus.accept(provision("page-1", "nvme1", 2, 32));
        List<ObjectNode> all = bus.events();
        assertTrue(all.size() >= 4);
        long second = position(all.get(1));

        List<ObjectNode> fromSecond = lines(bus.get(AUDITOR_TOKEN, "/v1/events?after=" + second + "&limit=2").body());
        assertEquals(all.subList(2, 4), fromSecond, "after is exclusive, limit bounds the page");
        assertEquals(all.subList(0, 1), lines(bus.get(AUDITOR_TOKEN, "/v1/events?limit=1").body()));
        assertEquals(all.subList(0, 1), lines(bus.get(AUDITOR_TOKEN, "/v1/events?after=0&limit=1").body()));
        assertEquals(all, lines(bus.get(AUDITOR_TOKEN, "/v1/events").body()), "without parameters: from the start");

        HttpResponse<String> pastTheEnd = bus.get(AUDITOR_TOKEN, "/v1/events?after=" + position(all.get(all.size() - 1)));
        assertEquals(200, pastTheEnd.statusCode());
        assertContentType(pastTheEnd, "application/x-ndjson");
        assertEquals("", pastTheEnd.body());

        for (String query : List.of("after=-1", "after=x", "after=1.5", "after=", "after=1&after=2",
                "after=9223372036854775808", "limit=0", "limit=-1", "limit=10001", "limit=ten", "limit=1e3")) {
            assertError(bus.get(AUDITOR_TOKEN, "/v1/events?" + query), 400, "BAD_REQUEST", "for ?" + query);
        }
    }

    // ---- /healthz, unknown paths, wrong methods

    @Test
    void healthAnswers200WithoutAToken() {
        HttpResponse<String> health = bus.get(null, "/healthz");
        assertJson(health, 200, "{\"ok\":true}");
    }

    @Test
    void unknownPathsAnswer404InTheErrorShape() {
        for (String path : List.of("/", "/v1", "/v1/command", "/v1/commands/x", "/v1/devices/d/pools",
                "/v1/devices/d/pool/watch/x", "/v1/devices//pool", "/v2/events", "/healthz/x", "/metrics.txt")) {
            assertError(bus.get(OPERATOR_TOKEN, path), 404, "NOT_FOUND", "for " + path);
            assertError(bus.get(null, path), 404, "NOT_FOUND", "for " + path + " without a token");
        }
    }

    @Test
    void wrongMethodsAnswer405InTheErrorShapeWithAllow() {
        record Call(String method, String path, String allowed) {
        }
        for (Call call : List.of(new Call("GET", "/v1/commands", "POST"), new Call("PUT", "/v1/commands", "POST"),
                new Call("POST", "/v1/events", "GET"), new Call("DELETE", "/v1/events", "GET"),
                new Call("POST", "/v1/devices/d/pool", "GET"), new Call("PATCH", "/v1/devices/d/pool/watch", "GET"),
                new Call("POST", "/metrics", "GET"), new Call("POST", "/healthz", "GET"),
                new Call("DELETE", "/healthz", "GET"))) {
            HttpRequest.Builder request = bus.request(call.path())
                    .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                    .method(call.method(), HttpRequest.BodyPublishers.noBody());
            HttpResponse<String> response = bus.send(request);
            String what = call.method() + " " + call.path();
            assertError(response, 405, "METHOD_NOT_ALLOWED", "for " + what);
            assertEquals(List.of(call.allowed()), response.headers().allValues("Allow"), "Allow of " + what);
        }
    }

    // ---- GET /metrics

    @Test
    void metricsCountCommandsByResultAndCodeEventsAndLatency() {
        bus.accept(provision("met-1", "nvme0", 4, 64));
        Map<String, Double> before = bus.metrics();

        bus.accept("{\"type\":\"OpenPf\",\"device\":\"met-1\",\"pf\":\"nvme0\",\"commandId\":\"met-open\"}"); // 1 event
        bus.accept("{\"type\":\"Reclaim\",\"device\":\"met-1\",\"pf\":\"nvme0\"}");                        // 1 event
        bus.accept(assign("met-1", "nvme0", 0, 8));                                                         // 2 events
        bus.accept("{\"type\":\"OpenPf\",\"device\":\"met-1\",\"pf\":\"nvme0\",\"commandId\":\"met-open\"}"); // duplicate
        bus.post(OPERATOR_TOKEN, assign("met-1", "nvme0", 0, 8));  // VF_ALREADY_OPEN
        bus.post(OPERATOR_TOKEN, assign("met-1", "nvme0", 1, 99)); // MSIX_OUT_OF_RANGE
        bus.post(OPERATOR_TOKEN, assign("met-1", "nvme0", 2, 99)); // MSIX_OUT_OF_RANGE
        bus.post(OPERATOR_TOKEN, "{\"type\":\"Nope\"}");           // BAD_REQUEST
        bus.post(AUDITOR_TOKEN, assign("met-1", "nvme0", 3, 8));   // 403: not a command that was decided

        HttpResponse<String> scrape = bus.get(AUDITOR_TOKEN, "/metrics");
        assertEquals(200, scrape.statusCode());
        assertContentType(scrape, "text/plain");
        assertTrue(scrape.headers().firstValue("Content-Type").orElseThrow().contains("version=0.0.4"));
        Map<String, Double> after = bus.metrics();

        assertEquals(3, delta(before, after, "msix_commands_total{code=\"\",result=\"accepted\"}"));
        assertEquals(1, delta(before, after, "msix_commands_total{code=\"\",result=\"duplicate\"}"));
        assertEquals(1, delta(before, after, "msix_commands_total{code=\"VF_ALREADY_OPEN\",result=\"rejected\"}"));
        assertEquals(2, delta(before, after, "msix_commands_total{code=\"MSIX_OUT_OF_RANGE\",result=\"rejected\"}"));
        assertEquals(1, delta(before, after, "msix_commands_total{code=\"BAD_REQUEST\",result=\"bad_request\"}"));
        assertEquals(4, delta(before, after, "msix_events_appended_total"));
        // Every decided command (accepted, duplicate, rejected) is timed: 3 + 1 + 3.
        assertEquals(7, delta(before, after, "msix_command_latency_seconds_count"));
        assertEquals(7, delta(before, after, "msix_command_latency_seconds_bucket{le=\"+Inf\"}"));
        assertTrue(delta(before, after, "msix_command_latency_seconds_sum") > 0);

        // A histogram: cumulative buckets, ascending bounds, the last one +Inf holding them all.
        Pattern bucket = Pattern.compile("msix_command_latency_seconds_bucket\\{le=\"([^\"]+)\"}");
        double previousBound = 0;
        double previousCount = 0;
        int buckets = 0;
        for (Map.Entry<String, Double> entry : after.entrySet()) {
            var matcher = bucket.matcher(entry.getKey());
            if (!matcher.matches()) {
                continue;
            }
            double bound = matcher.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(matcher.group(1));
            assertTrue(bound > previousBound, "bucket bounds ascend");
            assertTrue(entry.getValue() >= previousCount, "buckets are cumulative");
            previousBound = bound;
            previousCount = entry.getValue();
            buckets++;
        }
        assertTrue(buckets > 5, "latency buckets: " + buckets);
        assertEquals(Double.POSITIVE_INFINITY, previousBound);
        assertEquals(sample(after, "msix_command_latency_seconds_count"), previousCount);
        assertTrue(after.containsKey("msix_watchers"), "the watchers gauge is exported");
    }

    // ---- helpers

    private static long lastPosition() {
        List<ObjectNode> all = bus.events();
        return all.isEmpty() ? 0 : position(all.get(all.size() - 1));
    }

    private static long position(ObjectNode logged) {
        return logged.get("envelope").get("position").asLong();
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
        assertTrue(after.containsKey(key), () -> key + " is not among " + after.keySet());
        return sample(after, key) - sample(before, key);
    }

    private static HttpRequest.Builder withAuthorization(HttpRequest.Builder request, String authorization) {
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String what) {
        assertError(response, 401, "UNAUTHORIZED", what);
        assertEquals(List.of("Bearer"), response.headers().allValues("WWW-Authenticate"), what);
    }

    /** The status, a JSON content type in UTF-8 and exactly that JSON. */
    static void assertJson(HttpResponse<String> response, int status, String expected) {
        assertEquals(status, response.statusCode(), response::body);
        assertContentType(response, "application/json");
        assertEquals(object(expected), object(response.body()));
    }

    static void assertError(HttpResponse<String> response, int status, String code) {
        assertError(response, status, code, "");
    }

    /** docs/wire.md's error shape: exactly {@code ok:false}, the code and a message, as JSON. */
    static void assertError(HttpResponse<String> response, int status, String code, String what) {
        assertEquals(status, response.statusCode(), () -> what + ": " + response.body());
        assertContentType(response, "application/json");
        ObjectNode body = object(response.body());
        assertEquals(List.of("ok", "code", "message"), fieldNames(body), () -> what + ": " + body);
        assertEquals(false, body.get("ok").booleanValue(), what);
        assertEquals(code, body.get("code").textValue(), () -> what + ": " + body);
        assertTrue(body.get("message").isTextual() && !body.get("message").textValue().isBlank(), what);
    }

    static void assertContentType(HttpResponse<String> response, String mediaType) {
        String contentType = response.headers().firstValue("Content-Type").orElse("none");
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        assertEquals(mediaType, parts[0].trim(), contentType);
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].trim().startsWith("charset=")) {
                assertEquals("charset=utf-8", parts[i].trim(), contentType);
            }
        }
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
