/*
 * Armv7-M debug registers (facts C) as OpenOCD 0.12's cortex_m.c uses them:
 * identification, DHCSR key/halt/sticky bits, reset vector catch, DCRSR /
 * DCRDR register transfers, DEMCR persistence, AIRCR, DFSR, FPB, DWT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cortexm_dbg.h"

typedef struct fixture {
	cortexm_dbg d;
	unsigned sysresetreqs, vectresets, steps;
} fixture;

static void on_sysresetreq(void *ctx)
{
	((fixture *)ctx)->sysresetreqs++;
}

static void on_vectreset(void *ctx)
{
	((fixture *)ctx)->vectresets++;
}

static void on_step(void *ctx)
{
	((fixture *)ctx)->steps++;
}

static int setup_core(void **state, uint32_t cpuid)
{
	static fixture f;
	cortexm_dbg_config cfg = { cpuid, 0x450 };
	cortexm_dbg_hooks hooks = { on_sysresetreq, on_vectreset, on_step, &f };

	f.sysresetreqs = f.vectresets = f.steps = 0;
	cortexm_dbg_init(&f.d, &cfg, &hooks);
	*state = &f;
	return 0;
}

static int setup(void **state)
{
	return setup_core(state, 0x411FC271u);
}

/* The Cortex-M4 r0p1 of the dual-core STM32H745/47/55/57 (facts C). */
static int setup_m4(void **state)
{
	return setup_core(state, 0x410FC241u);
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

/* A core that left reset and runs. */
static void run_core(cortexm_dbg *d)
{
	cortexm_dbg_leave_reset(d, 0x08000000u, 0x24080000u, 0x08000299u);
	assert_int_equal(d->state, CM_STATE_RUNNING);
}

static void test_identification(void **state)
{
	fixture *f = *state;

	assert_int_equal(rd(&f->d, 0xE000ED00u), 0x411FC271u);
	/* FPv5 double precision, as cortex_m_examine compares (FPV5_DP). */
	assert_int_equal(rd(&f->d, 0xE000EF40u), 0x10110221u);
	assert_int_equal(rd(&f->d, 0xE000EF44u), 0x12000011u);
	assert_int_equal(rd(&f->d, 0xE000EF48u), 0x00000040u);
	/* FPB: rev 1, 8 code comparators, 0 literal. */
	assert_int_equal(rd(&f->d, 0xE0002000u), 0x10000080u);
	/* DWT: 4 comparators. */
	assert_int_equal(rd(&f->d, 0xE0001000u) >> 28, 4u);
	/* SCS-M7 identification and the PPB ROM table entry for it. */
	assert_int_equal(rd(&f->d, 0xE000EFE0u), 0x0Cu);
	assert_int_equal(rd(&f->d, 0xE000EFFCu), 0xB1u);
	assert_int_equal(rd(&f->d, 0xE00FF000u), 0xFFF0F003u);
	assert_int_equal(rd(&f->d, 0xE00FFFE0u), 0xC7u);
	/* MCU ROM table: ST part = DEV_ID, first entry the PPB ROM table. */
	assert_int_equal(rd(&f->d, 0xE00FE000u), 0x00001003u);
	assert_int_equal(rd(&f->d, 0xE00FEFE0u), 0x50u);
	assert_int_equal(rd(&f->d, 0xE00FEFE4u), 0x04u);
	assert_int_equal(rd(&f->d, 0xE00FEFCCu) & 1u, 1u); /* MEMTYPE: system memory present */
}

static void test_unimplemented_ppb_faults(void **state)
{
	fixture *f = *state;
	uint32_t v;

	assert_int_equal(cortexm_dbg_read(&f->d, 0xE0040000u, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(cortexm_dbg_write(&f->d, 0xE0080000u, 4, 0), SIM_BUS_FAULT);
}

static void test_dhcsr_key_and_halt(void **state)
{
	fixture *f = *state;
	uint32_t v;

	run_core(&f->d);
	wr(&f->d, CM_DHCSR, CM_C_DEBUGEN | CM_C_HALT); /* no key: ignored */
	assert_int_equal(rd(&f->d, CM_DHCSR) & (CM_C_DEBUGEN | CM_S_HALT), 0);
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN);
	v = rd(&f->d, CM_DHCSR);
	assert_int_equal(v & (CM_C_DEBUGEN | CM_S_HALT | CM_S_RETIRE_ST), CM_C_DEBUGEN | CM_S_RETIRE_ST);
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	v = rd(&f->d, CM_DHCSR);
	assert_int_equal(v & (CM_S_HALT | CM_C_HALT | CM_S_REGRDY), CM_S_HALT | CM_C_HALT | CM_S_REGRDY);
	assert_int_equal(rd(&f->d, CM_DFSR) & CM_DFSR_HALTED, CM_DFSR_HALTED);
	/* Resume: clear C_HALT. */
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN);
	assert_int_equal(f->d.state, CM_STATE_RUNNING);
	/* Clearing C_DEBUGEN clears the other control bits too. */
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_HALT);
	assert_int_equal(rd(&f->d, CM_DHCSR) & 0xFu, 0);
	assert_int_equal(f->d.state, CM_STATE_RUNNING);
}

