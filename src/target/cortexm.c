/*
 * A halted Cortex-M core driven through its MEM-AP (see cortexm.h).
 * Facts: ../shared/facts/stm32-facts.md C (DHCSR key and bits, DCRSR REGSEL
 * and REGWnR, DCRDR); every wait through ub_poll_until().
 */
#include "cortexm.h"

#include "poll.h"

static ub_err wait_regrdy(ocd_bridge *b, ub_ap ap, const char *step)
{
	ub_poll p = { step, "DHCSR", ap, CM_DHCSR, DHCSR_S_REGRDY, DHCSR_S_REGRDY, CM_REGRDY_MS, 0, false };
	return ub_poll_until(b, &p, NULL);
}

ub_err cm_reg_read(ocd_bridge *b, ub_ap ap, unsigned regsel, uint32_t *value)
{
	if (!b || !value || regsel > 0x7Fu)
		return ub_fail(UB_ERR_ARG, "cm_reg_read: bad argument (REGSEL %u)", regsel);
	ub_err e = ocd_mem_write32(b, ap, CM_DCRSR, regsel);
	if (e == UB_OK)
		e = wait_regrdy(b, ap, "core register read (DCRSR)");
	return e != UB_OK ? e : ocd_mem_read32(b, ap, CM_DCRDR, value);
}

ub_err cm_reg_write(ocd_bridge *b, ub_ap ap, unsigned regsel, uint32_t value)
{
	if (!b || regsel > 0x7Fu)
		return ub_fail(UB_ERR_ARG, "cm_reg_write: bad argument (REGSEL %u)", regsel);
	uint32_t back = 0;
	ub_err e = ocd_mem_write32(b, ap, CM_DCRDR, value);
	if (e == UB_OK)
		e = ocd_mem_write32(b, ap, CM_DCRSR, DCRSR_REGWNR | regsel);
	if (e == UB_OK)
		e = wait_regrdy(b, ap, "core register write (DCRSR)");
	if (e == UB_OK)
		e = cm_reg_read(b, ap, regsel, &back);
	if (e == UB_OK && back != value)
		e = ub_fail(UB_ERR_VERIFY, "core register %u (DCRSR REGSEL) reads 0x%08x after writing 0x%08x", regsel,
			    back, value);
	return e;
}

ub_err cm_run_masked(ocd_bridge *b, ub_ap ap)
{
	uint32_t dhcsr = 0;
	ub_err e = ocd_mem_read32(b, ap, CM_DHCSR, &dhcsr);
	if (e != UB_OK)
		return e;
	if (!(dhcsr & DHCSR_S_HALT))
		return ub_fail(UB_ERR_REFUSED, "run: the core is not halted (DHCSR 0x%08x at 0x%08x)", dhcsr, CM_DHCSR);
	/* C_MASKINTS may only change while the core is halted (Armv7-M C1.6.2). */
	e = ocd_mem_write32(b, ap, CM_DHCSR, DHCSR_DBGKEY | DHCSR_C_DEBUGEN | DHCSR_C_HALT | DHCSR_C_MASKINTS);
	return e != UB_OK ? e : ocd_mem_write32(b, ap, CM_DHCSR, DHCSR_DBGKEY | DHCSR_C_DEBUGEN | DHCSR_C_MASKINTS);
}

ub_err cm_halt(ocd_bridge *b, ub_ap ap, unsigned timeout_ms, uint32_t *dhcsr)
{
	ub_err e = ocd_mem_write32(b, ap, CM_DHCSR, DHCSR_DBGKEY | DHCSR_C_DEBUGEN | DHCSR_C_HALT);
	if (e != UB_OK)
		return e;
	ub_poll p = { "halt", "DHCSR", ap, CM_DHCSR, DHCSR_S_HALT, DHCSR_S_HALT, timeout_ms, 0, false };
	return ub_poll_until(b, &p, dhcsr);
}
