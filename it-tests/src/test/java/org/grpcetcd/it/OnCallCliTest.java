package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdAndApps;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdEntry;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.FreePorts;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.OutputLine;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.oncall.AgentCli;
import org.grpcetcd.it.support.oncall.FreezingProxy;
import org.grpcetcd.it.support.oncall.MiniJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent jar as the on-call CLI ({@code java -jar grpc-etcd-agent.jar list|watch|doctor|version}), run in its
 * own JVM against a real etcd that holds real registrations: two echo servers under the agent, B with the
 * metadata {@code zone=a}. Every run is also checked for stack traces (none may appear, whatever goes wrong).
 */
class OnCallCliTest {
    private static final int TTL = 10;
    private static final Duration WATCH_LATENCY = Duration.ofSeconds(2);
    private static final Pattern TTL_LEFT = Pattern.compile("^(\\d+)s$");

    /** A member that a test may stop and start again on the same ports, for watch across an outage. */
    @RegisterExtension
    static final EtcdAndApps<EtcdServer> fixture = EtcdAndApps.singleMember();

    private static EtcdServer etcd;
    private static EtcdCtl etcdctl;
    private static Apps servers;
    private static String service;
    private static String keyA;
    private static String keyB;

    private Apps apps;
    private AgentCli cli;

