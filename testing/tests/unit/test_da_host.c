/*
 * Unit tests of the host side of STM32H5 debug authentication: the mailbox transport
 * (src/target/adac_mailbox.c) and `stm32unbrick da ...` (da_cmd.c), against the fake OpenOCD of
 * fake_openocd.h with a scripted DA device on AP0 (fake_da_mailbox.h).  Every test ends by checking
 * that the host kept the handshake: no word written while HOST_ACK was set, no DEVICE read while
 * DEV_ACK was clear.  Credentials and responses: test_da_auth.c; against the simulator's device:
 * test_da_sim_agree.c.
 */
#include "da_host_testutil.h"

#include "adac_mailbox.h"
#include "da_auth.h"
#include "fake_openocd.h"
#include "fake_da_mailbox.h"

#define ST_ACK "0xe0044108"

/* ---- fixture ------------------------------------------------------------------------------------- */

typedef struct fixture {
	Jim_Interp *interp;
	ocd_bridge b;
	fdev d;
	ub_mailbox m;
} fixture;

/* `da SUB ARGS...` through the table exactly as module.c would dispatch it. */
static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->interp = fake_openocd_new();
	fd_defaults(&fx->d);
	root_hash_from_fixture(fx->d.root_hash);
	fd_install(fx->interp, &fx->d);
		ocd_bridge_init(&fx->b, fx->interp);
	Jim_CreateCommand(fx->interp, "da", da_dispatch, &fx->b, NULL);
	assert_int_equal(ocd_bridge_set_dap(&fx->b, "x.dap"), UB_OK);
	assert_int_equal(ocd_bridge_set_memap(&fx->b, ub_ap_num(0), "x.ap0"), UB_OK);
	assert_int_equal(ocd_bridge_set_memap(&fx->b, ub_ap_num(1), "x.ap1"), UB_OK);
	ub_mailbox_init(&fx->m, &fx->b);
	fx->m.word_timeout_ms = 20;
	fx->m.entry_timeout_ms = 40;
	ub_clear_error();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;

	/* The host's side of the handshake, in every test. */
	assert_int_equal(fx->d.words_lost, 0);
	assert_int_equal(fx->d.blind_reads, 0);
	Jim_FreeInterp(fx->interp);
	free(fx);
	return 0;
}

static const char *tcl(fixture *fx, const char *script)
{
	return Jim_String(fake_eval(fx->interp, script));
}

static int run(fixture *fx, const char *script, const char **result)
{
	return da_run(fx->interp, script, result);
}

static long call_count(fixture *fx, const char *name, const char *sub)
{
	return fake_calls(fx->interp, name, sub);
}

/* Neither the password nor any mailbox word made of it appears in `text`. */
/* ---- locating DBGMCU and entering DA ----------------------------------------------------------- */

static void test_find_dbgmcu_prefers_0xe0044000(void **state)
{
	fixture *fx = *state;

	assert_int_equal(ub_mailbox_find_dbgmcu(&fx->m), UB_OK);
	assert_int_equal(fx->m.dbgmcu, 0xE0044000u);
	assert_int_equal(fx->m.dev_id, 0x484);
	assert_int_equal(fx->m.rev_id, 0x1001);
}

