/*
 * stm32sim common services: simulated time, the two diagnostic logs, and a
 * minimal JSON writer for the state file.
 *
 * Time: every modelled duration (erase, option-byte change, firmware start-up,
 * an operator holding a button) is expressed in simulated microseconds.  The
 * simulated clock runs `1 / time_scale` times faster than the wall clock, so
 * `--time-scale 0.01` makes a 1.1 s sector erase take 11 ms of real time while
 * OpenOCD's own (wall-clock) timeouts still see a chip that is busy.
 */
#ifndef STM32SIM_SIM_COMMON_H
#define STM32SIM_SIM_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t sim_time_us;

/* Set the scale (> 0) and restart the clock at 0. */
void sim_clock_init(double time_scale);
/* Simulated microseconds since sim_clock_init(). Monotonic. */
sim_time_us sim_now_us(void);
/* Wall-clock microseconds that correspond to `us` simulated ones. */
uint64_t sim_wall_us(sim_time_us us);
/*
 * The host's own monotonic nanoseconds, to measure what the simulator spends on
 * its own work (the Thumb interpreter, calls far shorter than a microsecond);
 * constant while the clock is frozen, so that unit tests stay deterministic.
 */
uint64_t sim_host_ns(void);
/* Unit tests only: freeze the clock and move it by hand. */
void sim_clock_freeze(sim_time_us at);
void sim_clock_advance(sim_time_us by);

/*
 * Flash operations as the flash blocks (flash_h7, flash_h5) report them to a
 * listener, so that the chip can drive operator steps ("during sector_erase
 * 2", op_script.h) without the flash blocks knowing about operator scripts.
 * STARTED is reported when an operation really starts (a queued one when the
 * one before it ends), with its start and planned end; DONE when it completes
 * normally (an interrupted operation is never DONE).
 */
typedef enum sim_flash_event {
	SIM_FLASH_EV_OPTSTART,     /* an accepted option-byte change (H7 OPTSTART, H5 OPTSTRT) */
	SIM_FLASH_EV_SECTOR_ERASE,
	SIM_FLASH_EV_BANK_ERASE,   /* once per bank, also per bank of a mass erase */
	SIM_FLASH_EV_MASS_ERASE,   /* both banks at once (H7 OPTCR.MER, H5 NSCR.MER) */
	SIM_FLASH_EV_PROGRAM,      /* one flash word (H7) or quad-word (H5) */
	SIM_FLASH_EV_COUNT
} sim_flash_event;

typedef enum sim_flash_phase { SIM_FLASH_STARTED, SIM_FLASH_DONE } sim_flash_phase;

typedef void (*sim_flash_listener)(void *ctx, sim_flash_event ev, sim_flash_phase phase, sim_time_us start,
				   sim_time_us end);

/*
 * Two logs, as in QEMU: "guest error" is the debugger doing something the
 * silicon would reject or that is undefined (bad key sequence, access to a
 * reserved register, programming without PG...); "unimplemented" is the
 * simulator not modelling something the silicon does.  Both go to stderr
 * with a prefix and are counted for the state JSON.
 */
void sim_log_guest_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sim_log_unimplemented(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ordinary progress messages (reset, power, operator actions), stderr. */
void sim_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Verbose tracing, only with STM32SIM_TRACE set in the environment. */
void sim_log_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned long sim_log_guest_error_count(void);
unsigned long sim_log_unimplemented_count(void);

/*
 * JSON writer.  Keeps the comma/nesting bookkeeping in one place so that
 * every block can emit its own part of the state file.  Output is pretty
 * printed, keys in the order written.  Strings are escaped.
 */
typedef struct json_out {
	FILE *f;
	int depth;
	bool need_comma[16];
} json_out;

void json_init(json_out *j, FILE *f);
void json_begin_object(json_out *j, const char *key); /* key NULL at top level / in arrays */
void json_end_object(json_out *j);
void json_begin_array(json_out *j, const char *key);
void json_end_array(json_out *j);
void json_string(json_out *j, const char *key, const char *value);
void json_hex32(json_out *j, const char *key, uint32_t value);  /* "0x%08x" as a string */
void json_hex8(json_out *j, const char *key, uint8_t value);    /* "0x%02x" as a string */
void json_uint(json_out *j, const char *key, uint64_t value);   /* plain number */
void json_bool(json_out *j, const char *key, bool value);
void json_finish(json_out *j); /* trailing newline, flush */

#endif
