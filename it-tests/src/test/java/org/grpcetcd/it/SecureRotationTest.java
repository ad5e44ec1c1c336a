package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.AppSpec;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TcpConnections;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.secure.AgentOutput;
import org.grpcetcd.it.support.secure.EtcdAuthLog;
import org.grpcetcd.it.support.secure.Pki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Credentials that rotate while the apps run: etcd with {@code --client-cert-auth} and auth on, each app with a CA
 * file, a client certificate and a password file, looked at every second ({@code credentials-check-ms=1000}). A
 * new client certificate and key (through a Kubernetes-style Secret volume, whose {@code ..data} symlink is
 * swapped), a new server CA (etcd restarted on a certificate it signed) and a new password (changed in etcd, then
 * in the file) are each picked up without a restart: the server keeps its lease, a client keeps calling without
 * one failed call, and both still watch (a server started after the rotation is found). Broken material is
 * refused in one line while the working connection stays. No password nor token shows in any output.
 */
class SecureRotationTest {
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(30);
    private static final Duration ROTATED_WITHIN = Duration.ofSeconds(30);
    private static final int TTL = 5;
    private static final String PREFIX = "rot/";
    private static final String ROLE = "rot";
    private static final String ROOT_PASSWORD = "root-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    private static Pki pki;
    private static Pki.CertPair client;
    private static EtcdServer etcd;
    private static Path serverCa; // the CA of etcd's server certificate now: the CA test replaces it
    private static EtcdCtl root;
    private static final List<String> passwords = new ArrayList<>(List.of(ROOT_PASSWORD)); // every one, for the scan
    private static final Map<String, String> currentPasswords = new HashMap<>(); // by user
    private TestInfo test;
    private Apps apps;
    private Path dir;

    @BeforeAll
    static void startEtcd() {
        pki = Pki.create("SecureRotationTest", "test-ca");
        Pki.CertPair server = pki.server("etcd-server", "IP:127.0.0.1,DNS:localhost");
        etcd = EtcdServer.clientCertAuth(TestLogs.of(SecureRotationTest.class).file("etcd.log"), server,
                pki.caFile()).withDebugLog().launch();
        client = pki.client("agent-client", Pki.NO_CN_SUBJECT);
        serverCa = pki.caFile();
        etcd.awaitHealthy();
        root = EtcdCtl.tls(etcd.endpoint(), serverCa, client).enableAuth(ROOT_PASSWORD, "rot-first",
                password(), ROLE, PREFIX);
    }

    @AfterAll
    static void stopEtcd() {
        Pki.stopThenDelete(etcd, pki);
    }

    @BeforeEach
    void setUp(TestInfo testInfo) throws IOException {
        test = testInfo;
        apps = new Apps(TestLogs.of(testInfo), etcd.endpoint());
        dir = Files.createDirectories(pki.dir().resolve(testInfo.getTestMethod().orElseThrow().getName()));
    }

    @AfterEach
    void tearDown() {
        apps.close();
        List<String> secrets = new ArrayList<>(passwords);
        secrets.addAll(EtcdAuthLog.issuedTokens(etcd));
        int scanned = AgentOutput.assertNoSecrets(test, secrets);
        assertThat(scanned).as("app outputs scanned for secrets").isPositive();
    }

