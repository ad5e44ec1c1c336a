package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
import org.grpcetcd.it.support.secure.GatewayProbe;
import org.grpcetcd.it.support.secure.Pki;
import org.grpcetcd.it.support.secure.SecretScan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * etcd's auth tokens go away: a simple token idle for longer than {@code --auth-token-ttl} (2 s here) is refused,
 * and a restart drops every token. The agent authenticates anew when etcd says so: its lease keeps being renewed
 * and its watch keeps delivering.
 */
class SecureTokenExpiryTest {
    private static final int TOKEN_TTL_SECONDS = 2;
    /** Lease TTL 12 s: renewed every 4 s, longer than a token lives idle (TTL plus etcd's 1 s sweep). */
    private static final int LEASE_TTL_SECONDS = 12;
    private static final String USER = "alice";
    private static final String PREFIX = "sec/";
    private static final String ALICE_PASSWORD = "alice-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final String ROOT_PASSWORD = "root-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    private static Pki pki;
    private static Pki.CertPair client;
    private static EtcdServer etcd;
    private static EtcdCtl root;
    private TestInfo test;
    private Apps apps;

    @BeforeAll
    static void startEtcd() {
        pki = Pki.create("SecureTokenExpiryTest", "test-ca");
        Pki.CertPair server = pki.server("etcd-server", "IP:127.0.0.1,DNS:localhost");
        etcd = EtcdServer.clientCertAuthWithTokenTtl(TestLogs.of(SecureTokenExpiryTest.class).file("etcd.log"),
                server, pki.caFile(), TOKEN_TTL_SECONDS).withDebugLog().launch();
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
        List<String> secrets = new ArrayList<>(List.of(ALICE_PASSWORD, ROOT_PASSWORD));
        secrets.addAll(tokens);
        int scanned = AgentOutput.assertNoSecrets(test, secrets);
        System.out.printf("SecureTokenExpiryTest: %d outputs free of 2 passwords and %d tokens%n", scanned,
                tokens.size());
        assertThat(scanned).as("app outputs scanned for secrets").isPositive();
    }

    private static AppSpec secured(AppSpec spec) {
        return spec.setting("tls.ca-file", pki.caFile()).setting("tls.cert-file", client.cert())
                .setting("tls.key-file", client.key()).setting("user", USER).setting("password", ALICE_PASSWORD)
                .setting("log-level", "debug");
    }

