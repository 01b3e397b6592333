package io.msixpool.domain;

/** The PCIe function a PF emulates. */
public enum Emulation { NVME, VIRTIO_BLK }
