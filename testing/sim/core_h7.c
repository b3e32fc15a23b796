/*
 * Execution model of the STM32H7's Cortex-M7 (see core_h7.h).
 */
#include "core_h7.h"
#include "thumb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERASED_WORD 0xFFFFFFFFu
/* Fault status for the lockup of a blank chip: the fetch at 0xFFFFFFFE hits the XN system region
 * (MemManage IACCVIOL, escalated: HFSR.FORCED), the HardFault vector is erased too -> lockup. */
#define CFSR_IACCVIOL  (1u << 0)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_BFARVALID (1u << 15)
#define HFSR_FORCED    (1u << 30)
#define XPSR_T         (1u << 24)
#define XPSR_FLAGS     0xF0000000u
/* CFSR bits for faults of decoded code (Armv7-M B3.2.15). */
#define CFSR_IBUSERR    (1u << 8)
#define CFSR_UNDEFINSTR (1u << 16)
#define CFSR_INVSTATE   (1u << 17)
#define CFSR_UNALIGNED  (1u << 24)

static const struct {
	const char *name;
	fw_action action;
	unsigned nargs;
} fw_actions[] = {
	{ "write", FW_WRITE, 2 },
	{ "debug_pins_gpio", FW_DEBUG_PINS_GPIO, 0 },
	{ "enter_stop", FW_ENTER_STOP, 0 },
	{ "enter_standby", FW_ENTER_STANDBY, 0 },
	{ "lockup", FW_LOCKUP, 0 },
	{ "wfi", FW_WFI, 0 },
	{ "idle", FW_IDLE, 0 },
};

const char *fw_action_name(fw_action a)
{
	for (size_t i = 0; i < sizeof(fw_actions) / sizeof(fw_actions[0]); i++)
		if (fw_actions[i].action == a)
			return fw_actions[i].name;
	return "?";
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return (errno || end == s || *end != '\0' || s[0] == '-') ? -1 : 0;
}

int fw_script_add(fw_script *s, const char *value, char *err, size_t errlen)
{
	char buf[256], *tok[5], *save = NULL;
	unsigned n = 0;
	uint64_t at, a = 0, v = 0;

	snprintf(buf, sizeof(buf), "%s", value);
	for (char *t = strtok_r(buf, " \t", &save); t && n < 5; t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n < 2 || parse_u64(tok[0], &at) != 0) {
		snprintf(err, errlen, "expected \"N ACTION [ARGS]\" with N an instruction count, got \"%s\"", value);
		return -1;
	}
	if (s->count == FW_SCRIPT_MAX_STEPS) {
		snprintf(err, errlen, "more than %d firmware steps", FW_SCRIPT_MAX_STEPS);
		return -1;
	}
	if (s->count > 0 && at < s->steps[s->count - 1].at) {
		snprintf(err, errlen, "step at %llu comes after a step at %llu: list steps in order",
			 (unsigned long long)at, (unsigned long long)s->steps[s->count - 1].at);
		return -1;
	}
	for (size_t i = 0; i < sizeof(fw_actions) / sizeof(fw_actions[0]); i++) {
		if (strcmp(tok[1], fw_actions[i].name) != 0)
			continue;
		if (n - 2 != fw_actions[i].nargs || (n == 4 && (parse_u64(tok[2], &a) || parse_u64(tok[3], &v)))
		    || a > 0xFFFFFFFFu || v > 0xFFFFFFFFu) {
			snprintf(err, errlen, "action \"%s\" takes %u argument(s)%s", fw_actions[i].name,
				 fw_actions[i].nargs, fw_actions[i].nargs ? ": ADDR VALUE (32-bit numbers)" : "");
			return -1;
		}
		s->steps[s->count++] = (fw_step){ .at = at, .action = fw_actions[i].action,
						  .addr = (uint32_t)a, .value = (uint32_t)v };
		return 0;
	}
	snprintf(err, errlen, "unknown firmware action \"%s\" (write, debug_pins_gpio, enter_stop, enter_standby, "
		 "lockup, wfi, idle)", tok[1]);
	return -1;
}

