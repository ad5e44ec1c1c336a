package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdCluster;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One JVM that starts and stops a server and builds, uses and shuts down an {@code etcd:///} channel 1,000 times
 * leaks nothing: no thread, no heap, no lease and no key is left per cycle.
 */
class FaultNoLeakTest {
    private static final String CHURN_APP = "org.grpcetcd.it.apps.ChurnApp";
    private static final int CYCLES = 1000;
    private static final int REPORT_AT = 100;
    private static final Pattern AT = Pattern.compile("^AT cycle=(\\d+) threads=(\\d+) heap=(\\d+)$");
    private static final Pattern DONE = Pattern.compile("^CHURN-DONE cycles=(\\d+) ok=(\\d+) failed=(\\d+) ms=(\\d+)$");
    private static final long MB = 1024 * 1024;
    private static final String WATCHERS = "etcd_debugging_mvcc_watcher_total";

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.singleMember();

    @Test
    void aThousandServerAndChannelCyclesInOneJvmLeakNoThreadHeapLeaseOrKey() {
        String service = UniqueNames.service("churn");
        int leasesBefore = EtcdCluster.leaseCount(fixture.etcd().endpoint());
        double watchersBefore = fixture.etcd().metric(WATCHERS);
        AppProcess app = fixture.apps().app("churn", CHURN_APP)
                .args(String.valueOf(CYCLES), "etcd:///" + service, "2000", String.valueOf(REPORT_AT))
                .service(service).drainMs(0).start();
        Matcher done = DONE.matcher(app.awaitLine(DONE, ItEnvironment.JVM_START.plusSeconds(120)));
        assertThat(done.matches()).isTrue();
        // the app still runs, every channel shut down: etcd must hold no watch of it (one per channel if leaked)
        double[] watchers = new double[1];
        Poll.until(() -> (watchers[0] = fixture.etcd().metric(WATCHERS)) <= watchersBefore, Duration.ofSeconds(5),
                () -> WATCHERS + " of etcd back to " + watchersBefore + " once every channel was shut down; now "
                        + watchers[0]);
        app.send("exit");
        int exit = app.awaitExit(Duration.ofSeconds(30));
        Matcher early = at(app, REPORT_AT);
        Matcher end = at(app, CYCLES);
        int threadsEarly = Integer.parseInt(early.group(2));
        int threadsEnd = Integer.parseInt(end.group(2));
        long heapEarly = Long.parseLong(early.group(3));
        long heapEnd = Long.parseLong(end.group(3));
        int leasesAfter = EtcdCluster.leaseCount(fixture.etcd().endpoint());
        int keysAfter = fixture.etcdctl().entries(service + "/").size();
        int ok = Integer.parseInt(done.group(2));
        int failed = Integer.parseInt(done.group(3));
        System.out.printf("FaultNoLeakTest: %d cycles in %s ms (%d calls ok, %d failed); threads %d at cycle %d, "
                + "%d at the end; heap after GC %.1f MB at cycle %d, %.1f MB at the end; leases in etcd %d before, "
                + "%d after the app exited (code %d); keys under %s/ after: %d; etcd watchers %.0f before, %.0f after "
                + "the cycles with the app still up%n", CYCLES, done.group(4), ok, failed, threadsEarly, REPORT_AT,
                threadsEnd, heapEarly / (double) MB, REPORT_AT, heapEnd / (double) MB, leasesBefore, leasesAfter,
                exit, service, keysAfter, watchersBefore, watchers[0]);
        assertThat(exit).as("exit code of the churn app").isZero();
        assertThat(threadsEnd).as("live threads at the end vs %d at cycle %d; %s", threadsEarly, REPORT_AT,
                app.lines().stream().filter(line -> line.startsWith("THREADS")).toArray())
                .isLessThanOrEqualTo(threadsEarly + 3);
        assertThat(heapEnd).as("heap used after GC at the end vs %d bytes at cycle %d", heapEarly, REPORT_AT)
                .isLessThanOrEqualTo(heapEarly + 16 * MB);
        assertThat(leasesAfter).as("leases in etcd after the app exited (before it started: %d)", leasesBefore)
                .isEqualTo(leasesBefore);
        assertThat(keysAfter).as("keys under %s/ after the app exited", service).isZero();
        // every cycle's call went through etcd to that cycle's own server
        assertThat(ok).as("calls answered by the cycle's own server; failures: %s",
                app.lines().stream().filter(line -> line.startsWith("CALL-FAILED")).toArray())
                .isGreaterThanOrEqualTo(CYCLES * 99 / 100);
    }

    private static Matcher at(AppProcess app, int cycle) {
        for (String line : app.lines()) {
            Matcher matcher = AT.matcher(line);
            if (matcher.matches() && Integer.parseInt(matcher.group(1)) == cycle) {
                return matcher;
            }
        }
        throw new AssertionError("the churn app printed no AT line for cycle " + cycle + ": " + app.lines());
    }
}
