package io.msixpool.commands.http;

import java.util.Locale;

/** What a token may do (issue 4): operators send commands and read; auditors only read. */
public enum Role {
    OPERATOR,
    AUDITOR;

    boolean maySendCommands() {
        return this == OPERATOR;
    }

    /** The role as a tokens file and the command line write it: {@code operator}, {@code auditor}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A role as written in a tokens file or given to {@code msix token add --role}, in any case. */
    public static Role parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be \"operator\" or \"auditor\", not \"" + text + "\"");
        }
    }
}