const char *core_h7_program_name(core_program p)
{
	static const char *const names[] = {
		[CORE_PROG_NONE] = "none", [CORE_PROG_SCRIPT] = "scenario-firmware", [CORE_PROG_IDLE] = "idle-firmware",
		[CORE_PROG_BOOTLOADER] = "system-bootloader", [CORE_PROG_LOCKED] = "none (lockup)",
		[CORE_PROG_CODE] = "debugger-loaded code",
	};

	return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}

void core_h7_init(core_h7 *c, cortexm_dbg *dbg, const core_h7_env *env, const fw_script *script)
{
	memset(c, 0, sizeof(*c));
	c->dbg = dbg;
	c->env = *env;
	c->script = script;
}

void core_h7_set_image(core_h7 *c, uint32_t sp, uint32_t pc)
{
	c->image_sp = sp;
	c->image_pc = pc;
	c->image_known = true;
}

void core_h7_reset_enter(core_h7 *c)
{
	c->program = CORE_PROG_NONE;
	c->lp = CORE_LP_NONE;
	c->pins_gpio = false; /* the reset puts the pins back in their debug function */
	c->hardfault_active = false;
	cortexm_dbg_enter_reset(c->dbg);
}

static bool domain_up(const core_h7 *c)
{
	return !c->env.domain_up || c->env.domain_up(c->env.ctx);
}

/* The core tries to run but cannot: lockup in HardFault (S_LOCKUP), until a reset. */
static void lockup_now(core_h7 *c)
{
	cortexm_dbg *d = c->dbg;

	if (d->pc == (ERASED_WORD & ~1u)) {
		/* Blank chip: exception entry stacked 8 words below the erased SP, 8-byte aligned. */
		d->msp = (d->msp - 0x20u) & ~7u;
		cortexm_dbg_lockup(d, d->pc, CFSR_IACCVIOL, HFSR_FORCED);
	} else {
		cortexm_dbg_lockup(d, d->pc, 0, HFSR_FORCED);
	}
}

static const char *core_name(const core_h7 *c)
{
	return c->env.name ? c->env.name : "core";
}

static bool script_allowed(core_h7 *c)
{
	return !c->env.may_run_script || c->env.may_run_script(c->env.ctx, c);
}

static core_program choose_program(core_h7 *c, bool vectors_ok, uint32_t sp, uint32_t pc, bool system_memory)
{
	bool entry_ok = (pc & 1u) && c->env.executable && c->env.executable(c->env.ctx, pc & ~1u);

	if (!vectors_ok || !entry_ok)
		return CORE_PROG_LOCKED; /* erased (0xFFFFFFFF) vectors end here: 0xFFFFFFFE is XN */
	if (system_memory)
		return CORE_PROG_BOOTLOADER;
	if (c->image_known && sp == c->image_sp && pc == c->image_pc && c->script && c->script->count > 0 &&
	    script_allowed(c))
		return CORE_PROG_SCRIPT;
	return CORE_PROG_IDLE;
}

void core_h7_reset_release(core_h7 *c, uint32_t boot_addr, bool system_memory, sim_time_us now)
{
	uint32_t sp = ERASED_WORD, pc = ERASED_WORD;
	bool ok = sim_bus_read(&c->env.bus, boot_addr, 4, &sp) == SIM_BUS_OK &&
		  sim_bus_read(&c->env.bus, boot_addr + 4u, 4, &pc) == SIM_BUS_OK;

	if (!ok) {
		/* A faulting vector fetch (e.g. flash refused under RDP level 1) escalates to lockup. */
		sim_log_info("%s: vector fetch at 0x%08x faulted", core_name(c), (unsigned)boot_addr);
		sp = pc = ERASED_WORD;
	}
	c->boot_addr = boot_addr;
	c->since_reset = 0;
	c->before_halt = 0;
	c->halted_since_reset = false;
	c->next_step = 0;
	c->last = now;
	c->program = choose_program(c, ok, sp, pc, system_memory);
	cortexm_dbg_leave_reset(c->dbg, boot_addr, sp, pc);
	c->spin_pc = c->dbg->pc;
	sim_log_info("%s: reset released, boot 0x%08x, SP 0x%08x PC 0x%08x: %s%s", core_name(c), (unsigned)boot_addr,
		     (unsigned)sp, (unsigned)pc, core_h7_program_name(c->program),
		     c->dbg->state == CM_STATE_HALTED ? ", halted before the first instruction" : "");
	if (c->dbg->state == CM_STATE_HALTED)
		c->halted_since_reset = true;
	else if (c->program == CORE_PROG_LOCKED)
		lockup_now(c);
}

