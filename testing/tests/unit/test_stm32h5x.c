/*
 * Unit tests of the STM32H5 driver (src/flash/nor/stm32h5x*.c) and its `h5` commands: identify,
 * options, option programming, registers, erase, program, verify, blank check, against the fake
 * H5 of fake_h5_chip.h / fake_h5_bus.h behind the real bridge.  The product-state and credential
 * side is in test_stm32h5x_ps.c.
 */
#include "h5_test_util.h"

#define NSCR   (FH5_NS + 0x28)
#define NSSR   (FH5_NS + 0x20)
#define NSKEYR (FH5_NS + 0x04)
#define OPTCR  (FH5_NS + 0x1C)
#define SECCR  (FH5_S + 0x2C)

static int setup_484(void **state)
{
	*state = fx_new(0x484, 2048, 0xED, 0xC3);
	h5_ok(*state, "identify");
	return 0;
}

static int setup_484_tz(void **state)
{
	*state = fx_new(0x484, 2048, 0xED, 0xB4);
	h5_ok(*state, "identify");
	return 0;
}

static int setup_bare(void **state)
{
	*state = fx_new(0x484, 2048, 0xED, 0xC3);
	return 0;
}

/* ---- identify ----------------------------------------------------------------------------------- */

static void test_identify_reports_line_geometry_and_state(void **state)
{
	fixture *fx = *state;

	h5_ok(fx, "identify");
	assert_string_equal(r_get(fx, "dev_id"), "0x484");
	assert_string_equal(r_get(fx, "rev_id"), "0x1001");
	assert_string_equal(r_get(fx, "family"), "STM32H562/H563/H573");
	assert_int_equal(r_long(fx, "flash_kib"), 2048);
	assert_int_equal(r_long(fx, "flash_kib_known"), 1);
	assert_int_equal(r_long(fx, "bank_kib"), 1024);
	assert_int_equal(r_long(fx, "sectors_per_bank"), 128);
	assert_string_equal(r_get(fx, "bank2_base"), "0x08100000");
	assert_int_equal(r_long(fx, "trustzone"), 1);
	assert_string_equal(r_get(fx, "dbgmcu"), "0xe0044000");
	assert_int_equal(r_long(fx, "ap1"), 1);
	assert_string_equal(r_get(fx, "product_state"), "0xed");
	assert_string_equal(r_get(fx, "product_state_name"), "Open");
	assert_string_equal(r_get(fx, "tzen"), "0xc3");
	assert_int_equal(r_long(fx, "word_bytes"), 16);
	/* Non-secure transactions for the NS block, then OpenOCD's pattern put back as found. */
	assert_true(fx->w.m.nev > 0 && !fx->w.m.ev[0].secure);
	assert_int_equal(fx->w.m.csw[1], 0xa2000000);
}

static void test_identify_falls_back_and_reports_closed_ap1(void **state)
{
	fixture *fx = *state;

	fx->w.m.st_dbgmcu_answers = false;
	fx->w.m.cur[0x50 / 4] = (fx->w.m.cur[0x50 / 4] & ~0xFF00u) | 0x7200u;   /* Closed */
	h5_ok(fx, "identify");
	assert_string_equal(r_get(fx, "dbgmcu"), "0xe00e4000");
	assert_int_equal(r_long(fx, "ap1"), 0);
	assert_string_equal(r_get(fx, "product_state"), "");
	assert_string_equal(r_get(fx, "product_state_name"), "");
	assert_string_equal(r_get(fx, "tzen"), "");
	assert_int_equal(r_long(fx, "flash_kib_known"), 0);
	assert_int_equal(r_long(fx, "flash_kib"), 2048);
	h5_err(fx, "options", "AP1");
}

static void test_identify_examines_a_deferred_ap1(void **state)
{
	fixture *fx = *state;

	fx->w.m.ap1_unexamined = true;
	h5_ok(fx, "identify");
	assert_int_equal(r_long(fx, "ap1"), 1);
	assert_false(fx->w.m.ap1_unexamined);
	assert_string_equal(r_get(fx, "product_state_name"), "Open");
}

