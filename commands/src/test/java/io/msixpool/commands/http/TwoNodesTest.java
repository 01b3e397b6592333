package io.msixpool.commands.http;

import static io.msixpool.commands.support.ServeNode.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.ServeNode;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, docs/cluster.md: two real {@code msix serve} processes on one PostgreSQL database take commands
 * for the same device at the same time. Sixteen clients, split over both nodes and four operator tokens,
 * race to create VF controllers whose sizes together far exceed the PF's free pool, then release and
 * reassign them. A race must become a retry inside the engine: every answer is the rule's (200, or 422
 * with the one code the state explains), the pools on both nodes equal the fold of the accepted results,
 * no VF is given vectors twice, the exported log holds each accepted command's events exactly once under
 * the token's name, and a watch on node B follows what clients of node A did.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TwoNodesTest {
    private static final String DEVICE = "bf3-race";
    private static final String PF = "nvme0";
    private static final int VFS = 16;
    private static final int TOTAL = 64;
    /** Every request asks for at least this many: 16 winners would need 80 > 64, so some must lose. */
    private static final int MIN_ASK = 5;
    private static final int MAX_ASK = 12;
    private static final int CLIENTS = VFS;
    private static final List<String> OPERATORS = List.of("orchestrator-a", "orchestrator-b", "agent-c", "agent-d");
    private static final String AUDITOR = "audit";
    private static final long SEED = 20_261_204L;
    private static final Duration WATCH_WAIT = Duration.ofSeconds(30);

    private Map<String, String> tokens;

    /** One command as a client sent it, and the answer it got. */
    record Sent(String node, String actor, ObjectNode command, int status, JsonNode result) {
        String commandId() {
            return command.get("commandId").asText();
        }

        int vf() {
            return command.path("vf").asInt(-1);
        }

        int msix() {
            return command.path("msix").asInt(-1);
        }

        boolean accepted() {
            return status == 200 && result.path("ok").asBoolean(false) && !result.path("duplicate").asBoolean(false);
        }

        String code() {
            return result.path("code").asText("");
        }

        @Override
        public String toString() {
            return command + " to node " + node + " as " + actor + " -> " + status + " " + result;
        }
    }

    @Test
    void clientsOfTwoNodesRacingForTheLastVectorsNeverOverAllocateAndEveryNodeSeesEveryWrite() throws Exception {
        long started = System.nanoTime();
        String store = TestStores.fresh(TestStores.Kind.POSTGRES);
        Path tokensFile = Files.createTempFile("msix-tokens", ".json");
        tokens = ServeNode.writeTokens(tokensFile, OPERATORS, List.of(AUDITOR));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        ServeNode a = null;
        ServeNode b = null;
        try {
            // both nodes start together on the fresh database, as a cluster coming up would
            String[] args = {"--store", store, "--tokens", tokensFile.toString(), "--port", "0"};
            Future<ServeNode> startingA = clients.submit(() -> ServeNode.start(args));
            Future<ServeNode> startingB = clients.submit(() -> ServeNode.start(args));
            try {
                a = startingA.get(2, TimeUnit.MINUTES);
            } finally {
                b = startingB.get(2, TimeUnit.MINUTES);
            }
            Map<String, ServeNode> nodes = Map.of("A", a, "B", b);
            System.out.println("TwoNodesTest: both nodes listening after " + seconds(started) + " s (ports "
                    + a.port() + ", " + b.port() + ")");
            race(nodes, clients);
            for (ServeNode node : List.of(a, b)) {
                long stopping = System.nanoTime();
                assertTrue(node.terminate(Duration.ofSeconds(40)), "a node stops within 40 s of SIGTERM");
                System.out.println("TwoNodesTest: node on port " + node.port() + " stopped " + seconds(stopping)
                        + " s after SIGTERM");
                assertEquals(List.of(), node.troubles(), () -> "a node on port " + node.port()
                        + " serves and stops without failures, warnings or stack traces:\n" + ServeNode.errTail(node.stderr()));
            }
            System.out.println("TwoNodesTest: done in " + seconds(started) + " s");
        } finally {
            clients.shutdownNow();
            for (ServeNode node : new ServeNode[] {a, b}) {
                if (node != null) {
                    node.close();
                }
            }
        }
    }

    private void race(Map<String, ServeNode> nodes, ExecutorService clients) throws Exception {
        ServeNode a = nodes.get("A");
        ServeNode b = nodes.get("B");
        List<Sent> everything = Collections.synchronizedList(new ArrayList<>());

        // 1. the PF, provisioned through node A; a watch opened on node B, which gets no command at all yet
        everything.add(expectAccepted(send(nodes, "A", OPERATORS.get(0), command("ProvisionPf", "setup-provision")
                .put("emulation", "NVME").put("vfCount", VFS).put("msixTotal", TOTAL)
                .put("vfMinMsix", 2).put("vfMaxMsix", 32))));
        try (Watch watch = new Watch(b, tokens.get(AUDITOR), DEVICE)) {
            watch.await(view -> pf(view).path("msixFree").asInt(-1) == 0 && !pf(view).path("open").asBoolean(true),
                    "node B's first view: the PF node A provisioned, closed, every vector on its VFs");
            everything.add(expectAccepted(send(nodes, "A", OPERATORS.get(1),
                    command("OpenPf", "setup-open").put("dynamicMsix", true))));
            everything.add(expectAccepted(send(nodes, "A", OPERATORS.get(1), command("Reclaim", "setup-reclaim"))));
            JsonNode reclaimed = watch.await(view -> pf(view).path("open").asBoolean(false)
                            && pf(view).path("msixFree").asInt(-1) == TOTAL,
                    "node B's watch shows the PF that clients of node A opened and reclaimed");
            assertEquals(a.pool(tokens.get(AUDITOR), DEVICE), reclaimed,
                    "the view node B's watch sent is node A's pool after the reclaim");

            // 2. round one: 16 clients, two AssignVectors each, one for its own VF and one for its
            //    neighbour's (whose owner sends through the other node), in a seeded order
            Random random = new Random(SEED);
            List<List<ObjectNode>> plans = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                List<ObjectNode> plan = new ArrayList<>();
                for (int vf : new int[] {client, (client + 1) % VFS}) {
                    plan.add(assign("r1-c" + client + "-vf" + vf, vf, MIN_ASK + random.nextInt(MAX_ASK - MIN_ASK + 1)));
                }
                Collections.shuffle(plan, random);
                plans.add(plan);
            }
            List<Sent> round1 = runClients(clients, nodes, plans, client -> client % 2 == 0 ? "A" : "B");
            everything.addAll(round1);
            Map<Integer, Sent> winners = checkRoundOne(round1, a, b);

            // 3. round two, each client through the other node: release its VF if it is open, then
            //    create it again with a new size; the free pool now rises and falls under the race
            List<List<ObjectNode>> secondPlans = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                List<ObjectNode> plan = new ArrayList<>();
                if (winners.containsKey(client)) {
                    plan.add(command("ReleaseVectors", "r2-c" + client + "-release").put("vf", client));
                }
                plan.add(assign("r2-c" + client + "-assign", client, MIN_ASK + random.nextInt(MAX_ASK - MIN_ASK + 1)));
                secondPlans.add(plan);
            }
            List<Sent> round2 = runClients(clients, nodes, secondPlans, client -> client % 2 == 0 ? "B" : "A");
            everything.addAll(round2);
            JsonNode finalPool = checkRoundTwo(round2, winners, a, b);

            // 4. every accepted assignment of round one, resent to the node that did not take it: a duplicate
            for (Sent winner : winners.values()) {
                Sent resent = send(nodes, winner.node().equals("A") ? "B" : "A", winner.actor(), winner.command());
                assertEquals(200, resent.status(), () -> "a resent command: " + resent);
                assertTrue(resent.result().path("duplicate").asBoolean(false) && resent.result().path("events").isEmpty(),
                        () -> "an accepted command resent to the other node is a duplicate with no events: " + resent);
            }
            assertEquals(finalPool, a.pool(tokens.get(AUDITOR), DEVICE), "duplicates changed nothing");

            // 5. a hand-over, one command at a time, alternating nodes, on a second PF of the device
            finalPool = handOver(nodes, everything, pf(finalPool));

            // 6. node B's watch, fed by what both nodes wrote, arrives at the final pool
            watch.await(finalPool::equals, "node B's watch arrives at the final pool");
            System.out.println("TwoNodesTest: node B's watch delivered " + watch.received() + " views");

            // 7. the log, read from both nodes: each accepted command exactly once, under its token's name
            checkLog(everything, a, b);
            System.out.println("TwoNodesTest: node A " + commandCounts(a) + "; node B " + commandCounts(b));
        }
    }

    /**
     * Each node decides on what the other committed just before, including the decisions that write
     * nothing: a node that decided on the device as it remembered it from its own last command would
     * refuse most steps (UNKNOWN_PF, INSUFFICIENT_FREE_MSIX, VF_NOT_OPEN), and a refusal meets no
     * write conflict that would tell it. Returns the pool at the end.
     */
    private JsonNode handOver(Map<String, ServeNode> nodes, List<Sent> everything, JsonNode nvme0) throws Exception {
        String pf = "nvme1";
        String[][] steps = {
                {"A", "{\"type\":\"ProvisionPf\",\"emulation\":\"NVME\",\"vfCount\":2,\"msixTotal\":8,\"vfMinMsix\":2,\"vfMaxMsix\":8}"},
                {"B", "{\"type\":\"OpenPf\"}"},
                {"A", "{\"type\":\"Reclaim\"}"},
                {"B", "{\"type\":\"AssignVectors\",\"vf\":0,\"msix\":8}"},
                {"A", "{\"type\":\"ReleaseVectors\",\"vf\":0}"},
                {"B", "{\"type\":\"AssignVectors\",\"vf\":1,\"msix\":8}"},
                {"A", "{\"type\":\"ReleaseVectors\",\"vf\":1}"},
                {"B", "{\"type\":\"AssignVectors\",\"vf\":0,\"msix\":8}"}};
        for (int step = 0; step < steps.length; step++) {
            ObjectNode command = (ObjectNode) ServeNode.json(steps[step][1]);
            command.put("device", DEVICE).put("pf", pf).put("commandId", "handover-" + step);
            Sent sent = send(nodes, steps[step][0], OPERATORS.get(step % OPERATORS.size()), command);
            everything.add(sent);
            int s = step;
            assertTrue(sent.accepted(), () -> "hand-over step " + s + ", decided on what the other node committed: " + sent);
        }
        JsonNode pool = nodes.get("A").pool(tokens.get(AUDITOR), DEVICE);
        assertEquals(pool, nodes.get("B").pool(tokens.get(AUDITOR), DEVICE), "both nodes show the same pool");
        assertEquals(nvme0, pool.path("pfs").path(0), "the hand-over on nvme1 left nvme0 as it was");
        JsonNode nvme1 = pool.path("pfs").path(1);
        assertEquals(List.of(pf, 0, vfView(0, 8, true), vfView(1, 0, false)),
                List.of(nvme1.path("pf").asText(), nvme1.path("msixFree").asInt(-1), nvme1.path("vfs").path(0),
                        nvme1.path("vfs").path(1)), "nvme1 after the hand-over: " + nvme1);
        return pool;
    }

    /** Runs one plan per client, all clients released together; each client sends its plan in order. */
    private List<Sent> runClients(ExecutorService clients, Map<String, ServeNode> nodes, List<List<ObjectNode>> plans,
                                  IntFunction<String> nodeOf) throws Exception {
        CyclicBarrier together = new CyclicBarrier(plans.size());
        List<Future<List<Sent>>> running = new ArrayList<>();
        for (int client = 0; client < plans.size(); client++) {
            int c = client;
            String actor = OPERATORS.get((client / 2) % OPERATORS.size());
            running.add(clients.submit(() -> {
                together.await(30, TimeUnit.SECONDS);
                List<Sent> sent = new ArrayList<>();
                for (ObjectNode command : plans.get(c)) {
                    sent.add(send(nodes, nodeOf.apply(c), actor, command));
                }
                return sent;
            }));
        }
        List<Sent> all = new ArrayList<>();
        for (Future<List<Sent>> client : running) {
            all.addAll(client.get(2, TimeUnit.MINUTES));
        }
        List<Sent> unexpected = all.stream().filter(sent -> sent.status() != 200 && sent.status() != 422).toList();
        assertEquals(List.of(), unexpected, "every answer is 200 or 422, never a failure");
        return all;
    }

    /**
     * Round one may only reject for lack of vectors or because the VF's other contender won; an accepted
     * command records exactly its two events; at most one contender per VF wins; both nodes show the
     * same pool, and it is the fold of the winners.
     */
    private Map<Integer, Sent> checkRoundOne(List<Sent> round, ServeNode a, ServeNode b) throws Exception {
        Map<Integer, Sent> winners = new HashMap<>();
        for (Sent sent : round) {
            if (sent.accepted()) {
                assertEquals(assignedEvents(sent.vf(), sent.msix()), sent.result().get("events"),
                        () -> "an accepted AssignVectors records VectorsAssigned and VfOpened: " + sent);
                Sent other = winners.put(sent.vf(), sent);
                assertTrue(other == null, () -> "VF " + sent.vf() + " was given vectors twice: " + other + " and " + sent);
            } else {
                assertTrue(Set.of("INSUFFICIENT_FREE_MSIX", "VF_ALREADY_OPEN").contains(sent.code()),
                        () -> "round one rejects only for lack of vectors or a VF already taken: " + sent);
            }
        }
        JsonNode poolA = a.pool(tokens.get(AUDITOR), DEVICE);
        assertEquals(poolA, b.pool(tokens.get(AUDITOR), DEVICE), "both nodes show the same pool");
        JsonNode pf = pf(poolA);
        int assigned = winners.values().stream().mapToInt(Sent::msix).sum();
        int free = pf.path("msixFree").asInt(-1);
        assertEquals(TOTAL - assigned, free, "msixTotal - msixFree is the sum of the accepted sizes (" + winners.size()
                + " accepted)");
        for (int vf = 0; vf < VFS; vf++) {
            Sent winner = winners.get(vf);
            assertEquals(vfView(vf, winner == null ? 0 : winner.msix(), winner != null), pf.path("vfs").get(vf),
                    "VF " + vf + " holds what its accepted command gave it, or nothing");
        }
        List<Sent> starved = round.stream().filter(sent -> sent.code().equals("INSUFFICIENT_FREE_MSIX")).toList();
        for (Sent sent : round) {
            if (sent.code().equals("VF_ALREADY_OPEN")) {
                assertTrue(winners.containsKey(sent.vf()), () -> "VF_ALREADY_OPEN, yet nobody opened the VF: " + sent);
            }
        }
        // the free pool only fell during round one, so a refusal for lack of vectors must still be one at the end
        for (Sent sent : starved) {
            assertTrue(sent.msix() > free, () -> "refused for lack of vectors while " + free
                    + " are free at the end of a round that only took vectors (decided on a stale pool?): " + sent);
        }
        assertTrue(!starved.isEmpty(), "16 VFs of at least " + MIN_ASK + " vectors do not fit in " + TOTAL
                + ", yet nobody was refused for lack of vectors");
        System.out.println("TwoNodesTest: round one: " + winners.size() + " of " + VFS + " VFs won, " + assigned
                + " vectors given, " + free + " left; " + starved.size() + " refused for lack of vectors, "
                + (round.size() - winners.size() - starved.size()) + " for a VF already open");
        return winners;
    }

    private JsonNode checkRoundTwo(List<Sent> round, Map<Integer, Sent> winners, ServeNode a, ServeNode b)
            throws Exception {
        Map<Integer, Integer> held = new HashMap<>();
        for (Sent sent : round) {
            String type = sent.command().get("type").asText();
            if (type.equals("ReleaseVectors")) {
                assertTrue(sent.accepted(), () -> "releasing an open VF is accepted: " + sent);
                ArrayNode released = JSON.createArrayNode();
                released.addObject().put("type", "VfClosed").put("device", DEVICE).put("pf", PF).put("vf", sent.vf());
                released.addObject().put("type", "VectorsReleased").put("device", DEVICE).put("pf", PF)
                        .put("vf", sent.vf()).put("msix", winners.get(sent.vf()).msix());
                assertEquals(released, sent.result().get("events"),
                        () -> "the release gives back what round one gave the VF: " + sent);
            } else if (sent.accepted()) {
                assertEquals(assignedEvents(sent.vf(), sent.msix()), sent.result().get("events"), sent::toString);
                held.put(sent.vf(), sent.msix());
            } else {
                assertEquals("INSUFFICIENT_FREE_MSIX", sent.code(),
                        () -> "a client's own released VF can only lack vectors: " + sent);
            }
        }
        JsonNode poolA = a.pool(tokens.get(AUDITOR), DEVICE);
        assertEquals(poolA, b.pool(tokens.get(AUDITOR), DEVICE), "both nodes show the same pool");
        JsonNode pf = pf(poolA);
        int assigned = held.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(TOTAL - assigned, pf.path("msixFree").asInt(-1),
                "msixTotal - msixFree is the sum of the sizes accepted in round two");
        for (int vf = 0; vf < VFS; vf++) {
            Integer msix = held.get(vf);
            assertEquals(vfView(vf, msix == null ? 0 : msix, msix != null), pf.path("vfs").get(vf),
                    "VF " + vf + " after round two");
        }
        System.out.println("TwoNodesTest: round two: " + held.size() + " VFs hold " + assigned + " vectors, "
                + (TOTAL - assigned) + " free; " + round.stream().filter(s -> !s.accepted()).count()
                + " refused for lack of vectors");
        return poolA;
    }

    /**
     * The log as both nodes export it: identical; positions increasing and the device's sequence without
     * gaps; the accepted commands' events, each command's together and exactly once, with its commandId
     * and its token's name as the actor; nothing from a rejected command.
     */
    private void checkLog(List<Sent> everything, ServeNode a, ServeNode b) throws Exception {
        List<JsonNode> log = a.events(tokens.get(AUDITOR));
        assertEquals(log, b.events(tokens.get(AUDITOR)), "both nodes export the same log");
        Map<String, Sent> accepted = new LinkedHashMap<>();
        for (Sent sent : everything) {
            if (sent.accepted()) {
                assertTrue(accepted.put(sent.commandId(), sent) == null, "commandIds are unique in this test");
            }
        }
        Map<String, List<JsonNode>> byCommand = new LinkedHashMap<>();
        Set<String> finished = new LinkedHashSet<>();
        String current = null;
        long lastPosition = 0;
        long firstPosition = log.isEmpty() ? 0 : log.get(0).path("envelope").path("position").asLong();
        for (int i = 0; i < log.size(); i++) {
            JsonNode line = log.get(i);
            JsonNode envelope = line.path("envelope");
            assertEquals(i, envelope.path("sequence").asLong(-1), "the device's sequence has no gap: " + line);
            long position = envelope.path("position").asLong();
            assertTrue(position > lastPosition, "positions increase: " + line);
            lastPosition = position;
            String commandId = envelope.path("commandId").asText(null);
            Sent sent = accepted.get(commandId);
            assertTrue(sent != null, "an event of no accepted command: " + line);
            assertEquals(sent.actor(), envelope.path("actor").asText(null), "the actor is the name of the token used: " + line);
            if (!commandId.equals(current)) {
                assertTrue(finished.add(commandId), "the events of " + commandId + " appear in two places: " + line);
                current = commandId;
            }
            ObjectNode event = line.deepCopy();
            event.remove("envelope");
            byCommand.computeIfAbsent(commandId, id -> new ArrayList<>()).add(event);
        }
        for (Sent sent : accepted.values()) {
            List<JsonNode> reported = new ArrayList<>();
            sent.result().get("events").forEach(reported::add);
            assertEquals(reported, byCommand.get(sent.commandId()), "the log holds the events of " + sent);
        }
        long gaps = log.isEmpty() ? 0 : (lastPosition - firstPosition + 1) - log.size();
        System.out.println("TwoNodesTest: the log holds " + log.size() + " events of " + accepted.size()
                + " accepted commands; " + gaps + " global positions unused (each append rolled back on a"
                + " conflict with the other node, then decided again, leaves at least one)");
    }

    private Sent send(Map<String, ServeNode> nodes, String node, String actor, ObjectNode command)
            throws IOException, InterruptedException {
        HttpResponse<String> response = nodes.get(node).command(tokens.get(actor), command.toString());
        return new Sent(node, actor, command, response.statusCode(), ServeNode.json(response.body()));
    }

    private static Sent expectAccepted(Sent sent) {
        assertTrue(sent.accepted(), () -> "accepted: " + sent);
        return sent;
    }

    private static ObjectNode command(String type, String commandId) {
        return JSON.createObjectNode().put("type", type).put("device", DEVICE).put("pf", PF).put("commandId", commandId);
    }

    private static ObjectNode assign(String commandId, int vf, int msix) {
        return command("AssignVectors", commandId).put("vf", vf).put("msix", msix);
    }

    private static ArrayNode assignedEvents(int vf, int msix) {
        ArrayNode events = JSON.createArrayNode();
        events.addObject().put("type", "VectorsAssigned").put("device", DEVICE).put("pf", PF).put("vf", vf).put("msix", msix);
        events.addObject().put("type", "VfOpened").put("device", DEVICE).put("pf", PF).put("vf", vf);
        return events;
    }

    private static ObjectNode vfView(int vf, int msix, boolean open) {
        return JSON.createObjectNode().put("vf", vf).put("msix", msix).put("open", open);
    }

    private static JsonNode pf(JsonNode view) {
        return view.path("pfs").path(0);
    }

    /** This node's command counters from /metrics, e.g. {@code accepted=12 rejected/INSUFFICIENT_FREE_MSIX=3}. */
    private String commandCounts(ServeNode node) throws Exception {
        HttpResponse<String> metrics = node.get(tokens.get(AUDITOR), "/metrics");
        assertEquals(200, metrics.statusCode(), metrics::body);
        return metrics.body().lines().filter(line -> line.startsWith("msix_commands_total{"))
                .map(line -> line.replaceAll("msix_commands_total\\{code=\"([^\"]*)\",result=\"([^\"]*)\",?\\} (\\S+)",
                        "$2/$1=$3").replace("/=", "="))
                .sorted().collect(Collectors.joining(" "));
    }

    private static String seconds(long startedNanos) {
        return String.format("%.1f", (System.nanoTime() - startedNanos) / 1e9);
    }

    /** A pool watch (server-sent events) on one node: every view it delivers, as JSON, in order. */
    private static final class Watch implements AutoCloseable {
        private final BlockingQueue<JsonNode> views = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private JsonNode last;
        private int received;

        Watch(ServeNode node, String token, String device) {
            HttpRequest request = HttpRequest.newBuilder(node.uri("/v1/devices/" + device + "/pool/watch"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build();
            HttpClient client = ServeNode.client();
            response = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
            Thread reader = new Thread(() -> {
                try {
                    HttpResponse<Stream<String>> answer = response.join();
                    if (answer.statusCode() != 200) {
                        views.add(JSON.createObjectNode().put("watchFailed", answer.statusCode()));
                        return;
                    }
                    try (Stream<String> lines = answer.body()) {
                        lines.filter(line -> line.startsWith("data: "))
                                .forEach(line -> views.add(ServeNode.json(line.substring("data: ".length()))));
                    }
                } catch (RuntimeException ended) {
                    // the stream was closed, or the watch could not be opened (await reports no view)
                }
            }, "pool-watch");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a view that satisfies {@code condition}, taking the views in order. */
        JsonNode await(Predicate<JsonNode> condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + WATCH_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode view = views.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (view == null) {
                    break;
                }
                if (view.has("watchFailed")) {
                    fail("the watch was refused: " + view);
                }
                last = view;
                received++;
                if (condition.test(view)) {
                    return view;
                }
            }
            return fail(what + ": no such view within " + WATCH_WAIT.toSeconds() + " s; the last one was " + last);
        }

        int received() {
            return received;
        }

        @Override
        public void close() {
            response.thenAccept(answer -> answer.body().close());
            response.cancel(true);
        }
    }
}