static void retire(core_h7 *c, uint64_t n)
{
	c->since_reset += n;
	c->total += n;
	if (!c->halted_since_reset)
		c->before_halt = c->since_reset;
	cortexm_dbg_retired(c->dbg, n);
}

/* A debug halt ends any low-power mode the debugger could reach the core in. */
static void note_halt(core_h7 *c)
{
	if (c->dbg->state != CM_STATE_HALTED)
		return;
	c->halted_since_reset = true;
	c->lp = CORE_LP_NONE;
}

/* A store the bus refused: precise BusFault escalated to HardFault, whose default handler loops. */
static void firmware_store_faulted(core_h7 *c, const fw_step *s)
{
	cortexm_dbg *d = c->dbg;

	sim_log_info("%s: firmware store to 0x%08x faulted, core spins in HardFault", core_name(c),
		     (unsigned)s->addr);
	d->cfsr |= CFSR_PRECISERR | CFSR_BFARVALID;
	d->bfar = s->addr;
	d->hfsr |= HFSR_FORCED;
	d->xpsr = XPSR_T | 3u;
	c->program = CORE_PROG_IDLE;
}

static void apply_step(core_h7 *c, const fw_step *s)
{
	sim_log_trace("%s: firmware step at %llu: %s 0x%08x 0x%08x", core_name(c), (unsigned long long)s->at,
		      fw_action_name(s->action), (unsigned)s->addr, (unsigned)s->value);
	switch (s->action) {
	case FW_WRITE:
		if (sim_bus_write(&c->env.bus, s->addr, 4, s->value) != SIM_BUS_OK)
			firmware_store_faulted(c, s);
		break;
	case FW_DEBUG_PINS_GPIO:
		c->pins_gpio = true;
		sim_log_info("%s: firmware turned the debug pins into GPIOs", core_name(c));
		break;
	case FW_ENTER_STOP:
	case FW_ENTER_STANDBY:
		c->lp = s->action == FW_ENTER_STOP ? CORE_LP_STOP : CORE_LP_STANDBY;
		sim_log_info("%s: firmware entered %s mode", core_name(c), c->lp == CORE_LP_STOP ? "Stop" : "Standby");
		cortexm_dbg_sleep(c->dbg);
		break;
	case FW_LOCKUP:
		c->program = CORE_PROG_LOCKED;
		lockup_now(c);
		break;
	case FW_WFI:
		cortexm_dbg_sleep(c->dbg);
		break;
	case FW_IDLE:
		c->next_step = c->script->count;
		break;
	}
}

static bool can_execute(const core_h7 *c)
{
	return cortexm_dbg_running(c->dbg) && domain_up(c);
}

static uint64_t run_script(core_h7 *c, uint64_t budget)
{
	uint64_t done = 0;

	for (;;) {
		while (c->program == CORE_PROG_SCRIPT && c->next_step < c->script->count && can_execute(c) &&
		       c->script->steps[c->next_step].at <= c->since_reset)
			apply_step(c, &c->script->steps[c->next_step++]);
		if (!can_execute(c) || done >= budget)
			break;
		uint64_t room = budget - done, k = room;

		if (c->program == CORE_PROG_SCRIPT && c->next_step < c->script->count)
			k = c->script->steps[c->next_step].at - c->since_reset;
		if (k > room)
			k = room;
		if (c->program == CORE_PROG_LOCKED)
			break;
		retire(c, k);
		done += k;
	}
	return done;
}

/* ------------------------------------------------- decoded code -- */

static void regs_from_core(const cortexm_dbg *d, thumb_regs *r)
{
	memcpy(r->r, d->r, sizeof(d->r));
	r->r[13] = d->msp; /* Thread mode after reset uses MSP (CONTROL.SPSEL = 0) */
	r->r[14] = d->lr;
	r->r[15] = d->pc & ~1u;
	r->apsr = d->xpsr & XPSR_FLAGS;
}

