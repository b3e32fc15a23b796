/*
 * Operator scripts: what a person at the bench does, fired by what the
 * debugger does (`operator.step` in a scenario, testing/scenarios/README.md).
 * This is the family-independent part: parsing, which step is armed and when
 * it fires.  What an action does to a chip is the chip family's business
 * (chip_h7_operator.c, chip_h5.c).
 *
 *   operator.step = TRIGGER -> ACTION[, ACTION...]
 *   TRIGGER: srst_held DURATION   SRST (NRST) continuously asserted that long
 *            session N            the Nth probe connection starts (1 = first)
 *            after DURATION       simulated time since the simulator started
 *            during EVENT N [DELAY]  DELAY after the Nth EVENT operation started
 *                                 (default: half its duration, so it lands inside it)
 *            after_op EVENT N     the instant the Nth EVENT operation completes normally
 *   EVENT:   optstart | sector_erase | bank_erase | mass_erase | program
 *            (sim_flash_event, reported by the flash blocks through the chip;
 *            the H7's RDP regression is an optstart, the H5's DA regressions
 *            are erases: testing/scenarios/README.md has the table)
 *   ACTION:  power_cycle [OFF]    power off, back on OFF later (default 200ms)
 *            power_off | power_on
 *            boot0 0|1            move the BOOT0 jumper
 *            disconnect           pull the probe's cable (the transport drops the connection)
 *            srst_pulse           the board pulses NRST: a system reset, released at once
 *                                 unless the probe holds SRST
 *
 * Event counts run from simulator start over all sessions and power cycles,
 * whether or not the step that waits for them is armed yet: the firing time
 * is recorded for every step whose count is reached, and a step that becomes
 * armed after its time fires at once (like a past `after`).  `during` counts
 * operations that started (a queued one when it really starts), `after_op`
 * normal completions (an interrupted operation is not counted).
 */
#ifndef STM32SIM_OP_SCRIPT_H
#define STM32SIM_OP_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_common.h"

typedef enum op_trigger {
	OP_TRIGGER_SRST_HELD, OP_TRIGGER_SESSION, OP_TRIGGER_AFTER, OP_TRIGGER_DURING, OP_TRIGGER_AFTER_OP,
} op_trigger;
typedef enum op_action_kind {
	OP_POWER_CYCLE, OP_POWER_OFF, OP_POWER_ON, OP_BOOT0, OP_DISCONNECT, OP_SRST_PULSE,
} op_action_kind;

#define OP_MAX_ACTIONS 4
#define OP_MAX_STEPS 32

typedef struct op_step {
	op_trigger trigger;
	uint64_t arg;                 /* duration (us), session number, or event count N */
	sim_flash_event event;        /* during / after_op */
	bool has_delay;               /* during: DELAY given (in `delay`), else half the operation */
	sim_time_us delay;
	bool fire_known;              /* during / after_op: the event happened, it fires at fire_at */
	sim_time_us fire_at;
	struct {
		op_action_kind kind;
		uint64_t arg;         /* off duration (us) or BOOT0 level */
	} actions[OP_MAX_ACTIONS];
	unsigned nactions;
	char text[128];               /* for log messages */
} op_step;

typedef struct op_script {
	op_step steps[OP_MAX_STEPS];
	size_t count;
	size_t next;                  /* steps fire once each, in file order; = steps fired */
	uint64_t started[SIM_FLASH_EV_COUNT];   /* operations started since simulator start */
	uint64_t completed[SIM_FLASH_EV_COUNT]; /* operations completed normally */
} op_script;

/* Parse one `operator.step` value and append it. 0, or -1 and a message. */
int op_script_add(op_script *s, const char *value, char *err, size_t errlen);
/* The step that fires next (steps fire once each, in file order), NULL when all have fired. */
const op_step *op_script_armed(const op_script *s);
/*
 * Earliest time the armed step fires by time alone, UINT64_MAX when it does
 * not (none armed, a session trigger, SRST not held, an event not seen yet).
 */
sim_time_us op_script_next_time(const op_script *s, bool srst, sim_time_us srst_since);
/* The armed step when its trigger has fired by simulated time t, else NULL. */
const op_step *op_script_due(const op_script *s, bool srst, sim_time_us srst_since, sim_time_us t);
/* The armed step when it fires as probe session `session` (1 = first) starts, else NULL. */
const op_step *op_script_session_due(const op_script *s, unsigned session);
/*
 * The armed step waits for a flash event that has not happened yet: the chip
 * then steps its clock through every flash operation boundary, so that an
 * operation queued behind another is reported when it really starts.
 */
bool op_script_wants_flash_events(const op_script *s);
/* A flash operation started or completed (sim_flash_listener semantics, sim_common.h). */
void op_script_flash_event(op_script *s, sim_flash_event ev, sim_flash_phase phase, sim_time_us start,
			   sim_time_us end);
/* Name of an event as the script spells it ("sector_erase"). */
const char *op_script_event_name(sim_flash_event ev);

/* The board a chip puts in front of op_script_run(): what each action does to it. */
typedef struct op_board {
	void *chip;
	void (*power_off)(void *chip);
	void (*power_on)(void *chip);   /* only while unpowered */
	void (*srst_pulse)(void *chip); /* the board pulls NRST for a moment */
	const bool *powered;
	bool *power_on_pending;         /* a power cycle's return, at *power_on_at */
	sim_time_us *power_on_at;
	bool *boot0;
	bool *wants_disconnect;         /* the probe's socket is to be dropped */
} op_board;

/* Step `st` fires at simulated time t (it is the armed one): its actions, in order, on the board. */
void op_script_run(op_script *s, const op_step *st, sim_time_us t, const op_board *b);

#endif
