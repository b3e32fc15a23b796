/*
 * ADIv5 MEM-AP (AHB-AP or APB-AP): CSW, TAR, DRW, BD0..3, CFG, BASE, IDR.
 * Semantics (ADIv5.2 C2.6):
 *  - CSW: Size[2:0] (0 byte, 1 half, 2 word; others reserved -> guest error,
 *    treated as word), AddrInc[5:4] (00 off, 01 single, 10 packed), DeviceEn[6]
 *    read-only 1, TrInProg[7] read-only 0, and the implementation-defined
 *    bits [31:8] kept under `csw_rw_mask` (OpenOCD sets HPROT/SPROT bits there,
 *    e.g. `apcsw 0x08000000`); bits outside the mask read as in `csw_reset`.
 *  - TAR auto-increment after each DRW access by the access size (single) and
 *    only within the block containing TAR (wraps inside it): 1 KiB, the
 *    minimum the architecture guarantees, unless `tar_inc_block` says more.
 *    OpenOCD splits transfers at 1 KiB, or at 4 KiB on a Cortex-M3/M4 target
 *    (its cortex_m.c flags those cores with a 4 KiB auto-increment range,
 *    citing ADIv5 MEM-AP), so the AHB-AP in front of a Cortex-M4 must
 *    increment across 4 KiB.
 *  - Packed transfers: with AddrInc = packed and Size byte/half, one DRW
 *    access performs 4 (byte) or 2 (half) bus accesses; OpenOCD probes for
 *    this in mem_ap_init by writing CSW and reading it back.
 *  - BD0..BD3 access TAR[31:4] + 4*n with no increment.
 *  - A bus fault leaves TAR as if the access happened and returns
 *    SIM_BUS_FAULT to the DP.
 */
#ifndef STM32SIM_MEM_AP_H
#define STM32SIM_MEM_AP_H

#include "ap.h"

typedef struct sim_mem_ap_config {
	uint32_t idr;         /* e.g. 0x84770001 AHB-AP, 0x54770002 APB-AP */
	uint32_t base;        /* BASE register: debug ROM table | 0x3 (present, ADIv5 format) */
	uint32_t cfg;         /* CFG register, 0 for little-endian 32-bit */
	uint32_t csw_rw_mask; /* writable CSW bits above bit 7 */
	uint32_t csw_reset;   /* CSW value at debug reset */
	bool packed_supported;
	uint32_t tar_inc_block; /* auto-increment wrap size, a power of two; 0 means 1 KiB */
} sim_mem_ap_config;

typedef struct sim_mem_ap {
	sim_ap ap;            /* must be first: the DP sees a sim_ap */
	sim_mem_ap_config cfg;
	sim_bus bus;          /* what the AP masters */
	uint32_t csw;
	uint32_t tar;
	unsigned long words_transferred; /* DRW/BDx accesses that reached the bus */
} sim_mem_ap;

void sim_mem_ap_init(sim_mem_ap *m, const sim_mem_ap_config *cfg, sim_bus bus);
/* Debug-domain reset (power-on or DP power-down): CSW and TAR to reset values. */
void sim_mem_ap_reset(sim_mem_ap *m);

#endif
