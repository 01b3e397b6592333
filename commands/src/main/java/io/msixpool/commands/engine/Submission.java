package io.msixpool.commands.engine;

import io.msixpool.domain.command.DeviceCommand;

/** A command and who sends it (the actor recorded in its events' envelopes). */
record Submission(DeviceCommand command, String actor) {
}
