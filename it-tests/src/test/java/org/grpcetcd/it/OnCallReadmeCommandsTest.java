package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.Apps;
import org.grpcetcd.it.support.EchoOutput;
import org.grpcetcd.it.support.EtcdCtl;
import org.grpcetcd.it.support.EtcdServer;
import org.grpcetcd.it.support.ItEnvironment;
import org.grpcetcd.it.support.TestLogs;
import org.grpcetcd.it.support.UniqueNames;
import org.grpcetcd.it.support.oncall.AgentCli;
import org.grpcetcd.it.support.oncall.ReadmeCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Keeps README's CLI commands honest: every {@code java -jar grpc-etcd-agent.jar ...} line in its code blocks is
 * run, with the real jar, against a real etcd holding a real registration, and must succeed ({@code watch}: start
 * and show its first lines, then it is killed).
 */
class OnCallReadmeCommandsTest {
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
    void everyCliCommandInTheReadmeWorks() {
        Path readme = ReadmeCommands.readme();
        List<String> lines = ReadmeCommands.cliLines(readme);
        assertThat(lines).as("'java -jar grpc-etcd-agent.jar ...' lines in the code blocks of %s", readme)
                .isNotEmpty();

        String service = UniqueNames.service("oncall-readme");
        AppProcess server = apps.server("A").service(service).start();
        String key = service + "/127.0.0.1:" + EchoOutput.awaitReady(server);
        new EtcdCtl(etcd).awaitEntry(key, Duration.ofSeconds(10));

        AgentCli cli = new AgentCli(apps);
        List<String> report = new ArrayList<>();
        // attach's PID: a server started without the agent, one per README line that attaches
        Supplier<String> unattached = () -> {
            AppProcess app = apps.server("R").withoutAgent().endpoints(null).start();
            EchoOutput.awaitReady(app);
            return String.valueOf(app.pid());
        };
        for (String line : lines) {
            for (List<String> args : ReadmeCommands.runsOf(line, etcd.endpoint(), service, unattached)) {
                String what = "README line '" + line + "' run as grpc-etcd-agent.jar " + String.join(" ", args);
                if (!args.isEmpty() && args.get(0).equals("watch")) {
                    report.add(runWatch(cli, args, what, service));
                } else {
                    AgentCli.Result result = cli.run(args.toArray(new String[0]));
                    assertThat(result.exit).as("exit code of %s: %s", what, result).isZero();
                    assertThat(result.out).as("stdout of %s: %s", what, result).isNotEmpty();
                    if (args.get(0).equals("list")) {
                        assertThat(String.join("\n", result.out)).as("stdout of %s", what).contains(key.substring(
                                service.length() + 1));
                    }
                    report.add(String.join(" ", args) + " -> exit 0, " + result.out.size() + " line(s), "
                            + result.took.toMillis() + " ms");
                }
            }
        }
        System.out.printf("OnCallReadmeCommandsTest: %d README line(s):%n  %s%n", lines.size(),
                String.join("\n  ", report));
    }

    private static String runWatch(AgentCli cli, List<String> args, String what, String service) {
        try (AppProcess watch = cli.spec(Map.of(), args).start()) {
            String first = watch.awaitLine(Pattern.compile("."), ItEnvironment.JVM_START);
            watch.awaitLine(Pattern.compile(" watching " + Pattern.quote(service + "/") + " from revision \\d+$"),
                    Duration.ofSeconds(10));
            assertThat(watch.isAlive()).as("%s still running after its first lines", what).isTrue();
            watch.terminate(Duration.ofSeconds(30));
            AgentCli.assertNoStackTrace(what, watch.lines());
            AgentCli.assertNoStackTrace(what, watch.errLines());
            assertThat(watch.errLines()).as("stderr of %s", what).isEmpty();
            return String.join(" ", args) + " -> first line '" + first + "', killed";
        }
    }
}
