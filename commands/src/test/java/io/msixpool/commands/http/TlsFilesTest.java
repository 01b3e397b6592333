package io.msixpool.commands.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.support.TestCertificates;
import io.msixpool.commands.support.TestCertificates.Issued;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PEM files of {@code msix serve --tls-cert/--tls-key/--tls-client-ca}: what is read, and every
 * file that is not refused naming the option, the file and the problem; a key in another form says
 * how to convert it, and that advice, run with OpenSSL, gives a key that is read.
 */
class TlsFilesTest {
    private static Path dir;
    private static Issued ca;
    private static KeyPair rsa;
    private static Path rsaCert;
    private static Path ecCert;
    private static KeyPair ec;

    @BeforeAll
    static void certificates() throws IOException {
        dir = Files.createTempDirectory("msix-tls-files-");
        ca = TestCertificates.authority("msix test CA");
        rsa = TestCertificates.rsaKeys();
        rsaCert = TestCertificates.writeCertificates(dir.resolve("rsa.pem"), TestCertificates.server(ca, rsa).certificate(),
                ca.certificate());
        ec = TestCertificates.ecKeys();
        ecCert = TestCertificates.writeCertificates(dir.resolve("ec.pem"), TestCertificates.server(ca, ec).certificate());
    }

    @Test
    void rsaAndEcPkcs8KeysWithTheirChainsAreRead() {
        Path rsaKey = TestCertificates.writePkcs8(dir.resolve("rsa-pkcs8.key"), rsa.getPrivate());
        Path ecKey = TestCertificates.writePkcs8(dir.resolve("ec-pkcs8.key"), ec.getPrivate());
        Path clientCa = TestCertificates.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        assertTrue(ServerTls.load(rsaCert, rsaKey, clientCa).requiresClientCertificates());
        assertTrue(!ServerTls.load(ecCert, ecKey, null).requiresClientCertificates());
    }

    /** A file that is not what its option needs: the option, the file and a phrase of the problem. */
    record Bad(String what, String option, Path file, String problem, Path cert, Path key, Path clientCa) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Bad> badFiles() throws IOException {
        Path ecKey = TestCertificates.writePkcs8(dir.resolve("ec.key"), ec.getPrivate());
        Path garbage = TestCertificates.write(dir.resolve("garbage.pem"), "this is not a certificate\n");
        Path missing = dir.resolve("no-such.pem");
        Path damaged = TestCertificates.write(dir.resolve("damaged.pem"),
                "-----BEGIN CERTIFICATE-----\nMIIBbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        Path othersKey = TestCertificates.writePkcs8(dir.resolve("other.key"), TestCertificates.ecKeys().getPrivate());
        List<Bad> bad = new ArrayList<>();
        bad.add(asCertificate("garbage certificate", garbage, "is not PEM", ecKey));
        bad.add(asCertificate("missing certificate", missing, "cannot be read", ecKey));
        bad.add(asCertificate("damaged certificate", damaged, "holds a damaged certificate", ecKey));
        bad.add(asCertificate("a key given as the certificate", ecKey, "--tls-cert and --tls-key swapped?", ecKey));
        bad.add(new Bad("a certificate given as the key", "--tls-key", ecCert, "holds no private key", ecCert, ecCert, null));
        bad.add(new Bad("another certificate's key", "--tls-key", othersKey, "is not the private key of the first"
                + " certificate in --tls-cert " + ecCert, ecCert, othersKey, null));
        bad.add(new Bad("garbage client CA", "--tls-client-ca", garbage, "is not PEM", ecCert, ecKey, garbage));
        bad.add(new Bad("a key as the client CA", "--tls-client-ca", ecKey, "where certificates were expected",
                ecCert, ecKey, ecKey));
        for (Bad converted : convertible()) {
            bad.add(converted);
        }
        return bad.stream();
    }

    private static Bad asCertificate(String what, Path file, String problem, Path key) {
        return new Bad(what, "--tls-cert", file, problem, file, key, null);
    }

    /** Keys in the forms OpenSSL writes by default or with a passphrase, which msix serve does not read. */
    static List<Bad> convertible() {
        Path pkcs1 = TestCertificates.writeTraditional(dir.resolve("rsa-pkcs1.key"), rsa.getPrivate());
        Path sec1 = TestCertificates.writeTraditional(dir.resolve("ec-sec1.key"), ec.getPrivate());
        Path encrypted = TestCertificates.writeEncryptedPkcs8(dir.resolve("rsa-encrypted.key"), rsa.getPrivate());
        Path legacy = TestCertificates.writeLegacyEncrypted(dir.resolve("rsa-legacy-encrypted.key"), rsa.getPrivate());
        return List.of(
                new Bad("PKCS#1 RSA key", "--tls-key", pkcs1, "holds a PKCS#1 RSA key", rsaCert, pkcs1, null),
                new Bad("SEC1 EC key", "--tls-key", sec1, "holds an EC key in SEC1 form", ecCert, sec1, null),
                new Bad("encrypted PKCS#8 key", "--tls-key", encrypted, "is encrypted", rsaCert, encrypted, null),
                new Bad("key encrypted the old OpenSSL way", "--tls-key", legacy, "is encrypted", rsaCert, legacy, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aFileThatIsNotWhatItsOptionNeedsIsRefusedNamingOptionFileAndProblem(Bad bad) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.load(bad.cert(), bad.key(), bad.clientCa()));
        String message = refused.getMessage();
        assertTrue(message.startsWith(bad.option() + " " + bad.file() + " "), () -> "names option and file: " + message);
        assertTrue(message.contains(bad.problem()), () -> "says '" + bad.problem() + "': " + message);
    }

    @Test
    void theAdvisedOpensslCommandConvertsEachRefusedKeyIntoOneThatIsRead() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "needs /usr/bin/openssl");
        for (Bad bad : convertible()) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> ServerTls.load(bad.cert(), bad.key(), null)).getMessage();
            String advice = "openssl pkcs8 -topk8 -nocrypt -in " + bad.key() + " -out key.pem";
            assertTrue(message.endsWith(advice), () -> bad + ": advises '" + advice + "': " + message);
            Path converted = dir.resolve(bad.key().getFileName() + ".converted");
            List<String> command = new ArrayList<>(List.of(advice.replace("key.pem", converted.toString()).split(" ")));
            command.addAll(List.of("-passin", "pass:secret")); // what the user types when asked
            Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(openssl.getInputStream().readAllBytes());
            assertTrue(openssl.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, openssl.exitValue(), () -> bad + ": " + command + ": " + output);
            ServerTls.load(bad.cert(), converted, null); // read now
        }
    }
}