static void test_identify_h503_and_unknown_chips(void **state)
{
	fixture *fx = fx_new(0x474, 128, 0xED, 0);

	h5_ok(fx, "identify");
	assert_string_equal(r_get(fx, "dev_id"), "0x474");
	assert_int_equal(r_long(fx, "sectors_per_bank"), 8);
	assert_string_equal(r_get(fx, "bank2_base"), "0x08010000");
	assert_string_equal(r_get(fx, "tzen"), "");
	assert_int_equal(r_long(fx, "trustzone"), 0);
	fx->w.m.dev_id = 0x450;
	h5_err(fx, "identify", "0xe00e4000");
	assert_error_mentions("0xe0044000");
	assert_error_mentions("not an STM32H5");
	h5_err(fx, "options", "identify` first");
	fx_free((void **)&fx);
}

static void test_arguments_checked_before_the_chip(void **state)
{
	fixture *fx = *state;

	h5_err(fx, "options", "identify` first");
	h5_ok(fx, "identify");
	size_t nev = fx->w.m.nev;
	unsigned long cmds = fx->b->commands;
	assert_int_equal(h5_run(fx, "options_set SWAP_BANK"), -1);
	h5_err(fx, "options_set SWAP_BANK 1 IWDG_SW", "FIELD VALUE pairs");
	h5_err(fx, "options_set NO_SUCH_FIELD 1", "does not exist");
	h5_err(fx, "options_set SWAP_BANK 2", "does not fit");
	h5_err(fx, "options_set PRODUCT_STATE 0x17", "h5 product_state");
	h5_err(fx, "options_set NSBOOT_LOCK 0xB4", "irreversible");
	h5_err(fx, "options_set SWAP_BANK 1 -timeout", "wants 1 value");
	h5_err(fx, "options_set SWAP_BANK 1 -bank 1", "unknown option");
	h5_err(fx, "erase -bank 3", "banks are 1 and 2");
	h5_err(fx, "erase -sector 1 128", "sectors 0..127");
	h5_err(fx, "erase -bank 1 -sector 1 1", "exclude");
	h5_err(fx, "erase -timeout 5 -timeout 6", "given twice");
	h5_err(fx, "program /nonexistent/fw.bin", "cannot open image");
	h5_err(fx, "verify /nonexistent/fw.hex -offset x", "-offset ADDR");
	h5_err(fx, "timeout_scale 5", "10..10000");
	assert_int_equal(h5_run(fx, "identify extra"), -1);
	assert_int_equal(fx->w.m.nev, nev);
	assert_int_equal(fx->b->commands, cmds);
}

/* ---- options ------------------------------------------------------------------------------------ */

static void test_options_read_every_field(void **state)
{
	fixture *fx = *state;

	h5_ok(fx, "options");
	assert_string_equal(r_get(fx, "PRODUCT_STATE"), "0x000000ed");
	assert_string_equal(r_get(fx, "TZEN"), "0x000000c3");
	assert_string_equal(r_get(fx, "NSBOOTADD"), "0x00080000");
	assert_string_equal(r_get(fx, "WRPSG2"), "0xffffffff");
	assert_string_equal(r_get(fx, "BOOT_UBE"), "0x000000b4");
	assert_int_equal(fake_eval_long(fx->interp, "dict size $::r"), 40 - 2);  /* WRPSG rows of the H503 excluded */
}

