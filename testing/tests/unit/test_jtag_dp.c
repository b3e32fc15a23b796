/*
 * Unit tests for testing/sim/jtag_dp.c, driven through the JTAG TAP exactly
 * as OpenOCD 0.12 drives a JTAG-DP: IR 0xA/0xB/0x8, 35-bit scans, posted
 * results collected by the next scan or by an RDBUFF read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "jtag_dp.h"
#include "jtag_tap.h"
#include "sim_common.h"

#define IR_ABORT 0x8u
#define IR_DPACC 0xAu
#define IR_APACC 0xBu
#define IR_IDCODE 0xEu

#define DP_CTRL_STAT 0x4u
#define DP_SELECT 0x8u
#define DP_RDBUFF 0xCu

#define STICKYERR (1u << 5)
#define STICKYORUN (1u << 1)
#define ORUNDETECT 1u
#define ACK_WAIT 0x1u
#define PWRUP_REQ 0x50000000u
#define PWRUP_ACK 0xA0000000u
#define ACK_OK 0x2u

/* ------------------------------------------------------------ fake AP -- */

typedef struct fake_ap {
	sim_ap ap;
	uint32_t regs[64];
	unsigned reads, writes;
	uint8_t last_offset;
	bool fault;
	bool enabled;
	uint64_t busy_until;      /* what the AP reports after a write (its bus stalls) */
} fake_ap;

static sim_bus_result fake_read(sim_ap *ap, uint8_t offset, uint32_t *value)
{
	fake_ap *f = (fake_ap *)ap;

	f->reads++;
	f->last_offset = offset;
	*value = f->regs[offset / 4];
	return f->fault ? SIM_BUS_FAULT : SIM_BUS_OK;
}

static sim_bus_result fake_write(sim_ap *ap, uint8_t offset, uint32_t value)
{
	fake_ap *f = (fake_ap *)ap;

	f->writes++;
	f->last_offset = offset;
	if (!f->fault)
		f->regs[offset / 4] = value;
	return f->fault ? SIM_BUS_FAULT : SIM_BUS_OK;
}

static bool fake_enabled(void *ctx)
{
	return ((fake_ap *)ctx)->enabled;
}

static uint64_t fake_busy_until(void *ctx)
{
	return ((fake_ap *)ctx)->busy_until;
}

static const sim_ap_ops fake_ops = { fake_read, fake_write };

/* ----------------------------------------------------------- fixture -- */

typedef struct fixture {
	jtag_chain chain;
	jtag_dp dp;
	fake_ap ap0, ap1;
	bool powered;
	unsigned pwr_calls;
	bool last_cdbg, last_csys;
} fixture;

static bool hook_powered(void *ctx)
{
	return ((fixture *)ctx)->powered;
}

static void hook_request(void *ctx, bool cdbg, bool csys)
{
	fixture *fx = ctx;

	fx->pwr_calls++;
	fx->last_cdbg = cdbg;
	fx->last_csys = csys;
}

static bool clk(fixture *fx, bool tms, bool tdi)
{
	jtag_chain_clock(&fx->chain, false, tms, tdi);
	bool tdo = jtag_chain_tdo(&fx->chain);

	jtag_chain_clock(&fx->chain, true, tms, tdi);
	return tdo;
}

static void tms_path(fixture *fx, const char *bits)
{
	for (const char *p = bits; *p; p++)
		clk(fx, *p == '1', false);
}

static uint64_t shift(fixture *fx, uint64_t out, unsigned n)
{
	uint64_t in = 0;

	for (unsigned i = 0; i < n; i++)
		in |= (uint64_t)clk(fx, i == n - 1, (out >> i) & 1u) << i;
	return in;
}

static void set_ir(fixture *fx, unsigned ir)
{
	tms_path(fx, "1100");
	shift(fx, ir, 4);
	tms_path(fx, "10");
}

/* One 35-bit scan under the current IR; returns the captured bits. */
static uint64_t scan35(fixture *fx, unsigned ir, bool read, unsigned addr, uint32_t data)
{
	set_ir(fx, ir);
	tms_path(fx, "100");
	uint64_t in = shift(fx, ((uint64_t)data << 3) | ((addr >> 2) & 3u) << 1 | read, 35);

	tms_path(fx, "10");
	assert_int_equal(in & 7u, ACK_OK); /* ADIv5 JTAG ACK OK/FAULT unless a write stalls */
	return in;
}

/* The same scan, returning whatever ACK it captured. */
static unsigned scan35_ack(fixture *fx, unsigned ir, bool read, unsigned addr, uint32_t data)
{
	set_ir(fx, ir);
	tms_path(fx, "100");
	uint64_t in = shift(fx, ((uint64_t)data << 3) | ((addr >> 2) & 3u) << 1 | read, 35);

	tms_path(fx, "10");
	return (unsigned)(in & 7u);
}

