/*
 * Armv8-M additions of the Cortex-M33 (cortexm_v8m.c, facts C): identities
 * and ROM tables, DSCSR with its CDSKEY rule, banked stack pointers, limits
 * and special registers through DCRSR, DHCSR.S_SDE and DAUTHSTATUS, halting
 * prohibited in Secure state without secure debug (pending C_HALT, no reset
 * vector catch, no breakpoint, no PC sample), no VECTRESET, and a core
 * without the Security Extension (H503).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cortexm_dbg.h"

#define REGWNR (1u << 16)

typedef struct fixture {
	cortexm_dbg d;
	unsigned sysresetreqs, vectresets;
} fixture;

static void on_sysresetreq(void *ctx)
{
	((fixture *)ctx)->sysresetreqs++;
}

static void on_vectreset(void *ctx)
{
	((fixture *)ctx)->vectresets++;
}

static int setup_with(void **state, bool security)
{
	static fixture f;
	cortexm_dbg_config cfg = { 0x410FD214u, 0x484 };
	cortexm_dbg_hooks hooks = { on_sysresetreq, on_vectreset, NULL, &f };

	f.sysresetreqs = f.vectresets = 0;
	cortexm_dbg_init(&f.d, &cfg, &hooks);
	cortexm_dbg_set_security_extension(&f.d, security);
	*state = &f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, true);
}

static int setup_no_security(void **state)
{
	return setup_with(state, false);
}

static uint32_t rd(cortexm_dbg *d, uint32_t addr)
{
	uint32_t v = 0xDEADBEEFu;

	assert_int_equal(cortexm_dbg_read(d, addr, 4, &v), SIM_BUS_OK);
	return v;
}

static void wr(cortexm_dbg *d, uint32_t addr, uint32_t v)
{
	assert_int_equal(cortexm_dbg_write(d, addr, 4, v), SIM_BUS_OK);
}

/* Released from reset in `secure` state with secure debug `sde`, halted by the debugger. */
static void halted_core(cortexm_dbg *d, bool secure, bool sde)
{
	cortexm_dbg_set_security(d, secure, true, sde);
	cortexm_dbg_leave_reset(d, 0x0C000000u, 0x20010000u, 0x0C000201u);
	wr(d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	assert_int_equal(d->state, CM_STATE_HALTED);
}

static uint32_t reg_read(cortexm_dbg *d, uint32_t regsel)
{
	wr(d, CM_DCRSR, regsel);
	return rd(d, CM_DCRDR);
}

static void reg_write(cortexm_dbg *d, uint32_t regsel, uint32_t v)
{
	wr(d, CM_DCRDR, v);
	wr(d, CM_DCRSR, regsel | REGWNR);
}

static void test_identification(void **state)
{
	fixture *f = *state;
	uint32_t v;

	assert_int_equal(rd(&f->d, 0xE000ED00u), 0x410FD214u);
	assert_int_equal(rd(&f->d, 0xE000ED44u), 0x210u);       /* ID_PFR1: Security Extension */
	assert_int_equal(rd(&f->d, 0xE000EF40u), 0x10110021u);  /* MVFR0: FPv5 single precision */
	assert_int_equal(rd(&f->d, 0xE000EF44u), 0x11000011u);
	assert_int_equal(rd(&f->d, 0xE000EFBCu), 0x47702A04u);  /* SCS DEVARCH */
	assert_int_equal(rd(&f->d, 0xE0001FBCu), 0x47701A02u);  /* DWT DEVARCH: Armv8-M watchpoints */
	assert_int_equal(rd(&f->d, 0xE0002FBCu), 0x47701A03u);
	assert_int_equal(rd(&f->d, 0xE000EFE0u), 0x21u);        /* part 0xD21 */
	assert_int_equal(rd(&f->d, 0xE0002000u) >> 28, 1u);     /* FPBv2 */
	assert_int_equal(rd(&f->d, 0xE0042FF4u), 0x90u);        /* CTI at 0xE0042000, CoreSight class */
	assert_int_equal(cortexm_dbg_read(&f->d, 0xE0043000u, 4, &v), SIM_BUS_FAULT);
	/* PPB ROM table (part 0x4C9) lists SCS, DWT, FPB, ITM, ETM, CTI; the MCU ROM table only the PPB one. */
	assert_int_equal(rd(&f->d, 0xE00FFFE0u), 0xC9u);
	assert_int_equal(rd(&f->d, 0xE00FF014u), (0xE0042000u - 0xE00FF000u) | 3u);
	assert_int_equal(rd(&f->d, 0xE00FF018u), 0);
	assert_int_equal(rd(&f->d, 0xE00FE004u), 0);
	assert_int_equal(rd(&f->d, 0xE00FEFE8u), 0x1Au);        /* ST, revision 1 (facts B.1) */
	/* Read-only ID registers. */
	wr(&f->d, 0xE000ED44u, 0);
	assert_int_equal(rd(&f->d, 0xE000ED44u), 0x210u);
}

static void test_dscsr_key_rule(void **state)
{
	fixture *f = *state;

	halted_core(&f->d, true, true);
	assert_int_equal(rd(&f->d, CM_DSCSR), CM_DSCSR_CDS);
	wr(&f->d, CM_DSCSR, CM_DSCSR_CDSKEY | CM_DSCSR_SBRSELEN | CM_DSCSR_SBRSEL); /* CDS 0, but with the key */
	assert_int_equal(rd(&f->d, CM_DSCSR), CM_DSCSR_CDS | CM_DSCSR_SBRSELEN | CM_DSCSR_SBRSEL);
	wr(&f->d, CM_DSCSR, 0);
	assert_int_equal(rd(&f->d, CM_DSCSR), 0);
	assert_false(f->d.cds);
	/* Running: CDS cannot change. */
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN);
	wr(&f->d, CM_DSCSR, CM_DSCSR_CDS);
	assert_int_equal(rd(&f->d, CM_DSCSR), 0);
}