static void test_options_set_programs_verifies_and_relocks(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	h5_ok(fx, "options_set SWAP_BANK 1 NSBOOTADD 0x080100");
	assert_string_equal(r_get(fx, "changed"), "SWAP_BANK 0x00000001 NSBOOTADD 0x00080100");
	assert_int_equal(m->cur[0x80 / 4], 0x080100C3u);
	assert_int_equal(m->cur[0x50 / 4] >> 31, 1);
	assert_int_equal(m->option_changes, 1);
	/* facts B.2 order: NSKEYR keys, OPTKEYR keys, _PRG, OPTSTRT, NSSR polled, OPTCR and NSCR locked. */
	long k1 = ev_find_value(m, 0, 'W', NSKEYR, 0x45670123), k2 = ev_find_value(m, 0, 'W', NSKEYR, 0xCDEF89AB);
	long o1 = ev_find_value(m, 0, 'W', FH5_NS + 0x0C, 0x08192A3B), prg = ev_find(m, 0, 'W', FH5_NS + 0x84);
	long strt = ev_find_value(m, 0, 'W', OPTCR, 0x00000002), poll = ev_find(m, (size_t)strt, 'R', NSSR);
	long lock = ev_find_value(m, (size_t)strt, 'W', OPTCR, 1);
	long nslock = ev_find_value(m, (size_t)strt, 'W', NSCR, 1);
	assert_true(k1 >= 0 && k1 < k2 && k2 < o1 && o1 < prg && prg < strt && strt < poll && poll < lock &&
		    lock < nslock);
	assert_true(m->optcr & 1);
	assert_true(m->ctl[0].cr & 1);
	/* The same again changes nothing and starts nothing. */
	h5_ok(fx, "options_set SWAP_BANK 1");
	assert_string_equal(r_get(fx, "changed"), "");
	assert_int_equal(m->option_changes, 1);
}

static void test_options_set_refused_by_the_chip_relocks(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	m->refuse_optstrt = true;
	h5_err(fx, "options_set IWDG_SW 0", "OPTCHANGEERR");
	assert_true(m->optcr & 1);
	assert_true(m->ctl[0].cr & 1);
	assert_int_equal((m->ctl[0].sr >> 23) & 1, 0);  /* cleared for the next attempt */
	/* A stale OPTCHANGEERR is cleared before starting (facts B.2: it blocks OPTSTRT). */
	m->ctl[0].sr |= 1u << 23;
	h5_ok(fx, "options_set IWDG_SW 0");
	assert_int_equal(m->option_changes, 1);
}

static void test_options_set_failures_name_the_cause(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	m->optsr_frozen = 1u << 3;
	h5_err(fx, "options_set IWDG_SW 0", "IWDG_SW reads 0x1, wanted 0x0");
	m->optsr_frozen = 0;
	m->stuck_busy = true;
	h5_err(fx, "options_set IWDG_SW 0 -timeout 30", "FLASH_NSSR");
	assert_error_mentions("waited");
	assert_true(m->optcr & 1);
	assert_true(m->ctl[0].cr & 1);
	m->stuck_busy = false;
	m->ctl[0].key_dead = true;
	h5_err(fx, "options_set IWDG_SW 0", "FLASH_NSCR stayed locked");
	assert_true(m->optcr & 1);
}

static void test_registers_skip_what_does_not_answer(void **state)
{
	fixture *fx = *state;

	h5_ok(fx, "registers");
	assert_string_equal(r_get(fx, "NSCR"), "0x00000001");
	assert_string_equal(r_get(fx, "OPTSR_CUR"), "0x2d30edd8");
	assert_string_equal(r_get(fx, "SECBOOTR_CUR"), "0x0c0000c3");
	/* Write-only keys and clear registers have nothing to show; TrustZone off: no secure ones. */
	assert_int_equal(fake_eval_long(fx->interp, "dict exists $::r NSKEYR"), 0);
	assert_int_equal(fake_eval_long(fx->interp, "dict exists $::r NSCCR"), 0);
	assert_int_equal(fake_eval_long(fx->interp, "dict exists $::r SECCR"), 0);
	assert_int_equal(fake_eval_long(fx->interp, "dict exists $::r SECBB2R4"), 0);
	/* TrustZone on, Open: the secure ones through the secure block with secure transactions. */
	fx->w.m.cur[0x70 / 4] = 0xB4000000u;
	fx->w.m.secbb[1][3] = 0x40;
	h5_ok(fx, "registers");
	assert_string_equal(r_get(fx, "SECCR"), "0x00000001");
	assert_string_equal(r_get(fx, "SECBB2R4"), "0x00000040");
	assert_string_equal(r_get(fx, "OPTSR2_CUR"), "0xb4000000");
	assert_string_equal(r_get(fx, "HDP2R_CUR"), "0x00000001");
	assert_int_equal(fx->w.m.csw[1], 0xa2000000);
	/* TZ-Closed: non-secure debug only; the secure ones are left out, the rest still read. */
	fx->w.m.cur[0x50 / 4] = (fx->w.m.cur[0x50 / 4] & ~0xFF00u) | 0xC600u;
	h5_ok(fx, "registers");
	assert_int_equal(fake_eval_long(fx->interp, "dict exists $::r SECCR"), 0);
	assert_string_equal(r_get(fx, "NSCR"), "0x00000001");
}