static void test_sticky_bits(void **state)
{
	fixture *f = *state;

	/* Power-on: held in reset, S_RESET_ST stays 1 while held. */
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_S_RESET_ST, CM_S_RESET_ST);
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_S_RESET_ST, CM_S_RESET_ST);
	run_core(&f->d);
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_S_RESET_ST, CM_S_RESET_ST);
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_S_RESET_ST, 0); /* cleared by the read */
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	cortexm_dbg_retired(&f->d, 0);
	rd(&f->d, CM_DHCSR);
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_S_RETIRE_ST, 0); /* halted: nothing retired since */
}

static void test_reset_vector_catch(void **state)
{
	fixture *f = *state;

	/* Connect under reset: DEMCR and C_DEBUGEN written while the core is held. */
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN);
	wr(&f->d, CM_DEMCR, CM_DEMCR_TRCENA | CM_DEMCR_VC_CORERESET);
	cortexm_dbg_leave_reset(&f->d, 0x08000000u, 0x24080000u, 0x08000299u);
	assert_int_equal(f->d.state, CM_STATE_HALTED);
	assert_int_equal(rd(&f->d, CM_DFSR) & CM_DFSR_VCATCH, CM_DFSR_VCATCH);
	assert_int_equal(f->d.pc, 0x08000298u);
	assert_int_equal(f->d.msp, 0x24080000u);
	assert_int_equal(f->d.xpsr, 0x01000000u);
	/* DEMCR survives a system reset, not a power-on. */
	cortexm_dbg_enter_reset(&f->d);
	assert_int_equal(rd(&f->d, CM_DEMCR), CM_DEMCR_TRCENA | CM_DEMCR_VC_CORERESET);
	cortexm_dbg_power_on(&f->d);
	assert_int_equal(rd(&f->d, CM_DEMCR), 0);
	/* Without C_DEBUGEN the vector catch does nothing. */
	wr(&f->d, CM_DEMCR, CM_DEMCR_VC_CORERESET);
	run_core(&f->d);
}

static void test_c_halt_held_through_reset(void **state)
{
	fixture *f = *state;

	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	assert_int_equal(f->d.state, CM_STATE_RESET);
	cortexm_dbg_leave_reset(&f->d, 0x08000000u, 0x24080000u, 0x08000299u);
	assert_int_equal(f->d.state, CM_STATE_HALTED);
	assert_int_equal(rd(&f->d, CM_DFSR), CM_DFSR_HALTED);
}

static uint32_t reg_read(cortexm_dbg *d, uint32_t regsel)
{
	wr(d, CM_DCRSR, regsel);
	assert_int_equal(rd(d, CM_DHCSR) & CM_S_REGRDY, CM_S_REGRDY);
	return rd(d, CM_DCRDR);
}

static void reg_write(cortexm_dbg *d, uint32_t regsel, uint32_t v)
{
	wr(d, CM_DCRDR, v);
	wr(d, CM_DCRSR, regsel | (1u << 16));
	assert_int_equal(rd(d, CM_DHCSR) & CM_S_REGRDY, CM_S_REGRDY);
}