static void dp_write(fixture *fx, unsigned addr, uint32_t v)
{
	scan35(fx, IR_DPACC, false, addr, v);
}

/* Posted read: issue it, then collect the result with an RDBUFF read. */
static uint32_t dp_read(fixture *fx, unsigned addr)
{
	scan35(fx, IR_DPACC, true, addr, 0);
	return (uint32_t)(scan35(fx, IR_DPACC, true, DP_RDBUFF, 0) >> 3);
}

static void ap_write(fixture *fx, unsigned apsel, unsigned reg, uint32_t v)
{
	dp_write(fx, DP_SELECT, apsel << 24 | (reg & 0xF0u));
	scan35(fx, IR_APACC, false, reg & 0xCu, v);
}

static uint32_t ap_read(fixture *fx, unsigned apsel, unsigned reg)
{
	dp_write(fx, DP_SELECT, apsel << 24 | (reg & 0xF0u));
	scan35(fx, IR_APACC, true, reg & 0xCu, 0);
	return (uint32_t)(scan35(fx, IR_DPACC, true, DP_RDBUFF, 0) >> 3);
}

static int setup(void **state)
{
	static fixture fx;
	jtag_dp_config cfg = { .idcode = 0x6BA00477, .dpidr = 0x6BA02477, .targetid = 0x04500041,
			       .dlpidr = 0x00000001 };
	jtag_dp_hooks hooks = { .domain_powered = hook_powered, .powerup_request = hook_request, .ctx = &fx };
	jtag_tap_desc d;

	memset(&fx, 0, sizeof(fx));
	fx.powered = true;
	jtag_dp_init(&fx.dp, &cfg, &hooks);
	fx.ap0 = (fake_ap){ .ap = { .ops = &fake_ops, .enabled = fake_enabled, .chip_ctx = &fx.ap0 }, .enabled = true };
	fx.ap1 = (fake_ap){ .ap = { .ops = &fake_ops }, .enabled = true };
	fx.ap0.regs[0xFC / 4] = 0x84770001;
	fx.ap1.regs[0xFC / 4] = 0x54770002;
	jtag_dp_set_ap(&fx.dp, 0, &fx.ap0.ap);
	jtag_dp_set_ap(&fx.dp, 2, &fx.ap1.ap);
	jtag_chain_init(&fx.chain);
	jtag_dp_tap_desc(&fx.dp, &d);
	assert_int_equal(jtag_chain_add(&fx.chain, &d), 0);
	tms_path(&fx, "111110");
	*state = &fx;
	return 0;
}

/* OpenOCD's dap_dp_init sequence. */
static void power_up(fixture *fx)
{
	dp_write(fx, DP_CTRL_STAT, PWRUP_REQ | STICKYERR);
	dp_write(fx, DP_CTRL_STAT, PWRUP_REQ);
}

/* -------------------------------------------------------------- tests -- */

static void test_idcode_instruction(void **state)
{
	fixture *fx = *state;

	set_ir(fx, IR_IDCODE);
	tms_path(fx, "100");
	assert_int_equal((uint32_t)shift(fx, 0, 32), 0x6BA00477);
	tms_path(fx, "10");
	assert_int_equal(dp_read(fx, 0x0), 0x6BA02477); /* DPIDR */
}

static void test_power_up_handshake(void **state)
{
	fixture *fx = *state;

	assert_int_equal(dp_read(fx, DP_CTRL_STAT), 0);
	power_up(fx);
	assert_int_equal(fx->pwr_calls, 1);
	assert_true(fx->last_cdbg && fx->last_csys);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), PWRUP_REQ | PWRUP_ACK);
	/* With ORUNDETECT added, as OpenOCD does last. */
	dp_write(fx, DP_CTRL_STAT, PWRUP_REQ | 1u);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), PWRUP_REQ | PWRUP_ACK | 1u);
	/* Dropping the requests drops the acknowledges and tells the chip. */
	dp_write(fx, DP_CTRL_STAT, 0);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), 0);
	assert_int_equal(fx->pwr_calls, 2);
	assert_false(fx->last_cdbg || fx->last_csys);
}

static void test_unpowered_domain_never_acks(void **state)
{
	fixture *fx = *state;

	fx->powered = false;
	power_up(fx);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), PWRUP_REQ);
	/* Nothing behind an unpowered DP answers: the AP access faults. */
	assert_int_equal(ap_read(fx, 0, 0xFC), 0);
	assert_int_equal(fx->ap0.reads, 0);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT) & STICKYERR, STICKYERR);
	fx->powered = true;
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), PWRUP_REQ | PWRUP_ACK | STICKYERR);
}