static void test_find_dbgmcu_falls_back_and_names_both(void **state)
{
	fixture *fx = *state;

	fx->d.idcode_faults[0] = true;
	fx->d.idcode[1] = 0x10000478u;
	assert_int_equal(ub_mailbox_find_dbgmcu(&fx->m), UB_OK);
	assert_int_equal(fx->m.dbgmcu, 0xE00E4000u);
	assert_int_equal(fx->m.dev_id, 0x478);

	ub_mailbox_init(&fx->m, &fx->b);
	fx->d.idcode[1] = 0x10006450u;   /* an H7, not an H5 */
	assert_int_equal(ub_mailbox_find_dbgmcu(&fx->m), UB_ERR_UNSUPPORTED);
	assert_contains(ub_last_error(), "0xe0044000 failed");
	assert_contains(ub_last_error(), "0xe00e4000 read 0x10006450 (DEV_ID 0x450)");

	ub_mailbox_init(&fx->m, &fx->b);
	fx->d.idcode_faults[1] = true;
	assert_int_equal(ub_mailbox_find_dbgmcu(&fx->m), UB_ERR_MEM_READ);

	/* No mem_ap target for AP0: a setup error, said as such. */
	assert_int_equal(ocd_bridge_set_memap(&fx->b, ub_ap_num(0), ""), UB_OK);
	ub_mailbox_init(&fx->m, &fx->b);
	assert_int_equal(ub_mailbox_find_dbgmcu(&fx->m), UB_ERR_NOT_CONFIGURED);
	assert_contains(ub_last_error(), "no mem_ap target for AP0");
}

static void test_entry_under_reset(void **state)
{
	fixture *fx = *state;
	long assert_at, write_at, deassert_at;

	assert_int_equal(ub_mailbox_enter(&fx->m), UB_OK);
	assert_true(fx->m.session_open);
	assert_int_equal(fx->d.sessions, 1);
	assert_string_equal(tcl(fx, "set ::srst"), "deassert");
	/* NRST held, then the request, then NRST released (docs section 2). */
	assert_at = fake_eval_long(fx->interp, "lsearch -exact $::calls {adapter assert srst}");
	write_at = fake_eval_long(fx->interp, "lsearch -exact $::calls {x.ap0 write_memory 0xe0044100 32 0x4f454441}");
	deassert_at = fake_eval_long(fx->interp, "lsearch -exact $::calls {adapter deassert srst}");
	assert_true(assert_at >= 0 && assert_at < write_at && write_at < deassert_at);
	/* Released without OpenOCD's srst delay (the ROM's answer ends the wait), which is put back. */
	assert_string_equal(tcl(fx, "set ::srst_delay_at_release"), "0");
	assert_string_equal(tcl(fx, "set ::srst_delay"), "100");
	assert_int_equal(ub_mailbox_end(&fx->m, UB_OK), UB_OK);
	assert_int_equal(fx->d.resumes, 1);
	assert_false(fx->m.session_open);
}

static void test_entry_timeout_names_register_and_value(void **state)
{
	fixture *fx = *state;

	fx->d.rom_answers = false;
	assert_int_equal(ub_mailbox_enter(&fx->m), UB_ERR_TIMEOUT);
	assert_contains(ub_last_error(), "DA entry");
	assert_contains(ub_last_error(), "DBG_AUTH_ACK (AP0 " ST_ACK ")");
	assert_contains(ub_last_error(), "last read 0x00000001");
	assert_contains(ub_last_error(), "did not answer");
	assert_false(fx->m.session_open);
	assert_string_equal(tcl(fx, "set ::srst"), "deassert");
	/* No session: nothing to resume, so nothing is sent after the request. */
	assert_int_equal(ub_mailbox_end(&fx->m, UB_ERR_TIMEOUT), UB_ERR_TIMEOUT);
	assert_int_equal(call_count(fx, "x.ap0", "write_memory"), 1);
}

static void test_entry_wrong_reply_and_stale_words(void **state)
{
	fixture *fx = *state;

	fx->d.entry_reply = 0x12345678u;
	assert_int_equal(ub_mailbox_enter(&fx->m), UB_ERR_PARSE);
	assert_contains(ub_last_error(), "DBG_AUTH_DEVICE (AP0 0xe0044104) answered 0x12345678");
	assert_false(fx->m.session_open);

	/* A host word nobody took before the reset: the request is lost, and the message says why. */
	ub_mailbox_init(&fx->m, &fx->b);
	fx->m.entry_timeout_ms = 30;
	fx->d.ack = 1;
	fx->d.host = 0x00050000u;
	fx->d.rom_answers = true;
	assert_int_equal(ub_mailbox_enter(&fx->m), UB_ERR_TIMEOUT);
	assert_contains(ub_last_error(), "power-cycle");
	fx->d.words_lost = 0;   /* that loss was the point of the test */
}

