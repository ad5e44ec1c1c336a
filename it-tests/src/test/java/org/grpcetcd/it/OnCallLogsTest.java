package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.oncall.AgentLogLines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's log as people on call read it: one line per event, never one per retry or keep-alive, never a
 * stack trace or a control character, quiet at {@code warn} and silent at {@code off}, and the app's own
 * java.util.logging left alone.
 */
class OnCallLogsTest {
    private static final String TWO_CHANNELS = "org.grpcetcd.it.apps.OnCallTwoChannelsClient";
    private static final String JUL_APP = "org.grpcetcd.it.apps.OnCallJulApp";
    private static final String LOG_MANAGER = "org.grpcetcd.it.apps.OnCallLogManager";
    private static final Pattern ACTIVE = Pattern.compile("^grpc-etcd-agent \\S+ active: ");
    private static final Pattern STOPPED = Pattern.compile("^STOPPED$");

    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.server();

    @BeforeEach
    void startEtcdIfStopped() {
        if (!fixture.etcd().isRunning()) {
            fixture.etcd().start(); // a failed outage test may have left it stopped
        }
    }

    @Test
    void aServerAndAClientWithTwoChannelsLogOneLinePerEventAndShareOneWatch() {
        String service = UniqueNames.service("oncall-logs");
        String prefix = service + "/";
        AppProcess server = fixture.apps().server("A").service(service).ttl(3).drainMs(0).start();
        String key = prefix + "127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, Duration.ofSeconds(10));

        AppProcess client = fixture.apps().app("client", TWO_CHANNELS).args("etcd:///" + service).start();
        client.awaitLine(Pattern.compile("^CALLS-DONE$"), ItEnvironment.JVM_START);
        assertThat(client.lines()).as("the client's output").contains("CHANNEL-1 REPLY A", "CHANNEL-2 REPLY A");
        List<String> watched = client.lines().stream().filter(line -> line.startsWith("WATCHED "))
                .collect(Collectors.toList());
        assertThat(watched).as("WatchedServices of the client's agent MBean").hasSize(1);
        assertThat(watched.get(0)).as("the one watch of %s, shared by both channels", prefix)
                .startsWith("WATCHED " + prefix + " endpoints=1 ").endsWith(" listeners=2");

        Poll.sleep(Duration.ofMillis(2500)); // more keep-alives (every second at ttl 3): none may log a line
        server.send("stop");
        server.awaitLine(STOPPED, Duration.ofSeconds(30));
        assertThat(server.awaitExit(Duration.ofSeconds(30))).as("exit code of the server").isZero();
        assertThat(fixture.etcdctl().exists(key)).as("%s in etcd after the server stopped", key).isFalse();
        client.send("stop");
        client.awaitExit(Duration.ofSeconds(30));

        AgentLogLines serverLog = AgentLogLines.of(server.errLines());
        serverLog.assertWellFormed("server A");
        AgentLogLines.assertNoStackTraceAndNoBrokenLine("server A", server.errLines());
        assertThat(serverLog.matching("INFO", ACTIVE)).as("active: lines of server A; its log: %s", serverLog.all())
                .hasSize(1);
        assertThat(serverLog.matching("INFO", Pattern.compile("^registered ")))
                .as("registered lines of server A (one key, ttl 3s, kept alive for 2.5 s more); its log: %s",
                        serverLog.all())
                .hasSize(1).allMatch(line -> line.matches(".* INFO registered " + Pattern.quote(key)
                        + " \\(lease [0-9a-f]+, ttl 3s\\)$"));
        assertThat(serverLog.matching("INFO", Pattern.compile("^deregistered ")))
                .as("deregistered lines of server A; its log: %s", serverLog.all())
                .hasSize(1).allMatch(line -> line.endsWith(" INFO deregistered " + key));
        assertThat(serverLog.atLevel("WARN")).as("WARN lines of server A").isEmpty();
        assertThat(serverLog.atLevel("ERROR")).as("ERROR lines of server A").isEmpty();

        AgentLogLines clientLog = AgentLogLines.of(client.errLines());
        clientLog.assertWellFormed("the client");
        AgentLogLines.assertNoStackTraceAndNoBrokenLine("the client", client.errLines());
        assertThat(clientLog.matching("INFO", ACTIVE)).as("active: lines of the client").hasSize(1);
        assertThat(clientLog.matching("INFO", Pattern.compile("^watching " + Pattern.quote(prefix) + " in etcd")))
                .as("'watching %s in etcd' lines of the client with two channels; its log: %s", prefix,
                        clientLog.all())
                .hasSize(1).allMatch(line -> line.endsWith("INFO watching " + prefix + " in etcd: 1 endpoint(s) now"));
        assertThat(clientLog.atLevel("WARN")).as("WARN lines of the client").isEmpty();
        assertThat(clientLog.atLevel("ERROR")).as("ERROR lines of the client").isEmpty();
        System.out.printf("OnCallLogsTest: server log:%n  %s%nclient log:%n  %s%nclient status: %s%n",
                String.join("\n  ", serverLog.all()), String.join("\n  ", clientLog.all()), watched);
    }