    @BeforeAll
    static void startTwoServers() {
        etcd = fixture.etcd();
        etcdctl = fixture.etcdctl();
        servers = new Apps(TestLogs.of(OnCallCliTest.class), etcd.endpoint());
        service = UniqueNames.service("oncall-cli");
        AppProcess a = servers.server("A").service(service).ttl(TTL).start();
        AppProcess b = servers.server("B").service(service).ttl(TTL).setting("metadata.zone", "a").start();
        keyA = service + "/127.0.0.1:" + EchoOutput.awaitReady(a);
        keyB = service + "/127.0.0.1:" + EchoOutput.awaitReady(b);
        etcdctl.awaitEntry(keyA, Duration.ofSeconds(10));
        etcdctl.awaitEntry(keyB, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopTheServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @BeforeEach
    void setUp() {
        apps = fixture.apps();
        cli = new AgentCli(apps);
    }

    @Test
    void withoutACommandOrWithAnUnknownOneItPrintsItsUsageAndExits2() {
        AgentCli.Result none = cli.run();
        assertThat(none.exit).as("exit code of %s", none).isEqualTo(2);
        assertThat(none.err).as("stderr of %s", none)
                .anyMatch(line -> line.startsWith("usage: java -jar grpc-etcd-agent.jar"))
                .anyMatch(line -> line.contains("list [SERVICE] [--json]"))
                .anyMatch(line -> line.trim().startsWith("watch SERVICE"))
                .anyMatch(line -> line.trim().startsWith("doctor"))
                .anyMatch(line -> line.trim().startsWith("version"));
        assertThat(none.out).as("stdout of %s", none).isEmpty();

        AgentCli.Result unknown = cli.run("frobnicate", "--endpoints", etcd.endpoint());
        assertThat(unknown.exit).as("exit code of %s", unknown).isEqualTo(2);
        assertThat(unknown.err).as("stderr of %s", unknown).contains("unknown command 'frobnicate'")
                .anyMatch(line -> line.startsWith("usage: java -jar grpc-etcd-agent.jar"));
        assertThat(unknown.out).as("stdout of %s", unknown).isEmpty();
        System.out.printf("OnCallCliTest: no command -> exit %d in %d ms; unknown command -> exit %d, '%s'%n",
                none.exit, none.took.toMillis(), unknown.exit, unknown.err.get(0));
    }

    @Test
    void versionPrintsTheVersionOfTheJar() {
        AgentCli.Result version = cli.run("version");
        assertThat(version.exit).as("exit code of %s", version).isZero();
        assertThat(version.out).as("stdout of %s", version).containsExactly("grpc-etcd-agent " + AgentCli.jarVersion());
        assertThat(AgentCli.jarVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        System.out.printf("OnCallCliTest: version -> %s%n", version.out);
    }

    @Test
    void listShowsBothInstancesWithTheirLeaseTimeLeftAndMetadata() {
        Map<String, EtcdEntry> inEtcd = etcdctl.entries(service + "/");
        AgentCli.Result list = cli.run("list", "--endpoints", etcd.endpoint());
        assertThat(list.exit).as("exit code of %s", list).isZero();
        assertThat(list.out).as("stdout of %s", list).isNotEmpty();
        assertThat(list.out.get(0).trim().split("\\s+")).as("header of %s", list)
                .containsExactly("SERVICE", "ADDRESS", "LEASE", "TTL-LEFT", "METADATA");

        Map<String, String[]> rows = new TreeMap<>();
        for (String line : list.out.subList(1, list.out.size())) {
            String[] columns = line.trim().split("\\s+");
            if (columns[0].equals(service)) {
                assertThat(columns).as("columns of the row '%s' of %s", line, list).hasSize(5);
                rows.put(columns[0] + "/" + columns[1], columns);
            }
        }
        assertThat(rows.keySet()).as("rows of %s for %s, against etcdctl's keys", list, service)
                .containsExactlyElementsOf(inEtcd.keySet()).contains(keyA, keyB);
        for (EtcdEntry entry : inEtcd.values()) {
            String[] row = rows.get(entry.key());
            assertThat(row[2]).as("LEASE of %s in %s", entry.key(), list).isEqualTo(entry.leaseHex());
            Matcher left = TTL_LEFT.matcher(row[3]);
            assertThat(left.matches()).as("TTL-LEFT '%s' of %s in %s", row[3], entry.key(), list).isTrue();
            assertThat(Long.parseLong(left.group(1))).as("TTL-LEFT of %s (ttl %ds) in %s", entry.key(), TTL, list)
                    .isPositive().isLessThanOrEqualTo(TTL);
        }
        assertThat(rows.get(keyA)[4]).as("METADATA of A (none) in %s", list).isEqualTo("-");
        assertThat(rows.get(keyB)[4]).as("METADATA of B (zone=a) in %s", list).isEqualTo("{zone=a}");
        System.out.printf("OnCallCliTest: list in %d ms:%n  %s%n", list.took.toMillis(), String.join("\n  ", list.out));
    }

    @Test
    void listJsonOfTheServiceIsWhatEtcdctlHolds() {
        AgentCli.Result list = cli.run("list", service, "--json", "--endpoints", etcd.endpoint());
        Map<String, EtcdEntry> inEtcd = etcdctl.entries(service + "/");
        assertThat(list.exit).as("exit code of %s", list).isZero();
        assertThat(list.out).as("stdout of %s", list).hasSize(1);
        Object parsed = MiniJson.parse(list.out.get(0));
        assertThat(parsed).as("the JSON of %s", list).isInstanceOf(List.class);

        Map<String, Map<?, ?>> byKey = new TreeMap<>();
        for (Object element : (List<?>) parsed) {
            assertThat(element).as("an element of the JSON of %s", list).isInstanceOf(Map.class);
            Map<?, ?> instance = (Map<?, ?>) element;
            assertThat(new ArrayList<Object>(instance.keySet())).as("fields of %s", instance)
                    .containsExactlyInAnyOrder((Object[]) new String[] {
                        "service", "key", "address", "lease", "ttlLeft", "metadata"});
            byKey.put((String) instance.get("key"), instance);
        }
        assertThat(byKey.keySet()).as("keys in the JSON of %s, against etcdctl", list)
                .containsExactlyElementsOf(inEtcd.keySet()).contains(keyA, keyB);
        for (EtcdEntry entry : inEtcd.values()) {
            Map<?, ?> instance = byKey.get(entry.key());
            assertThat(instance.get("service")).as("service of %s", instance).isEqualTo(service);
            assertThat(instance.get("address")).as("address of %s", instance).isEqualTo(entry.hostPort());
            assertThat(entry.value()).as("etcd's value of %s", entry.key())
                    .contains("\"Addr\":\"" + instance.get("address") + "\"");
            assertThat(instance.get("lease")).as("lease of %s", instance).isEqualTo(entry.leaseHex());
            assertThat(instance.get("ttlLeft")).as("ttlLeft of %s", instance).isInstanceOf(Long.class);
            assertThat((Long) instance.get("ttlLeft")).as("ttlLeft of %s (ttl %ds)", instance, TTL)
                    .isPositive().isLessThanOrEqualTo(TTL);
        }
        assertThat(byKey.get(keyA).get("metadata")).as("metadata of A").isEqualTo(Map.of());
        assertThat(byKey.get(keyB).get("metadata")).as("metadata of B").isEqualTo(Map.of("zone", "a"));
        assertThat(etcdctl.get(keyB).orElseThrow().value()).contains("\"Metadata\":{\"zone\":\"a\"}");
        System.out.printf("OnCallCliTest: list --json in %d ms: %s%n", list.took.toMillis(), list.out.get(0));
    }

    @Test
    void watchShowsANewServerArrivingAndAStoppedOneLeavingWithinTwoSeconds() {
        AppProcess watch = cli.spec(Map.of(), List.of("watch", service, "--endpoints", etcd.endpoint())).start();
        Pattern watching = Pattern.compile("^\\S+ watching " + Pattern.quote(service + "/") + " from revision (\\d+)$");
        OutputLine started = watch.awaitOutputLine(watching, ItEnvironment.JVM_START);
        List<String> current = new ArrayList<>();
        for (String line : watch.lines()) {
            if (line.equals(started.text())) {
                break;
            }
            current.add(line);
        }
        List<String> expectedCurrent = new ArrayList<>();
        for (EtcdEntry entry : etcdctl.entries(service + "/").values()) {
            expectedCurrent.add(" = " + entry.key() + " " + entry.value());
        }
        assertThat(current).as("the '=' lines watch printed before '%s'", started.text())
                .hasSameSizeAs(expectedCurrent);
        for (int i = 0; i < current.size(); i++) {
            assertThat(current.get(i)).as("line %d of watch", i).endsWith(expectedCurrent.get(i));
        }

        AppProcess c = apps.server("C").service(service).ttl(TTL).drainMs(0).start();
        String keyC = service + "/127.0.0.1:" + EchoOutput.awaitReady(c);
        EtcdEntry entryC = etcdctl.awaitEntry(keyC, Duration.ofSeconds(10));
        long seenInEtcd = System.nanoTime();
        OutputLine added = watch.awaitOutputLine(Pattern.compile("^\\S+ \\+ " + Pattern.quote(keyC) + " "),
                WATCH_LATENCY);
        assertThat(added.text()).as("watch's line for the new server C").endsWith(" + " + keyC + " " + entryC.value());
        long addedAfterMs = Duration.ofNanos(added.seenAtNanos() - seenInEtcd).toMillis();

        c.send("stop");
        etcdctl.awaitGone(keyC, Duration.ofSeconds(10));
        long goneFromEtcd = System.nanoTime();
        OutputLine removed = watch.awaitOutputLine(Pattern.compile("^\\S+ - " + Pattern.quote(keyC) + "$"),
                WATCH_LATENCY);
        long removedAfterMs = Duration.ofNanos(removed.seenAtNanos() - goneFromEtcd).toMillis();
        assertThat(watch.isAlive()).as("watch still running after the changes").isTrue();

        watch.terminate(Duration.ofSeconds(30));
        AgentCli.assertNoStackTrace("watch", watch.lines());
        AgentCli.assertNoStackTrace("watch", watch.errLines());
        System.out.printf("OnCallCliTest: watch saw C arrive %d ms after etcdctl did, leave %d ms after etcdctl saw"
                + " it gone:%n  %s%n", addedAfterMs, removedAfterMs, String.join("\n  ", watch.lines()));
    }

    @Test
    void doctorPassesAgainstAHealthyEtcd() {
        AgentCli.Result doctor = cli.run("doctor", "--endpoints", etcd.endpoint(), "--service", service);
        assertThat(doctor.exit).as("exit code of %s", doctor).isZero();
        assertThat(doctor.out).as("stdout of %s", doctor)
                .noneMatch(line -> line.startsWith("PROBLEM"))
                .anyMatch(line -> line.startsWith("OK") && line.contains("etcd " + etcd.endpoint() + " answers"))
                .anyMatch(line -> line.startsWith("OK") && line.contains("may read " + service + "/ (2 key(s)"))
                .contains("all checks passed");
        System.out.printf("OnCallCliTest: doctor (healthy) in %d ms:%n  %s%n", doctor.took.toMillis(),
                String.join("\n  ", doctor.out));
    }

    @Test
    void doctorNamesADeadEndpointListedFirstAndSaysWhatToDo() {
        String dead = "http://127.0.0.1:" + FreePorts.next();
        AgentCli.Result doctor = cli.run("doctor", "--endpoints", dead + "," + etcd.endpoint(), "--service", service);
        assertThat(doctor.exit).as("exit code of %s", doctor).isEqualTo(1);
        int problem = -1;
        for (int i = 0; i < doctor.out.size(); i++) {
            if (doctor.out.get(i).startsWith("PROBLEM") && doctor.out.get(i).contains(dead)) {
                problem = i;
            }
        }
        assertThat(problem).as("a PROBLEM line naming %s in %s", dead, doctor).isNotNegative();
        assertThat(doctor.out.get(problem)).as("the PROBLEM line").contains("etcd " + dead + " does not answer");
        assertThat(problem + 1).as("a line after the PROBLEM line in %s", doctor).isLessThan(doctor.out.size());
        assertThat(doctor.out.get(problem + 1)).as("the line after the PROBLEM line in %s", doctor)
                .matches("^\\s+what to do: \\S.*");
        assertThat(doctor.out).as("stdout of %s", doctor)
                .anyMatch(line -> line.startsWith("OK") && line.contains("etcd " + etcd.endpoint() + " answers"))
                .filteredOn(line -> line.startsWith("PROBLEM")).hasSize(1);
        assertThat(doctor.out).as("stdout of %s", doctor).contains("1 problem(s) found");
        System.out.printf("OnCallCliTest: doctor with a dead first endpoint -> exit %d in %d ms:%n  %s%n",
                doctor.exit, doctor.took.toMillis(), String.join("\n  ", doctor.out));
    }

    @Test
    void endpointsAndServiceComeFromGrpcEtcdEnvironmentVariables() {
        Map<String, String> env = AgentCli.env("GRPC_ETCD_ENDPOINTS", etcd.endpoint(), "GRPC_ETCD_SERVICE", service);
        AgentCli.Result list = cli.run(env, "list", service, "--json");
        assertThat(list.exit).as("exit code of %s", list).isZero();
        assertThat(list.out).as("stdout of %s", list).hasSize(1);
        assertThat(list.out.get(0)).as("stdout of %s", list)
                .contains("\"key\":\"" + keyA + "\"", "\"key\":\"" + keyB + "\"");

        AgentCli.Result doctor = cli.run(env, "doctor");
        assertThat(doctor.exit).as("exit code of %s", doctor).isZero();
        assertThat(doctor.out).as("stdout of %s", doctor)
                .anyMatch(line -> line.startsWith("OK      settings: endpoints=[" + etcd.endpoint() + "] service="
                        + service + " "))
                .anyMatch(line -> line.startsWith("OK") && line.contains("may read " + service + "/"));
        System.out.printf("OnCallCliTest: with GRPC_ETCD_ENDPOINTS/GRPC_ETCD_SERVICE: list -> %s; doctor -> %s%n",
                list.out.get(0), doctor.out.get(0));
    }

    @Test
    void anUnreachableEtcdIsOneLineNamingItNotAStackTrace() {
        String dead = "http://127.0.0.1:" + FreePorts.next();
        AgentCli.Result list = cli.run("list", "--endpoints", dead);
        assertThat(list.exit).as("exit code of %s", list).isEqualTo(1);
        assertThat(list.err).as("stderr of %s", list).hasSize(1);
        assertThat(list.err.get(0)).as("stderr of %s", list).startsWith("etcd: ").contains(dead);

        AgentCli.Result watch = cli.run("watch", service, "--endpoints", dead);
        assertThat(watch.exit).as("exit code of %s", watch).isEqualTo(1);
        assertThat(watch.err).as("stderr of %s", watch).hasSize(1);
        assertThat(watch.err.get(0)).as("stderr of %s", watch).startsWith("etcd: ").contains(dead);

        AgentCli.Result doctor = cli.run("doctor", "--endpoints", dead);
        assertThat(doctor.exit).as("exit code of %s", doctor).isEqualTo(1);
        assertThat(doctor.out).as("stdout of %s", doctor)
                .anyMatch(line -> line.startsWith("PROBLEM etcd " + dead + " does not answer"));
        System.out.printf("OnCallCliTest: against %s: list -> '%s'; doctor -> exit %d%n", dead, list.err.get(0),
                doctor.exit);
    }

    @Test
    void aBadSettingIsRefusedWithExit2AndOneLineNamingItNeverAnotherEtcd() {
        Map<String, String> goodEnv = AgentCli.env("GRPC_ETCD_ENDPOINTS", etcd.endpoint());
        AgentCli.Result list = cli.run(goodEnv, "list", "--endpoints", "not-a-url");
        assertThat(list.exit).as("exit code of %s", list).isEqualTo(2);
        assertThat(list.out).as("stdout of %s", list).isEmpty();
        assertThat(list.err).as("stderr of %s", list).singleElement().asString()
                .contains("grpc.etcd.endpoints (option --endpoints)", "'not-a-url'", "accepted: etcd endpoints");

        AgentCli.Result watch = cli.run(goodEnv, "watch", service, "--endpoints", "ftp://127.0.0.1:2379");
        assertThat(watch.exit).as("exit code of %s", watch).isEqualTo(2);
        assertThat(watch.out).as("stdout of %s", watch).isEmpty();
        assertThat(watch.err).as("stderr of %s", watch).singleElement().asString()
                .contains("grpc.etcd.endpoints (option --endpoints)", "'ftp://127.0.0.1:2379'", "not http or https",
                        "accepted: ");

        AgentCli.Result doctor = cli.run(AgentCli.env("GRPC_ETCD_ENDPOINTS", etcd.endpoint(), "GRPC_ETCD_TTL", "abc"),
                "doctor");
        assertThat(doctor.exit).as("exit code of %s", doctor).isEqualTo(2);
        assertThat(doctor.out).as("stdout of %s", doctor).isEmpty();
        assertThat(doctor.err).as("stderr of %s", doctor).singleElement().asString()
                .contains("grpc.etcd.ttl (environment variable GRPC_ETCD_TTL)", "'abc'", "2 to 3600")
                .doesNotContain("default");

        List<String> args = List.of("list", "--endpoints", etcd.endpoint());
        AgentCli.Result property = cli.run(cli.spec(Map.of(), args).setting("key-format", "grpc-etcd"),
                args.toArray(new String[0]));
        assertThat(property.exit).as("exit code of %s", property).isEqualTo(2);
        assertThat(property.err).as("stderr of %s", property).singleElement().asString()
                .contains("grpc.etcd.key-format (system property grpc.etcd.key-format)", "'grpc-etcd'", "grpcEtcd");

        AgentCli.Result port = cli.run("doctor", "--endpoints", "http://127.0.0.1:99999");
        assertThat(port.exit).as("exit code of %s", port).isEqualTo(2);
        assertThat(port.err).as("stderr of %s", port).singleElement().asString().contains("port out of range");
        System.out.printf("OnCallCliTest: bad settings refused:%n  %s%n  %s%n  %s%n  %s%n  %s%n", list.err.get(0),
                watch.err.get(0), doctor.err.get(0), property.err.get(0), port.err.get(0));
    }

    @Test
    void keyFormatGrpcEtcdIsHonouredByListWatchAndDoctor() {
        String classic = UniqueNames.service("oncall-classic");
        AppProcess server = apps.server("G").service(classic).ttl(TTL).drainMs(0).setting("key-format", "grpcEtcd")
                .start();
        String address = "127.0.0.1:" + EchoOutput.awaitReady(server);
        String key = "/grpcEtcd/" + classic + "/" + address;
        EtcdEntry entry = etcdctl.awaitEntry(key, Duration.ofSeconds(10));
        assertThat(entry.value()).as("the value of %s", key).isEqualTo(address);

        AgentCli.Result one = cli.run("list", classic, "--json", "--key-format", "grpcEtcd", "--endpoints",
                etcd.endpoint());
        assertThat(one.exit).as("exit code of %s", one).isZero();
        assertThat(one.out).as("stdout of %s", one).containsExactly("[{\"service\":\"" + classic + "\",\"key\":\""
                + key + "\",\"address\":\"" + address + "\",\"lease\":\"" + entry.leaseHex()
                + "\",\"ttlLeft\":" + ttlLeftIn(one.out.get(0)) + ",\"metadata\":{}}]");
        AgentCli.Result all = cli.run("list", "--key-format", "grpcEtcd", "--endpoints", etcd.endpoint());
        assertThat(all.exit).as("exit code of %s", all).isZero();
        assertThat(all.out).as("stdout of %s", all)
                .anyMatch(line -> line.startsWith(classic + " ") && line.contains(" " + address + " "))
                .noneMatch(line -> line.startsWith(service + " "));

        AgentCli.Result doctor = cli.run("doctor", "--key-format", "grpcEtcd", "--service", classic, "--endpoints",
                etcd.endpoint());
        assertThat(doctor.exit).as("exit code of %s", doctor).isZero();
        assertThat(doctor.out).as("stdout of %s", doctor)
                .contains("OK      may read /grpcEtcd/" + classic + "/ (1 key(s) there now)")
                .contains("OK      may write /grpcEtcd/" + classic + "/ (checked by a transaction that writes nothing)");

        AppProcess watch = cli.spec(Map.of(), List.of("watch", classic, "--key-format", "grpcEtcd", "--endpoints",
                etcd.endpoint())).start();
        watch.awaitOutputLine(Pattern.compile("^\\S+ watching " + Pattern.quote("/grpcEtcd/" + classic + "/")
                + " from revision \\d+$"), ItEnvironment.JVM_START);
        assertThat(watch.lines()).as("watch's first lines").first().asString()
                .endsWith(" = " + key + " " + address);
        server.send("stop");
        watch.awaitOutputLine(Pattern.compile("^\\S+ - " + Pattern.quote(key) + "$"), Duration.ofSeconds(10));
        watch.terminate(Duration.ofSeconds(30));
        System.out.printf("OnCallCliTest: --key-format grpcEtcd: list %s -> %s; doctor -> %s; watch -> %s%n", classic,
                one.out.get(0), doctor.out.subList(2, 4), watch.lines());
    }

    private static String ttlLeftIn(String json) {
        Matcher ttl = Pattern.compile("\"ttlLeft\":(\\d+)").matcher(json);
        assertThat(ttl.find()).as("a ttlLeft in %s", json).isTrue();
        assertThat(Long.parseLong(ttl.group(1))).as("ttlLeft in %s", json).isPositive().isLessThanOrEqualTo(TTL);
        return ttl.group(1);
    }

    @Test
    void helpAndVersionInEveryUsualSpellingAndExtraArgumentsRefused() {
        for (String[] help : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"},
                new String[] {"list", "--help"})) {
            AgentCli.Result result = cli.run(help);
            assertThat(result.exit).as("exit code of %s", result).isZero();
            assertThat(result.err).as("stderr of %s", result).isEmpty();
            assertThat(result.out).as("stdout of %s", result)
                    .anyMatch(line -> line.startsWith("usage: java -jar grpc-etcd-agent.jar"))
                    .anyMatch(line -> line.trim().startsWith("help, --help, -h"))
                    .contains("exit codes: 0 ok, 1 a problem found or etcd failed, 2 a wrong command line or setting");
        }
        AgentCli.Result version = cli.run("--version");
        assertThat(version.exit).as("exit code of %s", version).isZero();
        assertThat(version.out).as("stdout of %s", version).containsExactly("grpc-etcd-agent " + AgentCli.jarVersion());

        Map<List<String>, String> refused = Map.of(
                List.of("list", service, "extra"), "list takes at most one SERVICE; extra: extra",
                List.of("watch", service, "other"), "watch takes one SERVICE; extra: other",
                List.of("doctor", service), "doctor takes no argument; extra: " + service,
                List.of("watch", service, "--json"), "--json is an option of list only");
        for (Map.Entry<List<String>, String> wrong : refused.entrySet()) {
            List<String> args = new ArrayList<>(wrong.getKey());
            args.addAll(List.of("--endpoints", etcd.endpoint()));
            AgentCli.Result result = cli.run(args.toArray(new String[0]));
            assertThat(result.exit).as("exit code of %s", result).isEqualTo(2);
            assertThat(result.out).as("stdout of %s", result).isEmpty();
            assertThat(result.err).as("stderr of %s", result).first().isEqualTo(wrong.getValue());
            assertThat(result.err).as("stderr of %s", result)
                    .anyMatch(line -> line.startsWith("usage: java -jar grpc-etcd-agent.jar"));
        }
        System.out.printf("OnCallCliTest: --help, -h, help, list --help -> exit 0 with the usage; --version -> %s;"
                + " refused with exit 2: %s%n", version.out, refused.values());
    }

    @Test
    void listWithoutAServiceReadsEtcdInPagesAndMissesNoKeyAtTheirEdges() {
        String many = UniqueNames.service("oncall-pages");
        int count = 250; // two and a half pages of 100
        IntStream.range(0, count).parallel().forEach(i -> etcdctl.put(many + "/127.0.0.1:" + (20000 + i),
                "{\"Op\":0,\"Addr\":\"127.0.0.1:" + (20000 + i) + "\",\"Metadata\":null}"));
        double rangesBefore = etcd.metric("etcd_mvcc_range_total");
        AgentCli.Result list = cli.run("list", "--json", "--endpoints", etcd.endpoint());
        double ranges = etcd.metric("etcd_mvcc_range_total") - rangesBefore;
        etcdctl.run("del", "--prefix", many + "/");

        assertThat(list.exit).as("exit code of %s", list).isZero();
        List<String> keys = new ArrayList<>();
        for (Object instance : (List<?>) MiniJson.parse(list.out.get(0))) {
            String key = (String) ((Map<?, ?>) instance).get("key");
            if (key.startsWith(many + "/")) {
                keys.add(key);
            }
        }
        assertThat(keys).as("keys of %s in list --json", many).hasSize(count).doesNotHaveDuplicates();
        assertThat(keys).as("keys of %s in list --json", many).contains(many + "/127.0.0.1:20000",
                many + "/127.0.0.1:" + (20000 + count - 1));
        assertThat(ranges).as("range requests etcd served for one list of %d+ keys", count).isGreaterThanOrEqualTo(3);
        System.out.printf("OnCallCliTest: list without SERVICE over %d+ keys: %d of ours, %.0f range request(s), %d ms%n",
                count, keys.size(), ranges, list.took.toMillis());
    }

    @Test
    void watchSaysWhenEtcdGoesAwayAndWhenItIsBackShowsWhatChangedMeanwhile() {
        String watched = UniqueNames.service("oncall-outage");
        String before = watched + "/127.0.0.1:1";
        String during = watched + "/127.0.0.1:2";
        etcdctl.put(before, "127.0.0.1:1");
        AppProcess watch = cli.spec(Map.of(), List.of("watch", watched, "--endpoints", etcd.endpoint())).start();
        watch.awaitOutputLine(Pattern.compile("^\\S+ watching " + Pattern.quote(watched + "/") + " from revision \\d+$"),
                ItEnvironment.JVM_START);
        try {
            etcd.stop();
            // a stopping etcd may first close connections unanswered; once it is gone, the port refuses them
            watch.awaitOutputLine(Pattern.compile("^\\S+ etcd unreachable: connection refused;"
                    + " retrying$"), Duration.ofSeconds(10));
            assertThat(watch.lines()).as("watch's lines when etcd went away")
                    .filteredOn(line -> line.contains(" etcd unreachable: "))
                    .allMatch(line -> line.endsWith(" etcd unreachable: connection refused; retrying")
                            || line.endsWith(" etcd unreachable: connection closed without an answer; retrying"));
            // down long enough for watch's retries to be 4-5 s apart, so that the changes below most likely come
            // before its next read (and show as its difference); the apps' leases (ttl 10 s) outlive this
            Poll.sleep(Duration.ofMillis(8500));
            assertThat(watch.isAlive()).as("watch running while etcd is down").isTrue();
        } finally {
            etcd.start();
        }
        // what changes as etcd comes back: shown from the fresh read, or by the watch if it resumed first
        etcdctl.put(during, "127.0.0.1:2");
        etcdctl.delete(before);
        OutputLine back = watch.awaitOutputLine(Pattern.compile("^\\S+ etcd answers again; .*"),
                Duration.ofSeconds(15));
        OutputLine added = watch.awaitOutputLine(Pattern.compile("^\\S+ \\+ " + Pattern.quote(during)
                + " 127\\.0\\.0\\.1:2$"), Duration.ofSeconds(10));
        OutputLine removed = watch.awaitOutputLine(Pattern.compile("^\\S+ - " + Pattern.quote(before) + "$"),
                Duration.ofSeconds(10));
        assertThat(List.of(back.seenAtNanos(), added.seenAtNanos(), removed.seenAtNanos()))
                .as("'answers again', then the changes, in %s", watch.lines()).isSorted();
        // watch prints its difference first and only then says it watches again: wait for that line, don't race it
        Poll.until(() -> watch.lines().stream().filter(line -> line.contains(" watching " + watched + "/")).count() >= 2,
                Duration.ofSeconds(10), Duration.ofMillis(50), () -> "watch watching again in " + watch.lines());
        assertThat(watch.lines()).as("watch's lines").filteredOn(line -> line.contains(" watching " + watched + "/"))
                .hasSize(2);
        assertThat(watch.isAlive()).as("watch still running after the outage").isTrue();
        watch.terminate(Duration.ofSeconds(30));
        AgentCli.assertNoStackTrace("watch", watch.lines());
        assertThat(watch.errLines()).as("stderr of watch").isEmpty();
        etcdctl.run("del", "--prefix", watched + "/");
        etcdctl.awaitEntry(keyA, Duration.ofSeconds(15));
        etcdctl.awaitEntry(keyB, Duration.ofSeconds(15));
        System.out.printf("OnCallCliTest: watch across an etcd outage (changes shown %s):%n  %s%n",
                back.text().endsWith("2 change(s) meanwhile:") ? "as the difference after the outage"
                        : "by the resumed watch", String.join("\n  ", watch.lines()));
    }

    @Test
    void doctorSaysInWordsWhatIsWrongCountsAsListDoesAndFlagsAValueThatIsNoEndpoint() throws IOException {
        Matcher peerUrl = Pattern.compile("(http://[^,\\s]+)").matcher(etcdctl.run("member", "list", "-w", "simple")
                .split(",")[3]);
        assertThat(peerUrl.find()).as("the peer URL in etcdctl member list").isTrue();
        String peer = peerUrl.group(1);
        HttpServer web = httpServer(404, "<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>");
        String other = UniqueNames.service("oncall-doctor");
        try {
            String webUrl = "http://127.0.0.1:" + web.getAddress().getPort();
            String dead = "http://127.0.0.1:" + FreePorts.next();
            etcdctl.put(other + "/127.0.0.1:1", "127.0.0.1:1");
            etcdctl.put(other + "/127.0.0.1:2", "{\"Op\":0,\"Addr\":\"127.0.0.1:2\",\"Metadata\":null}");
            etcdctl.put(other + "/notes", "not an endpoint");
            AgentCli.Result doctor = cli.run("doctor", "--endpoints", String.join(",", peer, webUrl, dead,
                    etcd.endpoint()), "--service", other);
            AgentCli.Result list = cli.run("list", other, "--endpoints", etcd.endpoint());

            assertThat(doctor.exit).as("exit code of %s", doctor).isEqualTo(1);
            assertThat(doctor.out).as("stdout of %s", doctor)
                    .contains("PROBLEM etcd " + peer + ": this does not look like an etcd client URL (it is a member's"
                            + " peer URL)")
                    .contains("PROBLEM etcd " + webUrl + ": this does not look like an etcd client URL (it answered"
                            + " HTTP/1, not etcd's gRPC API)")
                    .contains("PROBLEM etcd " + dead + " does not answer: connection refused")
                    .contains("PROBLEM " + other + "/notes holds no endpoint ('not an endpoint' is not host:port)")
                    .contains("OK      may read " + other + "/ (3 key(s) there now; list shows the 2 that hold an"
                            + " endpoint)")
                    .contains("4 problem(s) found")
                    .noneMatch(line -> line.contains("<") || line.contains("roles") || line.contains("Exception"));
            assertThat(list.out).as("stdout of %s", list).filteredOn(line -> line.startsWith(other + " ")).hasSize(2);
            System.out.printf("OnCallCliTest: doctor against the peer port, a web server, a dead port and etcd:%n  %s%n",
                    String.join("\n  ", doctor.out));
        } finally {
            web.stop(0);
            etcdctl.run("del", "--prefix", other + "/");
        }
    }

    @Test
    void anAnswerTheCliDoesNotExpectIsOneLineNotAStackTrace() throws IOException {
        HttpServer odd = httpServer(200, "{\"header\":{\"revision\":\"not a number\"}}");
        try {
            String url = "http://127.0.0.1:" + odd.getAddress().getPort();
            AgentCli.Result list = cli.run("list", "--endpoints", url);
            assertThat(list.exit).as("exit code of %s", list).isEqualTo(1);
            assertThat(list.out).as("stdout of %s", list).isEmpty();
            // etcd's client speaks gRPC (HTTP/2): a server that answers in HTTP/1 is said to be no etcd
            assertThat(list.err).as("stderr of %s", list).singleElement().asString()
                    .startsWith("etcd: this does not look like an etcd client URL").endsWith("(endpoints " + url + ")")
                    .doesNotContain("Exception").doesNotContain("revision");
            System.out.printf("OnCallCliTest: list against a server with an odd answer -> '%s'%n", list.err.get(0));
        } finally {
            odd.stop(0);
        }
    }

    @Test
    void watchSaysWhenEtcdStopsAnsweringOnAConnectionThatStaysOpen() {
        String watched = UniqueNames.service("oncall-silent");
        String key = watched + "/127.0.0.1:3";
        URI direct = URI.create(etcd.endpoint());
        try (FreezingProxy proxy = FreezingProxy.to(direct.getHost(), direct.getPort())) {
            AppProcess watch = cli.spec(Map.of(), List.of("watch", watched, "--endpoints", proxy.endpoint())).start();
            watch.awaitOutputLine(Pattern.compile("^\\S+ watching " + Pattern.quote(watched + "/")
                    + " from revision \\d+$"), ItEnvironment.JVM_START);
            proxy.freeze();
            etcdctl.put(key, "127.0.0.1:3"); // straight to etcd: the watch cannot hear of it while frozen
            OutputLine silent = watch.awaitOutputLine(Pattern.compile("^\\S+ etcd unreachable: .*; retrying$"),
                    Duration.ofSeconds(30));
            assertThat(silent.text()).as("watch's line while etcd is silent")
                    .endsWith(" etcd unreachable: no answer in time; retrying");
            assertThat(watch.lines()).as("watch's lines while etcd is silent").noneMatch(line -> line.contains(key));
            proxy.thaw();
            watch.awaitOutputLine(Pattern.compile("^\\S+ etcd answers again; 1 change\\(s\\) meanwhile:$"),
                    Duration.ofSeconds(20));
            watch.awaitOutputLine(Pattern.compile("^\\S+ \\+ " + Pattern.quote(key) + " 127\\.0\\.0\\.1:3$"),
                    Duration.ofSeconds(5));
            assertThat(watch.isAlive()).as("watch still running").isTrue();
            watch.terminate(Duration.ofSeconds(30));
            AgentCli.assertNoStackTrace("watch", watch.lines());
            assertThat(watch.errLines()).as("stderr of watch").isEmpty();
            System.out.printf("OnCallCliTest: watch through a proxy that went silent:%n  %s%n",
                    String.join("\n  ", watch.lines()));
        } finally {
            etcdctl.delete(key);
        }
    }

    /** A loopback HTTP server, not etcd, that answers every request with {@code status} and {@code body}. */
    private static HttpServer httpServer(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }
}