    @Test
    void aNewClientCertificateAndKeyInASecretVolumeArePickedUpWithoutAGap() throws IOException {
        SecretVolume volume = new SecretVolume(dir.resolve("secret"));
        volume.update(Map.of("ca.crt", serverCa, "tls.crt", client.cert(), "tls.key", client.key()));
        String user = newUser("rot-cert");
        Path passwordFile = writePassword(user);
        Rotating rotating = start("cert", spec -> spec.setting("tls.ca-file", volume.file("ca.crt"))
                .setting("tls.cert-file", volume.file("tls.crt")).setting("tls.key-file", volume.file("tls.key"))
                .setting("user", user).setting("password-file", passwordFile));

        Pki.CertPair renewed = pki.client("agent-client-renewed", Pki.NO_CN_SUBJECT); // a new key too
        volume.update(Map.of("ca.crt", serverCa, "tls.crt", renewed.cert(), "tls.key", renewed.key()));
        long rotated = System.nanoTime();
        Pattern switched = Pattern.compile(" INFO grpc\\.etcd\\.tls\\.cert-file=" + Pattern.quote(
                volume.file("tls.crt").toString()) + ", grpc\\.etcd\\.tls\\.key-file=" + Pattern.quote(
                volume.file("tls.key").toString()) + " changed: the agent reaches etcd on a new connection");
        for (AppProcess app : rotating.both()) {
            app.awaitErrLine(switched, ROTATED_WITHIN);
        }
        System.out.printf("SecureRotationTest: certificate rotated; both apps switched within %d ms%n",
                Duration.ofNanos(System.nanoTime() - rotated).toMillis());

        rotating.carryOn();
        for (AppProcess app : rotating.both()) {
            // more than 10 s after the switch: the old connection is closed, the new one is the only one
            assertThat(TcpConnections.established(app.pid(), etcd.clientPort()))
                    .as("connections of %s to etcd", app.name()).isEqualTo(1);
        }
        for (AppProcess app : rotating.both()) {
            assertThat(rotating.warningsSinceStart(app)).as("WARN lines of %s", app.name()).isEmpty();
            assertThat(AgentOutput.countErr(app, switched)).as("switch lines of %s", app.name()).isEqualTo(1);
        }
    }

    @Test
    void brokenMaterialIsRefusedInOneLineAndTheWorkingConnectionStays() throws IOException {
        Path cert = copy(client.cert(), dir.resolve("agent.pem"));
        Path key = copy(client.key(), dir.resolve("agent.key"));
        String user = newUser("rot-broken");
        Path passwordFile = writePassword(user);
        Path caFile = copy(serverCa, dir.resolve("ca.pem"));
        Rotating rotating = start("broken", spec -> spec.setting("tls.ca-file", caFile).setting("tls.cert-file", cert)
                .setting("tls.key-file", key).setting("user", user).setting("password-file", passwordFile));
        Pki.CertPair renewed = pki.client("agent-client-broken", Pki.NO_CN_SUBJECT);
        byte[] renewedCert = Files.readAllBytes(renewed.cert());

        // plain rewrites, in place: first half a certificate, then the whole one with the old key still there
        Files.write(cert, Arrays.copyOf(renewedCert, renewedCert.length / 2));
        String notPem = "WARN grpc.etcd.tls.cert-file=" + cert + " changed, but the new content cannot be used:"
                + " grpc.etcd.tls.cert-file: " + cert + " is not a PEM certificate file; the working etcd connection"
                + " stays";
        for (AppProcess app : rotating.both()) {
            app.awaitErrLine(Pattern.compile(Pattern.quote(notPem) + "$"), ROTATED_WITHIN);
        }
        Files.write(cert, renewedCert);
        String wrongKey = "WARN grpc.etcd.tls.cert-file=" + cert + " changed, but the new content cannot be used:"
                + " grpc.etcd.tls.key-file: " + key + " is not the key of the certificate in"
                + " grpc.etcd.tls.cert-file=" + cert + "; the working etcd connection stays";
        for (AppProcess app : rotating.both()) {
            app.awaitErrLine(Pattern.compile(Pattern.quote(wrongKey) + "$"), ROTATED_WITHIN);
        }
        Poll.sleep(Duration.ofSeconds(TTL)); // registrations and watches on the old connection meanwhile
        rotating.assertNothingLost();

        Files.copy(renewed.key(), key, StandardCopyOption.REPLACE_EXISTING);
        // against the material in use (old certificate, old key), both files changed
        Pattern switched = Pattern.compile(" INFO grpc\\.etcd\\.tls\\.cert-file=" + Pattern.quote(cert.toString())
                + ", grpc\\.etcd\\.tls\\.key-file=" + Pattern.quote(key.toString())
                + " changed: the agent reaches etcd on a new connection");
        for (AppProcess app : rotating.both()) {
            app.awaitErrLine(switched, ROTATED_WITHIN);
        }
        rotating.carryOn();
        for (AppProcess app : rotating.both()) {
            assertThat(rotating.warningsSinceStart(app)).as("WARN lines of %s", app.name())
                    .containsExactly(app.errLines().stream().filter(line -> line.contains(notPem))
                            .findFirst().orElseThrow(), app.errLines().stream()
                            .filter(line -> line.contains(wrongKey)).findFirst().orElseThrow());
        }
    }