static void test_options_with_trustzone_use_secure_transactions(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	h5_ok(fx, "options_set SECWM1_STRT 0 SECWM1_END 3 SECBOOTADD 0x0C0100");
	assert_int_equal(m->cur[0xE0 / 4], 0x00030000u);
	assert_int_equal(m->cur[0x88 / 4], 0x0C0100C3u);
	long w = ev_find(m, 0, 'W', FH5_NS + 0xE4);
	assert_true(w >= 0 && m->ev[w].secure);
	assert_int_equal(m->csw[1], 0xa2000000);
	assert_int_equal(m->ctl[0].cr, 1);
	assert_int_equal(m->optcr & 1, 1);
}

/* ---- erase -------------------------------------------------------------------------------------- */

static void test_erase_sector_bank_and_all(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	memset(m->flash, 0x00, m->flash_size);
	h5_ok(fx, "erase -sector 2 3");
	assert_string_equal(r_get(fx, "erased"), "bank2/sector3");
	assert_true(ev_find_value(m, 0, 'W', NSCR, 0x80000000u | 3u << 6 | 4u) >= 0);
	assert_true(ev_find_value(m, 0, 'W', NSCR, 0x80000000u | 3u << 6 | 4u | 0x20u) >= 0);
	assert_int_equal(m->flash[0x100000 + 3 * 8192], 0xFF);
	assert_int_equal(m->flash[0x100000 + 4 * 8192], 0x00);
	assert_int_equal(m->flash[0x100000 + 3 * 8192 - 1], 0x00);
	assert_int_equal(m->sector_erases, 1);
	h5_ok(fx, "erase -bank 1 -timeout 1000");
	assert_string_equal(r_get(fx, "erased"), "bank1");
	assert_true(ev_find_value(m, 0, 'W', NSCR, 0x28) >= 0);
	assert_int_equal(m->flash[0xFFFFF], 0xFF);
	assert_int_equal(m->flash[0x100000], 0x00);
	h5_ok(fx, "erase");
	assert_string_equal(r_get(fx, "erased"), "bank1 bank2");
	assert_true(ev_find_value(m, 0, 'W', NSCR, 0x8020) >= 0);
	assert_int_equal(m->mass_erases, 1);
	assert_int_equal(m->flash[m->flash_size - 1], 0xFF);
	assert_int_equal(m->ctl[0].cr, 1);   /* locked, and nothing left armed (MER cleared first) */
}

static void test_erase_error_flags_by_name_and_relock(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	m->cur[0xE8 / 4] = 0xFFFFFFFEu;  /* sectors 0..3 of bank 1 write protected */
	h5_err(fx, "erase -sector 1 2", "WRPERR");
	assert_error_mentions("FLASH_NSSR = 0x00020000");
	assert_error_mentions("sector erase at 0x08004000");
	assert_true(m->ctl[0].cr & 1);
	assert_int_equal(m->ctl[0].sr & 0x00FE0000u, 0);
	m->stuck_busy = true;
	h5_err(fx, "erase -bank 2 -timeout 20", "waited");
	assert_true(m->ctl[0].cr & 1);
}

static void test_erase_with_trustzone_uses_secure_block_and_restores_secbb(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	m->secbb[0][0] = 0x5;
	h5_ok(fx, "erase -sector 1 40");
	long w = ev_find_value(m, 0, 'W', SECCR, 40u << 6 | 4u | 0x20u);
	assert_true(w >= 0 && m->ev[w].secure);
	assert_true(ev_find_value(m, 0, 'W', FH5_S + 0xA0, 0xFFFFFFFFu) >= 0);
	assert_int_equal(m->secbb[0][0], 0x5);
	assert_int_equal(m->secbb[1][3], 0);
	assert_true(m->ctl[1].cr & 1);
	assert_int_equal(m->csw[1], 0xa2000000);
	/* The failing path restores them too. */
	m->cur[0xE8 / 4] = 0xFFFFFFFEu;
	h5_err(fx, "erase -sector 1 0", "FLASH_SECSR");
	assert_int_equal(m->secbb[0][0], 0x5);
	assert_true(m->ctl[1].cr & 1);
}