static void test_register_transfers(void **state)
{
	fixture *f = *state;

	run_core(&f->d);
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	assert_int_equal(reg_read(&f->d, CM_REG_PC), 0x08000298u);
	assert_int_equal(reg_read(&f->d, CM_REG_SP), 0x24080000u);
	reg_write(&f->d, 3, 0x12345678u);
	assert_int_equal(reg_read(&f->d, 3), 0x12345678u);
	reg_write(&f->d, CM_REG_PC, 0x08000401u);
	assert_int_equal(reg_read(&f->d, CM_REG_PC), 0x08000400u);
	reg_write(&f->d, CM_REG_PSP, 0x20001003u);
	assert_int_equal(reg_read(&f->d, CM_REG_PSP), 0x20001000u);
	/* CONTROL.SPSEL in Thread mode: SP is PSP. */
	reg_write(&f->d, CM_REG_SPECIAL, 0x02000000u);
	assert_int_equal(reg_read(&f->d, CM_REG_SP), 0x20001000u);
	reg_write(&f->d, CM_REG_SPECIAL, 0xFFFFFFFFu);
	assert_int_equal(reg_read(&f->d, CM_REG_SPECIAL), 0x0701F0F1u);
	reg_write(&f->d, CM_REG_FPSCR, 0xFFFFFFFFu);
	assert_int_equal(reg_read(&f->d, CM_REG_FPSCR), 0xF7C0009Fu);
	reg_write(&f->d, CM_REG_S0 + 31, 0x3F800000u);
	assert_int_equal(reg_read(&f->d, CM_REG_S31), 0x3F800000u);
	reg_write(&f->d, CM_REG_XPSR, 0xFFFFFFFFu);
	assert_int_equal(reg_read(&f->d, CM_REG_XPSR), 0xFF0FFDFFu);
}

static void test_dcrsr_needs_halt(void **state)
{
	fixture *f = *state;
	unsigned long errors = sim_log_guest_error_count();

	run_core(&f->d);
	wr(&f->d, CM_DCRSR, CM_REG_PC);
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_S_REGRDY, 0);
	assert_int_equal(sim_log_guest_error_count(), errors + 1);
}

static void test_aircr(void **state)
{
	fixture *f = *state;

	assert_int_equal(rd(&f->d, CM_AIRCR), 0xFA050000u);
	wr(&f->d, CM_AIRCR, 0x00000004u); /* no VECTKEY */
	assert_int_equal(f->sysresetreqs, 0);
	wr(&f->d, CM_AIRCR, 0x05FA0304u);
	assert_int_equal(f->sysresetreqs, 1);
	assert_int_equal(rd(&f->d, CM_AIRCR), 0xFA050300u);
	wr(&f->d, CM_AIRCR, 0x05FA0001u);
	assert_int_equal(f->vectresets, 1);
	/* Byte writes cannot carry the key. */
	assert_int_equal(cortexm_dbg_write(&f->d, CM_AIRCR, 1, 0x04), SIM_BUS_OK);
	assert_int_equal(f->sysresetreqs, 1);
}

static void test_dfsr_bits(void **state)
{
	fixture *f = *state;

	f->d.dfsr = CM_DFSR_HALTED | CM_DFSR_VCATCH;
	assert_int_equal(cortexm_dbg_write(&f->d, CM_DFSR, 1, CM_DFSR_VCATCH), SIM_BUS_OK);
	assert_int_equal(rd(&f->d, CM_DFSR), CM_DFSR_HALTED);
	wr(&f->d, CM_DFSR, 0x1Fu);
	assert_int_equal(rd(&f->d, CM_DFSR), 0);
}

static void test_single_step(void **state)
{
	fixture *f = *state;

	run_core(&f->d);
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	wr(&f->d, CM_DFSR, 0x1Fu);
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_STEP);
	assert_int_equal(f->steps, 1);
	assert_int_equal(f->d.state, CM_STATE_HALTED);
	assert_int_equal(rd(&f->d, CM_DFSR), CM_DFSR_HALTED);
}

