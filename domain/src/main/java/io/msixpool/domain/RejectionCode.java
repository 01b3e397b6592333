package io.msixpool.domain;

/** The rejection codes of docs/rules.md: a public contract that clients match on, never the message text. */
public enum RejectionCode {
    BAD_REQUEST,
    UNKNOWN_DEVICE,
    UNKNOWN_PF,
    UNKNOWN_VF,
    INVALID_PF_CONFIG,
    PF_ALREADY_PROVISIONED,
    TOO_MANY_PFS,
    PF_ALREADY_OPEN,
    PF_NOT_OPEN,
    DYNAMIC_MSIX_DISABLED,
    VF_CONTROLLERS_OPEN,
    SRIOV_ENABLED,
    NUMVFS_OUT_OF_RANGE,
    NUMVFS_BUSY,
    VF_ALREADY_OPEN,
    VF_ALREADY_LINKED,
    VF_NOT_OPEN,
    VF_HAS_NO_VECTORS,
    MSIX_OUT_OF_RANGE,
    INSUFFICIENT_FREE_MSIX,
    COMMAND_ID_REUSED;

    /**
     * The message of {@link #UNKNOWN_DEVICE}, one text wherever a device without a PF is met: the
     * rules refusing a command, and the pool and history of such a device.
     */
    public static String noPfProvisioned(String device) {
        return "no PF has been provisioned on device " + device;
    }
}