static void test_entry_reset_failure(void **state)
{
	fixture *fx = *state;

	fake_eval(fx->interp, "dict set ::fail adapter {-4 {adapter: no srst} 0}");
	assert_int_equal(ub_mailbox_enter(&fx->m), UB_ERR_RESET);
	assert_contains(ub_last_error(), "asserting NRST");

	/* The request cannot be written: NRST is released all the same. */
	ub_mailbox_init(&fx->m, &fx->b);
	fake_eval(fx->interp, "set ::fail {}; dict set ::fail write_memory {-4 {write_memory: failed} 0}");
	assert_int_equal(ub_mailbox_enter(&fx->m), UB_ERR_MEM_WRITE);
	assert_contains(ub_last_error(), "writing the request 0x4f454441 to DBG_AUTH_HOST");
	assert_string_equal(tcl(fx, "set ::srst"), "deassert");
	fake_eval(fx->interp, "set ::fail {}");

	/* Deassert fails after the request was written: reported, and no session. */
	ub_mailbox_init(&fx->m, &fx->b);
	fake_eval(fx->interp, "dict set ::fail adapter {-4 {adapter: gone} 1}");
	assert_int_equal(ub_mailbox_enter(&fx->m), UB_ERR_RESET);
	assert_contains(ub_last_error(), "releasing NRST");
	assert_false(fx->m.session_open);
}

/* ---- words and packets ----------------------------------------------------------------------------- */

static void enter(fixture *fx)
{
	assert_int_equal(ub_mailbox_enter(&fx->m), UB_OK);
}

static ub_err discovery(fixture *fx, uint32_t *buf, size_t cap, ub_adac_response *r)
{
	uint32_t req[2] = { 0x00010000u, 0 };

	return ub_mailbox_transact(&fx->m, req, 2, fx->m.word_timeout_ms, "discovery", buf, cap, r);
}

static void test_send_timeout_names_step_register_and_value(void **state)
{
	fixture *fx = *state;
	uint32_t buf[64];
	ub_adac_response r;

	enter(fx);
	fx->d.consume_steps = 1000000;   /* the ROM stops taking words */
	assert_int_equal(discovery(fx, buf, 64, &r), UB_ERR_TIMEOUT);
	assert_contains(ub_last_error(), "DA discovery request word 2 of 2");
	assert_contains(ub_last_error(), "DBG_AUTH_ACK (AP0 " ST_ACK ")");
	assert_contains(ub_last_error(), "last read 0x00000001");
	assert_contains(ub_last_error(), "did not take the previous word");
	assert_int_equal(fx->m.words_sent, 2);   /* the request word and discovery word 1; word 2 never written */
}

static void test_receive_counts_and_round_trips(void **state)
{
	fixture *fx = *state;
	uint32_t buf[UB_ADAC_HEADER_WORDS + UB_ADAC_MAX_DATA_WORDS];
	ub_adac_response r;
	unsigned long before;

	enter(fx);
	before = ub_mailbox_commands(&fx->m);
	assert_int_equal(discovery(fx, buf, sizeof(buf) / sizeof(buf[0]), &r), UB_OK);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.data_count, 33);   /* ten TLVs, docs section 4 */
	assert_int_equal(fx->m.words_received, 1 + 2 + r.data_count);   /* DAOK + header + data */
	/* Sending: an ACK read and a write per word.  Receiving: one ACK poll for the first word,
	 * then one DEVICE+ACK read per word the ROM has ready (see adac_mailbox.c). */
	assert_true(ub_mailbox_commands(&fx->m) - before <= 2 * 2 + 1 + (2 + r.data_count));
	assert_int_equal(ub_mailbox_end(&fx->m, UB_OK), UB_OK);
}

