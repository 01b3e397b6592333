package io.msixpool.commands.engine;

import io.msixpool.commands.store.StoreFailure;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.Decision;
import io.msixpool.domain.Rejection;
import io.msixpool.domain.command.DeviceCommand;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Decides one command on the calling thread, through Axon's command bus. The bus (a
 * SimpleCommandBus) handles the command on the thread that dispatches it and answers before
 * dispatching returns: that is what keeps a group's commands in the group's transaction
 * ({@link GroupCommit}), which is open on that thread.
 */
final class Decider {
    /** Another writer (another node) appended first: decide again on the new state, this many times. */
    static final int CONFLICT_RETRIES = 20;

    private final CommandBus bus;

    Decider(CommandBus bus) {
        this.bus = bus;
    }

    /** Decides the command, again on the new state while another writer takes the device's next sequence first. */
    Outcome send(Submission submission) {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(submission);
            } catch (ConcurrencyException | AggregateStreamCreationException conflict) {
                if (attempt == CONFLICT_RETRIES) {
                    throw new StoreFailure("device " + submission.command().device() + " stayed contended after "
                            + CONFLICT_RETRIES + " attempts", conflict);
                }
            }
        }
    }

    /**
     * One attempt: the outcome, a rule's refusal included, or the failure thrown (a conflict with
     * another writer, a store error, a broken invariant), as the command's result carried it.
     */
    Outcome attempt(Submission submission) {
        AtomicReference<CommandResultMessage<?>> answer = new AtomicReference<>();
        bus.<DeviceCommand, Object>dispatch(
                new GenericCommandMessage<>(submission.command(), Map.of(Engine.ACTOR, submission.actor())),
                (command, result) -> answer.set(result));
        CommandResultMessage<?> result = answer.get();
        if (result == null) {
            throw new IllegalStateException("the command bus did not answer on the dispatching thread");
        }
        if (!result.isExceptional()) {
            return Outcome.of((Decision) result.getPayload());
        }
        Throwable failure = result.exceptionResult();
        if (failure instanceof Rejection rejection) {
            return new Outcome.Rejected(rejection.code(), rejection.getMessage());
        }
        if (failure instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("deciding " + submission.command() + " failed", failure);
    }
}