static void test_posted_read_returns_previous_result(void **state)
{
	fixture *fx = *state;

	power_up(fx);
	/* The scan that issues a read captures the previous transaction's result... */
	scan35(fx, IR_DPACC, true, 0x0, 0);
	uint64_t in = scan35(fx, IR_DPACC, true, DP_CTRL_STAT, 0);

	assert_int_equal((uint32_t)(in >> 3), 0x6BA02477);
	/* ... and the value it asked for arrives with the next scan, whatever it is. */
	in = scan35(fx, IR_DPACC, false, DP_SELECT, 0);
	assert_int_equal((uint32_t)(in >> 3), PWRUP_REQ | PWRUP_ACK);
}

static void test_rdbuff_repeats_last_ap_read_without_access(void **state)
{
	fixture *fx = *state;

	power_up(fx);
	assert_int_equal(ap_read(fx, 0, 0xFC), 0x84770001);
	assert_int_equal(fx->ap0.reads, 1);
	/* RDBUFF reads return the last AP read again and start no AP access. */
	assert_int_equal(dp_read(fx, DP_RDBUFF), 0x84770001);
	assert_int_equal(dp_read(fx, DP_RDBUFF), 0x84770001);
	assert_int_equal(fx->ap0.reads, 1);
	assert_int_equal(fx->dp.ap_transactions, 1);
}

static void test_select_banks(void **state)
{
	fixture *fx = *state;

	power_up(fx);
	/* APSEL and APBANKSEL route the access. */
	assert_int_equal(ap_read(fx, 2, 0xFC), 0x54770002);
	assert_int_equal(fx->ap1.last_offset, 0xFC);
	ap_write(fx, 0, 0x14, 0xCAFEF00D);
	assert_int_equal(fx->ap0.last_offset, 0x14);
	assert_int_equal(fx->ap0.regs[0x14 / 4], 0xCAFEF00D);
	assert_int_equal(dp_read(fx, DP_SELECT), 0x00000010);
	/* DPBANKSEL selects what register 0x4 is. */
	dp_write(fx, DP_SELECT, 0x2);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), 0x04500041); /* TARGETID */
	dp_write(fx, DP_SELECT, 0x3);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), 0x00000001); /* DLPIDR */
	dp_write(fx, DP_SELECT, 0x4);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), 0); /* EVENTSTAT */
	dp_write(fx, DP_SELECT, 0x0);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), PWRUP_REQ | PWRUP_ACK);
}

static void test_absent_ap_reads_zero_without_fault(void **state)
{
	fixture *fx = *state;

	power_up(fx);
	assert_int_equal(ap_read(fx, 1, 0xFC), 0); /* IDR 0: OpenOCD's "no AP" */
	ap_write(fx, 7, 0x04, 0x1234);
	assert_int_equal(ap_read(fx, 200, 0xFC), 0);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT) & STICKYERR, 0);
	assert_int_equal(fx->dp.ap_faults, 0);
}

static void test_fault_sets_stickyerr_and_blocks_ap(void **state)
{
	fixture *fx = *state;

	power_up(fx);
	fx->ap0.fault = true;
	assert_int_equal(ap_read(fx, 0, 0x0C), 0);
	assert_int_equal(fx->dp.ap_faults, 1);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT) & STICKYERR, STICKYERR);
	/* While STICKYERR is set AP accesses are discarded: they never reach the AP. */
	fx->ap0.fault = false;
	unsigned before = fx->ap0.reads + fx->ap0.writes;

	assert_int_equal(ap_read(fx, 0, 0xFC), 0);
	ap_write(fx, 0, 0x04, 0x1);
	assert_int_equal(fx->ap0.reads + fx->ap0.writes, before);
	/* Writing 1 to STICKYERR in CTRL/STAT clears it (JTAG-DP), keeping power. */
	dp_write(fx, DP_CTRL_STAT, PWRUP_REQ | STICKYERR);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), PWRUP_REQ | PWRUP_ACK);
	assert_int_equal(ap_read(fx, 0, 0xFC), 0x84770001);
	/* Writing 0 to it does not clear it. */
	fx->ap0.fault = true;
	ap_read(fx, 0, 0xFC);
	dp_write(fx, DP_CTRL_STAT, PWRUP_REQ);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT) & STICKYERR, STICKYERR);
}

static void test_abort_cannot_clear_stickyerr_over_jtag(void **state)
{
	fixture *fx = *state;
	unsigned long ge = sim_log_guest_error_count();

	power_up(fx);
	fx->ap0.enabled = false; /* a disabled AP faults every access, IDR included */
	assert_int_equal(ap_read(fx, 0, 0xFC), 0);
	assert_int_equal(fx->ap0.reads, 0);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT) & STICKYERR, STICKYERR);
	/* DAPABORT cancels nothing here and leaves the flag. */
	scan35(fx, IR_ABORT, false, 0, 0x1);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT) & STICKYERR, STICKYERR);
	assert_int_equal(sim_log_guest_error_count(), ge);
	/* STKERRCLR is SW-DP only (SBZ on a JTAG-DP): ignored and reported. */
	scan35(fx, IR_ABORT, false, 0, 0x1E);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT) & STICKYERR, STICKYERR);
	assert_int_equal(sim_log_guest_error_count(), ge + 1);
	/* The JTAG way: write 1 to STICKYERR in CTRL/STAT. */
	dp_write(fx, DP_CTRL_STAT, PWRUP_REQ | STICKYERR);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT) & STICKYERR, 0);
	assert_int_equal(fx->dp.ap_faults, 1);
}

