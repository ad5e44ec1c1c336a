package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
import org.grpcetcd.it.support.secure.EtcdAuthLog;
import org.grpcetcd.it.support.secure.Pki;
import org.grpcetcd.it.support.secure.SecretScan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The whole recommended set-up: https verified against a CA file, a client certificate for
 * {@code --client-cert-auth}, and auth enabled with user alice limited to {@code sec/}: with a password (the
 * certificate without CommonName), or with no password at all, the certificate's CommonName naming the user (etcd's
 * certificate auth). The password, in whichever way it is given, never shows in any output; refusals are one clear
 * line and the app runs on.
 */
class SecureAuthTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(30);
    private static final String USER = "alice";
    private static final String PREFIX = "sec/";

    private static final String ALICE_PASSWORD = "alice-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final String ROOT_PASSWORD = "root-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final String WRONG_PASSWORD = "wrong-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    private static Pki pki;
    private static Pki.CertPair client;
    private static EtcdServer etcd;
    private static EtcdCtl root;
    private TestInfo test;
    private Apps apps;

    @BeforeAll
    static void startEtcd() {
        pki = Pki.create("SecureAuthTest", "test-ca");
        Pki.CertPair server = pki.server("etcd-server", "IP:127.0.0.1,DNS:localhost");
        etcd = EtcdServer.clientCertAuth(TestLogs.of(SecureAuthTest.class).file("etcd.log"), server, pki.caFile())
                .withDebugLog().launch();
        client = pki.client("agent-client", Pki.NO_CN_SUBJECT);
        etcd.awaitHealthy();
        root = EtcdCtl.tls(etcd.endpoint(), pki.caFile(), client)
                .enableAuth(ROOT_PASSWORD, USER, ALICE_PASSWORD, "svc", PREFIX);
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
        List<String> tokens = EtcdAuthLog.issuedTokens(etcd); // etcd's debug log names every token it handed out
        assertThat(tokens).as("tokens etcd handed out").isNotEmpty();
        List<String> secrets = new ArrayList<>(List.of(ALICE_PASSWORD, ROOT_PASSWORD, WRONG_PASSWORD));
        secrets.addAll(tokens);
        int scanned = AgentOutput.assertNoSecrets(test, secrets);
        System.out.printf("SecureAuthTest: %d outputs free of 3 passwords and %d tokens%n", scanned, tokens.size());
        assertThat(scanned).as("app and CLI outputs scanned for secrets").isPositive();
    }

    /** TLS with the agent's client certificate, and user alice; the password is up to the caller. */
    private static AppSpec secured(AppSpec spec) {
        return spec.setting("tls.ca-file", pki.caFile()).setting("tls.cert-file", client.cert())
                .setting("tls.key-file", client.key()).setting("user", USER);
    }

    private static Path passwordFile() throws IOException {
        Path file = pki.dir().resolve("alice-password");
        Files.write(file, (ALICE_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)); // a trailing newline, as echo writes
        return file;
    }

    @Test
    void registeringAndResolvingUnderTheGrantedPrefixWorkWithPasswordPasswordFileAndEnvironment() throws IOException {
        String service = PREFIX + UniqueNames.service("svc");
        String target = "etcd:///" + service;
        Path passwordFile = passwordFile();
        String[] clientArgs = {"50", String.valueOf(Long.MAX_VALUE), "30000"};
        List<AppProcess> servers = List.of(
                secured(apps.server("PROP").service(service)).setting("password", ALICE_PASSWORD).start(),
                secured(apps.server("FILE").service(service)).setting("password-file", passwordFile).start(),
                secured(apps.server("ENV").service(service)).env("GRPC_ETCD_PASSWORD", ALICE_PASSWORD).start());
        List<AppProcess> clients = List.of(
                secured(apps.client("client-prop", target, clientArgs)).setting("password", ALICE_PASSWORD)
                        .setting("log-level", "debug").start(),
                secured(apps.client("client-file", target, clientArgs)).setting("password-file", passwordFile)
                        .setting("log-level", "debug").start(),
                secured(apps.client("client-env", target, clientArgs)).env("GRPC_ETCD_PASSWORD", ALICE_PASSWORD)
                        .setting("log-level", "debug").start());

        for (AppProcess server : servers) {
            root.awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(server), REGISTERED_WITHIN);
        }
        for (AppProcess caller : clients) {
            Poll.until(() -> EchoOutput.replies(caller).containsAll(List.of("PROP", "FILE", "ENV")),
                    ItEnvironment.JVM_START, Duration.ofMillis(50), () -> caller.name() + " reaching PROP, FILE and"
                            + " ENV; its replies so far: " + EchoOutput.replies(caller) + ", stderr: "
                            + caller.errLines());
            assertThat(EchoOutput.errors(caller)).as("ERROR lines of %s", caller.name()).isEmpty();
        }
        List<AppProcess> all = new ArrayList<>(servers);
        all.addAll(clients);
        for (AppProcess app : all) {
            assertThat(AgentOutput.summary(app)).as("start-up summary of %s", app.name())
                    .contains(" user=alice password=**** ");
            assertThat(AgentOutput.refusals(app)).as("refusals logged by %s", app.name()).isEmpty();
        }
        assertThat(root.entries(service + "/")).as("keys under %s/", service).hasSize(3);
    }

    @Test
    void aServiceOutsideTheGrantAWrongOrUnreadablePasswordAndAnUnknownCommonNameAreEachOneClearLine() {
        String outside = UniqueNames.service("open");
        String wrongPasswordService = PREFIX + UniqueNames.service("wrongpw");
        String cnService = PREFIX + UniqueNames.service("cn");
        String noFileService = PREFIX + UniqueNames.service("nopwfile");
        Path missingPasswordFile = pki.dir().resolve("no-such-password-file");
        Pki.CertPair withCn = pki.client("agent-with-cn", "/CN=orders/O=grpc-etcd-agent");
        AppProcess denied = secured(apps.server("OUTSIDE").service(outside)).setting("password", ALICE_PASSWORD)
                .setting("log-level", "debug").start();
        AppProcess wrong = secured(apps.server("WRONGPW").service(wrongPasswordService))
                .setting("password", WRONG_PASSWORD).setting("log-level", "debug").start();
        // certificate auth: no user, no password; etcd knows no user "orders"
        AppProcess cn = apps.server("CN").service(cnService).setting("tls.ca-file", pki.caFile())
                .setting("tls.cert-file", withCn.cert()).setting("tls.key-file", withCn.key())
                .setting("log-level", "debug").start();
        AppProcess noFile = secured(apps.server("NOPWFILE").service(noFileService))
                .setting("password-file", missingPasswordFile).setting("log-level", "debug").start();
        int deniedPort = EchoOutput.awaitReady(denied);
        EchoOutput.awaitReady(wrong);
        EchoOutput.awaitReady(cn);
        EchoOutput.awaitReady(noFile);

        String deniedWarning = AgentOutput.awaitRegisteringFailure(denied, "permission denied on " + outside
                + "/127.0.0.1:" + deniedPort + " for user alice");
        String wrongWarning = AgentOutput.awaitRegisteringFailure(wrong, "authenticating as user alice failed",
                "authentication failed, invalid user ID or password");
        String cnWarning = AgentOutput.awaitRegisteringFailure(cn, "permission denied on " + cnService);
        // a password file read once at start: the setting and the file are named, then etcd refuses alice
        String noFileError = noFile.awaitErrLine(Pattern.compile(" ERROR grpc\\.etcd\\.password-file .*cannot read "
                + Pattern.quote(missingPasswordFile.toString())), Duration.ofSeconds(30));
        assertThat(AgentOutput.summary(noFile)).contains(" user=alice password=(none) ");
        String noFileWarning = AgentOutput.awaitRegisteringFailure(noFile, "authenticating as user alice failed");
        System.out.printf("SecureAuthTest:%n  outside: %s%n  wrong password: %s%n  CN: %s%n  no password file: %s%n"
                + "    then: %s%n", deniedWarning, wrongWarning, cnWarning, noFileError, noFileWarning);

        Poll.sleep(Duration.ofSeconds(1));
        for (AppProcess app : List.of(denied, wrong, cn, noFile)) {
            assertThat(app.isAlive()).as("%s alive", app.name()).isTrue();
            assertThat(AgentOutput.warnings(app)).as("WARN lines of %s", app.name()).hasSize(1);
        }
        for (String service : List.of(outside, wrongPasswordService, cnService, noFileService)) {
            assertThat(root.entries(service + "/")).as("keys under %s/", service).isEmpty();
        }
    }

    @Test
    void aCertificateWhoseCommonNameIsTheUserRegistersWithNoPassword() {
        String service = PREFIX + UniqueNames.service("cnauth");
        Pki.CertPair alice = pki.client("alice-by-cn", "/CN=" + USER + "/O=grpc-etcd-agent");
        // no user, no password: only etcd's certificate auth lets it write under alice's prefix
        AppProcess server = apps.server("CN-ALICE").service(service).setting("tls.ca-file", pki.caFile())
                .setting("tls.cert-file", alice.cert()).setting("tls.key-file", alice.key()).start();
        AppProcess caller = secured(apps.client("client-password", "etcd:///" + service, "20",
                String.valueOf(Long.MAX_VALUE), "30000")).setting("password", ALICE_PASSWORD).start();
        root.awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(server), REGISTERED_WITHIN);
        Poll.until(() -> EchoOutput.replies(caller).contains("CN-ALICE"), ItEnvironment.JVM_START,
                Duration.ofMillis(50), () -> "client reaching CN-ALICE; stderr: " + caller.errLines());
        assertThat(AgentOutput.summary(server)).as("start-up summary of the server").doesNotContain(" user=");
        for (AppProcess app : List.of(server, caller)) {
            assertThat(AgentOutput.refusals(app)).as("refusals logged by %s", app.name()).isEmpty();
            assertThat(AgentOutput.warnings(app)).as("WARN lines of %s", app.name()).isEmpty();
        }
    }

    @Test
    void doctorWithUserAndPasswordPassesAndPrintsNeitherPasswordNorToken() throws IOException {
        String service = PREFIX + UniqueNames.service("doctor");
        AppProcess good = doctor("doctor", service, ALICE_PASSWORD);
        AppProcess bad = doctor("doctor-wrong-password", service, WRONG_PASSWORD);

        assertThat(good.awaitExit(ItEnvironment.JVM_START)).as("exit code of doctor; its output: %s", good.lines())
                .isZero();
        assertThat(good.lines()).contains("all checks passed");
        assertThat(String.join("\n", good.lines())).contains(" user=alice password=**** ",
                "may read " + service + "/", "a lease of 10s can be granted");
        assertThat(bad.awaitExit(ItEnvironment.JVM_START)).as("exit code of doctor with a wrong password; its output:"
                + " %s", bad.lines()).isEqualTo(1);
        assertThat(String.join("\n", bad.lines())).contains("authenticating as user alice failed");
        for (AppProcess run : List.of(good, bad)) {
            List<String> output = new ArrayList<>(run.lines());
            output.addAll(run.errLines());
            List<String> secrets = new ArrayList<>(List.of(ALICE_PASSWORD, WRONG_PASSWORD));
            secrets.addAll(EtcdAuthLog.issuedTokens(etcd));
            assertThat(SecretScan.find(run.name(), output, secrets))
                    .as("lines of %s holding a password or a token", run.name()).isEmpty();
        }
    }

    private AppProcess doctor(String name, String service, String password) {
        return apps.app(name, "unused").withoutAgent().executableJar(ItEnvironment.agentJar().toString())
                .args("doctor", "--endpoints", etcd.endpoint(), "--service", service,
                        "--tls.ca-file", pki.caFile().toString(), "--tls.cert-file", client.cert().toString(),
                        "--tls.key-file", client.key().toString(), "--user", USER, "--password", password)
                .start();
    }
}
