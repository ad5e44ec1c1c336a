package org.grpcetcd.bench;

/** One line of the table. */
final class Row {
    final String name;
    final String without;
    final String with;
    final String comparison;
    final String target;
    final Boolean met;
    String reason;
    String error;

    Row(String name, String without, String with, String comparison, String target, Boolean met) {
        this.name = name;
        this.without = without;
        this.with = with;
        this.comparison = comparison;
        this.target = target;
        this.met = met;
    }

    static Row error(String name, RuntimeException e) {
        Row row = new Row(name, "—", "—", "—", "—", null);
        row.error = String.valueOf(e.getMessage()).replace("\n", " ");
        return row;
    }
}
