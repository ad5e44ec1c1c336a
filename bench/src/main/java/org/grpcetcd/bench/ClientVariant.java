package org.grpcetcd.bench;

import java.util.List;

/** A client JVM of the first-call and per-call sections: with or without the agent, on which target. */
final class ClientVariant {
    final String name;
    final boolean agent;
    final String target;
    final List<String> props;

    ClientVariant(String name, boolean agent, String target, List<String> props) {
        this.name = name;
        this.agent = agent;
        this.target = target;
        this.props = props;
    }
}
