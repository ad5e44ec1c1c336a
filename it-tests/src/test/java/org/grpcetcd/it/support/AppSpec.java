package org.grpcetcd.it.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How to launch one app JVM: main class and arguments, the agent and its settings. */
public final class AppSpec {
    private final Apps apps;
    private final String processName;
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean withAgent = true;
    private String agentArguments;
    private String javaExecutable;
    private String classPath;
    private String executableJar;
    private String user;
    private String group;

    AppSpec(Apps apps, String processName, String mainClass) {
        this.apps = apps;
        this.processName = processName;
        this.mainClass = mainClass;
    }

    public AppSpec args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** A system property of the app's JVM. */
    public AppSpec property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /** Removes a system property set so far (a default, for instance). */
    public AppSpec withoutProperty(String name) {
        properties.remove(name);
        return this;
    }

    /** A {@code grpc.etcd.<name>} system property. */
    public AppSpec setting(String name, Object value) {
        return property("grpc.etcd." + name, String.valueOf(value));
    }

    public AppSpec endpoints(String endpoints) {
        return endpoints == null ? withoutProperty("grpc.etcd.endpoints") : setting("endpoints", endpoints);
    }

    public AppSpec service(String service) {
        return setting("service", service);
    }

    public AppSpec ttl(int seconds) {
        return setting("ttl", seconds);
    }

    public AppSpec drainMs(long millis) {
        return setting("drain-ms", millis);
    }

    /** An environment variable of the app (no GRPC_ETCD_* variable of this JVM is passed on). */
    public AppSpec env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** {@code -javaagent:<jar>=<arguments>}. */
    public AppSpec agentArguments(String arguments) {
        this.agentArguments = arguments;
        return this;
    }

    /** Runs on another JVM, such as {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}. */
    public AppSpec javaExecutable(String path) {
        this.javaExecutable = path;
        return this;
    }

    /** Runs with this class path instead of the tests' own (another gRPC version, say). */
    public AppSpec classPath(String path) {
        this.classPath = path;
        return this;
    }

    /** Runs {@code java -jar jar} (a Spring Boot or uber-jar) instead of the main class. */
    public AppSpec executableJar(String jar) {
        this.executableJar = jar;
        return this;
    }

    /** An extra JVM option, before the main class. */
    public AppSpec jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Runs the JVM as another user (the tests must run as root): {@code setpriv}, which keeps the pid. */
    public AppSpec asUser(String userName, String groupName) {
        this.user = userName;
        this.group = groupName;
        return this;
    }

    /** Runs the app as is, without the agent. */
    public AppSpec withoutAgent() {
        this.withAgent = false;
        return this;
    }

    public List<String> command() {
        List<String> command = new ArrayList<>();
        if (user != null) {
            command.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--clear-groups"));
        }
        command.add(javaExecutable != null ? javaExecutable : ItEnvironment.javaExecutable().toString());
        // lighter JVMs for a loaded 2-core machine; nothing here changes what the agent or gRPC do
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        if (withAgent) {
            command.add("-javaagent:" + ItEnvironment.agentJar() + (agentArguments == null ? "" : "=" + agentArguments));
        }
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(jvmOptions);
        if (executableJar != null) {
            command.add("-jar");
            command.add(executableJar);
        } else {
            command.add("-cp");
            command.add(classPath != null ? classPath : ItEnvironment.classPath());
            command.add(mainClass);
        }
        command.addAll(args);
        return command;
    }

    public AppProcess start() {
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.keySet().removeIf(name -> name.startsWith("GRPC_ETCD_") || name.startsWith("JAVA_TOOL_OPTIONS")
                || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        environment.putAll(env);
        TestLogs logs = apps.logs();
        return apps.register(AppProcess.start(processName, command(), environment,
                logs.file(processName + ".out"), logs.file(processName + ".err")));
    }
}
