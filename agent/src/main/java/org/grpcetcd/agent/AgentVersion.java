package org.grpcetcd.agent;

/** The agent's version, from its jar manifest. */
public final class AgentVersion {
    private AgentVersion() {
    }

    public static String current() {
        String version = AgentVersion.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