    @Test
    void etcdDownForThreeSecondsIsOneWarningAndOneRecoveryLinePerActivity() {
        String service = UniqueNames.service("oncall-outage");
        String prefix = service + "/";
        String endpoints = Pattern.quote("[" + fixture.etcd().endpoint() + "]");
        AppProcess server = fixture.apps().server("B").service(service).ttl(3).drainMs(0).start();
        String key = prefix + "127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, Duration.ofSeconds(10));
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "200").start();
        client.awaitLine(EchoOutput.REPLY, ItEnvironment.JVM_START);
        client.awaitErrLine(Pattern.compile("INFO watching " + Pattern.quote(prefix) + " in etcd: 1 endpoint"),
                Duration.ofSeconds(10));

        fixture.etcd().stop();
        long stopped = System.nanoTime();
        Poll.sleep(Duration.ofSeconds(3));
        fixture.etcd().start(); // returns once etcd says it is healthy
        long healthy = System.nanoTime();
        long downMs = Duration.ofNanos(healthy - stopped).toMillis();

        Pattern registrationBack = Pattern.compile("INFO registering in etcd " + endpoints + " works again$");
        server.awaitErrLine(registrationBack, Duration.ofSeconds(15));
        long registrationBackMs = Duration.ofNanos(System.nanoTime() - healthy).toMillis();
        Pattern watchBack = Pattern.compile("INFO watching " + Pattern.quote(prefix) + " in etcd " + endpoints
                + " works again$");
        // nothing changes in etcd now: the watch is working again all the same, and should say so
        boolean watchSaidSoUnprompted = true;
        long watchBackMs;
        try {
            Poll.until(() -> client.errLines().stream().anyMatch(line -> watchBack.matcher(line).find()),
                    Duration.ofSeconds(5), "the client's recovery line");
            watchBackMs = Duration.ofNanos(System.nanoTime() - healthy).toMillis();
        } catch (AssertionError notYet) {
            watchSaidSoUnprompted = false;
            watchBackMs = -1;
            // a change that alters no endpoint: the same value under the same lease, so the rest can be checked
            EtcdEntry now = fixture.etcdctl().awaitEntry(key, Duration.ofSeconds(5));
            fixture.etcdctl().run("put", key, now.value(), "--lease=" + now.leaseHex());
            client.awaitErrLine(watchBack, Duration.ofSeconds(5));
        }
        int repliesBefore = EchoOutput.replies(client).size();
        EchoOutput.awaitReplies(client, repliesBefore + 5, Duration.ofSeconds(10));
        Poll.sleep(Duration.ofMillis(1500)); // room for any line that should not come

        AgentLogLines serverLog = AgentLogLines.of(server.errLines());
        AgentLogLines clientLog = AgentLogLines.of(client.errLines());
        serverLog.assertWellFormed("server B");
        clientLog.assertWellFormed("the client");
        AgentLogLines.assertNoStackTraceAndNoBrokenLine("server B", server.errLines());
        AgentLogLines.assertNoStackTraceAndNoBrokenLine("the client", client.errLines());
        assertThat(serverLog.atLevel("WARN"))
                .as("WARN lines of server B over %d ms without etcd; its log: %s", downMs, serverLog.all())
                .hasSize(1).allMatch(line -> line.matches(".* WARN registering in etcd " + endpoints
                        + " failed: .*; retrying until it works$"));
        assertThat(serverLog.matching("INFO", Pattern.compile("works again"))).as("recovery lines of server B")
                .hasSize(1);
        assertThat(clientLog.atLevel("WARN"))
                .as("WARN lines of the client over %d ms without etcd; its log: %s", downMs, clientLog.all())
                .hasSize(1).allMatch(line -> line.matches(".* WARN watching " + Pattern.quote(prefix) + " in etcd "
                        + endpoints
                        + " failed: .*; channels keep the last 1 endpoint\\(s\\); retrying until it works$"));
        assertThat(clientLog.matching("INFO", Pattern.compile("works again"))).as("recovery lines of the client")
                .hasSize(1);
        assertThat(serverLog.atLevel("ERROR")).as("ERROR lines of server B").isEmpty();
        assertThat(clientLog.atLevel("ERROR")).as("ERROR lines of the client").isEmpty();
        assertThat(EchoOutput.errors(client)).as("failed calls of the client").isEmpty();
        System.out.printf("OnCallLogsTest: etcd down %d ms (stop to healthy); registration said 'works again' %d ms "
                + "after, the watch %s%nserver log:%n  %s%nclient log:%n  %s%n", downMs, registrationBackMs,
                watchSaidSoUnprompted ? watchBackMs + " ms after" : "only after a change in etcd",
                String.join("\n  ", serverLog.all()), String.join("\n  ", clientLog.all()));