static void regs_to_core(cortexm_dbg *d, const thumb_regs *r)
{
	memcpy(d->r, r->r, sizeof(d->r));
	d->msp = r->r[13];
	d->lr = r->r[14];
	d->pc = r->r[15];
	d->xpsr = (d->xpsr & ~XPSR_FLAGS) | (r->apsr & XPSR_FLAGS);
}

#define EXC_RETURN_THREAD_MSP 0xFFFFFFF9u
#define XPSR_STACK_ALIGN       (1u << 9)
#define IPSR_HARDFAULT         3u

/*
 * Entry into HardFault caught by DEMCR.VC_HARDERR (Armv7-M B1.5.6 exception entry, C1.6.3 vector
 * catch): r0-r3, r12, LR, the faulting instruction's address and xPSR are stacked below SP (8-byte
 * aligned), the vector is fetched, and the core halts before the handler's first instruction with
 * DFSR.VCATCH.  The registers keep their values: r0 still names what the code was doing.  False
 * when the catch does not apply or the entry itself faults (a lockup then): no catch armed, no
 * halting debug, or HardFault already active (a debugger writing xPSR does not end it).
 */
static bool hardfault_caught(core_h7 *c, uint32_t cfsr)
{
	cortexm_dbg *d = c->dbg;
	if (!(d->dhcsr_ctrl & CM_C_DEBUGEN) || !(d->demcr & CM_DEMCR_VC_HARDERR) || c->hardfault_active)
		return false;
	uint32_t frame = (d->msp - 32u) & ~7u, vector = 0;
	const uint32_t stacked[8] = { d->r[0], d->r[1], d->r[2],  d->r[3], d->r[12], d->lr, d->pc,
				      d->xpsr | ((d->msp & 4u) ? XPSR_STACK_ALIGN : 0) };
	for (unsigned i = 0; i < 8; i++)
		if (sim_bus_write(&c->env.bus, frame + 4u * i, 4, stacked[i]) != SIM_BUS_OK)
			return false;
	if (sim_bus_read(&c->env.bus, d->vtor + 4u * IPSR_HARDFAULT, 4, &vector) != SIM_BUS_OK)
		return false;
	d->cfsr |= cfsr;
	d->hfsr |= HFSR_FORCED;
	d->msp = frame;
	d->lr = EXC_RETURN_THREAD_MSP;
	d->pc = vector & ~1u;
	d->xpsr = (d->xpsr & ~(XPSR_T | 0x1FFu)) | ((vector & 1u) ? XPSR_T : 0) | IPSR_HARDFAULT;
	c->hardfault_active = true;
	cortexm_dbg_halt(d, CM_DFSR_VCATCH);
	return true;
}

/* A fault in decoded code: HardFault, caught by the debugger when it armed VC_HARDERR; otherwise the
 * handler is the firmware's, which we do not run: the core locks up. */
static void code_fault(core_h7 *c, thumb_result res, uint32_t info)
{
	cortexm_dbg *d = c->dbg;
	uint32_t cfsr = 0;

	switch (res) {
	case THUMB_DATA_FAULT:
		cfsr = CFSR_PRECISERR | CFSR_BFARVALID;
		d->bfar = info;
		break;
	case THUMB_FETCH_FAULT: cfsr = CFSR_IBUSERR; break;
	case THUMB_UNALIGNED: cfsr = CFSR_UNALIGNED; break;
	case THUMB_INVSTATE: cfsr = CFSR_INVSTATE; break;
	case THUMB_UNDEFINED: cfsr = CFSR_UNDEFINSTR; break;
	default: break;
	}
	if (res == THUMB_NOT_MODELLED) {
		sim_log_unimplemented("%s: instruction at 0x%08x (0x%08x) not modelled by the Thumb interpreter, "
				      "core locks up", core_name(c), (unsigned)d->pc, (unsigned)info);
	} else if (hardfault_caught(c, cfsr)) {
		sim_log_info("%s: debugger-loaded code: %s (0x%08x): HardFault entered, halted by VC_HARDERR at "
			     "0x%08x", core_name(c), thumb_result_name(res), (unsigned)info, (unsigned)d->pc);
		return;
	} else {
		sim_log_info("%s: debugger-loaded code: %s at PC 0x%08x (0x%08x), core locks up", core_name(c),
			     thumb_result_name(res), (unsigned)d->pc, (unsigned)info);
	}
	c->program = CORE_PROG_LOCKED;
	c->spin_pc = d->pc;
	cortexm_dbg_lockup(d, d->pc, cfsr, HFSR_FORCED);
}

