package io.msixpool.commands.bench;

import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.command.DeviceCommand;

/** One way of deciding commands that the benchmark measures; called from many client threads at once. */
interface Contender extends AutoCloseable {
    String name();

    /** Decides one command and returns only once its outcome is durable (committed). */
    Outcome decide(DeviceCommand command) throws Exception;

    @Override
    void close();
}
