package io.msixpool.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;

/**
 * One schema change of one event type: the JSON of an event of {@code type} (docs/wire.md's name) stored
 * in revision {@code from} becomes its JSON in revision {@code to}. {@code change} gets a copy it
 * may edit in place and returns the result.
 */
public record Upcast(String type, String from, String to, UnaryOperator<ObjectNode> change) {
}