    @Test
    void expiredAndDroppedTokensAreRenewedTheRegistrationSurvivesAndTheWatchKeepsDelivering() {
        String service = PREFIX + UniqueNames.service("expiry");
        AppProcess a = secured(apps.server("A").service(service).ttl(LEASE_TTL_SECONDS)).start();
        AppProcess caller = secured(apps.client("client", "etcd:///" + service, "50", String.valueOf(Long.MAX_VALUE),
                "30000")).start();

        // etcd's side, shown while the JVMs start: an idle token is refused once its TTL has passed
        GatewayProbe probe = new GatewayProbe(etcd.endpoint(), pki.caFile(), client);
        String token = probe.authenticate(USER, ALICE_PASSWORD);
        assertThat(token).as("a token etcd hands out").matches(SecretScan.SIMPLE_TOKEN);
        assertThat(probe.range(PREFIX + "x", token).status).as("a fresh token").isEqualTo(200);
        Poll.sleep(Duration.ofMillis((TOKEN_TTL_SECONDS + 1) * 1000L + 500));
        GatewayProbe.Answer stale = probe.range(PREFIX + "x", token);
        assertThat(stale.status).as("the token after %d ms idle: %s", (TOKEN_TTL_SECONDS + 1) * 1000 + 500, stale)
                .isEqualTo(401);
        assertThat(stale.body).contains("invalid auth token");

        String keyA = service + "/127.0.0.1:" + EchoOutput.awaitReady(a);
        long lease = root.awaitEntry(keyA, Duration.ofSeconds(30)).lease();
        EchoOutput.awaitReplies(caller, 3, ItEnvironment.JVM_START);
        assertThat(EchoOutput.replies(caller)).containsOnly("A");

        // each renewal cycle (keep-alive, then a look that the key is still there) comes 4 s after the agent's last
        // request, when its token is gone: etcd refuses the token and the agent authenticates anew
        long authenticated = EtcdAuthLog.authentications(etcd, USER);
        long refused = EtcdAuthLog.refusedTokens(etcd);
        for (int renewal = 1; renewal <= 2; renewal++) {
            long remaining = awaitRenewal(lease, "renewal " + renewal + " after the token expired");
            System.out.printf("SecureTokenExpiryTest: renewal %d seen (%d s left); etcd since: %d requests refused"
                    + " for an expired token, %d authentications of alice%n", renewal, remaining,
                    EtcdAuthLog.refusedTokens(etcd) - refused, EtcdAuthLog.authentications(etcd, USER) - authenticated);
        }
        // the refusal and the new authentication may follow the keep-alive by a few milliseconds
        Poll.until(() -> EtcdAuthLog.refusedTokens(etcd) - refused >= 2 && EtcdAuthLog.authentications(etcd, USER) - authenticated >= 2,
                Duration.ofSeconds(5), Duration.ofMillis(100), () -> "etcd's log showing two requests refused for"
                        + " an expired token and two new authentications of alice during two renewals (only A sends"
                        + " requests then); so far " + (EtcdAuthLog.refusedTokens(etcd) - refused) + " and "
                        + (EtcdAuthLog.authentications(etcd, USER) - authenticated));
        // the client's watch has been idle since it opened: its token is long gone, and events still arrive
        AppProcess b = secured(apps.server("B").service(service)).start();
        String keyB = service + "/127.0.0.1:" + EchoOutput.awaitReady(b);
        root.awaitEntry(keyB, Duration.ofSeconds(30));
        awaitReached(caller, "B", "B, registered after the client's token expired");

        // a restart drops every simple token
        long refusedBeforeRestart = EtcdAuthLog.refusedTokens(etcd);
        etcd.stop();
        etcd.start();
        long restarted = System.nanoTime();
        AppProcess c = secured(apps.server("C").service(service)).start();
        long remaining = awaitRenewal(lease, "a renewal after etcd restarted");
        System.out.printf("SecureTokenExpiryTest: renewal seen %d ms after the restart (%d s left)%n",
                Duration.ofNanos(System.nanoTime() - restarted).toMillis(), remaining);
        // only A and the client hold tokens from before the restart: etcd refused them, and both carried on
        Poll.until(() -> EtcdAuthLog.refusedTokens(etcd) > refusedBeforeRestart, Duration.ofSeconds(5), Duration.ofMillis(100),
                "etcd's log showing a token from before the restart refused");
        assertThat(root.get(keyA)).as("%s after the restart", keyA).hasValueSatisfying(
                entry -> assertThat(entry.lease()).as("its lease").isEqualTo(lease));
        String keyC = service + "/127.0.0.1:" + EchoOutput.awaitReady(c);
        root.awaitEntry(keyC, Duration.ofSeconds(30));
        awaitReached(caller, "C", "C, registered after etcd restarted");

        assertThat(EchoOutput.errors(caller)).as("ERROR lines of the client").isEmpty();
        for (AppProcess app : List.of(a, b, c, caller)) {
            assertThat(AgentOutput.refusals(app)).as("refusals logged by %s", app.name()).isEmpty();
        }
    }

    /** Waits until the lease's time left goes up between two looks: the agent renewed it. */
    private long awaitRenewal(long lease, String what) {
        long[] last = {root.leaseTtl(lease).remaining()};
        Poll.until(() -> {
            long now = root.leaseTtl(lease).remaining();
            boolean renewed = now > last[0];
            last[0] = now;
            return renewed;
        }, Duration.ofSeconds(LEASE_TTL_SECONDS), Duration.ofMillis(300), () -> what + ": lease "
                + Long.toHexString(lease) + " renewed (time left now " + last[0] + " s)");
        assertThat(last[0]).as("time left on the lease after %s", what).isPositive();
        return last[0];
    }

    private static void awaitReached(AppProcess caller, String server, String what) {
        Poll.until(() -> EchoOutput.replies(caller).contains(server), Duration.ofSeconds(30), Duration.ofMillis(50),
                () -> "the client reaching " + what + "; its stderr: " + caller.errLines());
    }
}
