/*
 * FlashIdleWait, the step before an attach pulls NRST on a chip that answers: the flash must not
 * be erasing, programming or changing option bytes.  A reset then leaves the operation half done
 * (facts A.2: sectors partly erased, flash words with ECC errors; an option change cut in its
 * write phase leaves RDP 0xBB, seed 000).  The operation may be one the firmware started before it
 * was halted, or one an earlier session stopped waiting for.  Read-only: it waits, bounded by the
 * family's longest operation, and never touches the flash.
 */
#include <stdio.h>
#include <string.h>

#include "attach_internal.h"
#include "poll.h"

static ub_err wait_register_idle(attach_ctx *c, const ub_flash_busy_reg *reg, unsigned timeout_ms, bool *waited)
{
	uint32_t v = 0;
	ub_err e = ocd_mem_read32(c->b, c->core_ap, reg->addr, &v);

	if (e)
		return attach_wrap(c, e, "read %s (AP%u 0x%08x)", reg->name, c->core_ap.num, (unsigned)reg->addr);
	if (!(v & reg->mask))
		return UB_OK;
	*waited = true;
	attach_log(c, "%s (AP%u 0x%08x) = 0x%08x: the flash is erasing, programming or changing option bytes; "
		   "waiting for it to finish before NRST", reg->name, c->core_ap.num, (unsigned)reg->addr,
		   (unsigned)v);

	char step[96];
	snprintf(step, sizeof(step), "attach %s: %s", c->strategy, c->step);
	ub_poll p = { step, reg->name, c->core_ap, reg->addr, reg->mask, 0, timeout_ms, 0, false };
	e = ub_poll_until(c->b, &p, &v);
	return e ? attach_wrap(c, e, "NRST now would cut that operation short, so the chip is not reset") : UB_OK;
}

ub_err step_flash_idle_wait(attach_ctx *c)
{
	const ub_family *f = c->f;
	uint64_t start = ub_now_ms();
	bool waited = false;
	char names[128] = "";

	for (unsigned i = 0; i < UB_FLASH_BUSY_REGS && f->flash_busy[i].name; i++) {
		const ub_flash_busy_reg *reg = &f->flash_busy[i];
		if (reg->second_bank && c->o->single_bank)
			continue;
		unsigned spent = (unsigned)(ub_now_ms() - start);
		unsigned left = spent < f->flash_idle_timeout_ms ? f->flash_idle_timeout_ms - spent : 1u;
		ub_err e = wait_register_idle(c, reg, left, &waited);
		if (e)
			return e;
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", *names ? ", " : "", reg->name);
	}
	if (waited)
		attach_log(c, "%s idle after %u ms", names, (unsigned)(ub_now_ms() - start));
	else
		attach_log(c, "%s idle: no flash operation for NRST to cut short", names);
	return UB_OK;
}
