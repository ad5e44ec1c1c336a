package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * An app starts normally while etcd is down: it reports the failure to register once, retries with backoff, and
 * registers as soon as etcd answers.
 */
class LateEtcdTest {
    private static final Pattern READY = Pattern.compile("^READY ");
    /** Time the app gets on top of its start time without the agent (or twice that time, if longer). */
    private static final Duration AGENT_START_ALLOWANCE = Duration.ofSeconds(5);

    private EtcdServer etcd;
    private Apps apps;

    @BeforeEach
    void setUp(TestInfo test) {
        etcd = EtcdServer.reserved(TestLogs.of(test).file("etcd.log")); // ports reserved, not started
        apps = new Apps(TestLogs.of(test), etcd.endpoint());
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
    void serverStartsWithoutEtcdWarnsOnceAndRegistersWhenEtcdComesUp() {
        String service = UniqueNames.service("late");

        // the app's usual start time, on this machine now: the same server without the agent
        long plainBegin = System.nanoTime();
        AppProcess plain = apps.server("plain").withoutAgent().start();
        plain.awaitLine(READY, ItEnvironment.JVM_START);
        Duration plainStart = Duration.ofNanos(System.nanoTime() - plainBegin);
        plain.close();

        long begin = System.nanoTime();
        AppProcess server = apps.server("A").service(service).ttl(3).start();
        int port = EchoOutput.awaitReady(server);
        Duration start = Duration.ofNanos(System.nanoTime() - begin);
        Duration allowed = plainStart.plus(AGENT_START_ALLOWANCE).compareTo(plainStart.multipliedBy(2)) > 0
                ? plainStart.plus(AGENT_START_ALLOWANCE) : plainStart.multipliedBy(2);
        System.out.printf("LateEtcdTest: READY after %d ms with etcd down, %d ms without the agent%n",
                start.toMillis(), plainStart.toMillis());
        assertThat(start).as("start time with etcd down (without the agent: %d ms)", plainStart.toMillis())
                .isLessThanOrEqualTo(allowed);

        // the first attempt comes once the agent has loaded its etcd client (seconds, on a loaded machine); then
        // backoff from 100 ms to 1 s: several retries happen in 4 s, and they are no news
        server.awaitErrLine(Pattern.compile(" WARN registering in etcd "), ItEnvironment.JVM_START);
        Poll.sleep(Duration.ofSeconds(4));
        assertThat(registrationWarnings(server)).as("WARN lines about registering, with etcd down 4 s after the"
                + " first; stderr: %s", server.errLines()).hasSize(1);
        assertThat(server.errLines()).as("stderr").noneMatch(line -> line.contains("INFO registered"));

        etcd.start();
        long etcdUp = System.nanoTime();
        String key = service + "/127.0.0.1:" + port;
        new EtcdCtl(etcd).awaitEntry(key, Duration.ofSeconds(10));
        System.out.printf("LateEtcdTest: %s registered %d ms after etcd was healthy%n", key,
                Duration.ofNanos(System.nanoTime() - etcdUp).toMillis());
        server.awaitErrLine(Pattern.compile("INFO registered " + Pattern.quote(key)), Duration.ofSeconds(10));
        assertThat(registrationWarnings(server)).as("WARN lines about registering at the end; stderr: %s",
                server.errLines()).hasSize(1);
    }

    private static List<String> registrationWarnings(AppProcess server) {
        return server.errLines().stream()
                .filter(line -> line.contains(" WARN ") && line.toLowerCase().contains("regist"))
                .collect(Collectors.toList());
    }
}
