package org.grpcetcd.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the sections share: the bench's options, the etcd it measures against, the rows and notes they add. */
final class BenchContext {
    private static final String APP_PACKAGE = "org.grpcetcd.bench.";

    final Path agentJar;
    final Path emptyAgentJar;
    final String etcdUrl;
    final int etcdPort;
    final String classpath;
    final Path logs;
    final boolean quick;
    final int runs;
    final int cheapRuns; // for the rows whose runs take a second: more of them, steadier medians
    final String javaBin;
    final Gateway etcd;
    final List<Row> rows = new ArrayList<>();
    final List<String> diagnostics = new ArrayList<>();
    private int launched;

    BenchContext(Map<String, String> options) {
        this.agentJar = Paths.get(required(options, "agent")).toAbsolutePath();
        this.emptyAgentJar = Paths.get(required(options, "empty-agent")).toAbsolutePath();
        this.etcdUrl = required(options, "etcd");
        this.etcdPort = Integer.parseInt(etcdUrl.substring(etcdUrl.lastIndexOf(':') + 1));
        this.classpath = required(options, "classpath");
        this.logs = Paths.get(required(options, "logs"));
        this.quick = options.containsKey("quick");
        this.runs = quick ? 3 : 5;
        this.cheapRuns = quick ? 3 : 21;
        this.javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        this.etcd = new Gateway(etcdUrl);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    synchronized Child launch(String label, List<String> command) {
        launched++;
        return Child.start(String.format(Locale.ROOT, "%03d-%s", launched, label), command, logs);
    }

    List<String> command(boolean agent, String service, List<String> props, String app, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        if (agent) {
            command.add("-javaagent:" + agentJar);
            command.add("-Dgrpc.etcd.endpoints=" + etcdUrl);
            if (service != null) {
                command.add("-Dgrpc.etcd.service=" + service);
            }
            command.add("-Dgrpc.etcd.drain-ms=0"); // stopping the bench's servers is not measured
        }
        command.addAll(props);
        command.add("-cp");
        command.add(classpath);
        command.add(APP_PACKAGE + app);
        command.addAll(Arrays.asList(args));
        return command;
    }
}
