package io.msixpool.commands.http;

import static io.msixpool.commands.http.BusFixture.AUDITOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.OPERATOR_TOKEN;
import static io.msixpool.commands.http.BusFixture.assign;
import static io.msixpool.commands.http.BusFixture.object;
import static io.msixpool.commands.http.BusFixture.provision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.support.RepoFiles;
import io.msixpool.commands.support.TestStores;
import io.msixpool.domain.RejectionCode;
import io.msixpool.domain.command.DeviceCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/openapi.json against a real {@link BusServer} over loopback, once per store kind: every command
 * type accepted and rejected (every rule's code), duplicates, every error of docs/http.md, every read,
 * then a seeded batch of hostile requests. {@link OpenApiCheck} (Atlassian's OpenAPI 3.1 validator)
 * judges each exchange; any answer outside the description, or any 5xx but a documented 503, fails the
 * test with the request that caused it. {@code -Dmsix.openapi.seed=N} replays another batch.
 */
@ParameterizedClass(name = "{0} store")
@EnumSource(TestStores.Kind.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OpenApiConformanceTest {
    private static final OpenApiCheck CHECK = OpenApiCheck.ofDocs();
    static final long SEED = Long.getLong("msix.openapi.seed", 20_261_122L);
    static final int HOSTILE = 300;
    private static BusFixture bus;

    @Parameter
    TestStores.Kind kind;

    private final List<String> findings = new ArrayList<>();

    @BeforeParameterizedClassInvocation
    static void startServer(TestStores.Kind kind) {
        bus = BusFixture.start(kind);
        bus.engine.keepCheckpoints(io.msixpool.replay.merkle.NoteKey.generate("example.com/openapi"));
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        bus.close();
    }

    @AfterEach
    void everyAnswerWasAsDescribed() {
        assertTrue(findings.isEmpty(), () -> findings.size() + " answers outside docs/openapi.json:\n"
                + findings.stream().limit(25).collect(Collectors.joining("\n")));
    }

    @Test
    void everyCommandTypeIsAcceptedAndEveryRulesCodeRejectsAsDescribed() {
        List<String> accepted = new ArrayList<>();
        Set<String> rejected = new TreeSet<>();
        Sequence oa = new Sequence(accepted, rejected);
        oa.accept(provision("oa", "nvme0", 4, 64).replace("}", ",\"commandId\":\"prov-1\"}"));
        oa.accept("{\"type\":\"ProvisionPf\",\"device\":\"oa\",\"pf\":\"vblk0\",\"emulation\":\"VIRTIO_BLK\",\"vfCount\":0,"
                + "\"msixTotal\":0,\"vfMinMsix\":1,\"vfMaxMsix\":1}");
        oa.reject("{\"type\":\"OpenPf\",\"device\":\"ghost\",\"pf\":\"nvme0\"}", "UNKNOWN_DEVICE");
        oa.reject("{\"type\":\"OpenPf\",\"device\":\"oa\",\"pf\":\"nvme9\"}", "UNKNOWN_PF");
        oa.reject(provision("oa", "nvme1", 4, 64).replace("\"vfMinMsix\":2", "\"vfMinMsix\":0"), "INVALID_PF_CONFIG");
        oa.reject(provision("oa", "nvme0", 2, 64), "PF_ALREADY_PROVISIONED");
        oa.reject(pf("ClosePf", ""), "PF_NOT_OPEN");
        oa.accept(pf("OpenPf", ",\"dynamicMsix\":false"));
        oa.reject(pf("OpenPf", ""), "PF_ALREADY_OPEN");
        oa.reject(pf("Reclaim", ""), "DYNAMIC_MSIX_DISABLED");
        oa.accept(pf("OpenVf", ",\"vf\":1"));
        oa.reject(pf("OpenVf", ",\"vf\":1"), "VF_ALREADY_OPEN");
        oa.reject(pf("OpenVf", ",\"vf\":4"), "UNKNOWN_VF");
        oa.reject(pf("ClosePf", ""), "VF_CONTROLLERS_OPEN");
        oa.accept(pf("CloseVf", ",\"vf\":1"));
        oa.reject(pf("CloseVf", ",\"vf\":1"), "VF_NOT_OPEN");
        oa.accept(pf("ClosePf", ""));
        oa.accept(pf("OpenPf", ""));
        oa.reject(pf("SetNumVfs", ",\"numVfs\":5"), "NUMVFS_OUT_OF_RANGE");
        oa.accept(pf("SetNumVfs", ",\"numVfs\":2"));
        oa.accept(pf("SetNumVfs", ",\"numVfs\":2")); // the current value: accepted, no events
        oa.reject(pf("SetNumVfs", ",\"numVfs\":1"), "NUMVFS_BUSY");
        oa.reject(pf("Reclaim", ""), "SRIOV_ENABLED");
        oa.accept(pf("SetNumVfs", ",\"numVfs\":0"));
        oa.accept(pf("Reclaim", ""));
        oa.reject(pf("OpenVf", ",\"vf\":0"), "VF_HAS_NO_VECTORS");
        oa.reject(assign("oa", "nvme0", 0, 40), "MSIX_OUT_OF_RANGE");
        oa.accept(assign("oa", "nvme0", 0, 32));
        oa.accept(assign("oa", "nvme0", 1, 32));
        oa.reject(assign("oa", "nvme0", 2, 8), "INSUFFICIENT_FREE_MSIX");
        oa.accept(pf("ReleaseVectors", ",\"vf\":1"));
        oa.reject(pf("ReleaseVectors", ",\"vf\":1"), "VF_NOT_OPEN");
        oa.accept(pf("CloseVf", ",\"vf\":0"));
        oa.reject(assign("oa", "nvme0", 0, 8), "VF_ALREADY_LINKED");
        oa.accept("{\"type\":\"ArmReset\",\"device\":\"oa\",\"kind\":\"COLD_BOOT\"}");
        oa.reject(provision("oa", "nvme0", 4, 64).replace("}", ",\"commandId\":\"prov-1\"}").replace(":4,", ":2,"),
                "COMMAND_ID_REUSED");
        for (int i = 0; i < 64; i++) {
            oa.accept(provision("full", "pf" + i, 0, 0));
        }
        oa.reject(provision("full", "pf64", 0, 0), "TOO_MANY_PFS");

        assertEquals(Arrays.stream(DeviceCommand.class.getPermittedSubclasses()).map(Class::getSimpleName)
                .collect(Collectors.toCollection(TreeSet::new)), new TreeSet<>(accepted), "every command type accepted");
        assertEquals(Arrays.stream(RejectionCode.values()).map(Enum::name).filter(code -> !code.equals("BAD_REQUEST"))
                .collect(Collectors.toCollection(TreeSet::new)), rejected, "every rule's code");
    }

    @Test
    void aDuplicateAnswersAsDescribed() {
        String command = provision("dup", "nvme0", 4, 64).replace("}", ",\"commandId\":\"dup-1\"}");
        expect(post(OPERATOR_TOKEN, command), 200, null);
        RawHttp.Response again = expect(post(OPERATOR_TOKEN, command), 200, null);
        assertEquals("{\"ok\":true,\"duplicate\":true,\"events\":[]}", again.body().strip());
    }

    @Test
    void everyErrorOfTheHttpPageAnswersAsDescribed() {
        bus.accept(provision("err", "nvme0", 4, 64));
        String open = "{\"type\":\"OpenPf\",\"device\":\"err\",\"pf\":\"nvme0\"}";
        expect(post(null, open), 401, "UNAUTHORIZED");
        expect(post("not-a-token-of-anyone", open), 401, "UNAUTHORIZED");
        expect(RawRequest.of("POST", "/v1/commands").header("Authorization", "Basic b3BzOnNlY3JldA==").json(open), 401, "UNAUTHORIZED");
        expect(get(null, "/v1/devices/err/pool"), 401, "UNAUTHORIZED");
        expect(get(null, "/v1/events"), 401, "UNAUTHORIZED");
        expect(get(null, "/metrics"), 401, "UNAUTHORIZED");
        expect(post(AUDITOR_TOKEN, open), 403, "FORBIDDEN");
        expect(get(AUDITOR_TOKEN, "/v1/nowhere"), 404, "NOT_FOUND");
        expect(get(AUDITOR_TOKEN, "/v1/devices/ghost/pool"), 404, "UNKNOWN_DEVICE");
        expect(get(AUDITOR_TOKEN, "/v1/devices/ghost/pool/watch"), 404, "UNKNOWN_DEVICE");
        expect(get(OPERATOR_TOKEN, "/v1/commands"), 405, "METHOD_NOT_ALLOWED");
        expect(RawRequest.of("POST", "/v1/events").token(AUDITOR_TOKEN), 405, "METHOD_NOT_ALLOWED");
        expect(RawRequest.of("DELETE", "/healthz"), 405, "METHOD_NOT_ALLOWED");
        expect(RawRequest.of("PUT", "/v1/openapi.json"), 405, "METHOD_NOT_ALLOWED");
        expect(RawRequest.of("HEAD", "/metrics").token(AUDITOR_TOKEN), 405, null);
        expect(post(OPERATOR_TOKEN, " ".repeat(CommandBody.LIMIT) + open), 413, "PAYLOAD_TOO_LARGE");
        for (String type : new String[] {"text/plain", "application/json; charset=latin1"}) {
            expect(RawRequest.of("POST", "/v1/commands").token(OPERATOR_TOKEN).header("Content-Type", type)
                    .body(open.getBytes(StandardCharsets.UTF_8)), 415, "UNSUPPORTED_MEDIA_TYPE");
        }
        expect(RawRequest.of("POST", "/v1/commands").token(OPERATOR_TOKEN).body(open.getBytes(StandardCharsets.UTF_8)),
                415, "UNSUPPORTED_MEDIA_TYPE");
        for (String body : List.of("", "{\"type\":\"OpenPf\",\"device\":\"err\"", "[" + open + "]", "\"OpenPf\"",
                "{\"device\":\"err\",\"pf\":\"nvme0\"}", open.replace("OpenPf", "Nope"), open.replace("}", ",\"extra\":1}"),
                open.replace("}", ",\"dynamicMsix\":\"yes\"}"), open.replace("\"err\"", "\"bad err\""),
                pf("SetNumVfs", ",\"numVfs\":1.5"), pf("SetNumVfs", ",\"numVfs\":\"1\""), pf("SetNumVfs", ",\"numVfs\":2147483648"),
                open.replace("}", ",\"commandId\":\"has space\"}"), open + " " + open)) {
            expect(post(OPERATOR_TOKEN, body), 400, "BAD_REQUEST");
        }
        byte[] notUtf8 = open.getBytes(StandardCharsets.UTF_8);
        notUtf8[20] = (byte) 0xC3;
        expect(RawRequest.of("POST", "/v1/commands").token(OPERATOR_TOKEN).header("Content-Type", "application/json")
                .body(notUtf8), 400, "BAD_REQUEST");
        for (String query : List.of("after=-1", "after=x", "limit=0", "limit=10001", "after=1&after=2", "limit=1.5",
                "after=9223372036854775808")) {
            expect(get(AUDITOR_TOKEN, "/v1/events?" + query), 400, "BAD_REQUEST");
        }
        expect(get(AUDITOR_TOKEN, "/v1/devices/bad%20id/pool"), 400, "BAD_REQUEST");
        expect(get(AUDITOR_TOKEN, "/v1/devices/a,b/pool/watch"), 400, "BAD_REQUEST");
        expect(get(AUDITOR_TOKEN, "/v1/devices/%zz/pool"), 400, "BAD_REQUEST");
        expect(get(AUDITOR_TOKEN, "/v1/events?after=%zz"), 400, "BAD_REQUEST");
        expect(get(AUDITOR_TOKEN, "/v1/devices/err%2Fx/pool"), 400, "BAD_REQUEST");
        // What the HTTP codec refuses, before any route: JSON errors too.
        expect(get(AUDITOR_TOKEN, "/v1/devices/" + "r".repeat(9000) + "/pool"), 414, "URI_TOO_LONG");
        expect(RawRequest.of("GET", "/v1/devices/err/pool").token(AUDITOR_TOKEN).header("X-Padding", "p".repeat(17_000)),
                431, "HEADERS_TOO_LARGE");
        expect(RawRequest.of("POST", "/v1/commands").token(OPERATOR_TOKEN).header("Content-Type", "application/json")
                .header("Content-Length", "many"), 400, "BAD_REQUEST");
        // Dry runs: the answers of commands, plus dryRun.
        expect(RawRequest.of("POST", "/v1/commands?dryRun=true").token(OPERATOR_TOKEN).json(open), 200, null);
        expect(RawRequest.of("POST", "/v1/commands?dryRun=true").token(OPERATOR_TOKEN)
                .json(open.replace("\"err\"", "\"nobody\"")), 422, null);
        expect(RawRequest.of("POST", "/v1/commands?dryRun=maybe").token(OPERATOR_TOKEN).json(open), 400, "BAD_REQUEST");
    }

    @Test
    void everyReadAnswersAsDescribed() throws IOException {
        bus.openReclaimedPf("rd", "nvme0", 4);
        bus.accept(assign("rd", "nvme0", 2, 12));
        expect(get(AUDITOR_TOKEN, "/v1/devices/rd/pool"), 200, null);
        RawHttp.Response watch = expect(get(AUDITOR_TOKEN, "/v1/devices/rd/pool/watch"), 200, null);
        assertTrue(watch.body().startsWith("data: {\"device\":\"rd\""), watch::body);
        for (String query : List.of("", "?after=0&limit=3", "?limit=10000", "?after=9223372036854775807", "?z=1")) {
            expect(get(AUDITOR_TOKEN, "/v1/events" + query), 200, null);
        }
        expect(get(OPERATOR_TOKEN, "/v1/events?after=0"), 200, null);
        expect(RawRequest.of("GET", "/healthz"), 200, null);
        expect(get(AUDITOR_TOKEN, "/metrics"), 200, null);
        RawHttp.Response description = expect(RawRequest.of("GET", "/v1/openapi.json"), 200, null);
        assertEquals(Files.readString(RepoFiles.find("docs/openapi.json")), description.body(),
                "the bus serves docs/openapi.json itself");
    }

    @Test
    void everyFleetReadAnswersAsDescribed() {
        bus.openReclaimedPf("fleet-oa", "nvme0", 4);
        bus.accept(assign("fleet-oa", "nvme0", 1, 8));
        for (String query : List.of("", "?limit=1", "?limit=1000", "?emulation=NVME&minFree=0&open=true",
                "?emulation=VIRTIO_BLK", "?open=false&after=fleet-oa/nvme0", "?minFree=16777215")) {
            expect(get(AUDITOR_TOKEN, "/v1/pools" + query), 200, null);
        }
        RawHttp.Response watch = expect(get(AUDITOR_TOKEN, "/v1/pools/watch?emulation=NVME&open=true"), 200, null);
        assertTrue(watch.body().startsWith("data: {\"device\":"), watch::body);
        for (String query : List.of("?msix=8", "?msix=1&limit=1000000", "?msix=2048&emulation=NVME", "?msix=8&emulation=VIRTIO_BLK")) {
            expect(get(OPERATOR_TOKEN, "/v1/placements" + query), 200, null);
        }
        for (String bad : List.of("/v1/pools?limit=0", "/v1/pools?after=nope", "/v1/pools?emulation=nvme", "/v1/pools?open=1",
                "/v1/pools?minFree=-1", "/v1/pools?page=2", "/v1/pools/watch?minFree=x", "/v1/placements",
                "/v1/placements?msix=0", "/v1/placements?msix=8&limit=1000001")) {
            expect(get(AUDITOR_TOKEN, bad), 400, "BAD_REQUEST");
        }
        expect(get(null, "/v1/pools"), 401, "UNAUTHORIZED");
        expect(get(null, "/v1/placements?msix=8"), 401, "UNAUTHORIZED");
        expect(RawRequest.of("DELETE", "/v1/pools").token(OPERATOR_TOKEN), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void everyCheckpointReadAnswersAsDescribed() throws InterruptedException {
        bus.openReclaimedPf("cp-oa", "nvme0", 4);
        long size = 0;
        for (int wait = 0; wait < 400 && size < 3; wait++) { // the checkpointer signs every 500 ms
            Thread.sleep(50);
            size = Long.parseLong(expect(get(AUDITOR_TOKEN, "/v1/checkpoint"), 200, null).body().split("\n")[1]);
        }
        assertTrue(size >= 3, "a checkpoint covers the PF's events");
        for (String query : List.of("index=0&size=1", "index=0&size=" + size, "index=" + (size - 1) + "&size=" + size)) {
            expect(get(AUDITOR_TOKEN, "/v1/proof/inclusion?" + query), 200, null);
        }
        for (String query : List.of("from=1&to=" + size, "from=" + size + "&to=" + size, "from=2&to=3")) {
            expect(get(OPERATOR_TOKEN, "/v1/proof/consistency?" + query), 200, null);
        }
        for (String bad : List.of("/v1/proof/inclusion?index=0", "/v1/proof/inclusion?index=1&size=1",
                "/v1/proof/inclusion?index=0&size=" + (size + 1), "/v1/proof/consistency?from=0&to=1",
                "/v1/proof/consistency?from=3&to=2", "/v1/proof/consistency?to=1")) {
            expect(get(AUDITOR_TOKEN, bad), 400, "BAD_REQUEST");
        }
        expect(get(null, "/v1/checkpoint"), 401, "UNAUTHORIZED");
        expect(RawRequest.of("POST", "/v1/checkpoint").token(OPERATOR_TOKEN), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void hostileRequestsAnswerAsDescribed() {
        for (String device : List.of("hz0", "hz1")) {
            bus.openReclaimedPf(device, "nvme0", 4);
            bus.accept(provision(device, "nvme1", 4, 64));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (RawRequest request : new HostileRequests(SEED).next(HOSTILE)) {
            RawHttp.Response response = exchange(request);
            statuses.merge(response == null ? 0 : response.status(), 1, Integer::sum);
        }
        System.out.println("hostile requests (seed " + SEED + ", " + kind + " store), answers by status: " + statuses);
        findings.replaceAll(finding -> "(seed " + SEED + ") " + finding);
    }

    // ---- exchanges

    /** Sends {@code request} on a connection of its own; what the check finds in the exchange is kept for the end. */
    private RawHttp.Response exchange(RawRequest request) {
        RawHttp.Response response = request.send(bus.port());
        for (String finding : CHECK.findings(request, response)) {
            findings.add(request + "\n    -> " + (response == null ? "no answer"
                    : response.status() + " " + abbreviated(response.body())) + "\n    " + finding);
        }
        return response;
    }

    /** An exchange that must also get {@code status} and, when not null, the error {@code code}. */
    private RawHttp.Response expect(RawRequest request, int status, String code) {
        RawHttp.Response response = exchange(request);
        assertNotNull(response, () -> "no answer to " + request);
        assertEquals(status, response.status(), () -> request + " -> " + response.body());
        if (code != null) {
            assertEquals(code, object(response.body()).path("code").asText(), () -> request + " -> " + response.body());
        }
        return response;
    }

    private static RawRequest get(String token, String target) {
        return RawRequest.of("GET", target).token(token);
    }

    private static RawRequest post(String token, String command) {
        return RawRequest.of("POST", "/v1/commands").token(token).json(command);
    }

    private static String pf(String type, String fields) {
        return "{\"type\":\"" + type + "\",\"device\":\"oa\",\"pf\":\"nvme0\"" + fields + "}";
    }

    private static String abbreviated(String body) {
        String line = body.strip().replace("\n", "\\n");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    /** Commands sent in order as the operator, each with the answer it must get. */
    private final class Sequence {
        private final List<String> accepted;
        private final Set<String> rejected;

        Sequence(List<String> accepted, Set<String> rejected) {
            this.accepted = accepted;
            this.rejected = rejected;
        }

        void accept(String command) {
            expect(post(OPERATOR_TOKEN, command), 200, null);
            accepted.add(object(command).path("type").asText());
        }

        void reject(String command, String code) {
            expect(post(OPERATOR_TOKEN, command), 422, code);
            rejected.add(code);
        }
    }
}
