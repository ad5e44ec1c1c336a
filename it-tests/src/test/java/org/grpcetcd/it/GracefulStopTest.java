package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.FreePorts;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.OutputLine;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that shuts down deletes its keys first and keeps serving for the drain time, so clients move away
 * without a failed call; a JVM ended by SIGTERM leaves no key behind either.
 *
 * <p>The servers use a TTL of 30 s, so a key that goes away within a second or three was deleted (or its lease
 * revoked), never expired.
 */
class GracefulStopTest {
    private static final int LONG_TTL = 30;
    private static final int DRAIN_MS = 1000;
    private static final Pattern SHUTDOWN_RETURNED = Pattern.compile("^SHUTDOWN-RETURNED after (\\d+) ms$");
    private static final Pattern SHUTDOWN_CALLED = Pattern.compile("^SHUTDOWN-CALLED at=(\\d+)$");
    private static final Pattern STOPPED = Pattern.compile("^STOPPED$");

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @Test
    void stoppedServerLeavesEtcdBeforeItStopsAndTheClientNeverFails() {
        String service = UniqueNames.service("graceful");
        AppProcess a = fixture.apps().server("A").service(service).ttl(LONG_TTL).drainMs(DRAIN_MS).start();
        AppProcess b = fixture.apps().server("B").service(service).ttl(LONG_TTL).drainMs(DRAIN_MS).start();
        String keyA = service + "/127.0.0.1:" + EchoOutput.awaitReady(a);
        String keyB = service + "/127.0.0.1:" + EchoOutput.awaitReady(b);
        fixture.etcdctl().awaitEntry(keyA, Duration.ofSeconds(10));
        fixture.etcdctl().awaitEntry(keyB, Duration.ofSeconds(10));

        AppProcess client = fixture.apps().client("client", "etcd:///" + service).start();
        Poll.until(() -> EchoOutput.replies(client).containsAll(List.of("A", "B")), ItEnvironment.JVM_START,
                Duration.ofMillis(50), () -> "the client reaching both A and B; its output: " + client.lines());

        long stopSent = System.nanoTime();
        a.send("stop");
        long gone = 0;
        long goneEpochMs = 0;
        boolean returnedBeforeGone = false;
        while (System.nanoTime() - stopSent < Duration.ofSeconds(5).toNanos()) {
            boolean present = fixture.etcdctl().exists(keyA);
            long checked = System.nanoTime();
            if (!present) {
                gone = checked;
                goneEpochMs = System.currentTimeMillis();
                // the check finished at `checked`; if shutdown() had returned before that, its line would be here
                returnedBeforeGone = a.firstLine(SHUTDOWN_RETURNED).isPresent();
                break;
            }
            Poll.sleep(Duration.ofMillis(20));
        }
        assertThat(gone).as("%s deleted from etcd within 5 s of sending stop to A", keyA).isNotZero();
        // measured from A's call to shutdown(), which A stamps itself: the promise is about the server, not about
        // how fast a loaded machine carries "stop" through A's stdin
        Matcher called = SHUTDOWN_CALLED.matcher(a.awaitLine(SHUTDOWN_CALLED, Duration.ofSeconds(10)));
        called.matches();
        long goneAfterMs = goneEpochMs - Long.parseLong(called.group(1));
        assertThat(goneAfterMs).as("ms from A calling shutdown() until %s was seen gone", keyA)
                .isLessThanOrEqualTo(1000);
        assertThat(returnedBeforeGone).as("A's shutdown() returned (printed SHUTDOWN-RETURNED) before %s was "
                + "seen gone; A's stdout: %s", keyA, a.lines()).isFalse();

        OutputLine returned = a.awaitOutputLine(SHUTDOWN_RETURNED, Duration.ofSeconds(30));
        assertThat(returned.seenAtNanos()).as("SHUTDOWN-RETURNED seen after %s was gone", keyA).isGreaterThan(gone);
        Matcher drained = SHUTDOWN_RETURNED.matcher(returned.text());
        drained.matches();
        assertThat(Long.parseLong(drained.group(1))).as("ms shutdown() took with drain-ms=%d", DRAIN_MS)
                .isGreaterThanOrEqualTo(DRAIN_MS - 50);
        System.out.printf("GracefulStopTest: %s gone %d ms after A called shutdown() (%d ms after stop was sent);"
                + " %s%n", keyA, goneAfterMs, Duration.ofNanos(gone - stopSent).toMillis(), returned.text());
        OutputLine stopped = a.awaitOutputLine(STOPPED, Duration.ofSeconds(30));
        a.awaitErrLine(Pattern.compile("INFO deregistered " + Pattern.quote(keyA)), Duration.ofSeconds(5));
        assertThat(fixture.etcdctl().exists(keyB)).as("%s still in etcd", keyB).isTrue();

        int linesAtStopped = client.lines().size();
        EchoOutput.awaitReplies(client, EchoOutput.replies(client).size() + 20, Duration.ofSeconds(30));
        List<String> afterStopped = client.outputLines().stream()
                .filter(line -> line.seenAtNanos() > stopped.seenAtNanos())
                .map(OutputLine::text)
                .collect(Collectors.toList());
        assertThat(EchoOutput.errors(client)).as("ERROR lines of the client while A shut down").isEmpty();
        assertThat(EchoOutput.replies(afterStopped)).as("replies after A printed STOPPED (client line %d on)",
                linesAtStopped).isNotEmpty().containsOnly("B");
    }