static bool bus_stalled(const core_h7 *c)
{
	return c->env.bus_stalled_until && c->env.bus_stalled_until(c->env.ctx) > c->last;
}

/* BKPT with halting debug enabled halts (DFSR.BKPT); without it, it escalates to HardFault. */
static void code_bkpt(core_h7 *c, uint32_t imm)
{
	if (c->dbg->dhcsr_ctrl & CM_C_DEBUGEN) {
		cortexm_dbg_halt(c->dbg, CM_DFSR_BKPT);
		return;
	}
	code_fault(c, THUMB_BKPT, imm);
}

/*
 * Wait loops.  A core that polls RAM for the debugger's next write (the flash loader waiting for
 * data) would spend the simulator's time going round its loop.  Within one call nothing but the
 * core changes memory (the debugger is not served meanwhile, and the flash sees the chip's pinned
 * step time), so a core back at the same PC with the same registers and no store in between would
 * go round for the rest of the call: those instructions are counted as executed, not interpreted.
 */
#define SPIN_SNAPSHOT_EVERY 256u

typedef struct store_count {
	const sim_bus *bus;
	uint64_t stores;
	uint8_t *ram;           /* the code's RAM region as memory (core_h7_env.ram_window), or NULL */
	uint32_t ram_base, ram_size;
} store_count;

/* Offset of a naturally aligned access inside the RAM window; false outside it. */
static bool in_ram(const store_count *sc, uint32_t addr, unsigned size, uint32_t *off)
{
	*off = addr - sc->ram_base;
	return sc->ram && !(addr & (size - 1u)) && *off < sc->ram_size && size <= sc->ram_size - *off;
}

static sim_bus_result counted_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	const store_count *sc = ctx;
	uint32_t off;

	if (in_ram(sc, addr, size, &off)) {
		uint32_t v = 0;
		memcpy(&v, sc->ram + off, size); /* little-endian, as the chip's RAM model */
		*value = v;
		return SIM_BUS_OK;
	}
	return sc->bus->read(sc->bus->ctx, addr, size, value);
}

static sim_bus_result counted_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	store_count *sc = ctx;
	uint32_t off;

	sc->stores++;
	if (in_ram(sc, addr, size, &off)) {
		memcpy(sc->ram + off, &value, size);
		return SIM_BUS_OK;
	}
	return sc->bus->write(sc->bus->ctx, addr, size, value);
}

typedef struct spin_watch {
	thumb_regs at;
	uint64_t stores;
	uint64_t taken;  /* instruction count when `at` was taken */
	bool valid;
} spin_watch;

/* True when the core is back in the state of the snapshot with nothing stored since: a wait loop. */
static bool spinning(spin_watch *w, const thumb_regs *r, uint64_t stores, uint64_t done)
{
	if (w->valid && r->r[15] == w->at.r[15] && stores == w->stores && memcmp(r, &w->at, sizeof(*r)) == 0)
		return true;
	if (!w->valid || done - w->taken >= SPIN_SNAPSHOT_EVERY) {
		w->at = *r;
		w->stores = stores;
		w->taken = done;
		w->valid = true;
	}
	return false;
}

/* Returns how many instructions retired; stops at a halt, a fault, WFI or a stalled bus. */
static uint64_t run_code(core_h7 *c, uint64_t budget)
{
	thumb_regs r;
	uint64_t done = 0;
	store_count sc = { &c->env.bus, 0, NULL, 0, 0 };
	const sim_bus bus = { counted_read, counted_write, &sc };
	spin_watch watch = { .valid = false };

	if (!(c->dbg->xpsr & XPSR_T)) {
		code_fault(c, THUMB_INVSTATE, c->dbg->pc); /* EPSR.T = 0: the first instruction faults */
		return 0;
	}
	regs_from_core(c->dbg, &r);
	if (c->env.ram_window)
		sc.ram = c->env.ram_window(c->env.ctx, r.r[15], &sc.ram_base, &sc.ram_size);
	while (done < budget && !bus_stalled(c)) {
		uint32_t info = 0;

		if (done > 0 && cortexm_dbg_breakpoint_at(c->dbg, r.r[15])) {
			regs_to_core(c->dbg, &r);
			cortexm_dbg_halt(c->dbg, CM_DFSR_BKPT);
			break;
		}
		if (spinning(&watch, &r, sc.stores, done)) {
			done = budget;
			break;
		}
		thumb_result res = thumb_step(&r, &bus, &info);

		if (res == THUMB_OK || res == THUMB_WFI)
			done++;
		if (res == THUMB_OK)
			continue;
		regs_to_core(c->dbg, &r);
		if (res == THUMB_WFI)
			cortexm_dbg_sleep(c->dbg);
		else if (res == THUMB_BKPT)
			code_bkpt(c, info);
		else
			code_fault(c, res, info);
		retire(c, done);
		c->code_instructions += done;
		return done;
	}
	regs_to_core(c->dbg, &r);
	retire(c, done);
	c->code_instructions += done;
	return done;
}