    @Test
    void aPasswordChangedInEtcdThenInItsFileIsPickedUp() throws IOException {
        String user = newUser("rot-pw");
        Path passwordFile = writePassword(user);
        Path caFile = copy(serverCa, dir.resolve("ca.pem"));
        Rotating rotating = start("pw", spec -> spec.setting("tls.ca-file", caFile)
                .setting("tls.cert-file", client.cert()).setting("tls.key-file", client.key())
                .setting("user", user).setting("password-file", passwordFile));

        String newPassword = password();
        root.changePassword(user, newPassword); // etcd ends the old password's tokens here
        Files.write(passwordFile, (newPassword + "\n").getBytes(StandardCharsets.UTF_8)); // a plain rewrite
        long rotated = System.nanoTime();
        Pattern switched = Pattern.compile(" INFO grpc\\.etcd\\.password-file=" + Pattern.quote(
                passwordFile.toString()) + " changed: the agent reaches etcd on a new connection");
        for (AppProcess app : rotating.both()) {
            app.awaitErrLine(switched, ROTATED_WITHIN);
        }
        System.out.printf("SecureRotationTest: password changed; both apps switched within %d ms; WARN lines: %s%n",
                Duration.ofNanos(System.nanoTime() - rotated).toMillis(), AgentOutput.warnings(rotating.server));
        // the old password's tokens are gone: only the new connection can keep the lease alive from here on
        rotating.carryOn();
    }

    @Test
    void aNewServerCaWrittenFirstIsUsedOnceEtcdRestartsOnACertificateItSigned() throws IOException {
        Path caFile = copy(serverCa, dir.resolve("ca.pem"));
        String user = newUser("rot-ca");
        Path passwordFile = writePassword(user);
        Rotating rotating = start("ca", spec -> spec.setting("tls.ca-file", caFile)
                .setting("tls.cert-file", client.cert()).setting("tls.key-file", client.key()).setting("user", user)
                .setting("password-file", passwordFile));
        Pki newCa = pki.anotherCa("server-ca-2");
        Pki.CertPair newServer = newCa.server("etcd-server-2", "IP:127.0.0.1,DNS:localhost");

        // the new CA file first, the new CA alone: etcd still shows the old certificate, which it does not sign
        copy(newCa.caFile(), caFile);
        String notYet = "WARN grpc.etcd.tls.ca-file=" + caFile + " changed, but etcd does not accept a connection"
                + " with the new content: ";
        for (AppProcess app : rotating.both()) {
            app.awaitErrLine(Pattern.compile(Pattern.quote(notYet) + ".*PKIX.*the working etcd connection stays"),
                    ROTATED_WITHIN);
        }
        Poll.sleep(Duration.ofSeconds(TTL));
        rotating.assertNothingLost();

        etcd.stop();
        etcd.replaceServerCertificate(newServer);
        etcd.start();
        serverCa = newCa.caFile();
        root = EtcdCtl.tls(etcd.endpoint(), serverCa, client).as("root", ROOT_PASSWORD);
        rotating.etcdctl = root;
        Pattern switched = Pattern.compile(" INFO grpc\\.etcd\\.tls\\.ca-file=" + Pattern.quote(caFile.toString())
                + " changed: the agent reaches etcd on a new connection");
        for (AppProcess app : rotating.both()) {
            app.awaitErrLine(switched, ROTATED_WITHIN);
        }
        rotating.carryOn();
        for (AppProcess app : rotating.both()) {
            System.out.printf("SecureRotationTest: %s across the etcd restart: %s%n", app.name(),
                    AgentOutput.warnings(app));
            assertThat(AgentOutput.countErr(app, Pattern.compile(Pattern.quote(notYet))))
                    .as("'not accepted yet' lines of %s", app.name()).isEqualTo(1);
        }
    }

