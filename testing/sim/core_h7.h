/*
 * Execution model of the STM32H7's cores: the Cortex-M7 and, on dual-core
 * parts, the Cortex-M4 (one core_h7 each; which one runs the scenario's
 * script is the chip's decision, core_h7_env.may_run_script, chip_h7_cpu.c).
 *
 * What the core executes is chosen at every reset release from the vector
 * table at the boot address:
 *  - the scenario's firmware script (`firmware.step = N ACTION ARGS`), while
 *    the first 8 bytes at the boot address are still the ones the scenario
 *    loaded: the script belongs to that image;
 *  - a well-behaved idle firmware (runs forever, touches nothing) for any
 *    other valid image, e.g. one a debugger programmed;
 *  - the system bootloader when BOOT0 selects system memory (debug stays
 *    alive, it never writes PWR_CR3): also idle here;
 *  - nothing, for an erased (0xFFFFFFFF) or unusable vector table: the core
 *    locks up as soon as it tries to run, as a blank chip does.
 *
 * While it runs, the modelled firmware spins at its entry point (as the
 * `b .` of testing/scenarios/images/app-loop.bin does): PC stays at the
 * reset handler, which is what a debug halt, DWT_PCSR and an FPB
 * breakpoint see; script actions happen as side effects at their counts.
 *
 * Code a debugger loads and starts (a flash loader) really executes: when the
 * core resumes with its PC moved away from where the modelled program spins,
 * it decodes Thumb from there (thumb.c: the ARMv6-M 16-bit set and BL) on
 * the same bus view (`core_h7_env.bus`) until BKPT halts it.  A store into a
 * flash whose queue is full stalls the core until a slot frees, as the AXI
 * bus does on silicon (`core_h7_env.bus_stalled_until`).  An instruction the
 * interpreter does not model, or a fault, locks the core up (logged).
 *
 * Time: 64 MHz, one instruction per cycle (the H7's reset clock is the
 * 64 MHz HSI).  One interface drives it, `core_h7_run()`: run at most N
 * instructions; `core_h7_run_until()` converts simulated time to N.  Decoded
 * code is interpreted, so it runs at 64 MHz of simulated time or 8 MHz of
 * wall time, whichever is less: slower than silicon in simulated time
 * (never faster), which nothing on silicon may rely on.
 */
#ifndef STM32SIM_CORE_H7_H
#define STM32SIM_CORE_H7_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "cortexm_dbg.h"
#include "sim_common.h"

#define CORE_H7_INSTRUCTIONS_PER_US 64u
#define FW_SCRIPT_MAX_STEPS 64
/*
 * Decoded code: at most this many instructions per microsecond of wall time, and no more than
 * the host can interpret in the time it does not spend interpreting.  Granted by wall time alone,
 * the interpreter would feed on its own run time (a slow host, or a sanitizer build at some
 * 500 ns an instruction, would take longer for each call than the time it was granted for, and
 * starve the debugger's socket).  So its run time is measured, and CORE_H7_CODE_HOST_DEBT times
 * it is taken off the wall time the next call grants: the interpreter can never take more than
 * 1 / (CORE_H7_CODE_HOST_DEBT + 1) of the host.  And at most CORE_H7_CODE_MAX_PER_SYNC in one call.
 */
#define CORE_H7_CODE_PER_WALL_US 32u
#define CORE_H7_CODE_HOST_DEBT 1u
#define CORE_H7_CODE_MAX_PER_SYNC 1000000u

typedef enum fw_action {
	FW_WRITE,            /* write ADDR VALUE: 32-bit store on the core's bus */
	FW_DEBUG_PINS_GPIO,  /* JTAG/SWD pins become GPIOs until the next reset */
	FW_ENTER_STOP,
	FW_ENTER_STANDBY,
	FW_LOCKUP,
	FW_WFI,
	FW_IDLE,             /* no further steps: keeps running */
} fw_action;

typedef struct fw_step {
	uint64_t at;         /* instruction count since reset release */
	fw_action action;
	uint32_t addr, value;
} fw_step;

typedef struct fw_script {
	fw_step steps[FW_SCRIPT_MAX_STEPS];
	size_t count;
} fw_script;