static void test_receive_timeout_mid_response(void **state)
{
	fixture *fx = *state;
	uint32_t buf[64];
	ub_adac_response r;

	fx->d.script[1][0] = 0;
	fx->d.script[1][1] = 3;
	fx->d.script[1][2] = 0xAAAAAAAAu;
	fx->d.script_len[1] = 3;
	enter(fx);
	assert_int_equal(discovery(fx, buf, 64, &r), UB_ERR_TIMEOUT);
	assert_contains(ub_last_error(), "DA discovery response data word 2 of 3");
	assert_contains(ub_last_error(), "DBG_AUTH_ACK (AP0 " ST_ACK ")");
	assert_contains(ub_last_error(), "last read 0x00000000");
	assert_int_equal(ub_mailbox_end(&fx->m, UB_ERR_TIMEOUT), UB_ERR_TIMEOUT);
	assert_int_equal(fx->d.resumes, 1);
	assert_contains(ub_last_error(), "data word 2 of 3");   /* the first cause survives the session end */
}

/* A ROM that takes its time for every word and every answer: the host waits, never overruns. */
static void test_slow_device_keeps_the_handshake(void **state)
{
	fixture *fx = *state;
	const char *res;

	fx->d.consume_steps = 3;
	fx->d.reply_steps = 4;
	assert_int_equal(run(fx, "dict get [da discover] credential", &res), JIM_OK);
	assert_string_equal(res, "password");
	assert_true(call_count(fx, "sleep", NULL) > 0);
	assert_int_equal(fx->d.resumes, 1);
}

/* A scripted discovery answer; returns the error of the exchange, after the session ended. */
static ub_err hostile(fixture *fx, const uint32_t *words, unsigned n)
{
	uint32_t buf[UB_ADAC_HEADER_WORDS + UB_ADAC_MAX_DATA_WORDS];
	ub_adac_response r;
	ub_err e;

	memcpy(fx->d.script[1], words, n * sizeof(uint32_t));
	fx->d.script_len[1] = n;
	fx->d.resumes = 0;
	ub_mailbox_init(&fx->m, &fx->b);
	fx->m.word_timeout_ms = 20;
	enter(fx);
	e = discovery(fx, buf, sizeof(buf) / sizeof(buf[0]), &r);
	e = ub_mailbox_end(&fx->m, e);
	/* Every broken answer still ends with Resume boot, which the device takes and answers. */
	assert_int_equal(fx->d.resumes, 1);
	assert_null(strstr(ub_last_error(), "Resume boot failed"));
	return e;
}

static void test_hostile_responses(void **state)
{
	fixture *fx = *state;
	const uint32_t reserved[] = { 0x00000001u, 0 };
	const uint32_t unknown_status[] = { 0x12340000u, 0 };
	const uint32_t huge[] = { 0, 0x00100000u, 1, 2, 3 };
	const uint32_t extra[] = { 0, 1, 0x11111111u, 0x22222222u, 0x33333333u };
	const uint32_t bad_tlv[] = { 0, 2, 0x00010000u, 100 };

	assert_int_equal(hostile(fx, reserved, 2), UB_ERR_PARSE);
	assert_contains(ub_last_error(), "reserved half-word 0x0001");
	assert_int_equal(hostile(fx, unknown_status, 2), UB_ERR_PARSE);
	assert_contains(ub_last_error(), "unknown status 0x1234");
	assert_int_equal(hostile(fx, huge, 5), UB_ERR_PARSE);
	assert_contains(ub_last_error(), "data_count 1048576 words exceeds");
	assert_int_equal(hostile(fx, extra, 5), UB_ERR_PARSE);
	assert_contains(ub_last_error(), "sends more than its header says");
	/* Framing fine, content malformed: the codec's message, session ended all the same. */
	assert_int_equal(hostile(fx, bad_tlv, 4), UB_OK);
}

