package org.grpcetcd.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * One connection to a running JVM, whose failures each become one line for the person at the terminal
 * ({@link AttachFailure}). The agent is loaded with byte-buddy-agent's {@code ByteBuddyAgent.attach}; the target's
 * system properties, which the command reads before loading anything (its Java version, whether the agent is
 * already in) and after (the agent's report), come through the JDK's attach API, which byte-buddy-agent itself
 * uses but does not expose. The only class that names {@code com.sun.tools.attach}, so the rest of the CLI loads
 * on a Java runtime without the {@code jdk.attach} module.
 */
final class AttachConnection implements AutoCloseable {
    private final long pid;
    private final VirtualMachine vm;

    private AttachConnection(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    static AttachConnection open(long pid) throws AttachFailure {
        try {
            return new AttachConnection(pid, VirtualMachine.attach(String.valueOf(pid)));
        } catch (AttachNotSupportedException e) {
            if (String.valueOf(e.getMessage()).contains("does not support the attach mechanism")) {
                throw new AttachFailure("JVM " + pid + " has its attach mechanism turned off"
                        + " (-XX:+DisableAttachMechanism): start it with -javaagent:grpc-etcd-agent.jar instead");
            }
            throw new AttachFailure("could not attach to pid " + pid + " (" + e.getMessage() + "): is it a running"
                    + " JVM of this user, with its attach mechanism on?");
        } catch (IOException e) {
            throw new AttachFailure("could not attach to pid " + pid + " (" + e.getMessage() + ")");
        }
    }

    /** The target JVM's system properties, as they are now. */
    Properties systemProperties() throws AttachFailure {
        try {
            return vm.getSystemProperties();
        } catch (IOException e) {
            throw new AttachFailure("lost JVM " + pid + " while reading its system properties (" + e.getMessage()
                    + "); did it exit?");
        }
    }

    /** Loads the agent jar into the target, which runs its agentmain with {@code arguments}. */
    void loadAgent(Path jar, String arguments) throws AttachFailure {
        try {
            ByteBuddyAgent.attach(jar.toFile(), String.valueOf(pid), arguments);
        } catch (IllegalStateException e) {
            // byte-buddy-agent wraps what the attach API threw
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof AgentLoadException || cause instanceof AgentInitializationException) {
                    throw new AttachFailure("JVM " + pid + " could not load " + jar + " (" + cause.getMessage()
                            + "); can the user it runs as read that file?");
                }
            }
            Throwable root = e.getCause() == null ? e : e.getCause();
            throw new AttachFailure("lost JVM " + pid + " while loading the agent (" + root.getMessage()
                    + "); its stderr may say more");
        }
    }

    @Override
    public void close() {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the target went away: nothing is left open on our side
        }
    }
}
