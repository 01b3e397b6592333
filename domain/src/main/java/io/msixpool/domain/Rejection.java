package io.msixpool.domain;

import java.util.Optional;
import org.axonframework.commandhandling.CommandExecutionException;

/**
 * A rule's refusal as it crosses Axon: the {@link Device} aggregate throws it, and only the aggregate
 * makes one (the rules return {@link Decision.Refused}, a plain value). It extends
 * CommandExecutionException with the code as its details, so the code survives any Axon command bus,
 * local or distributed, where a plain exception's type would not. Rejections are expected outcomes,
 * so no stack trace is filled in.
 */
public final class Rejection extends CommandExecutionException {
    private final RejectionCode code;
    /** See {@link Device#ROLLBACK}: only the aggregate reads it. */
    final boolean undoesUnitOfWork;

    Rejection(Decision.Refused refused, boolean undoesUnitOfWork) {
        super(refused.message(), null, refused.code(), false);
        this.code = refused.code();
        this.undoesUnitOfWork = undoesUnitOfWork;
    }

    public RejectionCode code() {
        return code;
    }

    /** The code of any throwable that carries one in its details, as Axon hands it back to callers. */
    public static Optional<RejectionCode> codeOf(Throwable failure) {
        if (failure instanceof CommandExecutionException e) {
            return e.getDetails().filter(RejectionCode.class::isInstance).map(RejectionCode.class::cast);
        }
        return Optional.empty();
    }
}
