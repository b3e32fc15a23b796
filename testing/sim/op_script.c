/*
 * Operator scripts: parsing and the armed step (see op_script.h).
 */
#include "op_script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define DEFAULT_OFF_US 200000u

/*
 * A duration token with the scenario's syntax (scenario.h): a number, an
 * optional decimal fraction, an optional unit us (default), ms or s.
 */
static int parse_duration(const char *tok, uint64_t *out, char *err, size_t errlen)
{
	char *end;
	uint64_t whole = strtoull(tok, &end, 10), frac = 0, scale = 1, unit = 0;

	if (end == tok || tok[0] == '-')
		goto bad;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9' && scale < 1000000u; end++) {
			frac = frac * 10u + (uint64_t)(*end - '0');
			scale *= 10u;
		}
	}
	if (*end == '\0' || strcmp(end, "us") == 0)
		unit = 1;
	else if (strcmp(end, "ms") == 0)
		unit = 1000;
	else if (strcmp(end, "s") == 0)
		unit = 1000000;
	if (unit == 0 || whole > UINT64_MAX / 4u / unit)
		goto bad;
	*out = whole * unit + frac * unit / scale;
	return 0;
bad:
	snprintf(err, errlen, "bad duration \"%s\" (e.g. 200ms, 1.5s, 50us)", tok);
	return -1;
}

static int parse_count(const char *tok, uint64_t *out)
{
	char *end;

	*out = strtoull(tok, &end, 0);
	return (end == tok || *end != '\0' || tok[0] == '-') ? -1 : 0;
}

static const char *const event_names[SIM_FLASH_EV_COUNT] = {
	[SIM_FLASH_EV_OPTSTART] = "optstart",
	[SIM_FLASH_EV_SECTOR_ERASE] = "sector_erase",
	[SIM_FLASH_EV_BANK_ERASE] = "bank_erase",
	[SIM_FLASH_EV_MASS_ERASE] = "mass_erase",
	[SIM_FLASH_EV_PROGRAM] = "program",
};

const char *op_script_event_name(sim_flash_event ev)
{
	return (unsigned)ev < SIM_FLASH_EV_COUNT ? event_names[ev] : "?";
}

/* "during EVENT N [DELAY]" / "after_op EVENT N": tok[0] is the trigger name. */
static int parse_event_trigger(op_step *st, char **tok, unsigned ntok, char *err, size_t errlen)
{
	bool during = st->trigger == OP_TRIGGER_DURING;
	unsigned ev;

	if (ntok < 3 || ntok > (during ? 4u : 3u)) {
		snprintf(err, errlen, during ? "trigger must be \"during EVENT N [DELAY]\""
					     : "trigger must be \"after_op EVENT N\"");
		return -1;
	}
	for (ev = 0; ev < SIM_FLASH_EV_COUNT && strcmp(tok[1], event_names[ev]) != 0; ev++)
		;
	if (ev == SIM_FLASH_EV_COUNT) {
		snprintf(err, errlen, "unknown flash event \"%s\" (optstart, sector_erase, bank_erase, mass_erase, "
			 "program)", tok[1]);
		return -1;
	}
	st->event = (sim_flash_event)ev;
	if (parse_count(tok[2], &st->arg) != 0 || st->arg == 0) {
		snprintf(err, errlen, "%s count must be 1 or more, got \"%s\"", tok[1], tok[2]);
		return -1;
	}
	st->has_delay = ntok == 4;
	return st->has_delay ? parse_duration(tok[3], &st->delay, err, errlen) : 0;
}