/* Parse one `firmware.step` value ("N ACTION ARGS"); steps must come in non-decreasing N. */
int fw_script_add(fw_script *s, const char *value, char *err, size_t errlen);
const char *fw_action_name(fw_action a);

typedef enum core_lp {
	CORE_LP_NONE,
	CORE_LP_STOP,
	CORE_LP_STANDBY,
} core_lp;

typedef enum core_program {
	CORE_PROG_NONE,       /* in reset or not started */
	CORE_PROG_SCRIPT,
	CORE_PROG_IDLE,
	CORE_PROG_BOOTLOADER,
	CORE_PROG_LOCKED,     /* every attempt to run ends in lockup */
	CORE_PROG_CODE,       /* decoded Thumb from the PC: code a debugger loaded and started */
} core_program;

typedef struct core_h7 core_h7;

/* What the chip lends the core. */
typedef struct core_h7_env {
	sim_bus bus;                                   /* the core's own view of memory */
	bool (*executable)(void *ctx, uint32_t addr);  /* instruction fetch possible there? */
	bool (*domain_up)(void *ctx);                  /* false: VCORE lost, nothing executes */
	void *ctx;
	/*
	 * Dual-core parts: may this core run the scenario's script?  The chip
	 * answers no while the other core already runs it, so that one script
	 * never executes twice.  NULL: always.
	 */
	bool (*may_run_script)(void *ctx, const core_h7 *core);
	const char *name;                              /* for log messages; NULL: "core" */
	/* Simulated time until which the core's bus is held by a stalled flash write; NULL: never. */
	sim_time_us (*bus_stalled_until)(void *ctx);
	/*
	 * The plain RAM around `addr` this core reads and writes without side effects, as memory:
	 * [*base, *base + *size) at the returned bytes; NULL when there is none (or no direct path).
	 * Interpreted code reads and writes it directly instead of through `bus` (same bytes, faster).
	 */
	uint8_t *(*ram_window)(void *ctx, uint32_t addr, uint32_t *base, uint32_t *size);
} core_h7_env;

struct core_h7 {
	cortexm_dbg *dbg;
	core_h7_env env;
	const fw_script *script;
	uint32_t image_sp, image_pc;  /* the first 8 bytes of the scenario's image */
	uint32_t spin_pc;             /* where the modelled program spins (its entry point) */
	uint64_t code_instructions;   /* decoded instructions executed (state JSON) */
	bool image_known;
	core_program program;
	size_t next_step;
	uint32_t boot_addr;
	uint64_t since_reset;         /* instructions since the latest reset release */
	uint64_t total;
	uint64_t before_halt;         /* since reset release until the first halt after it */
	bool halted_since_reset;
	core_lp lp;
	bool pins_gpio;
	sim_time_us last;
	uint64_t host_debt_ns; /* wall time the interpreter still owes (CORE_H7_CODE_HOST_DEBT) */
	bool hardfault_active; /* HardFault entered and not returned from: a fault now locks up */
};

void core_h7_init(core_h7 *c, cortexm_dbg *dbg, const core_h7_env *env, const fw_script *script);
/* The scenario's image: the script runs only while these are the vectors at the boot address. */
void core_h7_set_image(core_h7 *c, uint32_t sp, uint32_t pc);
/* Reset asserted (NRST, SYSRESETREQ, power-on): core held, pins back to debug, low-power exited. */
void core_h7_reset_enter(core_h7 *c);
/* Reset released: vector fetch from `boot_addr`, program chosen, halt on vector catch. */
void core_h7_reset_release(core_h7 *c, uint32_t boot_addr, bool system_memory, sim_time_us now);
/* Execute at most `max_instructions`; returns how many were executed. */
uint64_t core_h7_run(core_h7 *c, uint64_t max_instructions);
/* Execute what fits between the last call and `now`. */
void core_h7_run_until(core_h7 *c, sim_time_us now);
/* Time stands still for a core that cannot run (unpowered, locked out). */
void core_h7_skip_to(core_h7 *c, sim_time_us now);
const char *core_h7_program_name(core_program p);

#endif