        assertThat(registrationBackMs).as("ms from etcd healthy again to the registration's recovery line")
                .isLessThanOrEqualTo(5000);
        // ServiceWatch logs its recovery only from onEvents(), not when sync() has the get and the watch back
        assertThat(watchSaidSoUnprompted).as("the client logged '... works again' for its watch of %s within 5 s"
                + " of etcd being back, with no change in etcd (its watch was open again by then); its log: %s",
                prefix, clientLog.all()).isTrue();
    }

    @Test
    void logLevelWarnKeepsOnlyWarningsAndErrorsAndOffSilencesEverything() {
        String service = UniqueNames.service("oncall-level");
        AppProcess warn = fixture.apps().server("W").service(service).ttl(3).setting("log-level", "warn")
                .setting("drain-ms", "bogus").start();
        AppProcess off = fixture.apps().server("O").service(service).ttl(3).setting("log-level", "off")
                .setting("drain-ms", "bogus").start();
        String keyW = service + "/127.0.0.1:" + EchoOutput.awaitReady(warn);
        String keyO = service + "/127.0.0.1:" + EchoOutput.awaitReady(off);
        fixture.etcdctl().awaitEntry(keyW, Duration.ofSeconds(10));
        fixture.etcdctl().awaitEntry(keyO, Duration.ofSeconds(10));
        // a key deleted behind the agent's back is put back with a WARN: the agents are at work, whatever they say
        fixture.etcdctl().delete(keyW);
        fixture.etcdctl().delete(keyO);
        fixture.etcdctl().awaitEntry(keyW, Duration.ofSeconds(10));
        fixture.etcdctl().awaitEntry(keyO, Duration.ofSeconds(10));
        warn.awaitErrLine(Pattern.compile("WARN " + Pattern.quote(keyW) + " was deleted from etcd"),
                Duration.ofSeconds(5));
        warn.send("stop");
        off.send("stop");
        warn.awaitLine(STOPPED, Duration.ofSeconds(30));
        off.awaitLine(STOPPED, Duration.ofSeconds(30));
        warn.awaitExit(Duration.ofSeconds(30));
        off.awaitExit(Duration.ofSeconds(30));
        assertThat(fixture.etcdctl().entries(service + "/")).as("keys left under %s/", service).isEmpty();

        AgentLogLines warnLog = AgentLogLines.of(warn.errLines());
        warnLog.assertWellFormed("server W");
        assertThat(warnLog.atLevel("INFO")).as("INFO lines at log-level=warn").isEmpty();
        assertThat(warnLog.atLevel("DEBUG")).as("DEBUG lines at log-level=warn").isEmpty();
        assertThat(warnLog.matching("ERROR", Pattern.compile("^grpc\\.etcd\\.drain-ms \\(system property "
                + "grpc\\.etcd\\.drain-ms\\) has a bad value 'bogus'"))).as("the bad drain-ms at log-level=warn")
                .hasSize(1);
        assertThat(warnLog.matching("WARN", Pattern.compile("^" + Pattern.quote(keyW)
                + " was deleted from etcd while its server runs; putting it back$")))
                .as("the put-back warning at log-level=warn").hasSize(1);
        assertThat(warnLog.all()).as("agent lines at log-level=warn").hasSize(2);
        AgentLogLines.assertNoStackTraceAndNoBrokenLine("server W", warn.errLines());
        assertThat(off.errLines()).as("stderr of server O at log-level=off (a bad drain-ms, a key put back, "
                + "a registration and a deregistration)").noneMatch(line -> line.contains("grpc-etcd-agent"));
        assertThat(off.errLines()).as("stderr of server O at log-level=off").isEmpty();
        System.out.printf("OnCallLogsTest: log-level=warn printed:%n  %s%nlog-level=off printed %d line(s)%n",
                String.join("\n  ", warnLog.all()), off.errLines().size());
    }

    @Test
    void noAgentLineHoldsAControlCharacterWhateverTheSettingsOrEtcdHold() {
        String service = UniqueNames.service("oncall-ctrl");
        String prefix = service + "/";
        AppProcess server = fixture.apps().server("X").service(service)
                .setting("ttl", "5\n\u0007\u001b[31mred")
                .setting("metadata.note", "line1\r\nline2\ttab\u001b[0m")
                .drainMs(0).start();
        String key = prefix + "127.0.0.1:" + EchoOutput.awaitReady(server);
        fixture.etcdctl().awaitEntry(key, Duration.ofSeconds(15));
        String garbageKey = prefix + "bad\u0001key\nnext";
        fixture.etcdctl().put(garbageKey, "no\u0007endpoint\u001b[0m");
        AppProcess client = fixture.apps().client("client", "etcd:///" + service, "200").start();
        client.awaitLine(EchoOutput.REPLY, ItEnvironment.JVM_START);
        client.awaitErrLine(Pattern.compile("WARN skipping etcd key "), Duration.ofSeconds(10));
        server.awaitErrLine(Pattern.compile("INFO registered "), Duration.ofSeconds(10));

        for (AppProcess app : List.of(server, client)) {
            List<String> stderr = app.errLines();
            assertThat(stderr).as("stderr of %s: every line is one whole agent line", app.name())
                    .allMatch(line -> AgentLogLines.LINE.matcher(line).matches());
            AgentLogLines.of(stderr).assertWellFormed(app.name());
        }
        AgentLogLines serverLog = AgentLogLines.of(server.errLines());
        AgentLogLines clientLog = AgentLogLines.of(client.errLines());
        assertThat(serverLog.matching("ERROR", Pattern.compile("^grpc\\.etcd\\.ttl .* has a bad value '5"
                + Pattern.quote("\\u000a\\u0007\\u001b[31mred") + "'")))
                .as("the ERROR line for the bad ttl, control characters escaped; server log: %s", serverLog.all())
                .hasSize(1);
        assertThat(serverLog.matching("INFO", ACTIVE)).as("the active: line with the metadata, escaped")
                .hasSize(1).allMatch(line -> line.contains(
                        "note=line1\\u000d\\u000aline2\\u0009tab\\u001b[0m"));
        assertThat(clientLog.matching("WARN", Pattern.compile("^skipping etcd key " + Pattern.quote(
                prefix + "bad\\u0001key\\u000anext") + ": ")))
                .as("the client's warning about the garbage key, escaped; client log: %s", clientLog.all()).hasSize(1);
        System.out.printf("OnCallLogsTest: escaped lines:%n  %s%n  %s%n", AgentLogLines.escape(String.join("\n  ",
                serverLog.all())), String.join("\n  ", clientLog.all()));
        fixture.etcdctl().delete(garbageKey);
    }

    @Test
    void theAppKeepsItsOwnJavaUtilLoggingManagerWithTheAgentOn() {
        String service = UniqueNames.service("oncall-jul");
        AppProcess byProperty = fixture.apps().app("jul-property", JUL_APP).args("etcd:///" + service)
                .service(service).drainMs(0).property("java.util.logging.manager", LOG_MANAGER).start();
        AppProcess inMain = fixture.apps().app("jul-in-main", JUL_APP).args("etcd:///" + service, "set-in-main")
                .service(service).drainMs(0).start();
        for (AppProcess app : List.of(byProperty, inMain)) {
            app.awaitLine(Pattern.compile("^JUL-DONE$"), ItEnvironment.JVM_START);
            assertThat(app.lines()).as("output of %s", app.name())
                    .contains("REPLY jul", "AGENT-MBEAN true", "LOGMANAGER " + LOG_MANAGER)
                    .anyMatch(line -> line.startsWith("ONCALL-LOGMANAGER-CREATED"));
            AgentLogLines log = AgentLogLines.of(app.errLines());
            assertThat(log.matching("INFO", ACTIVE)).as("the agent's active: line in %s", app.name()).hasSize(1);
            assertThat(log.matching("INFO", Pattern.compile("^registered " + Pattern.quote(service + "/"))))
                    .as("the agent's registered line in %s", app.name()).hasSize(1);
            assertThat(app.awaitExit(Duration.ofSeconds(30))).as("exit code of %s", app.name()).isZero();
        }
        System.out.printf("OnCallLogsTest: -D%s: %s; set in main(): %s%n", "java.util.logging.manager",
                byProperty.lines(), inMain.lines());
    }
}
