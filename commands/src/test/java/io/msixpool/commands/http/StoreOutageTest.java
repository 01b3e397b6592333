package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.support.KillablePostgres;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * PostgreSQL killed (SIGKILL) under a live server with clients sending, then started again on the
 * same data and port: the server says so fast (health 503 within 2 s, commands 503 UNAVAILABLE,
 * reads a JSON 503), a 503 never hides a recorded command, and everything recovers without a
 * restart of the server (docs/http.md "When the store is down").
 */
@Isolated // timing bounds (health within 2 s) are asserted: no other test class competes for the cores
class StoreOutageTest {
    private static final int CLIENTS = 4;
    private static final Duration HEALTH_BOUND = Duration.ofSeconds(2);

    /** What one command got, answer after answer (a status, or -1 for a connection that failed). */
    private final Map<String, List<Integer>> answers = new ConcurrentHashMap<>();

    @Test
    @Timeout(240)
    void postgresKilledUnderLoadFailsFastAnswersJsonAndRecovers() throws Exception {
        try (KillablePostgres postgres = KillablePostgres.start();
             BusFixture bus = BusFixture.startOn(TestStores.Kind.POSTGRES, postgres.url(), BusServer.Timeouts.DEFAULT)) {
            bus.accept(BusFixture.provision("watched", "nvme0", 4, 64));
            try (SseStream watch = SseStream.open(bus.port(), BusFixture.AUDITOR_TOKEN, "watched", 0)) {
                assertEquals(false, BusFixture.object(watch.next()).path("pfs").path(0).path("open").asBoolean(true));
                AtomicBoolean sending = new AtomicBoolean(true);
                AtomicInteger accepted = new AtomicInteger();
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    running.add(clients.submit(() -> send(bus, "c" + client, sending, accepted)));
                }
                awaitAtLeast(accepted, 200, "accepted before the kill");

                postgres.kill();
                int acceptedAtKill = accepted.get();
                // Health: 503 within the bound, every time it is asked during the outage.
                for (int probe = 0; probe < 3; probe++) {
                    long start = System.nanoTime();
                    HttpResponse<String> health = bus.send(bus.request("/healthz").timeout(HEALTH_BOUND).GET());
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    System.out.println("healthz during the outage: " + health.statusCode() + " in " + took.toMillis() + " ms");
                    assertUnavailable(health, "healthz");
                }
                // Reads: a JSON 503, not an empty 500.
                assertUnavailable(bus.poolResponse("watched"), "pool");
                assertUnavailable(bus.get(BusFixture.AUDITOR_TOKEN, "/v1/events?after=0&limit=10"), "events");
                // A command now: 503 UNAVAILABLE, told at once.
                HttpResponse<String> command = bus.post(BusFixture.OPERATOR_TOKEN, withId(BusFixture.provision("late", "nvme0", 4, 64), "late-1"));
                assertUnavailable(command, "a command");
                assertTrue(command.headers().firstValue("Retry-After").isPresent(), "a refused command says when to retry");
                Thread.sleep(2_000); // the clients go on sending into the outage

                postgres.restart();
                long restarted = System.nanoTime();
                awaitHealthy(bus);
                System.out.println("healthy " + Duration.ofNanos(System.nanoTime() - restarted).toMillis() + " ms after the restart");
                awaitAtLeast(accepted, accepted.get() + 200, "accepted after the restart");
                sending.set(false);
                for (Future<?> client : running) {
                    client.get();
                }
                clients.shutdown();

                Map<String, Integer> recorded = eventsPerCommand(bus);
                List<String> refusedOnly = new ArrayList<>();
                int unknown = 0;
                for (Map.Entry<String, List<Integer>> command2 : answers.entrySet()) {
                    List<Integer> got = command2.getValue();
                    if (got.contains(200)) {
                        assertEquals(2, recorded.getOrDefault(command2.getKey(), 0),
                                command2.getKey() + " was acknowledged (" + got + "): its two events are recorded once");
                    } else if (got.stream().allMatch(status -> status == 503)) {
                        refusedOnly.add(command2.getKey());
                        assertEquals(0, recorded.getOrDefault(command2.getKey(), 0),
                                command2.getKey() + " was only ever answered 503 (" + got + "), which says nothing was decided");
                    } else {
                        unknown++;
                    }
                }
                System.out.println(answers.size() + " commands sent, " + acceptedAtKill + " accepted before the kill, "
                        + refusedOnly.size() + " refused with 503 only, " + unknown + " with an unknown outcome (500 or"
                        + " a broken connection: in flight at the kill)");
                assertTrue(refusedOnly.size() > 0, "some commands were sent into the outage and refused");

                // The clients resend what was not acknowledged, with the same ids: each is recorded exactly once.
                for (String id : answers.keySet()) {
                    if (!answers.get(id).contains(200)) {
                        HttpResponse<String> resent = bus.post(BusFixture.OPERATOR_TOKEN, commandOf(id));
                        assertEquals(200, resent.statusCode(), () -> id + " resent: " + resent.body());
                    }
                }
                Map<String, Integer> after = eventsPerCommand(bus);
                for (String id : answers.keySet()) {
                    assertEquals(2, after.getOrDefault(id, 0), id + ": recorded exactly once after the resends");
                }

                // The watcher that lived through the outage sees a change made after it.
                bus.accept("{\"type\":\"OpenPf\",\"device\":\"watched\",\"pf\":\"nvme0\"}");
                assertTrue(awaitOpen(watch), "the watch stream shows the PF opened after the outage");
            }
        }
    }

    /** One client: new commands one after another, each with its own id, until told to stop. */
    private void send(BusFixture bus, String client, AtomicBoolean sending, AtomicInteger accepted) {
        for (int n = 0; sending.get(); n++) {
            String id = client + "-" + n;
            int status;
            try {
                HttpResponse<String> response = bus.http.send(bus.request("/v1/commands")
                        .header("Authorization", "Bearer " + BusFixture.OPERATOR_TOKEN)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(20))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(commandOf(id))).build(),
                        HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                if (status == 503) {
                    assertUnavailable(response, id);
                }
            } catch (IOException broken) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            answers.computeIfAbsent(id, key -> new ArrayList<>()).add(status);
            if (status == 200) {
                accepted.incrementAndGet();
            } else {
                pause(50); // as a client backs off
            }
        }
    }

    private static String commandOf(String id) {
        return withId(BusFixture.provision("dev-" + id, "nvme0", 4, 64), id);
    }

    private static String withId(String command, String id) {
        return command.substring(0, command.length() - 1) + ",\"commandId\":\"" + id + "\"}";
    }

    private static void assertUnavailable(HttpResponse<String> response, String what) {
        assertEquals(503, response.statusCode(), () -> what + ": " + response.body());
        ObjectNode error = BusFixture.object(response.body());
        assertEquals("UNAVAILABLE", error.path("code").asText(), () -> what + ": " + response.body());
        assertEquals(false, error.path("ok").asBoolean(true), () -> what + ": " + response.body());
    }

    private static Map<String, Integer> eventsPerCommand(BusFixture bus) {
        Map<String, Integer> counts = new HashMap<>();
        for (ObjectNode event : bus.events()) {
            counts.merge(event.path("envelope").path("commandId").asText(), 1, Integer::sum);
        }
        return counts;
    }

    private static void awaitHealthy(BusFixture bus) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (bus.get(null, "/healthz").statusCode() == 200) {
                return;
            }
            pause(100);
        }
        throw new AssertionError("the server did not become healthy within 60 s of the store's restart");
    }

    private static void awaitAtLeast(AtomicInteger count, int target, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (count.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + count.get() + " of " + target + " within 60 s");
            }
            pause(20);
        }
    }

    /** Reads views until one shows the PF open; the stream's socket timeout (20 s) bounds each read. */
    private static boolean awaitOpen(SseStream watch) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            String view = watch.next();
            if (view == null) {
                return false;
            }
            if (BusFixture.object(view).path("pfs").path(0).path("open").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
