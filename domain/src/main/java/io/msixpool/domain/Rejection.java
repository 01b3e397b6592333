package io.msixpool.domain;

import org.axonframework.commandhandling.CommandExecutionException;

/**
 * A command refused by a rule. It extends CommandExecutionException with the code as its details,
 * so the code survives any Axon command bus, local or distributed, where a plain exception's type
 * would not. Rejections are expected outcomes, so no stack trace is filled in.
 */
public final class Rejection extends CommandExecutionException {
    private final RejectionCode code;
    private final boolean deviceIsNew;

    public Rejection(RejectionCode code, String message) {
        this(code, message, false);
    }

    private Rejection(RejectionCode code, String message, boolean deviceIsNew) {
        super(message, null, code, false);
        this.code = code;
        this.deviceIsNew = deviceIsNew;
    }

    public RejectionCode code() {
        return code;
    }

    /**
     * True when the command was refused on a device that does not exist (yet). The engine must then
     * roll its unit of work back, or Axon would save the empty aggregate it created for the command.
     */
    public boolean deviceIsNew() {
        return deviceIsNew;
    }

    /** The same rejection, marked as refused on a device that does not exist. */
    public Rejection onNewDevice() {
        return new Rejection(code, getMessage(), true);
    }

    /** The code of any throwable that carries one in its details, as Axon hands it back to callers. */
    public static java.util.Optional<RejectionCode> codeOf(Throwable failure) {
        if (failure instanceof CommandExecutionException e) {
            return e.getDetails().filter(RejectionCode.class::isInstance).map(RejectionCode.class::cast);
        }
        return java.util.Optional.empty();
    }
}