/* ---- program, verify, blank check --------------------------------------------------------------- */

static uint8_t *pattern(size_t n, unsigned seed)
{
	uint8_t *d = malloc(n);
	assert_non_null(d);
	for (size_t i = 0; i < n; i++)
		d[i] = (uint8_t)((i * 31 + seed) ^ (i >> 8));
	return d;
}

static void test_program_binary_in_batches(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;
	uint8_t *d = pattern(20004, 7), md[32];
	char hex[65];

	memset(d + 9216, 0xFF, 64);           /* erased quad-words are skipped */
	h5_ok(fx, "erase");
	unsigned long before = fx->b->commands;
	Jim_SetVariableStrWithStr(fx->interp, "::f", fx_file(fx, ".bin", d, 20004));
	h5_ok(fx, "program [set ::f]");
	Jim_SetVariableStrWithStr(fx->interp, "::f", fx->tmp);
	assert_int_equal(r_long(fx, "bytes"), 20004);
	assert_string_equal(r_get(fx, "start"), "0x08000000");
	assert_string_equal(r_get(fx, "end"), "0x08004e24");
	sha256(d, 20004, md);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	assert_string_equal(r_get(fx, "sha256"), hex);
	assert_memory_equal(m->flash, d, 20004);
	assert_int_equal(m->flash[20004], 0xFF);   /* padding of the last quad-word */
	assert_int_equal(m->sector_erases, 3);
	assert_int_equal(m->quads, (20004 + 15) / 16 - 4);
	assert_int_equal(m->double_programs, 0);
	/* Per sector: one write of its quad-words (two for the sector with a hole) and one read back. */
	assert_int_equal(m->flash_write_cmds, 4);
	assert_int_equal(ev_count(m, 'W', 0x08000000, 0x08006000), (20004 + 15) / 16 * 4 - 16);
	assert_true(fx->b->commands - before <= 3 * 17 + 14);
	assert_true(m->ctl[0].cr & 1);
	free(d);
}

static void test_program_offset_swap_and_verify(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;
	uint8_t *d = pattern(100, 3);

	m->cur[0x50 / 4] |= 0x80000000u;  /* SWAP_BANK: 0x08000000 is physical bank 2 */
	m->optcr |= 0x80000000u;
	Jim_SetVariableStrWithStr(fx->interp, "::f", fx_file(fx, ".bin", d, 100));
	h5_ok(fx, "program [set ::f] -offset 0x2000");
	assert_string_equal(r_get(fx, "start"), "0x08002000");
	assert_true(ev_find_value(m, 0, 'W', NSCR, 0x80000000u | 1u << 6 | 4u) >= 0);
	assert_memory_equal(m->flash + 0x100000 + 0x2000, d, 100);
	h5_ok(fx, "verify [set ::f] -offset 0x2000");
	assert_int_equal(r_long(fx, "bytes"), 100);
	assert_int_equal(r_long(fx, "match"), 1);
	m->flash[0x100000 + 0x2000 + 37] ^= 0x10;
	h5_err(fx, "verify [set ::f] -offset 0x2000", "flash at 0x08002025 reads");
	assert_error_mentions("expected 0x");
	h5_err(fx, "program [set ::f] -offset 0x200000", "outside the 2048 KiB");
	free(d);
}