static int parse_trigger(op_step *st, char *text, char *err, size_t errlen)
{
	char *save = NULL, *tok[5];
	unsigned n = 0;

	for (char *t = strtok_r(text, " \t", &save); t && n < 5; t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n == 0) {
		snprintf(err, errlen, "empty trigger");
		return -1;
	}
	if (strcmp(tok[0], "during") == 0 || strcmp(tok[0], "after_op") == 0) {
		st->trigger = tok[0][0] == 'd' ? OP_TRIGGER_DURING : OP_TRIGGER_AFTER_OP;
		return parse_event_trigger(st, tok, n, err, errlen);
	}
	if (n != 2) {
		snprintf(err, errlen, "trigger must be \"srst_held DURATION\", \"session N\", \"after DURATION\", "
			 "\"during EVENT N [DELAY]\" or \"after_op EVENT N\"");
		return -1;
	}
	if (strcmp(tok[0], "srst_held") == 0) {
		st->trigger = OP_TRIGGER_SRST_HELD;
		return parse_duration(tok[1], &st->arg, err, errlen);
	}
	if (strcmp(tok[0], "after") == 0) {
		st->trigger = OP_TRIGGER_AFTER;
		return parse_duration(tok[1], &st->arg, err, errlen);
	}
	if (strcmp(tok[0], "session") == 0) {
		st->trigger = OP_TRIGGER_SESSION;
		if (parse_count(tok[1], &st->arg) != 0 || st->arg == 0) {
			snprintf(err, errlen, "session number must be 1 or more, got \"%s\"", tok[1]);
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "unknown trigger \"%s\" (srst_held, session, after, during, after_op)", tok[0]);
	return -1;
}

static int parse_action(op_step *st, char *text, char *err, size_t errlen)
{
	char *save = NULL, *name = strtok_r(text, " \t", &save), *arg = strtok_r(NULL, " \t", &save);
	unsigned i = st->nactions;

	if (!name) {
		snprintf(err, errlen, "empty action");
		return -1;
	}
	if (i == OP_MAX_ACTIONS || strtok_r(NULL, " \t", &save)) {
		snprintf(err, errlen, "too many actions or arguments (at most %d actions, one argument each)",
			 OP_MAX_ACTIONS);
		return -1;
	}
	st->actions[i].arg = 0;
	if (strcmp(name, "power_cycle") == 0) {
		st->actions[i].kind = OP_POWER_CYCLE;
		st->actions[i].arg = DEFAULT_OFF_US;
		if (arg && parse_duration(arg, &st->actions[i].arg, err, errlen) != 0)
			return -1;
	} else if (strcmp(name, "boot0") == 0) {
		st->actions[i].kind = OP_BOOT0;
		if (!arg || (strcmp(arg, "0") != 0 && strcmp(arg, "1") != 0)) {
			snprintf(err, errlen, "boot0 takes 0 or 1");
			return -1;
		}
		st->actions[i].arg = arg[0] == '1';
	} else if (!arg && strcmp(name, "power_off") == 0) {
		st->actions[i].kind = OP_POWER_OFF;
	} else if (!arg && strcmp(name, "power_on") == 0) {
		st->actions[i].kind = OP_POWER_ON;
	} else if (!arg && strcmp(name, "disconnect") == 0) {
		st->actions[i].kind = OP_DISCONNECT;
	} else if (!arg && strcmp(name, "srst_pulse") == 0) {
		st->actions[i].kind = OP_SRST_PULSE;
	} else {
		snprintf(err, errlen, "unknown action \"%s%s%s\" (power_cycle [OFF], power_off, power_on, boot0 0|1, "
			 "disconnect, srst_pulse)", name, arg ? " " : "", arg ? arg : "");
		return -1;
	}
	st->nactions++;
	return 0;
}

int op_script_add(op_script *s, const char *value, char *err, size_t errlen)
{
	char buf[SCENARIO_VALUE_MAX], *arrow, *save = NULL;
	op_step *st;

	if (s->count == OP_MAX_STEPS) {
		snprintf(err, errlen, "more than %d operator steps", OP_MAX_STEPS);
		return -1;
	}
	st = &s->steps[s->count];
	memset(st, 0, sizeof(*st));
	snprintf(st->text, sizeof(st->text), "%s", value);
	snprintf(buf, sizeof(buf), "%s", value);
	arrow = strstr(buf, "->");
	if (!arrow) {
		snprintf(err, errlen, "expected \"TRIGGER -> ACTION[, ACTION...]\"");
		return -1;
	}
	*arrow = '\0';
	if (parse_trigger(st, buf, err, errlen) != 0)
		return -1;
	for (char *a = strtok_r(arrow + 2, ",", &save); a; a = strtok_r(NULL, ",", &save))
		if (parse_action(st, a, err, errlen) != 0)
			return -1;
	if (st->nactions == 0) {
		snprintf(err, errlen, "no action after \"->\"");
		return -1;
	}
	s->count++;
	return 0;
}

const op_step *op_script_armed(const op_script *s)
{
	return s->next < s->count ? &s->steps[s->next] : NULL;
}

sim_time_us op_script_next_time(const op_script *s, bool srst, sim_time_us srst_since)
{
	const op_step *st = op_script_armed(s);

	if (!st)
		return UINT64_MAX;
	switch (st->trigger) {
	case OP_TRIGGER_AFTER:
		return st->arg;
	case OP_TRIGGER_SRST_HELD:
		return srst ? srst_since + st->arg : UINT64_MAX;
	case OP_TRIGGER_DURING:
	case OP_TRIGGER_AFTER_OP:
		return st->fire_known ? st->fire_at : UINT64_MAX;
	default:
		return UINT64_MAX;
	}
}

bool op_script_wants_flash_events(const op_script *s)
{
	const op_step *st = op_script_armed(s);

	return st && (st->trigger == OP_TRIGGER_DURING || st->trigger == OP_TRIGGER_AFTER_OP) && !st->fire_known;
}

/*
 * Count the event, then record the firing time of every step still to fire
 * that waits for exactly this occurrence (not only the armed one: a step
 * armed later fires at once if its time has passed, as `after` does).
 */
void op_script_flash_event(op_script *s, sim_flash_event ev, sim_flash_phase phase, sim_time_us start,
			   sim_time_us end)
{
	op_trigger want = phase == SIM_FLASH_STARTED ? OP_TRIGGER_DURING : OP_TRIGGER_AFTER_OP;
	uint64_t n;

	if ((unsigned)ev >= SIM_FLASH_EV_COUNT)
		return;
	n = phase == SIM_FLASH_STARTED ? ++s->started[ev] : ++s->completed[ev];
	for (size_t i = s->next; i < s->count; i++) {
		op_step *st = &s->steps[i];

		if (st->trigger != want || st->event != ev || st->arg != n || st->fire_known)
			continue;
		st->fire_known = true;
		if (want == OP_TRIGGER_AFTER_OP)
			st->fire_at = end;
		else
			st->fire_at = start + (st->has_delay ? st->delay : (end - start) / 2u);
	}
}

const op_step *op_script_due(const op_script *s, bool srst, sim_time_us srst_since, sim_time_us t)
{
	const op_step *st = op_script_armed(s);

	return st && op_script_next_time(s, srst, srst_since) <= t ? st : NULL;
}

const op_step *op_script_session_due(const op_script *s, unsigned session)
{
	const op_step *st = op_script_armed(s);

	return st && st->trigger == OP_TRIGGER_SESSION && st->arg == session ? st : NULL;
}

void op_script_run(op_script *s, const op_step *st, sim_time_us t, const op_board *b)
{
	sim_log_info("operator: %s (at %llu us)", st->text, (unsigned long long)t);
	s->next++;
	for (unsigned i = 0; i < st->nactions; i++) {
		uint64_t arg = st->actions[i].arg;

		switch (st->actions[i].kind) {
		case OP_POWER_CYCLE:
			b->power_off(b->chip);
			*b->power_on_pending = true;
			*b->power_on_at = t + arg;
			break;
		case OP_POWER_OFF:
			b->power_off(b->chip);
			*b->power_on_pending = false;
			break;
		case OP_POWER_ON:
			*b->power_on_pending = false;
			if (!*b->powered)
				b->power_on(b->chip);
			break;
		case OP_BOOT0:
			*b->boot0 = arg != 0;
			break;
		case OP_DISCONNECT:
			*b->wants_disconnect = true;
			break;
		case OP_SRST_PULSE:
			b->srst_pulse(b->chip);
			break;
		}
	}
}