static void test_banked_registers(void **state)
{
	fixture *f = *state;

	halted_core(&f->d, true, true);
	assert_int_equal(reg_read(&f->d, CM_REG_MSP), 0x20010000u);
	assert_int_equal(reg_read(&f->d, CM_REG_MSP_S), 0x20010000u);
	reg_write(&f->d, CM_REG_MSP_NS, 0x20020000u);
	reg_write(&f->d, CM_REG_MSPLIM_S, 0x2000000Fu);
	reg_write(&f->d, CM_REG_SPECIAL_NS, 0x01000000u); /* CONTROL.nPRIV of the Non-secure state */
	assert_int_equal(reg_read(&f->d, CM_REG_MSPLIM_S), 0x20000008u); /* doubleword aligned */
	assert_int_equal(reg_read(&f->d, CM_REG_SPECIAL), 0);
	/* SBRSELEN/SBRSEL pick the Non-secure copies for REGSEL 17. */
	wr(&f->d, CM_DSCSR, CM_DSCSR_CDSKEY | CM_DSCSR_SBRSELEN);
	assert_int_equal(reg_read(&f->d, CM_REG_MSP), 0x20020000u);
	/* Switch the PE to Non-secure: the current copies change places. */
	wr(&f->d, CM_DSCSR, 0);
	assert_int_equal(reg_read(&f->d, CM_REG_SP), 0x20020000u);
	assert_int_equal(reg_read(&f->d, CM_REG_SPECIAL), 0x01000000u);
	assert_int_equal(reg_read(&f->d, CM_REG_MSP_S), 0x20010000u);
	assert_int_equal(reg_read(&f->d, CM_REG_SPECIAL_S), 0);
}