static void test_program_hex_through_secure_alias_with_trustzone(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;
	/* 16 bytes at 0x0C000000 (secure alias) and 4 at 0x08010000. */
	const char *hex = ":020000040C00EE\n:10000000000102030405060708090A0B0C0D0E0F78\n"
			  ":020000040801F1\n:04000000DEADBEEFC4\n:00000001FF\n";

	m->secbb[1][0] = 0x80000000u;
	Jim_SetVariableStrWithStr(fx->interp, "::f", fx_file(fx, ".hex", hex, strlen(hex)));
	h5_ok(fx, "program [set ::f]");
	assert_string_equal(r_get(fx, "start"), "0x08010000");
	assert_string_equal(r_get(fx, "end"), "0x0c000010");
	assert_int_equal(m->flash[15], 0x0F);
	assert_int_equal(m->flash[0x10003], 0xEF);
	long w = ev_find(m, 0, 'W', 0x0C000000u);
	assert_true(w >= 0 && m->ev[w].secure);
	assert_int_equal(m->secbb[1][0], 0x80000000u);
	assert_int_equal(m->secbb[0][0], 0);
	assert_int_equal(m->csw[1], 0xa2000000);
	h5_ok(fx, "verify [set ::f]");
}

static void test_program_errors_are_named_and_relock(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;
	uint8_t *d = pattern(64, 1);

	m->inject_errors = 1u << 19;
	Jim_SetVariableStrWithStr(fx->interp, "::f", fx_file(fx, ".bin", d, 64));
	h5_err(fx, "program [set ::f]", "quad-word programming at 0x08000000");
	assert_error_mentions("STRBERR");
	assert_true(m->ctl[0].cr & 1);
	/* A quad-word that does not take is caught by the read-back. */
	m->drop_quad_at = 0x20 + 1;
	h5_err(fx, "program [set ::f]", "verify after programming: flash at 0x08000020 reads 0xff, expected 0x");
	assert_true(m->ctl[0].cr & 1);
	m->drop_quad_at = 0;
	h5_ok(fx, "program [set ::f]");
	assert_memory_equal(m->flash, d, 64);
	free(d);
}

static void test_blank_check(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	h5_ok(fx, "blank_check");
	assert_int_equal(r_long(fx, "blank"), 1);
	assert_string_equal(r_get(fx, "first_non_blank"), "");
	m->flash[0x123457] = 0x7F;
	h5_ok(fx, "blank_check");
	assert_int_equal(r_long(fx, "blank"), 0);
	assert_string_equal(r_get(fx, "first_non_blank"), "0x08123457");
}

static void test_timeout_scale(void **state)
{
	fixture *fx = *state;

	h5_ok(fx, "timeout_scale");
	assert_int_equal(fake_eval_long(fx->interp, "set ::r"), 100);
	h5_ok(fx, "timeout_scale 250");
	h5_ok(fx, "timeout_scale");
	assert_int_equal(fake_eval_long(fx->interp, "set ::r"), 250);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identify_reports_line_geometry_and_state, setup_bare, fx_free),
		cmocka_unit_test_setup_teardown(test_identify_falls_back_and_reports_closed_ap1, setup_bare, fx_free),
		cmocka_unit_test_setup_teardown(test_identify_examines_a_deferred_ap1, setup_bare, fx_free),
		cmocka_unit_test(test_identify_h503_and_unknown_chips),
		cmocka_unit_test_setup_teardown(test_arguments_checked_before_the_chip, setup_bare, fx_free),
		cmocka_unit_test_setup_teardown(test_options_read_every_field, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_options_set_programs_verifies_and_relocks, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_options_set_refused_by_the_chip_relocks, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_options_set_failures_name_the_cause, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_registers_skip_what_does_not_answer, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_options_with_trustzone_use_secure_transactions, setup_484_tz,
						fx_free),
		cmocka_unit_test_setup_teardown(test_erase_sector_bank_and_all, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_erase_error_flags_by_name_and_relock, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_erase_with_trustzone_uses_secure_block_and_restores_secbb,
						setup_484_tz, fx_free),
		cmocka_unit_test_setup_teardown(test_program_binary_in_batches, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_program_offset_swap_and_verify, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_program_hex_through_secure_alias_with_trustzone, setup_484_tz,
						fx_free),
		cmocka_unit_test_setup_teardown(test_program_errors_are_named_and_relock, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_blank_check, setup_484, fx_free),
		cmocka_unit_test_setup_teardown(test_timeout_scale, setup_484, fx_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
