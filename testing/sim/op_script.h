/*
 * Operator scripts: what a person at the bench does, fired by what the
 * debugger does (`operator.step` in a scenario, testing/scenarios/README.md).
 * This is the family-independent part: parsing and which step is armed.
 * What an action does to a chip is the chip family's business
 * (chip_h7_operator.c, chip_h5.c).
 *
 *   operator.step = TRIGGER -> ACTION[, ACTION...]
 *   TRIGGER: srst_held DURATION   SRST (NRST) continuously asserted that long
 *            session N            the Nth probe connection starts (1 = first)
 *            after DURATION       simulated time since the simulator started
 *   ACTION:  power_cycle [OFF]    power off, back on OFF later (default 200ms)
 *            power_off | power_on
 *            boot0 0|1            move the BOOT0 jumper
 *            disconnect           pull the probe's cable (the transport drops the connection)
 */
#ifndef STM32SIM_OP_SCRIPT_H
#define STM32SIM_OP_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_common.h"

typedef enum op_trigger { OP_TRIGGER_SRST_HELD, OP_TRIGGER_SESSION, OP_TRIGGER_AFTER } op_trigger;
typedef enum op_action_kind {
	OP_POWER_CYCLE, OP_POWER_OFF, OP_POWER_ON, OP_BOOT0, OP_DISCONNECT,
} op_action_kind;

#define OP_MAX_ACTIONS 4
#define OP_MAX_STEPS 32

typedef struct op_step {
	op_trigger trigger;
	uint64_t arg;                 /* duration (us) or session number */
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
	size_t next;                  /* steps fire once each, in file order */
} op_script;

/* Parse one `operator.step` value and append it. 0, or -1 and a message. */
int op_script_add(op_script *s, const char *value, char *err, size_t errlen);
/* The step that fires next (steps fire once each, in file order), NULL when all have fired. */
const op_step *op_script_armed(const op_script *s);
/*
 * Earliest time the armed step's trigger fires by time alone, UINT64_MAX when
 * it does not (none armed, a session trigger, SRST not held).
 */
sim_time_us op_script_next_time(const op_script *s, bool srst, sim_time_us srst_since);

#endif
