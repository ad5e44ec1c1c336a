package org.grpcetcd.bench;

import java.nio.file.Path;
import java.util.List;

/** One section of the benchmark: measures, then adds its rows and diagnostics to the shared context. */
abstract class Section {
    protected final Path agentJar;
    protected final Path emptyAgentJar;
    protected final String etcdUrl;
    protected final int etcdPort;
    protected final String classpath;
    protected final boolean quick;
    protected final int runs;
    protected final int cheapRuns;
    protected final String javaBin;
    protected final Gateway etcd;
    protected final List<Row> rows;
    protected final List<String> diagnostics;
    private final BenchContext context;

    Section(BenchContext context) {
        this.context = context;
        this.agentJar = context.agentJar;
        this.emptyAgentJar = context.emptyAgentJar;
        this.etcdUrl = context.etcdUrl;
        this.etcdPort = context.etcdPort;
        this.classpath = context.classpath;
        this.quick = context.quick;
        this.runs = context.runs;
        this.cheapRuns = context.cheapRuns;
        this.javaBin = context.javaBin;
        this.etcd = context.etcd;
        this.rows = context.rows;
        this.diagnostics = context.diagnostics;
    }

    abstract void measure();

    protected Child launch(String label, List<String> command) {
        return context.launch(label, command);
    }

    protected List<String> command(boolean agent, String service, List<String> props, String app, String... args) {
        return context.command(agent, service, props, app, args);
    }
}
