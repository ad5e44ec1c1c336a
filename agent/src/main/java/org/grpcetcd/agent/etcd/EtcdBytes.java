package org.grpcetcd.agent.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** etcd's JSON gateway carries keys and values as base64 of their bytes. */
final class EtcdBytes {
    private EtcdBytes() {
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(Object base64) {
        if (base64 == null) {
            return "";
        }
        return new String(Base64.getDecoder().decode(base64.toString()), StandardCharsets.UTF_8);
    }

    /** The end of the key range that holds exactly the keys starting with {@code prefix}, as base64. */
    static String prefixRangeEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                byte[] trimmed = new byte[i + 1];
                System.arraycopy(end, 0, trimmed, 0, i + 1);
                return Base64.getEncoder().encodeToString(trimmed);
            }
        }
        return Base64.getEncoder().encodeToString(new byte[] {0}); // all 0xff: to the end of the key space
    }
}