static void test_resume_failure_pulses_nrst(void **state)
{
	fixture *fx = *state;
	long pulses;

	fx->d.silent[5] = true;
	enter(fx);
	pulses = call_count(fx, "adapter", NULL);
	assert_int_equal(ub_mailbox_end(&fx->m, ub_fail(UB_ERR_PARSE, "first cause")), UB_ERR_PARSE);
	assert_contains(ub_last_error(), "first cause; then Resume boot failed");
	assert_contains(ub_last_error(), "NRST pulsed");
	assert_int_equal(call_count(fx, "adapter", NULL), pulses + 2);
	assert_string_equal(tcl(fx, "set ::srst"), "deassert");
}

/* ---- `da discover` ------------------------------------------------------------------------------------ */

static void test_discover_dict(void **state)
{
	fixture *fx = *state;
	const char *res;

	assert_int_equal(run(fx, "set r [da discover]; list [dict get $r dev_id] [dict get $r product_state] "
			     "[dict get $r product_state_name] [dict get $r tzen] [dict get $r credential] "
			     "[dict get $r psa_lifecycle] [dict get $r auth_version] [dict get $r sda_version] "
			     "[dict get $r cryptosystems] [dict get $r token_formats] [dict get $r cert_formats] "
			     "[dict get $r soc_id]", &res), JIM_OK);
	assert_string_equal(res, "0x484 0x72 Closed 0xc3 password 0x3000 1.0 2.4.0 {0x01 0x80} 0x0200 0x0202 "
			    "a0a1a2a3a4a5a6a7a8a9aaab00000000");
	assert_int_equal(fx->d.resumes, 1);
	assert_int_equal(fx->d.auth_starts, 0);
	assert_contains(tcl(fx, "join $::echoed \\n"), "discovery: DEV_ID 0x484, product state 0x72 (Closed)");
	assert_contains(tcl(fx, "join $::echoed \\n"), "discover done:");
}

static void test_discover_errors_end_the_session(void **state)
{
	fixture *fx = *state;
	const char *res;

	fx->d.drop_st_status = true;
	assert_int_equal(run(fx, "da discover", &res), JIM_ERR);
	assert_contains(res, "no ST status TLV 0x8000");
	assert_int_equal(fx->d.resumes, 1);

	fx->d.drop_st_status = false;
	fx->d.dev_id = 0x478;             /* discovery disagrees with DBGMCU */
	assert_int_equal(run(fx, "da discover", &res), JIM_ERR);
	assert_contains(res, "SoC class 0x478 differs from DBGMCU DEV_ID 0x484");
	assert_int_equal(fx->d.resumes, 2);

	assert_int_equal(run(fx, "da discover -timeout 0", &res), JIM_ERR);
	assert_contains(res, "-timeout 0 ms is not in 1..60000");
	assert_int_equal(run(fx, "da discover -bogus 1", &res), JIM_ERR);
	assert_int_equal(fx->d.sessions, 2);
}

/* ---- `da regress` ----------------------------------------------------------------------------------- */

static void test_regress_password(void **state)
{
	fixture *fx = *state;
	const char *res;

	assert_int_equal(run(fx, "set r [da regress -password " FIX("password.bin") "]", &res), JIM_OK);
	assert_no_secret_anywhere(fx->interp, res);
	assert_string_equal(tcl(fx, "dict remove $r duration_ms"), "kind password partial 0 status SUCCESS");
	assert_true(fake_eval_long(fx->interp, "dict get $r duration_ms") >= 0);
	assert_true(fx->d.regressed);
	/* After success the device resets itself: no Resume boot; the DAP is reconnected. */
	assert_int_equal(fx->d.resumes, 0);
	assert_true(call_count(fx, "dap", "init") >= 1);
}

static void test_regress_wrong_password(void **state)
{
	fixture *fx = *state;
	const char *res;

	assert_int_equal(run(fx, "da regress -password " FIX("wrong-password.bin"), &res), JIM_ERR);
	assert_string_equal(res, "debug authentication refused (UNAUTHORIZED): the password was not accepted; "
			    "nothing was changed");
	assert_false(fx->d.regressed);
	assert_int_equal(fx->d.resumes, 1);
	assert_no_secret_anywhere(fx->interp, res);
	assert_no_secret("not-the-password");
}

