package org.grpcetcd.agent.cli;

/** {@code attach} could not go on: the message is the line to print, after "attach: ". */
final class AttachFailure extends Exception {
    private static final long serialVersionUID = 1L;

    AttachFailure(String line) {
        super(line);
    }
}
