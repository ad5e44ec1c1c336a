package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.secure.AgentOutput;
import org.grpcetcd.it.support.secure.Pki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * etcd run with {@code --client-cert-auth} (auth off): the agent presents {@code tls.cert-file}/{@code
 * tls.key-file} (PKCS#8 or PKCS#1). Client material that is missing, expired, unreadable or garbage is one WARN
 * line; the app starts and runs, unregistered, and the agent reads the files again on each retry. (A certificate
 * with a CommonName is refused by etcd only once auth is on: see {@link SecureAuthTest}.)
 */
class SecureClientCertTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(30);

    private static Pki pki;
    private static Pki.CertPair client;
    private static EtcdServer etcd;
    private static EtcdCtl etcdctl;
    private TestInfo test;
    private Apps apps;

    @BeforeAll
    static void startEtcd() {
        pki = Pki.create("SecureClientCertTest", "test-ca");
        Pki.CertPair server = pki.server("etcd-server", "IP:127.0.0.1,DNS:localhost");
        etcd = EtcdServer.clientCertAuth(TestLogs.of(SecureClientCertTest.class).file("etcd.log"), server,
                pki.caFile()).launch();
        client = pki.client("agent-client", Pki.NO_CN_SUBJECT);
        etcd.awaitHealthy();
        etcdctl = EtcdCtl.tls(etcd.endpoint(), pki.caFile(), client);
    }

    @AfterAll
    static void stopEtcd() {
        Pki.stopThenDelete(etcd, pki);
    }

    @BeforeEach
    void setUp(TestInfo testInfo) {
        test = testInfo;
        apps = new Apps(TestLogs.of(testInfo), etcd.endpoint());
    }

    @AfterEach
    void tearDown() {
        apps.close();
        AgentOutput.assertNoSecrets(test, List.of());
    }

    private static AppSpec withTls(AppSpec spec, Path cert, Path key) {
        spec.setting("tls.ca-file", pki.caFile());
        if (cert != null) {
            spec.setting("tls.cert-file", cert);
        }
        if (key != null) {
            spec.setting("tls.key-file", key);
        }
        return spec;
    }

    @Test
    void pkcs8AndPkcs1KeysBothRegisterAndResolve() throws IOException {
        Path pkcs1 = pki.pkcs1Key(client);
        assertThat(Files.readAllLines(client.key()).get(0)).isEqualTo("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readAllLines(pkcs1).get(0)).isEqualTo("-----BEGIN RSA PRIVATE KEY-----");
        String service = UniqueNames.service("mtls");
        AppProcess p8 = withTls(apps.server("P8").service(service), client.cert(), client.key()).start();
        AppProcess p1 = withTls(apps.server("P1").service(service), client.cert(), pkcs1).start();
        AppProcess caller = withTls(apps.client("client", "etcd:///" + service, "50", String.valueOf(Long.MAX_VALUE),
                "30000"), client.cert(), pkcs1).start();
        int p8Port = EchoOutput.awaitReady(p8);
        int p1Port = EchoOutput.awaitReady(p1);

        etcdctl.awaitEntry(service + "/127.0.0.1:" + p8Port, REGISTERED_WITHIN);
        etcdctl.awaitEntry(service + "/127.0.0.1:" + p1Port, REGISTERED_WITHIN);
        Poll.until(() -> EchoOutput.replies(caller).containsAll(List.of("P8", "P1")), ItEnvironment.JVM_START,
                Duration.ofMillis(50), () -> "the client (PKCS#1 key) reaching P8 and P1; its replies so far: "
                        + EchoOutput.replies(caller) + ", stderr: " + caller.errLines());
        assertThat(EchoOutput.errors(caller)).as("ERROR lines of the client").isEmpty();
        for (AppProcess app : List.of(p8, p1, caller)) {
            assertThat(AgentOutput.refusals(app)).as("refusals logged by %s", app.name()).isEmpty();
        }
    }

    @Test
    void aMissingAndAnExpiredClientCertificateAreEachReportedInOneLineAndTheAppRunsOn() {
        Pki.CertPair expired = pki.expiredClient("agent-expired", Pki.NO_CN_SUBJECT);
        String noCertService = UniqueNames.service("nocert");
        String expiredService = UniqueNames.service("expired");
        AppProcess noCert = withTls(apps.server("NOCERT").service(noCertService), null, null)
                .setting("log-level", "debug").start();
        AppProcess old = withTls(apps.server("EXPIRED").service(expiredService), expired.cert(), expired.key())
                .setting("log-level", "debug").start();
        EchoOutput.awaitReady(noCert);
        EchoOutput.awaitReady(old);

        String noCertWarning = AgentOutput.awaitRegisteringFailure(noCert, etcd.endpoint(), "SSLHandshakeException",
                "bad_certificate");
        String expiredWarning = AgentOutput.awaitRegisteringFailure(old, etcd.endpoint(), "SSLHandshakeException",
                "bad_certificate");
        System.out.printf("SecureClientCertTest:%n  no cert: %s%n  expired: %s%n", noCertWarning, expiredWarning);

        Poll.sleep(Duration.ofSeconds(1));
        for (AppProcess app : List.of(noCert, old)) {
            assertThat(app.isAlive()).as("%s alive", app.name()).isTrue();
            assertThat(AgentOutput.warnings(app)).as("WARN lines of %s", app.name()).hasSize(1);
        }
        for (String service : List.of(noCertService, expiredService)) {
            assertThat(etcdctl.entries(service + "/")).as("keys under %s/", service).isEmpty();
        }
    }

    @Test
    void anUnreadableCertFileAndAGarbageKeyFileAreNamedInTheirWarning() throws IOException {
        Path directory = Files.createDirectories(pki.dir().resolve("a-directory.pem"));
        Path garbage = pki.dir().resolve("garbage.key");
        Files.write(garbage, "this is no key\n".getBytes(StandardCharsets.US_ASCII));
        String dirService = UniqueNames.service("dircert");
        String garbageService = UniqueNames.service("garbagekey");
        AppProcess unreadable = withTls(apps.server("DIR").service(dirService), directory, client.key()).start();
        AppProcess badKey = withTls(apps.server("GARBAGE").service(garbageService), client.cert(), garbage).start();
        EchoOutput.awaitReady(unreadable);
        EchoOutput.awaitReady(badKey);

        AgentOutput.awaitRegisteringFailure(unreadable, "grpc.etcd.tls.cert-file: cannot read " + directory);
        AgentOutput.awaitRegisteringFailure(badKey, "grpc.etcd.tls.key-file: " + garbage + " holds no PEM private key");
        for (AppProcess app : List.of(unreadable, badKey)) {
            assertThat(app.isAlive()).as("%s alive", app.name()).isTrue();
            assertThat(AgentOutput.warnings(app)).as("WARN lines of %s", app.name()).hasSize(1);
        }
        assertThat(etcdctl.entries(dirService + "/")).isEmpty();
        assertThat(etcdctl.entries(garbageService + "/")).isEmpty();
    }

    @Test
    void aCertFileThatAppearsAfterStartIsReadOnARetryAndTheServerGetsRegistered() throws IOException {
        Path later = pki.dir().resolve("written-later.pem");
        String service = UniqueNames.service("later");
        AppProcess server = withTls(apps.server("A").service(service), later, client.key()).start();
        int port = EchoOutput.awaitReady(server);

        AgentOutput.awaitRegisteringFailure(server, "grpc.etcd.tls.cert-file: cannot read " + later
                + " (NoSuchFileException)");
        Poll.sleep(Duration.ofMillis(1500)); // a few retries with the file still missing
        assertThat(etcdctl.entries(service + "/")).isEmpty();

        Files.copy(client.cert(), later);
        long written = System.nanoTime();
        etcdctl.awaitEntry(service + "/127.0.0.1:" + port, REGISTERED_WITHIN);
        System.out.printf("SecureClientCertTest: registered %d ms after the cert file was written%n",
                Duration.ofNanos(System.nanoTime() - written).toMillis());
        server.awaitErrLine(Pattern.compile(" INFO registering in etcd .* works again$"), Duration.ofSeconds(10));
        assertThat(AgentOutput.warnings(server)).as("WARN lines of the server").hasSize(1);
    }
}
