package io.msixpool.commands.http;

/** Who sent a request: the token's name (recorded as the actor of every event it causes) and role. */
public record Caller(String name, Role role) {
}
