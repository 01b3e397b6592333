package io.msixpool.domain;

/** How the device's Arm complex rebooted; both restore the even default distribution. */
public enum ResetKind { FE_RESET, COLD_BOOT }