    @Test
    void aClientCertificateThatEndsWithinAWeekIsWarnedOfAndDoctorShowsEveryDate() throws IOException {
        Pki.CertPair shortLived = pki.client("agent-client-3-days", Pki.NO_CN_SUBJECT, 3);
        String user = newUser("rot-expiry");
        Path passwordFile = writePassword(user);
        String service = PREFIX + UniqueNames.service("expiry");
        AppProcess server = apps.server("EXPIRY").service(service).ttl(TTL)
                .setting("tls.ca-file", serverCa).setting("tls.cert-file", shortLived.cert())
                .setting("tls.key-file", shortLived.key()).setting("user", user)
                .setting("password-file", passwordFile).start();
        root.awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(server), REGISTERED_WITHIN);
        String warning = server.awaitErrLine(Pattern.compile(" WARN grpc\\.etcd\\.tls\\.cert-file: the client"
                + " certificate in " + Pattern.quote(shortLived.cert().toString()) + " expires on 20\\d\\d-\\d\\d-\\d\\dT"),
                ROTATED_WITHIN);
        System.out.printf("SecureRotationTest: %s%n", warning);
        assertThat(AgentOutput.warnings(server)).as("WARN lines of the server").containsExactly(warning);

        AppProcess doctor = apps.app("doctor", "unused").withoutAgent()
                .executableJar(ItEnvironment.agentJar().toString())
                .args("doctor", "--endpoints", etcd.endpoint(), "--service", service,
                        "--tls.ca-file", serverCa.toString(), "--tls.cert-file", shortLived.cert().toString(),
                        "--tls.key-file", shortLived.key().toString(), "--user", user,
                        "--password-file", passwordFile.toString())
                .start();
        assertThat(doctor.awaitExit(ItEnvironment.JVM_START)).as("exit code of doctor; its output: %s",
                doctor.lines()).isEqualTo(1);
        String output = String.join("\n", doctor.lines());
        System.out.printf("SecureRotationTest: doctor says:%n%s%n", output);
        assertThat(output).containsPattern("OK      grpc\\.etcd\\.tls\\.ca-file=" + Pattern.quote(serverCa.toString())
                + ": CN=[^ ]+ valid until 20\\d\\d-")
                .containsPattern("PROBLEM grpc\\.etcd\\.tls\\.cert-file=" + Pattern.quote(
                        shortLived.cert().toString()) + ": .* valid until 20\\d\\d-.*, expires within 7 days")
                .contains("1 problem(s) found");
    }

    /** A server registered under a fresh service (TTL 5 s) and a client calling it every 20 ms, both rotating. */
    private Rotating start(String label, UnaryOperator<AppSpec> secured) {
        String service = PREFIX + UniqueNames.service(label);
        AppProcess server = secured.apply(apps.server("SERVER").service(service).ttl(TTL))
                .setting("credentials-check-ms", "1000").start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        EtcdEntry entry = root.awaitEntry(key, REGISTERED_WITHIN);
        AppProcess caller = secured.apply(apps.client("client", "etcd:///" + service, "20"))
                .setting("credentials-check-ms", "1000").start();
        Poll.until(() -> EchoOutput.replies(caller).contains("SERVER"), ItEnvironment.JVM_START,
                Duration.ofMillis(50), () -> "the client reaching SERVER; its stderr: " + caller.errLines());
        // calls made while a cold JVM set up its first connection may time out: the ones after count
        return new Rotating(service, key, entry.lease(), server, caller, caller.lines().size(), secured, root);
    }

    /** The apps of one rotation and what must outlive it. */
    private final class Rotating {
        final String service;
        final String key;
        final long lease;
        final AppProcess server;
        final AppProcess caller;
        final int callerLinesAtStart;
        final int serverErrLinesAtStart;
        final int callerErrLinesAtStart;
        final UnaryOperator<AppSpec> secured;
        EtcdCtl etcdctl;

        Rotating(String service, String key, long lease, AppProcess server, AppProcess caller,
                int callerLinesAtStart, UnaryOperator<AppSpec> secured, EtcdCtl etcdctl) {
            this.service = service;
            this.key = key;
            this.lease = lease;
            this.server = server;
            this.caller = caller;
            this.callerLinesAtStart = callerLinesAtStart;
            this.serverErrLinesAtStart = server.errLines().size();
            this.callerErrLinesAtStart = caller.errLines().size();
            this.secured = secured;
            this.etcdctl = etcdctl;
        }

        List<AppProcess> both() {
            return List.of(server, caller);
        }

        /**
         * The WARN lines an app logged once both were up: a cold JVM's first connection on a loaded machine may
         * time out once before it works, which is no part of a rotation.
         */
        List<String> warningsSinceStart(AppProcess app) {
            List<String> lines = app.errLines();
            return lines.subList(app == server ? serverErrLinesAtStart : callerErrLinesAtStart, lines.size()).stream()
                    .filter(line -> line.contains(" WARN ")).collect(Collectors.toList());
        }

        /** The key under its first lease, kept alive; the client's calls all answered. */
        void assertNothingLost() {
            assertThat(etcdctl.get(key).map(EtcdEntry::lease)).as("lease of %s", key).contains(lease);
            assertThat(callerErrors()).as("ERROR lines of the client since it first reached SERVER").isEmpty();
            for (AppProcess app : both()) {
                assertThat(app.isAlive()).as("%s alive", app.name()).isTrue();
            }
        }

        List<String> callerErrors() {
            List<String> lines = caller.lines();
            return lines.subList(callerLinesAtStart, lines.size()).stream()
                    .filter(line -> EchoOutput.ERROR.matcher(line).find()).collect(Collectors.toList());
        }

        /**
         * After a rotation: two TTLs later the key still sits under its first lease (kept alive on the new
         * connection), a server started now is found by the client (its watch works), and no call failed.
         */
        void carryOn() {
            Poll.sleep(Duration.ofSeconds(2L * TTL));
            assertNothingLost();
            AppProcess later = secured.apply(apps.server("LATER").service(service).ttl(TTL))
                    .setting("credentials-check-ms", "1000").start();
            etcdctl.awaitEntry(service + "/127.0.0.1:" + EchoOutput.awaitReady(later), REGISTERED_WITHIN);
            Poll.until(() -> EchoOutput.replies(caller).contains("LATER"), Duration.ofSeconds(15),
                    Duration.ofMillis(50), () -> "the client reaching LATER, started after the rotation; its"
                            + " stderr: " + caller.errLines());
            assertThat(callerErrors()).as("ERROR lines of the client since it first reached SERVER").isEmpty();
        }
    }

    /**
     * A Kubernetes Secret volume as the kubelet writes it: each file a symlink {@code name -> ..data/name},
     * {@code ..data} a symlink to a directory of this version, swapped to a new one in one rename on update.
     */
    private static final class SecretVolume {
        private final Path root;
        private int version;

        SecretVolume(Path root) throws IOException {
            this.root = Files.createDirectories(root);
        }

        Path file(String name) {
            return root.resolve(name);
        }

        void update(Map<String, Path> files) throws IOException {
            Path next = Files.createDirectory(root.resolve("..v" + (++version)));
            for (Map.Entry<String, Path> file : files.entrySet()) {
                Files.copy(file.getValue(), next.resolve(file.getKey()));
            }
            Path link = Files.createSymbolicLink(root.resolve("..data_tmp"), next.getFileName());
            Files.move(link, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            for (String name : files.keySet()) {
                if (!Files.exists(file(name), LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(file(name), Path.of("..data", name));
                }
            }
        }
    }

    /** A user of its own for a test, with the role on {@value #PREFIX}; its password is in {@link #passwords}. */
    private String newUser(String prefix) {
        String user = prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffff);
        String password = password();
        root.run("user", "add", user + ":" + password);
        root.run("user", "grant-role", user, ROLE);
        currentPasswords.put(user, password);
        return user;
    }

    private Path writePassword(String user) throws IOException {
        Path file = dir.resolve(user + "-password");
        Files.write(file, (currentPasswords.get(user) + "\n").getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static String password() {
        String password = "pw-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        passwords.add(password);
        return password;
    }

    private static Path copy(Path from, Path to) {
        try {
            return Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
