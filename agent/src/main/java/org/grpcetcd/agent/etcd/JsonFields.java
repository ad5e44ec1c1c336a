package org.grpcetcd.agent.etcd;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Typed reads of etcd's JSON answers, where int64 fields arrive as strings and zero values are left out. */
final class JsonFields {
    private JsonFields() {
    }

    static long longField(Map<String, Object> object, String name) {
        Object value = object == null ? null : object.get(name);
        if (value == null) {
            return 0;
        }
        if (value instanceof Number) {
            return ((Number) value).longValue();
        }
        return Long.parseLong(value.toString());
    }

    static boolean booleanField(Map<String, Object> object, String name) {
        return object != null && Boolean.TRUE.equals(object.get(name));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> objectField(Map<String, Object> object, String name) {
        Object value = object == null ? null : object.get(name);
        return value instanceof Map ? (Map<String, Object>) value : null;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objectList(Map<String, Object> object, String name) {
        Object value = object == null ? null : object.get(name);
        return value instanceof List ? (List<Map<String, Object>>) value : Collections.emptyList();
    }

    static long revision(Map<String, Object> answer) {
        return longField(objectField(answer, "header"), "revision");
    }
}