static void test_regress_refuses_before_any_secret(void **state)
{
	fixture *fx = *state;
	const char *res;

	fx->d.cred_kind = 2;   /* a certificate is provisioned */
	assert_int_equal(run(fx, "da regress -password " FIX("password.bin"), &res), JIM_ERR);
	assert_contains(res, "reports credential 'certificate', not a password: nothing was sent");
	fx->d.cred_kind = 1;
	fx->d.product_state = 0x5C;
	assert_int_equal(run(fx, "da regress -password " FIX("password.bin"), &res), JIM_ERR);
	assert_contains(res, "Locked");
	fx->d.product_state = 0x72;
	fx->d.tzen = 0xB4;
	assert_int_equal(run(fx, "da regress -password " FIX("password.bin"), &res), JIM_ERR);
	assert_contains(res, "TZEN 0xb4");
	/* Three sessions, each discovered and resumed; no challenge asked, nothing authenticated. */
	assert_int_equal(fx->d.sessions, 3);
	assert_int_equal(fx->d.resumes, 3);
	assert_int_equal(fx->d.auth_starts, 0);
	assert_int_equal(fx->d.auth_responses, 0);
	assert_no_secret_anywhere(fx->interp, res);
}

static void cert_device(fixture *fx)
{
	fx->d.cred_kind = 2;
	fx->d.tzen = 0xB4;
	fx->d.permissions = 3;
}

static void test_regress_certificate_full_and_partial(void **state)
{
	fixture *fx = *state;
	const char *res;

	cert_device(fx);
	assert_int_equal(run(fx, "dict remove [da regress -cert " FIX("chain.pem") " -key " FIX("leaf.key.pem")
			     "] duration_ms", &res), JIM_OK);
	assert_string_equal(res, "kind certificate partial 0 status SUCCESS");
	assert_true(fx->d.regressed);
	assert_false(fx->d.partial);

	fd_defaults(&fx->d);
	root_hash_from_fixture(fx->d.root_hash);
	cert_device(fx);
	assert_int_equal(run(fx, "dict get [da regress -cert " FIX("chain.pem") " -key " FIX("leaf.key.pem")
			     " -partial] partial", &res), JIM_OK);
	assert_string_equal(res, "1");
	assert_true(fx->d.regressed);
	assert_true(fx->d.partial);
}

static void test_regress_certificate_refused(void **state)
{
	fixture *fx = *state;
	const char *res;

	cert_device(fx);
	fx->d.root_hash[0] ^= 1;   /* the device trusts another root */
	assert_int_equal(run(fx, "da regress -cert " FIX("chain.pem") " -key " FIX("leaf.key.pem"), &res), JIM_ERR);
	assert_string_equal(res, "debug authentication refused (UNAUTHORIZED): the key or certificate chain was not "
			    "accepted; nothing was changed");
	assert_int_equal(fx->d.resumes, 1);

	/* Key of another certificate: refused while loading, the chip never touched. */
	fake_eval(fx->interp, "set ::calls {}");
	assert_int_equal(run(fx, "da regress -cert " FIX("chain.pem") " -key " FIX("wrong.key.pem"), &res), JIM_ERR);
	assert_contains(res, "is not the key of the last certificate (2)");
	assert_int_equal(fake_total_calls(fx->interp), 0);
}

static void test_regress_arguments_checked_first(void **state)
{
	fixture *fx = *state;
	static const char *const bad[] = {
		"da regress -timeout 100 -partial",
		"da regress -password " FIX("password.bin") " -cert " FIX("chain.pem"),
		"da regress -password " FIX("password.bin") " -partial",
		"da regress -cert " FIX("chain.pem"),
		"da regress -password " FIX("password.bin") " -timeout 0",
		"da regress -password",
		"da regress -password /nonexistent/pw.bin",
		"da regress -pasword " FIX("password.bin"),
	};
	const char *res;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(run(fx, bad[i], &res), JIM_ERR);
	assert_contains(res, "unknown option '-pasword'");
	assert_int_equal(fake_total_calls(fx->interp), 0);
}