static void test_halting_prohibited_in_secure_state(void **state)
{
	fixture *f = *state;

	cortexm_dbg_set_security(&f->d, true, true, false);
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN);
	wr(&f->d, CM_DEMCR, CM_DEMCR_VC_CORERESET);
	cortexm_dbg_leave_reset(&f->d, 0x0C000000u, 0x20010000u, 0x0C000201u);
	assert_int_equal(f->d.state, CM_STATE_RUNNING); /* no reset vector catch */
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_S_SDE, 0);
	assert_int_equal(rd(&f->d, CM_DAUTHSTATUS), 0xAFu);
	assert_int_equal(rd(&f->d, 0xE000101Cu), 0xFFFFFFFFu); /* DWT_PCSR: no sample of Secure code */
	wr(&f->d, 0xE0002000u, 3);                                /* FPB on, a breakpoint at the PC */
	wr(&f->d, 0xE0002008u, 0x0C000201u);
	assert_false(cortexm_dbg_breakpoint_at(&f->d, 0x0C000200u));
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	assert_int_equal(f->d.state, CM_STATE_RUNNING); /* pending */
	assert_true(rd(&f->d, CM_DHCSR) & CM_C_HALT);
	cortexm_dbg_set_security(&f->d, false, true, false); /* the PE moves to Non-secure code */
	assert_int_equal(f->d.state, CM_STATE_HALTED);
	assert_true(rd(&f->d, CM_DFSR) & CM_DFSR_HALTED);
}

/* Invasive debug disabled (the boot ROM runs): no halting in either state. */
static void test_debug_disabled(void **state)
{
	fixture *f = *state;

	cortexm_dbg_set_security(&f->d, false, false, false);
	cortexm_dbg_leave_reset(&f->d, 0x0BF87000u, 0x20004000u, 0x0BF87201u);
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	assert_int_equal(f->d.state, CM_STATE_RUNNING);
	assert_int_equal(rd(&f->d, CM_DAUTHSTATUS), 0xAAu);
	cortexm_dbg_set_security(&f->d, false, true, false);
	assert_int_equal(f->d.state, CM_STATE_HALTED);
	assert_int_equal(rd(&f->d, CM_DAUTHSTATUS), 0xAFu);
	cortexm_dbg_set_security(&f->d, true, true, true);
	assert_true(rd(&f->d, CM_DHCSR) & CM_S_SDE);
	assert_int_equal(rd(&f->d, CM_DAUTHSTATUS), 0xFFu);
}

static void test_no_vectreset(void **state)
{
	fixture *f = *state;
	unsigned long before = sim_log_guest_error_count();

	halted_core(&f->d, false, false);
	wr(&f->d, CM_AIRCR, 0x05FA0001u);
	assert_int_equal(f->vectresets, 0);
	assert_int_equal(sim_log_guest_error_count(), before + 1);
	wr(&f->d, CM_AIRCR, 0x05FA0004u);
	assert_int_equal(f->sysresetreqs, 1);
}

/* The H503's Cortex-M33 has no Security Extension. */
static void test_without_security_extension(void **state)
{
	fixture *f = *state;

	assert_int_equal(rd(&f->d, 0xE000ED44u), 0x200u);
	cortexm_dbg_set_security(&f->d, true, true, true); /* ignored: there is no Secure state */
	cortexm_dbg_leave_reset(&f->d, 0x08000000u, 0x20004000u, 0x08000201u);
	assert_int_equal(rd(&f->d, CM_DAUTHSTATUS), 0x0Fu);
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_S_SDE, 0);
	assert_int_equal(rd(&f->d, CM_DSCSR), 0);
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	assert_int_equal(f->d.state, CM_STATE_HALTED);
	reg_write(&f->d, CM_REG_MSP_S, 0x12345678u);
	assert_int_equal(reg_read(&f->d, CM_REG_MSP_S), 0); /* RAZ/WI */
	assert_int_equal(reg_read(&f->d, CM_REG_MSP_NS), 0x20004000u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identification, setup),
		cmocka_unit_test_setup(test_dscsr_key_rule, setup),
		cmocka_unit_test_setup(test_banked_registers, setup),
		cmocka_unit_test_setup(test_halting_prohibited_in_secure_state, setup),
		cmocka_unit_test_setup(test_debug_disabled, setup),
		cmocka_unit_test_setup(test_no_vectreset, setup),
		cmocka_unit_test_setup(test_without_security_extension, setup_no_security),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
