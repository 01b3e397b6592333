package io.msixpool.commands.http;

import io.msixpool.commands.wire.BadRequest;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.Shape;
import io.msixpool.projections.fleet.FleetFilter;
import io.msixpool.projections.fleet.PfKey;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The query parameters of the fleet's reads (docs/http.md "Fleet"), checked before anything is read:
 * a bad one is a 400 naming it, and a parameter these reads do not know is refused rather than ignored.
 */
record FleetQuery(FleetFilter filter, PfKey after, int limit, int msix) {
    static final int DEFAULT_POOLS = 100;
    static final int MAX_POOLS = 1_000;
    static final int DEFAULT_PLACEMENTS = 10;
    /** More than any fleet's PFs (one placement per PF): an answer with this limit leaves out none. */
    static final int MAX_PLACEMENTS = 1_000_000;
    /** docs/rules.md: no VF holds more vectors than PCI allows a function. */
    static final int MAX_VF_MSIX = 2048;
    private static final int MAX_MSIX_TOTAL = 16_777_215;

    /** {@code GET /v1/pools} and {@code /v1/pools/watch}: emulation, minFree, open; with paging, limit and after. */
    static FleetQuery pools(QueryStringDecoder uri, boolean paged) throws BadRequest {
        known(uri, paged ? Set.of("emulation", "minFree", "open", "limit", "after") : Set.of("emulation", "minFree", "open"));
        Integer minFree = uri.parameters().containsKey("minFree")
                ? (int) BusRoutes.parameter(uri, "minFree", 0, MAX_MSIX_TOTAL, 0) : null;
        FleetFilter filter = new FleetFilter(emulation(uri), minFree, open(uri));
        if (!paged) {
            return new FleetQuery(filter, null, 0, 0);
        }
        int limit = (int) BusRoutes.parameter(uri, "limit", 1, MAX_POOLS, DEFAULT_POOLS);
        return new FleetQuery(filter, after(uri), limit, 0);
    }

    /** {@code GET /v1/placements}: msix (required), emulation, limit. */
    static FleetQuery placements(QueryStringDecoder uri) throws BadRequest {
        known(uri, Set.of("emulation", "msix", "limit"));
        if (!uri.parameters().containsKey("msix")) {
            throw new BadRequest("msix is required: the vectors the VF is to get, from 1 to " + MAX_VF_MSIX);
        }
        int msix = (int) BusRoutes.parameter(uri, "msix", 1, MAX_VF_MSIX, 0);
        int limit = (int) BusRoutes.parameter(uri, "limit", 1, MAX_PLACEMENTS, DEFAULT_PLACEMENTS);
        return new FleetQuery(new FleetFilter(emulation(uri), null, null), null, limit, msix);
    }

    private static void known(QueryStringDecoder uri, Set<String> names) throws BadRequest {
        for (String name : uri.parameters().keySet()) {
            if (!names.contains(name)) {
                throw new BadRequest(name + " is not a parameter of " + uri.path() + " (it takes "
                        + String.join(", ", names.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String single(QueryStringDecoder uri, String name, String expected) throws BadRequest {
        List<String> values = uri.parameters().get(name);
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw new BadRequest(name + " must be given once: " + expected);
        }
        return values.get(0);
    }

    private static Emulation emulation(QueryStringDecoder uri) throws BadRequest {
        String expected = "one of " + Arrays.toString(Emulation.values());
        String value = single(uri, "emulation", expected);
        if (value == null) {
            return null;
        }
        for (Emulation emulation : Emulation.values()) {
            if (emulation.name().equals(value)) {
                return emulation;
            }
        }
        throw new BadRequest("emulation must be " + expected + ", not \"" + value + "\"");
    }

    private static Boolean open(QueryStringDecoder uri) throws BadRequest {
        String value = single(uri, "open", "true or false");
        if (value == null) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new BadRequest("open must be true or false, not \"" + value + "\"");
        }
        return Boolean.valueOf(value);
    }

    private static PfKey after(QueryStringDecoder uri) throws BadRequest {
        String value = single(uri, "after", "DEVICE/PF");
        if (value == null) {
            return null;
        }
        PfKey key = PfKey.parse(value);
        String problem = key == null ? "after must be DEVICE/PF, the last pool of the page before, not \"" + value + "\""
                : Shape.whyNotId("device", key.device()) != null ? "after: " + Shape.whyNotId("device", key.device())
                : Shape.whyNotId("pf", key.pf()) != null ? "after: " + Shape.whyNotId("pf", key.pf())
                : null;
        if (problem != null) {
            throw new BadRequest(problem);
        }
        return key;
    }
}