/* `da password_check`: the length by regress's own rule, secrets never in the answer, no chip access. */
static void test_password_check(void **state)
{
	fixture *fx = *state;
	const char *res;

	assert_int_equal(run(fx, "da password_check " FIX("password.bin"), &res), JIM_OK);
	assert_true(strtol(res, NULL, 10) >= 4 && strtol(res, NULL, 10) <= 16);
	assert_no_secret_anywhere(fx->interp, res);
	assert_int_equal(run(fx, "da password_check /nonexistent/pw.bin", &res), JIM_ERR);
	assert_contains(res, "/nonexistent/pw.bin");
	assert_int_equal(run(fx, "da password_check", &res), JIM_ERR);
	assert_int_equal(fake_total_calls(fx->interp), 0);
}

/* A device whose AP1 is enabled during the session (Provisioning, facts B.3); after the
 * regression starts, `gap_reads` DBGMCU_SR reads show AP1 away. */
static void ap1_enabled_in_session(fixture *fx, int gap_reads)
{
	fd_defaults(&fx->d);
	fx->d.sr |= 1u << 17;
	fx->d.gap_reads = gap_reads;
	fx->d.product_state = 0x17;
}

static void regress_fails_without_sign_of_reset(fixture *fx)
{
	const char *res;

	assert_int_equal(run(fx, "da regress -password " FIX("password.bin") " -timeout 60", &res), JIM_ERR);
	assert_contains(res, "no sign of the regression's reset");
}

static void test_regress_wait_bounded(void **state)
{
	fixture *fx = *state;
	const char *res;

	fx->d.gap_reads = -1;   /* AP1 never comes back */
	assert_int_equal(run(fx, "da regress -password " FIX("password.bin") " -timeout 60", &res), JIM_ERR);
	assert_contains(res, "DA regression: waited");
	assert_contains(res, "DBGMCU_SR (AP0 0xe00440fc)");
	assert_contains(res, "last read 0x00010003");

	/* AP1 enabled during the session: enabled alone is no proof of the reset. */
	ap1_enabled_in_session(fx, 0);
	fx->d.regression_resets = false;
	regress_fails_without_sign_of_reset(fx);

	/* The same, but the regression reset the core: DHCSR.S_RESET_ST says so even though no poll
	 * caught AP1 away (a short erase, a slow host).  The session's own read cleared the bit the
	 * entry reset had set, so that one cannot pass for the regression's. */
	ap1_enabled_in_session(fx, 0);
	assert_int_equal(run(fx, "da regress -password " FIX("password.bin") " -timeout 2000", &res), JIM_OK);
	assert_true(fake_calls(fx->interp, "x.ap1", "read_memory") >= 2);

	/* The session's read failed: S_RESET_ST may still hold the entry's reset, so it is not used. */
	ap1_enabled_in_session(fx, 0);
	fx->d.dhcsr_faults = 1;
	regress_fails_without_sign_of_reset(fx);

	/* A poll caught AP1 away. */
	ap1_enabled_in_session(fx, 3);
	fx->d.regression_resets = false;
	assert_int_equal(run(fx, "da regress -password " FIX("password.bin") " -timeout 2000", &res), JIM_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find_dbgmcu_prefers_0xe0044000, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_dbgmcu_falls_back_and_names_both, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_under_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_timeout_names_register_and_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_wrong_reply_and_stale_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_reset_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_timeout_names_step_register_and_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receive_counts_and_round_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receive_timeout_mid_response, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_device_keeps_the_handshake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_responses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_failure_pulses_nrst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discover_dict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discover_errors_end_the_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regress_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regress_wrong_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regress_refuses_before_any_secret, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regress_certificate_full_and_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regress_certificate_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regress_arguments_checked_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regress_wait_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_check, setup, teardown),
	};

	/* DA_TEST_FILTER=test_regress_* runs a subset (cmocka's own pattern syntax). */
	if (getenv("DA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("DA_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
