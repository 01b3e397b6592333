package io.msixpool.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.ResetKind;
import io.msixpool.domain.event.ArmRebooted;
import io.msixpool.domain.event.DefaultDistributionApplied;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.NumVfsChanged;
import io.msixpool.domain.event.PfClosed;
import io.msixpool.domain.event.PfOpened;
import io.msixpool.domain.event.PfProvisioned;
import io.msixpool.domain.event.ReclaimedVf;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.event.VectorsReclaimed;
import io.msixpool.domain.event.VectorsReleased;
import io.msixpool.domain.event.VfClosed;
import io.msixpool.domain.event.VfOpened;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The top-level fields of one line as {@link DirectLineReader} reads them: which fields each event
 * type has, their values as they are read, and the event record they make. Null or false for
 * anything that is not plainly a field of the type, so that the line goes to Jackson's binding.
 */
final class DirectEventFields {
    // The top-level fields an event line may have, numbered for the arrays and the bit set below.
    private static final int TYPE = 0, DEVICE = 1, PF = 2, EMULATION = 3, KIND = 4;  // strings
    private static final int VF = 5, MSIX = 6, VF_COUNT = 7, MSIX_TOTAL = 8, VF_MIN = 9, VF_MAX = 10,
            PER_VF = 11, FROM = 12, TO = 13, TOTAL = 14;  // ints
    private static final int DYNAMIC = 15, RECLAIMED = 16, ENVELOPE = 17;

    /** Which fields were seen, one bit per field number. */
    private long seen;
    private final String[] texts = new String[KIND + 1];
    private final int[] ints = new int[TOTAL + 1];
    private boolean dynamicMsix;
    private List<ReclaimedVf> reclaimed;
    private Envelope envelope;

    private static int fieldOf(String name) {
        return switch (name) {
            case "type" -> TYPE;
            case "device" -> DEVICE;
            case "pf" -> PF;
            case "emulation" -> EMULATION;
            case "kind" -> KIND;
            case "vf" -> VF;
            case "msix" -> MSIX;
            case "vfCount" -> VF_COUNT;
            case "msixTotal" -> MSIX_TOTAL;
            case "vfMinMsix" -> VF_MIN;
            case "vfMaxMsix" -> VF_MAX;
            case "msixPerVf" -> PER_VF;
            case "from" -> FROM;
            case "to" -> TO;
            case "total" -> TOTAL;
            case "dynamicMsix" -> DYNAMIC;
            case "reclaimed" -> RECLAIMED;
            case EventLogFormat.ENVELOPE -> ENVELOPE;
            default -> -1;
        };
    }

    /** The fields each type has; a line must have exactly these, each once. */
    private static long expected(String type) {
        long common = bits(TYPE, DEVICE, ENVELOPE);
        return switch (type) {
            case "PfProvisioned" -> common | bits(PF, EMULATION, VF_COUNT, MSIX_TOTAL, VF_MIN, VF_MAX);
            case "DefaultDistributionApplied" -> common | bits(PF, PER_VF);
            case "PfOpened" -> common | bits(PF, DYNAMIC);
            case "PfClosed" -> common | bits(PF);
            case "NumVfsChanged" -> common | bits(PF, FROM, TO);
            case "VectorsReclaimed" -> common | bits(PF, RECLAIMED, TOTAL);
            case "VectorsAssigned", "VectorsReleased" -> common | bits(PF, VF, MSIX);
            case "VfOpened", "VfClosed" -> common | bits(PF, VF);
            case "ArmRebooted" -> common | bits(KIND);
            default -> -1;
        };
    }

    /**
     * Reads the value of the top-level field {@code name}, the parser standing at its name; false
     * when the line is not one this path reads.
     */
    boolean read(String name, JsonParser parser) throws IOException {
        int field = fieldOf(name);
        JsonToken value = parser.nextToken();
        if (field < 0 || (seen & (1L << field)) != 0) {
            return false;
        }
        seen |= 1L << field;
        if (field <= KIND) {
            texts[field] = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            return texts[field] != null;
        }
        if (field <= TOTAL) {
            if (!isInt(value, parser)) {
                return false;
            }
            ints[field] = parser.getIntValue();
            return true;
        }
        return switch (field) {
            case DYNAMIC -> {
                dynamicMsix = value == JsonToken.VALUE_TRUE;
                yield value.isBoolean();
            }
            case RECLAIMED -> (reclaimed = reclaimed(value, parser)) != null;
            default -> (envelope = DirectEnvelopeReader.read(value, parser)) != null;
        };
    }

    /**
     * The event and its envelope once every field was read; null unless the line had exactly the
     * fields of its type and is in its type's current revision.
     */
    LoggedEvent loggedEvent() {
        String type = texts[TYPE];
        if (type == null || seen != expected(type) || envelope.revision() == null
                || !envelope.revision().equals(Upcasters.currentRevision(type))) {
            return null;
        }
        return new LoggedEvent(event(type), envelope);
    }

    private DeviceEvent event(String type) {
        String device = texts[DEVICE];
        String pf = texts[PF];
        int[] i = ints;
        return switch (type) {
            case "PfProvisioned" -> new PfProvisioned(device, pf, Emulation.valueOf(texts[EMULATION]), i[VF_COUNT],
                    i[MSIX_TOTAL], i[VF_MIN], i[VF_MAX]);
            case "DefaultDistributionApplied" -> new DefaultDistributionApplied(device, pf, i[PER_VF]);
            case "PfOpened" -> new PfOpened(device, pf, dynamicMsix);
            case "PfClosed" -> new PfClosed(device, pf);
            case "NumVfsChanged" -> new NumVfsChanged(device, pf, i[FROM], i[TO]);
            case "VectorsReclaimed" -> new VectorsReclaimed(device, pf, reclaimed, i[TOTAL]);
            case "VectorsAssigned" -> new VectorsAssigned(device, pf, i[VF], i[MSIX]);
            case "VectorsReleased" -> new VectorsReleased(device, pf, i[VF], i[MSIX]);
            case "VfOpened" -> new VfOpened(device, pf, i[VF]);
            case "VfClosed" -> new VfClosed(device, pf, i[VF]);
            case "ArmRebooted" -> new ArmRebooted(device, ResetKind.valueOf(texts[KIND]));
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static List<ReclaimedVf> reclaimed(JsonToken value, JsonParser parser) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            return null;
        }
        List<ReclaimedVf> reclaimed = new ArrayList<>();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            int vf = -1;
            int msix = -1;
            boolean sawVf = false;
            boolean sawMsix = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!isInt(parser.nextToken(), parser)) {
                    return null;
                }
                if (name.equals("vf") && !sawVf) {
                    vf = parser.getIntValue();
                    sawVf = true;
                } else if (name.equals("msix") && !sawMsix) {
                    msix = parser.getIntValue();
                    sawMsix = true;
                } else {
                    return null;
                }
            }
            if (!sawVf || !sawMsix) {
                return null;
            }
            reclaimed.add(new ReclaimedVf(vf, msix));
        }
        return parser.currentToken() == JsonToken.END_ARRAY ? reclaimed : null;
    }

    private static boolean isInt(JsonToken value, JsonParser parser) throws IOException {
        return value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT;
    }

    private static long bits(int... bits) {
        long mask = 0;
        for (int bit : bits) {
            mask |= 1L << bit;
        }
        return mask;
    }
}
