package org.grpcetcd.it.apps;

import java.io.IOException;
import java.io.InputStream;

/**
 * An app that loads no gRPC class until told to: prints {@code WAITING}, and on the line {@code start} on stdin
 * runs {@link EchoServer} with the same arguments (which then reads the rest of stdin). Shows what an agent
 * attached before gRPC is in use does with a server that starts later.
 */
public final class LateEchoServer {
    private LateEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("WAITING");
        System.out.flush();
        for (String line = readLine(System.in); line != null; line = readLine(System.in)) {
            if (line.equals("start")) {
                EchoServer.main(args);
                return;
            }
        }
    }

    /**
     * One line, read byte by byte: a buffered reader could swallow lines meant for {@link EchoServer}'s own
     * reader. {@code null} at the end of stdin.
     */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
