package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static io.msixpool.commands.support.ServeNode.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msixpool.commands.http.TokensFile;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.ServeNode;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code msix serve} as a real process (issue 4, docs/http.md): the default tokens file, usage errors,
 * where it listens, and a SIGTERM or a SIGINT (Ctrl-C) that falls in the middle of a stream of commands
 * from several clients.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServeProcessTest {
    private static final Duration STOP_LIMIT = Duration.ofSeconds(40);

    // ---- tokens, bind and port

    @Test
    void theFirstStartWritesTheHashOfAnOperatorTokenShowsTheTokenOnceAndLaterStartsReuseIt() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        Path tokensFile = Path.of(store).resolve("tokens.json").toAbsolutePath();
        String device = "bf3-tokens";
        String token;
        try (ServeNode node = ServeNode.start("--store", store, "--port", "0")) {
            assertEquals("127.0.0.1", node.host(), "the default bind is loopback");
            assertTrue(node.port() > 0, "--port 0 gives a free port: " + node.port());
            Matcher shown = Pattern.compile("msix: wrote the hash of a new operator token to " + Pattern.quote(tokensFile.toString())
                    + " [^\n]*shown this once: ([A-Za-z0-9_-]+)\n").matcher(node.stderr());
            assertTrue(shown.find(), () -> "the first start names the file it wrote and shows the token: " + node.stderr());
            token = shown.group(1);
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 random bytes, base64url: " + token);
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(tokensFile),
                    "the tokens file is readable and writable by its owner only");
            JsonNode list = ServeNode.json(Files.readString(tokensFile));
            assertEquals(1, list.size(), "one token: " + list);
            assertEquals("operator", list.path(0).path("name").asText(), "its name: " + list);
            assertEquals("operator", list.path(0).path("role").asText(), "its role: " + list);
            assertEquals(ServeNode.sha256Hex(token), list.path(0).path("sha256").asText(), "its hash: " + list);
            assertFalse(Files.readString(tokensFile).contains(token), "never the token itself");

            HttpResponse<String> provisioned = node.command(token, provision(device, "tokens-1"));
            assertEquals(200, provisioned.statusCode(), provisioned::body);
            String nearMiss = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
            HttpResponse<String> refused = node.command(nearMiss, provision(device, "tokens-2"));
            assertEquals(401, refused.statusCode(), () -> "a token one character off: " + refused.body());
            for (JsonNode event : node.events(token)) {
                assertEquals("operator", event.path("envelope").path("actor").asText(),
                        "the token's name is the actor: " + event);
            }
            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                assertThrows(ConnectException.class, () -> connect(outside.get(), node.port()),
                        "bound to loopback: not reachable on " + outside.get());
            } else {
                System.out.println("ServeProcessTest: this host has no non-loopback address; bind checked by the printed host only");
            }
        }

        byte[] written = Files.readAllBytes(tokensFile);
        int port = freePort();
        try (ServeNode node = ServeNode.start("--store", store, "--bind", "0.0.0.0", "--port", Integer.toString(port),
                "--insecure")) {
            assertEquals(port, node.port(), "--port is the port it listens on");
            URI listening = URI.create("http://" + node.host() + ":" + node.port());
            assertEquals(port, listening.getPort(), "the listening line is a URL: " + listening);
            assertTrue(InetAddress.getByName(listening.getHost()).isAnyLocalAddress(),
                    "--bind 0.0.0.0 listens on every address: " + listening);
            assertTrue(node.stderr().contains("msix: tokens from " + tokensFile), node::stderr);
            assertFalse(node.stderr().contains("wrote a new"), node::stderr);
            assertArrayEquals(written, Files.readAllBytes(tokensFile), "a later start keeps the file as it is");
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(tokensFile));
            assertEquals("bf3-tokens", node.pool(token, device).path("device").asText(),
                    "the same token reads what the first start recorded");
            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                HttpResponse<String> health = ServeNode.client().send(HttpRequest.newBuilder(
                                URI.create("http://" + outside.get().getHostAddress() + ":" + port + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), "--bind 0.0.0.0 is reachable on " + outside.get());
            }
        }
    }

    @Test
    void defaultTokensAreRandomAndNeverOverwritten() throws IOException {
        Path directory = Files.createTempDirectory("msix-tokens-");
        Path first = directory.resolve("one/tokens.json");
        Path second = directory.resolve("two/tokens.json");
        String one = TokensFile.createDefault(first).orElseThrow();
        String two = TokensFile.createDefault(second).orElseThrow();
        assertNotEquals(one, two, "two stores, two tokens");
        byte[] before = Files.readAllBytes(first);
        assertEquals(Optional.empty(), TokensFile.createDefault(first), "an existing file is kept");
        assertArrayEquals(before, Files.readAllBytes(first));
    }

    @Test
    void aPostgresStoreWithoutTokensExits2() {
        MsixProcess.Result run = MsixProcess.run("", "serve", "--store", TestStores.fresh(TestStores.Kind.POSTGRES),
                "--port", "0");
        assertEquals(2, run.exitCode(), () -> describe(run));
        assertTrue(run.err().contains("a PostgreSQL store has no directory for a tokens file: give --tokens FILE"),
                () -> describe(run));
        assertFalse(run.out().contains("listening"), () -> describe(run));
    }

    static Stream<Arguments> brokenTokensFiles() {
        String good = ServeNode.tokenEntry("orchestrator", "0123456789abcdef", "operator").toString();
        return Stream.of(
                Arguments.of("not JSON", "[{\"name\":", "rw-------", "is not JSON"),
                Arguments.of("a bad hash", "[" + good + ",{\"name\":\"audit\",\"sha256\":\"ABC\",\"role\":\"auditor\"}]",
                        "rw-------", "entry 1: sha256 must be 64 lowercase hexadecimal digits"),
                Arguments.of("an unknown role", "[" + good.replace("\"operator\"", "\"admin\"") + "]", "rw-------",
                        "entry 0: role must be \"operator\" or \"auditor\", not \"admin\""),
                Arguments.of("tokens in the clear", "[{\"name\":\"root\",\"token\":\"0123456789abcdef\",\"role\":\"operator\"}]",
                        "rw-------", "convert it in place, keeping every name, role and token, with: msix token migrate --tokens"),
                Arguments.of("readable by others", "[" + good + "]", "rw-r--r--",
                        "may be read or written by others (mode 0644, rw-r--r--): tokens must be its owner's only; fix it with: chmod 600"),
                Arguments.of("no file", null, null, "cannot read tokens file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenTokensFiles")
    void aBrokenTokensFileExits2NamingTheProblem(String what, String content, String mode, String problem) throws IOException {
        Path file = Files.createTempDirectory("msix-tokens-").resolve("tokens.json");
        if (content != null) {
            ServeNode.writeOwnerOnly(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        }
        MsixProcess.Result run = MsixProcess.run("", "serve", "--store", TestStores.fresh(TestStores.Kind.EMBEDDED),
                "--tokens", file.toString(), "--port", "0");
        assertEquals(2, run.exitCode(), () -> what + ": " + describe(run));
        assertTrue(run.err().contains(file.toString()) && run.err().toLowerCase().contains(problem.toLowerCase()),
                () -> what + ": names the file and the problem (" + problem + "): " + describe(run));
        assertFalse(run.out().contains("listening"), () -> describe(run));
    }

    @Test
    void aPortOutOfRangeExits2() {
        MsixProcess.Result run = MsixProcess.run("", "serve", "--store", TestStores.fresh(TestStores.Kind.EMBEDDED),
                "--port", "65536");
        assertEquals(2, run.exitCode(), () -> describe(run));
        assertTrue(run.err().contains("--port must be 0..65535, not 65536"), () -> describe(run));
    }

    @Test
    void aPortInUseExits2NamingPortBeforeCreatingTheStore() throws IOException {
        Path store = Files.createTempDirectory("msix-port-").resolve("store");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            MsixProcess.Result run = MsixProcess.run("", "serve", "--store", store.toString(), "--port", port);
            assertEquals(2, run.exitCode(), () -> describe(run));
            assertTrue(run.err().contains("127.0.0.1:" + port + " is already in use")
                    && run.err().contains("another port with --port PORT"), () -> "says what is wrong and how to "
                    + "change it: " + describe(run));
            assertFalse(run.err().contains("Failed to bind"), () -> "no library message: " + describe(run));
            assertFalse(run.out().contains("listening"), () -> describe(run));
            assertFalse(Files.exists(store), () -> "checked before anything was created (store, tokens file): "
                    + describe(run));
        }
    }

    @Test
    void anAddressNotOfThisMachineExits2NamingBind() throws IOException {
        Path store = Files.createTempDirectory("msix-bind-").resolve("store");
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this host
        MsixProcess.Result run = MsixProcess.run("", "serve", "--store", store.toString(), "--bind", "192.0.2.1",
                "--port", "0");
        assertEquals(2, run.exitCode(), () -> describe(run));
        assertTrue(run.err().contains("192.0.2.1 is not an address of this machine; choose another with --bind"),
                () -> describe(run));
        assertFalse(Files.exists(store), () -> describe(run));
    }

    // ---- SIGTERM and SIGINT with commands in flight

    private static final int CLIENTS = 8;
    private static final int DEVICES = 2;
    private static final int VFS = 8;
    private static final int ANSWERS_BEFORE_SIGNAL = 150;
    private static final List<String> OPERATORS = List.of("svc-east", "svc-west");

    /** One request of a client: the command, when it left and came back, and the answer or the failure. */
    record Call(int client, ObjectNode command, long sentAt, long doneAt, int status, JsonNode result, String failure) {
        boolean answered() {
            return status == 200 || status == 422;
        }

        boolean accepted() {
            return status == 200 && result.path("ok").asBoolean(false) && !result.path("duplicate").asBoolean(false);
        }

        String commandId() {
            return command.get("commandId").asText();
        }

        String actor() {
            return OPERATORS.get(client % OPERATORS.size());
        }

        @Override
        public String toString() {
            return "client " + client + ": " + command + " -> " + (failure != null ? failure : status + " " + result);
        }
    }

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aSigtermInTheMiddleOfAStreamOfCommandsFinishesWhatItReceivedAndLeavesNothingHalfDone(TestStores.Kind kind)
            throws Exception {
        stopInTheMiddleOfAStreamOfCommands(kind, Signal.TERM);
    }

    /** Ctrl-C in the shell that runs {@code msix serve} sends SIGINT: the same graceful stop as SIGTERM. */
    @Test
    void aSigintLikeCtrlCInTheMiddleOfAStreamOfCommandsFinishesWhatItReceivedAndLeavesNothingHalfDone()
            throws Exception {
        stopInTheMiddleOfAStreamOfCommands(TestStores.Kind.EMBEDDED, Signal.INT);
    }

    /** The signals that stop {@code msix serve} gracefully, with their numbers (the exit code is 128 + it). */
    enum Signal {
        TERM(15), INT(2);

        final int number;

        Signal(int number) {
            this.number = number;
        }

        void send(Process process) throws IOException, InterruptedException {
            if (this == TERM) {
                process.destroy();
                return;
            }
            Process kill = new ProcessBuilder("kill", "-" + name(), Long.toString(process.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + name() + " " + process.pid());
        }

        /**
         * Whether {@code process} ignores this signal: a shell without job control starts a background
         * job with SIGINT ignored, the JVM keeps it so, and every process started below it inherits that.
         */
        boolean ignoredBy(Process process) throws IOException {
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            if (!Files.exists(status)) {
                return false;
            }
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (number - 1))) != 0;
                }
            }
            return false;
        }
    }

    private static void stopInTheMiddleOfAStreamOfCommands(TestStores.Kind kind, Signal signal) throws Exception {
        String store = TestStores.fresh(kind);
        Path tokensFile = Files.createTempFile("msix-tokens", ".json");
        Map<String, String> tokens = ServeNode.writeTokens(tokensFile, OPERATORS, List.of());
        String[] serve = {"--store", store, "--tokens", tokensFile.toString(), "--port", "0"};
        List<Call> setup = new ArrayList<>();
        List<List<Call>> streams = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long signalled;
        long exited;
        String stderr;
        List<String> troubles;
        int port;
        try (ServeNode node = ServeNode.start(serve)) {
            Assumptions.assumeFalse(signal.ignoredBy(node.process()), () -> "SIG" + signal + " is ignored by the"
                    + " server process, inherited from whatever started this test (a background job of a shell"
                    + " without job control?): run the build in the foreground to test it");
            port = node.port();
            HttpClient http = ServeNode.client();
            URI commands = node.uri("/v1/commands");
            for (int d = 0; d < DEVICES; d++) {
                for (ObjectNode command : List.of((ObjectNode) ServeNode.json(provision(device(d), "setup-" + d + "-0")),
                        command(d, "OpenPf", "setup-" + d + "-1"), command(d, "Reclaim", "setup-" + d + "-2"))) {
                    Call call = call(http, commands, tokens.get(OPERATORS.get(0)), 0, command);
                    assertTrue(call.accepted(), call::toString);
                    setup.add(call);
                }
            }

            // clients stream commands until the server is gone; the signal once enough were answered
            AtomicInteger answers = new AtomicInteger();
            List<Future<List<Call>>> running = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int c = client;
                running.add(clients.submit(() -> stream(c, http, commands, tokens.get(OPERATORS.get(c % OPERATORS.size())),
                        node.process(), answers)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answers.get() < ANSWERS_BEFORE_SIGNAL && System.nanoTime() < deadline && allRunning(running)) {
                Thread.sleep(5);
            }
            assertTrue(answers.get() >= ANSWERS_BEFORE_SIGNAL, "the clients got " + answers.get() + " answers");
            signalled = System.nanoTime();
            signal.send(node.process());
            boolean ended = node.process().waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            exited = System.nanoTime();
            assertTrue(ended, "the server ended within " + STOP_LIMIT.toSeconds() + " s of SIG" + signal);
            for (Future<List<Call>> client : running) {
                streams.add(client.get(60, TimeUnit.SECONDS));
            }
            stderr = node.stderr();
            troubles = node.troubles();
            int exit = node.process().exitValue();
            assertTrue(exit == 128 + signal.number || exit == 0, "a graceful stop, not a failure (exit " + exit + "): "
                    + ServeNode.errTail(stderr));
        } finally {
            clients.shutdownNow();
        }
        assertThrows(ConnectException.class, () -> connect(InetAddress.getLoopbackAddress(), port),
                "nobody listens once the server has stopped");
        assertEquals(List.of(), troubles, () -> "no failure, warning or stack trace while serving and stopping:\n"
                + ServeNode.errTail(stderr));

        // what the clients saw
        List<Call> calls = new ArrayList<>(setup);
        streams.forEach(calls::addAll);
        List<Call> answered = calls.stream().filter(Call::answered).toList();
        List<Call> notAnswered = calls.stream().filter(call -> !call.answered()).toList();
        for (Call call : notAnswered) {
            assertTrue(call.failure() != null || call.status() == 503,
                    () -> "a command is answered by its rule (200, 422), refused with 503 or not taken at all: " + call);
        }
        for (List<Call> stream : streams) {
            int firstRefusal = stream.indexOf(stream.stream().filter(call -> !call.answered()).findFirst().orElseThrow());
            for (Call later : stream.subList(firstRefusal, stream.size())) {
                assertFalse(later.answered(), () -> "a command answered after the server refused one: " + later);
            }
        }
        long inFlight = answered.stream().filter(call -> call.sentAt() < signalled && call.doneAt() > signalled).count();
        long refused503 = notAnswered.stream().filter(call -> call.status() == 503).count();
        System.out.printf("ServeProcessTest: %s, SIG%s: %d commands answered, %d of them sent before the signal and answered"
                        + " after; %d refused with 503, %d not taken (connection refused or closed); stopped %.1f s after"
                        + " the signal%n", kind, signal, answered.size(), inFlight, refused503,
                notAnswered.size() - refused503, (exited - signalled) / 1e9);
        assertTrue(inFlight > 0, "SIG" + signal + " fell between commands: the test did not catch any in flight");

        // what the store holds, read by a new server on it
        try (ServeNode reopened = ServeNode.start(serve)) {
            String token = tokens.get(OPERATORS.get(0));
            checkLog(reopened.events(token), answered, notAnswered);
            for (int d = 0; d < DEVICES; d++) {
                assertEquals(expectedPool(d, streams), reopened.pool(token, device(d)),
                        "the pool of " + device(d) + " is the fold of the answered commands");
            }
        }
    }

    /**
     * One client: commands for its own two VFs of one device, each the next step for that VF as the
     * answers so far tell (assign when it holds nothing, release when it is open). Runs until the server
     * is gone: after the first command it does not get answered, it keeps trying every 50 ms.
     */
    private static List<Call> stream(int client, HttpClient http, URI commands, String token, Process server,
                                     AtomicInteger answers) throws InterruptedException {
        Random random = new Random(client);
        int device = client % DEVICES;
        int[] vfs = {client / DEVICES, client / DEVICES + VFS / 2};
        Map<Integer, Boolean> open = new HashMap<>();
        List<Call> calls = new ArrayList<>();
        boolean refused = false;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int i = 0; System.nanoTime() < giveUp; i++) {
            int vf = vfs[i % 2];
            ObjectNode command = open.getOrDefault(vf, false)
                    ? command(device, "ReleaseVectors", "c" + client + "-" + i).put("vf", vf)
                    : command(device, "AssignVectors", "c" + client + "-" + i).put("vf", vf).put("msix", 2 + random.nextInt(19));
            Call call = call(http, commands, token, client, command);
            calls.add(call);
            if (call.answered()) {
                answers.incrementAndGet();
                if (call.accepted()) {
                    open.put(vf, command.get("type").asText().equals("AssignVectors"));
                }
            } else {
                if (refused && !server.isAlive()) {
                    break;
                }
                refused = true;
                Thread.sleep(50);
            }
        }
        return calls;
    }

    private static Call call(HttpClient http, URI commands, String token, int client, ObjectNode command) {
        long sentAt = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(ServeNode.commandRequest(commands, token, command.toString()),
                    HttpResponse.BodyHandlers.ofString());
            return new Call(client, command, sentAt, System.nanoTime(), response.statusCode(),
                    ServeNode.json(response.body()), null);
        } catch (IOException notTaken) {
            return new Call(client, command, sentAt, System.nanoTime(), 0, null, notTaken.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The log holds the events of every accepted command, each command's together, exactly once, in its
     * device's sequence without gaps, under its token's name; nothing of a command that was refused or
     * not taken.
     */
    private static void checkLog(List<JsonNode> log, List<Call> answered, List<Call> notAnswered) {
        Map<String, Call> accepted = new LinkedHashMap<>();
        answered.stream().filter(Call::accepted).forEach(call -> accepted.put(call.commandId(), call));
        Set<String> silent = new LinkedHashSet<>();
        notAnswered.forEach(call -> silent.add(call.commandId()));
        answered.stream().filter(call -> !call.accepted()).forEach(call -> silent.add(call.commandId()));
        Map<String, ArrayNode> byCommand = new LinkedHashMap<>();
        Map<String, Long> nextSequence = new HashMap<>();
        Set<String> finished = new LinkedHashSet<>();
        Map<String, String> current = new HashMap<>(); // device -> the command its latest event belongs to
        for (JsonNode line : log) {
            JsonNode envelope = line.path("envelope");
            String device = line.path("device").asText();
            long sequence = nextSequence.getOrDefault(device, 0L);
            assertEquals(sequence, envelope.path("sequence").asLong(-1), "the device's sequence has no gap: " + line);
            nextSequence.put(device, sequence + 1);
            String commandId = envelope.path("commandId").asText();
            assertFalse(silent.contains(commandId), "an event of a command that was refused, rejected or not taken: "
                    + line);
            Call call = accepted.get(commandId);
            assertTrue(call != null, "an event of no command a client sent: " + line);
            assertEquals(call.actor(), envelope.path("actor").asText(), "the actor is the token's name: " + line);
            // commands on different devices commit side by side, so only a device's own stream keeps a command together
            if (!commandId.equals(current.put(device, commandId))) {
                assertTrue(finished.add(commandId), "the events of " + commandId + " are not together in the stream of "
                        + device + ": " + line);
            }
            ObjectNode event = line.deepCopy();
            event.remove("envelope");
            byCommand.computeIfAbsent(commandId, id -> JSON.createArrayNode()).add(event);
        }
        for (Call call : accepted.values()) {
            assertEquals(call.result().get("events"), byCommand.get(call.commandId()),
                    "the log holds the events of " + call);
        }
    }

    /** The pool view of device {@code d} that the accepted results add up to (each VF belongs to one client). */
    private static JsonNode expectedPool(int d, List<List<Call>> streams) {
        int[] msix = new int[VFS];
        boolean[] open = new boolean[VFS];
        for (List<Call> stream : streams) {
            for (Call call : stream) {
                if (call.accepted() && call.command().get("device").asText().equals(device(d))) {
                    for (JsonNode event : call.result().get("events")) {
                        int vf = event.path("vf").asInt();
                        switch (event.path("type").asText()) {
                            case "VectorsAssigned" -> msix[vf] = event.path("msix").asInt();
                            case "VfOpened" -> open[vf] = true;
                            case "VfClosed" -> open[vf] = false;
                            case "VectorsReleased" -> msix[vf] = 0;
                            default -> fail("an event the stream's commands do not record: " + event);
                        }
                    }
                }
            }
        }
        ObjectNode pool = JSON.createObjectNode().put("device", device(d));
        ObjectNode pf = pool.putArray("pfs").addObject().put("pf", "nvme0").put("emulation", "NVME").put("vfCount", VFS)
                .put("msixTotal", 64).put("vfMinMsix", 2).put("vfMaxMsix", 32);
        int used = 0;
        int stranded = 0;
        ArrayNode vfs = JSON.createArrayNode();
        for (int vf = 0; vf < VFS; vf++) {
            used += msix[vf];
            stranded += open[vf] ? 0 : msix[vf];
            vfs.addObject().put("vf", vf).put("msix", msix[vf]).put("open", open[vf]);
        }
        pf.put("msixFree", 64 - used).put("msixLinked", used).put("msixStranded", stranded)
                .put("open", true).put("dynamicMsix", true).put("numVfs", 0).set("vfs", vfs);
        return pool;
    }

    private static boolean allRunning(List<Future<List<Call>>> clients) {
        return clients.stream().noneMatch(Future::isDone);
    }

    private static String device(int d) {
        return "bf3-sig" + d;
    }

    private static String provision(String device, String commandId) {
        return JSON.createObjectNode().put("type", "ProvisionPf").put("device", device).put("pf", "nvme0")
                .put("emulation", "NVME").put("vfCount", VFS).put("msixTotal", 64).put("vfMinMsix", 2)
                .put("vfMaxMsix", 32).put("commandId", commandId).toString();
    }

    private static ObjectNode command(int device, String type, String commandId) {
        return JSON.createObjectNode().put("type", type).put("device", device(device)).put("pf", "nvme0")
                .put("commandId", commandId);
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5_000);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An IPv4 address of this host that is not loopback, if it has one. */
    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress())
                .findFirst();
    }
}