static void test_lockup_and_halt(void **state)
{
	fixture *f = *state;

	run_core(&f->d);
	cortexm_dbg_lockup(&f->d, 0xFFFFFFFEu, 1u, 1u << 30);
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_S_LOCKUP, CM_S_LOCKUP);
	assert_int_equal(rd(&f->d, 0xE000ED2Cu), 1u << 30); /* HFSR FORCED */
	/* OpenOCD's poll clears lockup with C_HALT. */
	wr(&f->d, CM_DHCSR, CM_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	assert_int_equal(rd(&f->d, CM_DHCSR) & (CM_S_LOCKUP | CM_S_HALT), CM_S_HALT);
	assert_int_equal(reg_read(&f->d, CM_REG_XPSR), 0x01000003u);
	wr(&f->d, 0xE000ED2Cu, 1u << 30); /* W1C */
	assert_int_equal(rd(&f->d, 0xE000ED2Cu), 0);
	/* A system reset clears fault status, not debug state. */
	f->d.cfsr = 1;
	cortexm_dbg_enter_reset(&f->d);
	assert_int_equal(rd(&f->d, 0xE000ED28u), 0);
	assert_int_equal(rd(&f->d, CM_DHCSR) & CM_C_DEBUGEN, CM_C_DEBUGEN);
}

static void test_fpb_and_dwt(void **state)
{
	fixture *f = *state;

	wr(&f->d, 0xE0002000u, 1u); /* no KEY */
	assert_int_equal(rd(&f->d, 0xE0002000u) & 1u, 0);
	wr(&f->d, 0xE0002000u, 3u);
	assert_int_equal(rd(&f->d, 0xE0002000u), 0x10000081u);
	wr(&f->d, 0xE0002008u, 0x08000299u);
	assert_int_equal(rd(&f->d, 0xE0002008u), 0x08000299u);
	assert_true(cortexm_dbg_breakpoint_at(&f->d, 0x08000298u));
	assert_false(cortexm_dbg_breakpoint_at(&f->d, 0x0800029Au));
	wr(&f->d, 0xE0002000u, 2u); /* FPB disabled: no match */
	assert_false(cortexm_dbg_breakpoint_at(&f->d, 0x08000298u));
	wr(&f->d, 0xE0002000u, 3u);
	assert_int_equal(rd(&f->d, 0xE0002004u), 0); /* FP_REMAP: no remap */
	/* CYCCNT counts with TRCENA and CYCCNTENA. */
	run_core(&f->d);
	cortexm_dbg_retired(&f->d, 100);
	assert_int_equal(rd(&f->d, 0xE0001004u), 0);
	wr(&f->d, CM_DEMCR, CM_DEMCR_TRCENA);
	wr(&f->d, 0xE0001000u, 1u);
	cortexm_dbg_retired(&f->d, 100);
	assert_int_equal(rd(&f->d, 0xE0001004u), 100u);
	assert_int_equal(rd(&f->d, 0xE0001000u), 0x40000001u);
	assert_int_equal(rd(&f->d, 0xE000101Cu), 0x08000298u); /* PCSR while running */
	wr(&f->d, 0xE0001028u, 0x01000007u);                    /* FUNCTION0, MATCHED read-only */
	assert_int_equal(rd(&f->d, 0xE0001028u), 7u);
}

static void test_fp_feature_registers(void **state)
{
	fixture *f = *state;

	wr(&f->d, 0xE000ED88u, 0xFFFFFFFFu);
	assert_int_equal(rd(&f->d, 0xE000ED88u), 0x00F00000u); /* CP10/CP11 */
	assert_int_equal(rd(&f->d, 0xE000EF34u), 0xC0000000u); /* FPCCR reset */
	wr(&f->d, 0xE000EF40u, 0);                              /* MVFR0 read-only */
	assert_int_equal(rd(&f->d, 0xE000EF40u), 0x10110221u);
}

