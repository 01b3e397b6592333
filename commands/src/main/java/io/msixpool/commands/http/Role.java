package io.msixpool.commands.http;

/** What a token may do (issue 4): operators send commands and read; auditors only read. */
public enum Role {
    OPERATOR,
    AUDITOR;

    boolean maySendCommands() {
        return this == OPERATOR;
    }
}
