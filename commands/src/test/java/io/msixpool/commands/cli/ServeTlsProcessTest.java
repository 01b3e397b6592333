package io.msixpool.commands.cli;

import static io.msixpool.commands.cli.CliRuns.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.msixpool.commands.support.MsixProcess;
import io.msixpool.commands.support.ServeNode;
import io.msixpool.commands.support.TestCertificates;
import io.msixpool.commands.support.TestCertificates.Issued;
import io.msixpool.commands.support.TestStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code msix serve} with TLS as a real process (docs/http.md, "TLS"): HTTPS and mutual TLS from the
 * command line, the refusal of plain HTTP beyond loopback without {@code --insecure}, and the usage
 * errors of the TLS options, all before a store is created.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServeTlsProcessTest {
    private static Path dir;
    private static Issued ca;
    private static Path serverCert;
    private static Path serverKey;
    private static Path clientCa;

    @BeforeAll
    static void certificates() throws IOException {
        dir = Files.createTempDirectory("msix-serve-tls-");
        ca = TestCertificates.authority("msix test CA");
        Issued server = TestCertificates.server(ca);
        serverCert = TestCertificates.writeCertificates(dir.resolve("server.pem"), server.certificate());
        serverKey = TestCertificates.writePkcs8(dir.resolve("server.key"), server.keys().getPrivate());
        clientCa = TestCertificates.writeCertificates(dir.resolve("client-ca.pem"), ca.certificate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::"})
    void plainHttpOnEveryAddressExits2SayingWhyBeforeCreatingTheStore(String bind) throws IOException {
        Assumptions.assumeTrue(canListenOn(bind), () -> "this host cannot listen on " + bind);
        Path store = Files.createTempDirectory("msix-insecure-").resolve("store");
        MsixProcess.Result run = MsixProcess.run("", "serve", "--store", store.toString(), "--bind", bind, "--port", "0");
        assertEquals(2, run.exitCode(), () -> describe(run));
        for (String says : List.of("--bind " + bind + " is reachable from other machines",
                "every bearer token would cross the network in clear", "--tls-cert PEM and --tls-key PEM",
                "--insecure on a network you trust")) {
            assertTrue(run.err().contains(says), () -> "says '" + says + "': " + describe(run));
        }
        assertFalse(run.out().contains("listening"), () -> describe(run));
        assertFalse(Files.exists(store), () -> "refused before anything was created: " + describe(run));
    }

    @Test
    void withInsecureItServesPlainHttpOnEveryAddressAndWarnsOnce() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        try (ServeNode node = ServeNode.start("--store", store, "--bind", "0.0.0.0", "--port", "0", "--insecure")) {
            assertEquals("http", node.scheme());
            HttpResponse<String> health = ServeNode.client().send(HttpRequest.newBuilder(node.uri("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health::body);
            List<String> warnings = node.stderr().lines().filter(line -> line.contains("WARNING: --insecure")).toList();
            assertEquals(List.of("msix: WARNING: --insecure: plain HTTP on 0.0.0.0, bearer tokens cross the network"
                    + " in clear"), warnings, node::stderr);
        }
    }

    @Test
    void httpsWithClientCertificatesOnEveryAddressTakesCommandsFromClientsOfTheCaOnly() throws Exception {
        String store = TestStores.fresh(TestStores.Kind.EMBEDDED);
        Path tokensFile = dir.resolve("tokens.json");
        Map<String, String> tokens = ServeNode.writeTokens(tokensFile, List.of("svc-east"), List.of());
        try (ServeNode node = ServeNode.start("--store", store, "--tokens", tokensFile.toString(), "--bind", "0.0.0.0",
                "--port", "0", "--tls-cert", serverCert.toString(), "--tls-key", serverKey.toString(),
                "--tls-client-ca", clientCa.toString())) {
            assertEquals("https", node.scheme(), "listening on https://...");
            Issued certificate = TestCertificates.client(ca, "edge-gateway");
            HttpClient client = TestCertificates.client(TestCertificates.clientContext(ca.certificate(), certificate));
            HttpResponse<String> provisioned = client.send(ServeNode.commandRequest(node.uri("/v1/commands"),
                    tokens.get("svc-east"), "{\"type\":\"ProvisionPf\",\"device\":\"bf3-https\",\"pf\":\"nvme0\","
                            + "\"emulation\":\"NVME\",\"vfCount\":2,\"msixTotal\":32,\"vfMinMsix\":2,\"vfMaxMsix\":16,"
                            + "\"commandId\":\"https-1\"}"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, provisioned.statusCode(), provisioned::body);
            HttpResponse<String> events = client.send(HttpRequest.newBuilder(node.uri("/v1/events"))
                    .header("Authorization", "Bearer " + tokens.get("svc-east")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, events.statusCode(), events::body);
            for (String line : events.body().lines().toList()) {
                JsonNode event = ServeNode.json(line);
                assertEquals("svc-east", event.path("envelope").path("actor").asText(), line);
            }

            HttpClient withoutCertificate = TestCertificates.client(TestCertificates.clientContext(ca.certificate(), null));
            assertThrows(IOException.class, () -> withoutCertificate.send(
                    HttpRequest.newBuilder(node.uri("/healthz")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()), "no client certificate, no connection");
            assertFalse(node.stderr().contains("msix: WARNING"), node::stderr);
            assertEquals(List.of(), node.troubles(), "a refused handshake is no trouble of the server's");
        }
    }

    static Stream<Arguments> tlsUsageErrors() throws IOException {
        Path garbage = TestCertificates.write(dir.resolve("garbage.pem"), "not a certificate\n");
        Path sec1 = TestCertificates.writeTraditional(dir.resolve("sec1.key"), TestCertificates.ecKeys().getPrivate());
        String cert = serverCert.toString();
        String key = serverKey.toString();
        return Stream.of(
                Arguments.of(List.of("--tls-cert", cert), "--tls-cert needs --tls-key PEM too"),
                Arguments.of(List.of("--tls-key", key), "--tls-key needs --tls-cert PEM too"),
                Arguments.of(List.of("--tls-cert", garbage.toString(), "--tls-key", key),
                        "--tls-cert " + garbage + " is not PEM"),
                Arguments.of(List.of("--tls-cert", cert, "--tls-key", sec1.toString()),
                        "--tls-key " + sec1 + " holds an EC key in SEC1 form"),
                Arguments.of(List.of("--tls-client-ca", clientCa.toString()), "--tls-client-ca needs HTTPS"),
                Arguments.of(List.of("--tls-cert", cert, "--tls-key", key, "--insecure"),
                        "--insecure is for plain HTTP, but --tls-cert serves HTTPS"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("tlsUsageErrors")
    void aTlsUsageErrorExits2NamingTheProblemBeforeCreatingTheStore(List<String> options, String problem)
            throws IOException {
        Path store = Files.createTempDirectory("msix-tls-usage-").resolve("store");
        List<String> args = new ArrayList<>(List.of("serve", "--store", store.toString(), "--port", "0"));
        args.addAll(options);
        MsixProcess.Result run = MsixProcess.run("", args.toArray(String[]::new));
        assertEquals(2, run.exitCode(), () -> describe(run));
        assertTrue(run.err().contains(problem), () -> "says '" + problem + "': " + describe(run));
        assertFalse(run.out().contains("listening"), () -> describe(run));
        assertFalse(Files.exists(store), () -> "refused before anything was created: " + describe(run));
    }

    @Test
    void helpExplainsTheTlsOptionsWithAnExample() {
        StringWriter out = new StringWriter();
        int exit = Msix.commandLine().setOut(new PrintWriter(out)).execute("serve", "--help");
        assertEquals(0, exit);
        for (String says : List.of("--tls-cert=PEM", "--tls-key=PEM", "--tls-client-ca=PEM", "--insecure",
                "--tls-cert server.pem --tls-key server.key", "curl --cacert ca.pem --cert client.pem")) {
            assertTrue(out.toString().contains(says), () -> "mentions '" + says + "': " + out);
        }
    }

    private static boolean canListenOn(String address) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return true;
        } catch (IOException unsupported) {
            return false;
        }
    }
}