    /**
     * Three servers of one JVM, stopped in turn by the app's shutdown hook as frameworks do, cost one drain on
     * SIGTERM: the agent's exit hook revokes the lease and drains once, and a server whose keys left with it waits
     * only for what is left of that drain (it waited a full drain each, after the revoke, before).
     */
    @Test
    void threeServersOfAJvmEndedBySigtermDrainOnceTogether() {
        String service = UniqueNames.service("exit3");
        int drainMs = 2000;
        AppProcess app = fixture.apps().app("three", "org.grpcetcd.it.apps.TwoServersApp").args("A", "B", "C")
                .service(service).ttl(LONG_TTL).drainMs(drainMs).start();
        for (String name : List.of("A", "B", "C")) {
            Matcher ready = EchoOutput.READY.matcher(app.awaitLine(Pattern.compile("^READY " + name + " "),
                    ItEnvironment.JVM_START));
            ready.matches();
            fixture.etcdctl().awaitEntry(service + "/127.0.0.1:" + ready.group(2), Duration.ofSeconds(10));
        }

        long sent = System.nanoTime();
        app.terminate(Duration.ofSeconds(30));
        long exitMs = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        System.out.printf("GracefulStopTest: 3 servers stopped in turn by the app's hook, drain-ms=%d: the JVM exited"
                + " %d ms after SIGTERM%n", drainMs, exitMs);
        assertThat(fixture.etcdctl().entries(service + "/")).as("keys under %s/ after the JVM exited", service)
                .isEmpty();
        assertThat(exitMs).as("ms from SIGTERM to exit of a JVM with 3 servers, drain-ms=%d (one drain, not three)",
                drainMs).isLessThan(drainMs + 1500L);
    }

    /** A server whose key never reached etcd (etcd unreachable all along) has nothing to drain and nothing to delete. */
    @Test
    void aServerThatNeverReachedEtcdStopsWithoutDraining() {
        int drainMs = 5000;
        AppProcess app = fixture.apps().app("unregistered", "org.grpcetcd.it.apps.TwoServersApp").args("A", "B")
                .endpoints("http://127.0.0.1:" + FreePorts.next()).service(UniqueNames.service("never"))
                .drainMs(drainMs).start();
        app.awaitLine(Pattern.compile("^READY B "), ItEnvironment.JVM_START);
        app.awaitErrLine(Pattern.compile(" WARN registering in etcd .* failed"), Duration.ofSeconds(10));

        app.send("stop A");
        long sent = System.nanoTime();
        app.awaitLine(Pattern.compile("^STOPPED A$"), Duration.ofSeconds(30));
        long stopMs = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        System.out.printf("GracefulStopTest: a server never registered (etcd unreachable) stopped %d ms after stop "
                + "(drain-ms=%d)%n", stopMs, drainMs);
        assertThat(stopMs).as("ms a never-registered server took to stop, drain-ms=%d", drainMs)
                .isLessThan(drainMs / 2);
        assertThat(app.errLines()).as("stderr of an app whose server never reached etcd")
                .noneMatch(line -> line.contains("could not delete"));
    }

    @Test
    void serverEndedBySigtermLeavesNoKey() {
        String service = UniqueNames.service("sigterm");
        AppProcess server = fixture.apps().server("A").service(service).ttl(LONG_TTL).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, Duration.ofSeconds(10));

        server.terminate(Duration.ofSeconds(30));
        long exited = System.nanoTime();
        Poll.until(() -> !fixture.etcdctl().exists(key), Duration.ofSeconds(3),
                () -> key + " gone from etcd within 3 s after the JVM exited on SIGTERM; its stderr: "
                        + server.errLines());
        assertThat(Duration.ofNanos(System.nanoTime() - exited)).isLessThan(Duration.ofSeconds(3));
    }
}
