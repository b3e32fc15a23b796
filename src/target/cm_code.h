/*
 * Code a halted Cortex-M core runs for us from its own RAM: loading it (every word read back),
 * its registers (each read back), running it with interrupts masked, and the two flash scans any
 * family can use (cm_blank.S, cm_readable.S): reading a MiB takes the core milliseconds and the
 * JTAG link a second.  The STM32H7 flash loader (src/flash/nor/stm32h7x_loader.c) builds on it.
 */
#ifndef STM32UNBRICK_CM_CODE_H
#define STM32UNBRICK_CM_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ocd_bridge.h"

/* Where the code goes: RAM the core executes from with no cache in front of it. */
typedef struct cm_work {
	ocd_bridge *b;
	ub_ap ap;                   /* the core's MEM-AP */
	uint32_t base;              /* code from here; control block / result at base + CM_WORK_CTL */
	unsigned timeout_scale_pct; /* 0 or 100: our bounds as they are */
} cm_work;

#define CM_WORK_CTL  0x80u  /* after the code */
#define CM_WORK_MAP  0x100u /* the readable scan's erased map, after the control block */
#define CM_CODE_MAX  128u   /* bytes of code at most */
#define CM_MAP_KIB_PER_WORD 32u   /* one bit per KiB (cm_readable.S) */
#define CM_MAP_MAX_WORDS    128u  /* room for 4 MiB of flash */
#define CM_VERIFY_MAX 64u   /* words cm_write_verified() takes at once */

typedef struct cm_core_reg {
	unsigned regsel;
	uint32_t value;
} cm_core_reg;

/* One of the scans: its bytes (cm_scan_code.h) and its name for messages. */
typedef struct cm_scan {
	const char *name;
	const uint8_t *code;
	size_t len;
	uint32_t align; /* END - START, and where the scan stops, are multiples of this */
	bool maps;      /* writes the erased map at CM_WORK_MAP */
} cm_scan;

extern const cm_scan cm_blank_scan, cm_readable_scan;

/* `ms` stretched by the work's timeout scale. */
unsigned cm_scaled_ms(const cm_work *w, uint64_t ms);
/* Write `n` words (at most CM_VERIFY_MAX) and read them back; UB_ERR_VERIFY names the first that differs. */
ub_err cm_write_verified(const cm_work *w, uint32_t addr, const uint32_t *words, size_t n, const char *what);
/* UB_OK if the core is halted (it can run our code); else UB_ERR_UNSUPPORTED and `why`. */
ub_err cm_core_usable(const cm_work *w, const char **why);
/* `code` at the work area's start, `regs`, SP, a Thumb xPSR and PC at the code (each read back), then
 * the core runs with interrupts masked. */
ub_err cm_run_code(const cm_work *w, const uint8_t *code, size_t len, const char *what, const cm_core_reg *regs,
		   size_t nregs, uint32_t sp);
/*
 * Runs scan `s` over [start, end) on the halted core, a HardFault caught by the debugger (DEMCR is
 * put back).  *result: what the scan stored; or, when `fault` is given and a read faulted, the place
 * the scan names in r0 with *fault set.  UB_ERR_UNSUPPORTED when the core cannot help (not halted,
 * stopped early, too slow): the caller then reads through the debugger.  The core is left halted.
 */
ub_err cm_scan_run(const cm_work *w, const cm_scan *s, uint32_t start, uint32_t end, uint32_t *result, bool *fault);
/*
 * The readable scan over [start, end) (32 KiB boundaries) and the erased map it leaves: bit 31 - k
 * of map[i] is 1 when KiB 32 * i + k of the range read all ones.  `words` = (end - start) / 32 KiB.
 * UB_ERR_UNSUPPORTED when the core cannot help or a read faulted: the caller then scans with
 * cm_readable_scan's fault handling and has no map.
 */
ub_err cm_erased_map(const cm_work *w, uint32_t start, uint32_t end, uint32_t *map, size_t words);

#endif
