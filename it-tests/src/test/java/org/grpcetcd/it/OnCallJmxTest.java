package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.oncall.AgentCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The agent's status MBean {@code org.grpcetcd.agent:type=GrpcEtcdAgent}, read by the app itself through its
 * platform MBean server (what jconsole shows): the version, the endpoints, the key it registered with its lease,
 * and the service it watches with the endpoints it knows.
 */
class OnCallJmxTest {
    private static final String STATUS_APP = "org.grpcetcd.it.apps.OnCallStatusApp";
    private static final int TTL = 4;

    private EtcdServer etcd;
    private Apps apps;

    @BeforeEach
    void setUp(TestInfo test) {
        TestLogs logs = TestLogs.of(test);
        etcd = EtcdServer.started(logs.file("etcd.log"));
        apps = new Apps(logs, etcd.endpoint());
    }

    @AfterEach
    void tearDown() {
        try {
            apps.close();
        } finally {
            etcd.close();
        }
    }

    @Test
    void theAppsOwnMBeanShowsItsRegistrationAndItsWatch() {
        EtcdCtl etcdctl = new EtcdCtl(etcd);
        String service = UniqueNames.service("oncall-jmx");
        AppProcess app = apps.app("status-app", STATUS_APP).args("S", "etcd:///" + service).service(service).ttl(TTL)
                .drainMs(0).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(app);
        app.awaitLine(Pattern.compile("^STATUS-DONE$"), ItEnvironment.JVM_START);
        EtcdEntry entry = etcdctl.awaitEntry(key, Duration.ofSeconds(5));
        List<String> out = app.lines();

        assertThat(out).as("output of the app").contains("REPLY S", "VERSION " + AgentCli.jarVersion(),
                "ENDPOINT " + etcd.endpoint());
        assertThat(prefixed(out, "ENDPOINT ")).as("Endpoints of the MBean").hasSize(1);

        List<String> registrations = prefixed(out, "REGISTRATION ");
        assertThat(registrations).as("Registrations of the MBean; the app's output: %s", out).hasSize(1);
        Matcher registration = Pattern.compile("^" + Pattern.quote(key) + " lease=([0-9a-f]+) ttl=" + TTL
                + "s last-keep-alive=(\\S+)$").matcher(registrations.get(0));
        assertThat(registration.matches()).as("the registration line '%s' names %s, its lease and ttl",
                registrations.get(0), key).isTrue();
        assertThat(registration.group(1)).as("lease in the MBean, against etcdctl's lease of %s", key)
                .isEqualTo(entry.leaseHex());
        Instant keptAlive = Instant.parse(registration.group(2));
        assertThat(keptAlive).as("last keep-alive").isBefore(Instant.now().plusSeconds(1))
                .isAfter(Instant.now().minusSeconds(60));

        List<String> watched = prefixed(out, "WATCHED ");
        assertThat(watched).as("WatchedServices of the MBean; the app's output: %s", out).hasSize(1);
        Matcher watch = Pattern.compile("^" + Pattern.quote(service + "/") + " endpoints=(\\d+) last-change=(\\S+)"
                + " listeners=(\\d+)$").matcher(watched.get(0));
        assertThat(watch.matches()).as("the watched-service line '%s'", watched.get(0)).isTrue();
        assertThat(Integer.parseInt(watch.group(1))).as("endpoints known for %s", service).isGreaterThanOrEqualTo(1);
        assertThat(Integer.parseInt(watch.group(3))).as("channels on the watch").isEqualTo(1);
        assertThat(watch.group(2)).as("last change").isNotEqualTo("null");
        System.out.printf("OnCallJmxTest: the app's own MBean:%n  %s%n", String.join("\n  ", out));
        app.send("stop");
        app.awaitLine(Pattern.compile("^STOPPED$"), Duration.ofSeconds(30));
    }

    private static List<String> prefixed(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .collect(Collectors.toList());
    }
}