/*
 * A write the AP's bus has not finished: every scan answers WAIT and is discarded; with ORUNDETECT
 * the WAIT sets STICKYORUN and AP accesses are then discarded until it is cleared, so replaying the
 * WAITed scans (OpenOCD) performs each write once.  DAPABORT ends a WAIT.
 */
static void test_stalled_write_answers_wait(void **state)
{
	fixture *fx = *state;

	sim_clock_freeze(1000);
	fx->ap0.ap.busy_until = fake_busy_until;
	power_up(fx);
	dp_write(fx, DP_CTRL_STAT, PWRUP_REQ | ORUNDETECT);
	dp_write(fx, DP_SELECT, 0);
	fx->ap0.busy_until = 1500;
	scan35(fx, IR_APACC, false, 0xC, 0x11); /* accepted, its bus stalls until 1500 */
	assert_int_equal(scan35_ack(fx, IR_APACC, false, 0xC, 0x22), ACK_WAIT);
	assert_int_equal(scan35_ack(fx, IR_DPACC, true, DP_CTRL_STAT, 0), ACK_WAIT);
	assert_int_equal(fx->ap0.writes, 1);
	assert_int_equal(fx->dp.waits, 2);
	sim_clock_advance(500);
	fx->ap0.busy_until = 0;
	scan35(fx, IR_APACC, false, 0xC, 0x22); /* OK, but discarded: STICKYORUN */
	assert_int_equal(fx->ap0.writes, 1);
	assert_true(dp_read(fx, DP_CTRL_STAT) & STICKYORUN);
	dp_write(fx, DP_CTRL_STAT, PWRUP_REQ | ORUNDETECT | STICKYORUN);
	assert_false(dp_read(fx, DP_CTRL_STAT) & STICKYORUN);
	scan35(fx, IR_APACC, false, 0xC, 0x22); /* the replay */
	assert_int_equal(fx->ap0.writes, 2);
	assert_int_equal(fx->ap0.regs[0xC / 4], 0x22);

	fx->ap0.busy_until = 5000; /* without ORUNDETECT no flag; DAPABORT ends the wait */
	dp_write(fx, DP_CTRL_STAT, PWRUP_REQ);
	scan35(fx, IR_APACC, false, 0xC, 0x33);
	assert_int_equal(scan35_ack(fx, IR_DPACC, true, DP_CTRL_STAT, 0), ACK_WAIT);
	scan35_ack(fx, IR_ABORT, false, 0, 1);
	assert_false(dp_read(fx, DP_CTRL_STAT) & STICKYORUN);
	fx->ap0.ap.busy_until = NULL;
}

static void test_counters_and_reset(void **state)
{
	fixture *fx = *state;

	power_up(fx);
	ap_write(fx, 0, 0x04, 0x20000000);
	ap_read(fx, 0, 0x0C);
	ap_read(fx, 0, 0xFC);
	assert_int_equal(fx->dp.ap_transactions, 3);
	assert_int_equal(fx->dp.ap_faults, 0);
	fx->ap0.fault = true;
	ap_read(fx, 0, 0xFC);
	assert_int_equal(fx->dp.ap_faults, 1);
	jtag_dp_reset(&fx->dp);
	assert_int_equal(fx->dp.ctrl_stat, 0);
	assert_int_equal(fx->dp.select, 0);
	assert_int_equal(dp_read(fx, DP_CTRL_STAT), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_idcode_instruction, setup),
		cmocka_unit_test_setup(test_power_up_handshake, setup),
		cmocka_unit_test_setup(test_unpowered_domain_never_acks, setup),
		cmocka_unit_test_setup(test_posted_read_returns_previous_result, setup),
		cmocka_unit_test_setup(test_rdbuff_repeats_last_ap_read_without_access, setup),
		cmocka_unit_test_setup(test_select_banks, setup),
		cmocka_unit_test_setup(test_absent_ap_reads_zero_without_fault, setup),
		cmocka_unit_test_setup(test_fault_sets_stickyerr_and_blocks_ap, setup),
		cmocka_unit_test_setup(test_abort_cannot_clear_stickyerr_over_jtag, setup),
		cmocka_unit_test_setup(test_counters_and_reset, setup),
		cmocka_unit_test_setup(test_stalled_write_answers_wait, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