/*
 * The modelled programs spin at their entry point; a core resumed anywhere
 * else was moved there by the debugger, which loaded code to run.
 */
static void follow_debugger_pc(core_h7 *c)
{
	if (c->program == CORE_PROG_NONE || c->program == CORE_PROG_CODE || c->dbg->pc == c->spin_pc)
		return;
	sim_log_info("%s: resumed at 0x%08x, away from the %s at 0x%08x: executing the code there", core_name(c),
		     (unsigned)c->dbg->pc, core_h7_program_name(c->program), (unsigned)c->spin_pc);
	c->program = CORE_PROG_CODE;
}

uint64_t core_h7_run(core_h7 *c, uint64_t max_instructions)
{
	uint64_t done = 0;

	note_halt(c);
	if (!can_execute(c))
		return 0;
	follow_debugger_pc(c);
	/*
	 * The modelled firmware spins at its entry point (PC does not move), so
	 * an FPB breakpoint on that address is hit before the next instruction.
	 */
	if (c->program != CORE_PROG_LOCKED && cortexm_dbg_breakpoint_at(c->dbg, c->dbg->pc)) {
		cortexm_dbg_halt(c->dbg, CM_DFSR_BKPT);
		note_halt(c);
		return 0;
	}
	switch (c->program) {
	case CORE_PROG_LOCKED:
		lockup_now(c); /* resuming a locked-up core locks it up again at once */
		break;
	case CORE_PROG_SCRIPT:
		done = run_script(c, max_instructions);
		break;
	case CORE_PROG_IDLE:
	case CORE_PROG_BOOTLOADER:
		retire(c, max_instructions);
		done = max_instructions;
		break;
	case CORE_PROG_CODE:
		done = run_code(c, max_instructions);
		break;
	case CORE_PROG_NONE:
		break;
	}
	note_halt(c);
	return done;
}

void core_h7_run_until(core_h7 *c, sim_time_us now)
{
	if (now <= c->last) {
		core_h7_run(c, 0); /* due steps at the current count still happen */
		return;
	}
	uint64_t budget = (now - c->last) * CORE_H7_INSTRUCTIONS_PER_US;

	if (c->program != CORE_PROG_CODE) {
		c->last = now;
		core_h7_run(c, budget);
		return;
	}
	/* Interpreted: bounded by the wall time the interpreter does not owe (see core_h7.h). */
	uint64_t wall_ns = sim_wall_us(now - c->last) * 1000u;
	uint64_t paid = wall_ns < c->host_debt_ns ? wall_ns : c->host_debt_ns;
	uint64_t granted = (wall_ns - paid) * CORE_H7_CODE_PER_WALL_US / 1000u;

	c->host_debt_ns -= paid;
	budget = granted < budget ? granted : budget;
	budget = budget < CORE_H7_CODE_MAX_PER_SYNC ? budget : CORE_H7_CODE_MAX_PER_SYNC;
	c->last = now;
	if (budget == 0) {
		core_h7_run(c, 0); /* due steps only: not the interpreter's time */
		return;
	}
	uint64_t started = sim_host_ns();
	core_h7_run(c, budget);
	c->host_debt_ns += (sim_host_ns() - started) * CORE_H7_CODE_HOST_DEBT;
}

void core_h7_skip_to(core_h7 *c, sim_time_us now)
{
	if (now > c->last)
		c->last = now;
}