/* What OpenOCD 0.12's cortex_m_examine reads to report "Cortex-M4 r0p1" with FPv4-SP and 6 breakpoints. */
static void test_m4_identification(void **state)
{
	fixture *f = *state;

	assert_true(f->d.m4);
	assert_int_equal(rd(&f->d, 0xE000ED00u), 0x410FC241u);
	assert_int_equal(rd(&f->d, 0xE000EF40u), 0x10110021u);
	assert_int_equal(rd(&f->d, 0xE000EF44u), 0x11000011u);
	assert_int_equal(rd(&f->d, 0xE000EF48u), 0);          /* no MVFR2 before FPv5 */
	/* FPBv1: REV 0, NUM_CODE 6 (bits [7:4] and [14:12]), NUM_LIT 2. */
	assert_int_equal(rd(&f->d, 0xE0002000u), 0x00000260u);
	assert_int_equal(rd(&f->d, 0xE0002FE0u), 0x03u);     /* FPB-M3/M4 part */
	assert_int_equal(rd(&f->d, 0xE00FFFE0u), 0xC4u);     /* Cortex-M4 PPB ROM table */
	assert_int_equal(rd(&f->d, 0xE00FF000u), 0xFFF0F003u); /* first entry: SCS */
	assert_int_equal(rd(&f->d, 0xE0001000u) >> 28, 4u);
}

/* FPBv1 comparators: COMP[28:2] and REPLACE[31:30] pick the halfword, the code region only. */
static void test_m4_fpb_v1_breakpoints(void **state)
{
	fixture *f = *state;

	wr(&f->d, 0xE0002000u, 3u); /* KEY | ENABLE */
	assert_int_equal(rd(&f->d, 0xE0002000u) & 1u, 1u);
	wr(&f->d, 0xE0002008u, 0x08000298u | 0x40000000u | 1u); /* lower halfword of 0x08000298 */
	assert_true(cortexm_dbg_breakpoint_at(&f->d, 0x08000298u));
	assert_false(cortexm_dbg_breakpoint_at(&f->d, 0x0800029Au));
	wr(&f->d, 0xE0002008u, 0x08000298u | 0x80000000u | 1u); /* upper halfword */
	assert_false(cortexm_dbg_breakpoint_at(&f->d, 0x08000298u));
	assert_true(cortexm_dbg_breakpoint_at(&f->d, 0x0800029Au));
	wr(&f->d, 0xE0002008u, 0x08000298u | 1u); /* REPLACE 00: a remap, not a breakpoint */
	assert_false(cortexm_dbg_breakpoint_at(&f->d, 0x08000298u));
	/* A literal comparator (FP_COMP6) never breaks. */
	wr(&f->d, 0xE0002008u, 0);
	wr(&f->d, 0xE0002020u, 0x08000298u | 0xC0000000u | 1u);
	assert_false(cortexm_dbg_breakpoint_at(&f->d, 0x08000298u));
	/* Above the code region an FPBv1 comparator cannot match (the address bits do not exist). */
	wr(&f->d, 0xE000200Cu, 0x24000000u | 0xC0000000u | 1u);
	assert_false(cortexm_dbg_breakpoint_at(&f->d, 0x24000000u));
	assert_true(cortexm_dbg_breakpoint_at(&f->d, 0x04000000u)); /* bits [31:29] ignored: aliases */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identification, setup),
		cmocka_unit_test_setup(test_unimplemented_ppb_faults, setup),
		cmocka_unit_test_setup(test_dhcsr_key_and_halt, setup),
		cmocka_unit_test_setup(test_sticky_bits, setup),
		cmocka_unit_test_setup(test_reset_vector_catch, setup),
		cmocka_unit_test_setup(test_c_halt_held_through_reset, setup),
		cmocka_unit_test_setup(test_register_transfers, setup),
		cmocka_unit_test_setup(test_dcrsr_needs_halt, setup),
		cmocka_unit_test_setup(test_aircr, setup),
		cmocka_unit_test_setup(test_dfsr_bits, setup),
		cmocka_unit_test_setup(test_single_step, setup),
		cmocka_unit_test_setup(test_lockup_and_halt, setup),
		cmocka_unit_test_setup(test_fpb_and_dwt, setup),
		cmocka_unit_test_setup(test_fp_feature_registers, setup),
		cmocka_unit_test_setup(test_m4_identification, setup_m4),
		cmocka_unit_test_setup(test_m4_fpb_v1_breakpoints, setup_m4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
