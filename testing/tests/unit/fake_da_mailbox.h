/*
 * A scripted STM32H5 debug-authentication device behind AP0, for test_da_host.c, on top of the fake
 * OpenOCD of fake_openocd.h.  It follows docs/h5-debug-authentication.md independently of the host
 * code under test: DBGMCU IDCODE/SR at both debugger addresses, the mailbox handshake of section 1,
 * entry under reset (section 2), Discovery (4), Start authentication and the password / certificate
 * responses (5), Resume boot, and the regression's effect on DBGMCU_SR (6).
 *
 * Time: the device acts in "steps", taken when the host reads DBG_AUTH_ACK and on every `sleep`.
 * It answers one request at a time: no host word is taken while answer words are still unread.
 * A host word waits `consume_steps` steps before the device takes it; a reply waits `reply_steps`.
 *
 * It also checks the host's side of the handshake: `words_lost` counts host words written while
 * HOST_ACK = 1, `blind_reads` DEVICE reads while DEV_ACK = 0 (both must stay 0).
 *
 * Scripting: `script[cmd]` replaces the answer to a command with raw words; `silent[cmd]` drops it.
 */
#ifndef STM32UNBRICK_FAKE_DA_MAILBOX_H
#define STM32UNBRICK_FAKE_DA_MAILBOX_H

#include <jim.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/bn.h>
#include <openssl/x509.h>

#define FD_ST 0xE0044000u
#define FD_RM 0xE00E4000u
#define FD_MAX_WORDS 2048u
#define FD_CMDS 8u

typedef struct fdev {
	/* configuration */
	uint32_t idcode[2];         /* at FD_ST, FD_RM */
	bool idcode_faults[2];
	bool rom_answers;           /* the ROM enters DA on "OEDA" */
	uint32_t entry_reply;
	unsigned consume_steps, reply_steps;
	uint8_t product_state, cred_kind, tzen;
	uint16_t dev_id;
	uint8_t password[16];
	size_t password_len;
	uint8_t root_hash[32];
	uint32_t permissions;       /* provisioned permission word */
	bool drop_st_status;        /* discovery without TLV 0x8000 */
	uint32_t sr;                /* DBGMCU_SR */
	int gap_reads;              /* after a regression: SR reads with AP1 off (<0: never back) */
	bool regression_resets;     /* the regression ends with a reset of the core (DHCSR.S_RESET_ST) */
	unsigned dhcsr_faults;      /* the next DHCSR reads through AP1 that fault */
	uint32_t script[FD_CMDS][64];
	unsigned script_len[FD_CMDS];
	bool silent[FD_CMDS];
	/* state */
	bool srst, active, challenge_valid;
	bool core_reset;            /* DHCSR.S_RESET_ST on AP1: set by a reset, cleared by a read */
	uint32_t host, device, ack;
	unsigned host_wait, reply_wait;
	uint32_t rx[FD_MAX_WORDS];
	size_t rx_n;
	uint32_t tx[FD_MAX_WORDS];
	size_t tx_n, tx_pos;
	uint8_t nonce[32];
	/* what happened */
	unsigned words_lost, blind_reads, sessions, resumes, auth_responses, auth_starts, discoveries;
	bool regressed, partial;
	uint32_t last_status;
} fdev;

static void fd_defaults(fdev *d)
{
	memset(d, 0, sizeof(*d));
	d->idcode[0] = d->idcode[1] = 0x10010484u;
	d->rom_answers = true;
	d->entry_reply = 0x44414F4Bu;
	d->product_state = 0x72;
	d->cred_kind = 1;
	d->tzen = 0xC3;
	d->dev_id = 0x484;
	memcpy(d->password, "unbrick-me-2026", 15);
	d->password_len = 15;
	d->permissions = 1;
	d->sr = 0x00010003u;        /* AP0 and AP1 present, AP0 enabled (facts B.1 reset value) */
	d->gap_reads = 2;
	d->regression_resets = true;
}

static void fd_queue(fdev *d, uint32_t w)
{
	if (d->tx_n < FD_MAX_WORDS)
		d->tx[d->tx_n++] = w;
}

static void fd_tlv(fdev *d, uint16_t type, const uint8_t *v, uint32_t len)
{
	fd_queue(d, (uint32_t)type << 16);
	fd_queue(d, len);
	for (uint32_t i = 0; i < len; i += 4) {
		uint32_t w = 0;
		for (uint32_t k = 0; k < 4 && i + k < len; k++)
			w |= (uint32_t)v[i + k] << (8 * k);
		fd_queue(d, w);
	}
}

/* A response: header then whatever fd_tlv/fd_queue add; the count is patched by fd_close. */
static void fd_open(fdev *d, uint16_t status)
{
	d->tx_n = d->tx_pos = 0;
	fd_queue(d, (uint32_t)status << 16);
	fd_queue(d, 0);
	d->last_status = status;
}

static void fd_close(fdev *d)
{
	d->tx[1] = (uint32_t)(d->tx_n - 2);
	d->reply_wait = d->reply_steps;
}

static void fd_discovery(fdev *d)
{
	const uint8_t ver[2] = { 1, 0 }, vendor[2] = { 0x20, 0 }, sda[4] = { 2, 4, 0, 0 };
	const uint8_t cls[4] = { (uint8_t)d->dev_id, (uint8_t)(d->dev_id >> 8), 0, 0 };
	const uint8_t tok[2] = { 0x00, 0x02 }, cert[2] = { 0x02, 0x02 };
	uint8_t soc[16], lc[2] = { 0x00, 0x30 }, crypto[2] = { 0x01, 0x80 };
	uint8_t st[4] = { d->product_state, d->cred_kind, d->tzen, 0 };

	for (int i = 0; i < 16; i++)
		soc[i] = i < 12 ? (uint8_t)(0xA0 + i) : 0;
	if (d->product_state == 0x5C)
		lc[1] = 0x60;
	d->discoveries++;
	fd_open(d, 0);
	fd_tlv(d, 0x0001, ver, 2);
	fd_tlv(d, 0x0002, vendor, 2);
	fd_tlv(d, 0x0003, cls, 4);
	fd_tlv(d, 0x0004, soc, 16);
	fd_tlv(d, 0x0008, lc, 2);
	fd_tlv(d, 0x000B, sda, 4);
	fd_tlv(d, 0x0100, tok, 2);
	fd_tlv(d, 0x0101, cert, 2);
	fd_tlv(d, 0x0102, crypto, d->cred_kind == 1 ? 2 : 1);
	if (!d->drop_st_status)
		fd_tlv(d, 0x8000, st, 4);
	fd_close(d);
}

static void fd_challenge(fdev *d)
{
	d->auth_starts++;
	fd_open(d, 0);
	fd_queue(d, 0x0001);   /* major 1, minor 0 */
	for (int i = 0; i < 32; i++)
		d->nonce[i] = (uint8_t)(i * 7 + d->auth_starts);
	for (int i = 0; i < 32; i += 4)
		fd_queue(d, d->nonce[i] | d->nonce[i + 1] << 8 | d->nonce[i + 2] << 16 |
			    (uint32_t)d->nonce[i + 3] << 24);
	d->challenge_valid = true;
	fd_close(d);
}

static uint8_t fd_byte(const uint32_t *v, size_t i)
{
	return (uint8_t)(v[i / 4] >> (8 * (i % 4)));
}

/* Token check (docs section 5): header, permission provisioned, signature by the leaf's key. */
static bool fd_token_ok(fdev *d, X509 *leaf, const uint8_t *tok)
{
	uint8_t msg[56], sigder[80], *p = sigder;
	ECDSA_SIG *sig = ECDSA_SIG_new();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint32_t perm = tok[8] | tok[9] << 8 | tok[10] << 16 | (uint32_t)tok[11] << 24;
	bool ok = tok[0] == 1 && tok[2] == 1 && (perm == 1 || perm == 2) && (perm & d->permissions);
	int len;

	ECDSA_SIG_set0(sig, BN_bin2bn(tok + 24, 32, NULL), BN_bin2bn(tok + 56, 32, NULL));
	len = i2d_ECDSA_SIG(sig, &p);
	memcpy(msg, tok, 24);
	memcpy(msg + 24, d->nonce, 32);
	ok = ok && len > 0 && EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, X509_get0_pubkey(leaf)) == 1 &&
	     EVP_DigestVerify(ctx, sigder, (size_t)len, msg, sizeof(msg)) == 1;
	d->partial = perm == 2;
	EVP_MD_CTX_free(ctx);
	ECDSA_SIG_free(sig);
	return ok;
}

static uint16_t fd_check_certs(fdev *d, const uint32_t *data, size_t n)
{
	X509 *chain[8] = { NULL };
	size_t pos = 0, nc = 0;
	uint8_t der[4096], tok[88];
	bool have_tok = false, ok = true;

	while (pos + 2 <= n) {
		uint16_t type = (uint16_t)(data[pos] >> 16);
		uint32_t len = data[pos + 1];
		if (len > sizeof(der) || pos + 2 + (len + 3) / 4 > n)
			break;
		for (uint32_t i = 0; i < len; i++)
			der[i] = fd_byte(&data[pos + 2], i);
		if (type == 0x0202 && nc < 8 && !have_tok) {
			const unsigned char *q = der;
			chain[nc] = d2i_X509(NULL, &q, len);
			ok = ok && chain[nc] != NULL;
			nc++;
		} else if (type == 0x0200 && len == 88) {
			memcpy(tok, der, 88);
			have_tok = true;
		} else {
			ok = false;
		}
		pos += 2 + (len + 3) / 4;
	}
	uint16_t status = 0;
	if (!ok || !have_tok || nc == 0 || pos != n) {
		status = 5;
	} else {
		unsigned char *spki = NULL;
		uint8_t h[32];
		int l = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(chain[0]), &spki);
		EVP_Digest(spki, (size_t)l, h, NULL, EVP_sha256(), NULL);
		OPENSSL_free(spki);
		ok = !memcmp(h, d->root_hash, 32);
		for (size_t i = 1; ok && i < nc; i++)
			ok = X509_verify(chain[i], X509_get0_pubkey(chain[i - 1])) == 1;
		status = ok && fd_token_ok(d, chain[nc - 1], tok) ? 0 : 4;
	}
	for (size_t i = 0; i < nc; i++)
		X509_free(chain[i]);
	return status;
}

static void fd_auth_response(fdev *d, const uint32_t *data, size_t n)
{
	uint16_t status;
	uint16_t first = n >= 2 ? (uint16_t)(data[0] >> 16) : 0;

	d->auth_responses++;
	if (!d->challenge_valid)
		status = 1;
	else if (d->product_state == 0x5C)
		status = 3;
	else if (first == 0x8000) {
		bool match = data[1] == d->password_len && n == 2 + (d->password_len + 3) / 4;
		for (size_t i = 0; match && i < d->password_len; i++)
			match = fd_byte(&data[2], i) == d->password[i];
		status = d->cred_kind != 1 || d->tzen != 0xC3 ? 3 : match ? 0 : 4;
	} else if (first == 0x0202) {
		status = d->cred_kind != 2 || d->tzen != 0xB4 ? 3 : fd_check_certs(d, data, n);
	} else {
		status = 5;
	}
	d->challenge_valid = false;
	fd_open(d, status);
	fd_close(d);
	if (status == 0) {
		/* The action starts: the session is over, AP1 goes away until the regression's reset. */
		d->regressed = true;
		d->active = false;
		d->sr &= ~(1u << 17);
		d->core_reset = d->core_reset || d->regression_resets;
	}
}

static void fd_request(fdev *d)
{
	uint16_t cmd = (uint16_t)(d->rx[0] >> 16);

	if (cmd < FD_CMDS && d->silent[cmd])
		return;
	if (cmd < FD_CMDS && d->script_len[cmd]) {
		d->tx_n = d->tx_pos = 0;
		for (unsigned i = 0; i < d->script_len[cmd]; i++)
			fd_queue(d, d->script[cmd][i]);
		d->reply_wait = d->reply_steps;
		if (cmd == 5) {
			d->resumes++;
			d->active = false;
		}
		return;
	}
	switch (cmd) {
	case 1: fd_discovery(d); break;
	case 2: fd_challenge(d); break;
	case 3: fd_auth_response(d, &d->rx[2], d->rx_n - 2); break;
	case 5: d->resumes++; d->active = false; fd_open(d, 0); fd_close(d); break;
	default: fd_open(d, 0x7FFF); fd_close(d); break;
	}
}

/* One step of device time. */
static void fd_step(fdev *d)
{
	/* Like ST's device code, it takes no request word while it still has answer words to send. */
	if (d->active && (d->ack & 1) && d->tx_pos == d->tx_n && !(d->ack & 2)) {
		if (d->host_wait) {
			d->host_wait--;
		} else {
			d->ack &= ~1u;
			if (d->rx_n < FD_MAX_WORDS)
				d->rx[d->rx_n++] = d->host;
			if (d->rx_n >= 2 && d->rx_n == 2 + (size_t)d->rx[1]) {
				fd_request(d);
				d->rx_n = 0;
			}
		}
	}
	if (!(d->ack & 2) && d->tx_pos < d->tx_n) {
		if (d->reply_wait) {
			d->reply_wait--;
		} else {
			d->device = d->tx[d->tx_pos++];
			d->ack |= 2;
		}
	}
}

static void fd_srst(fdev *d, bool assert)
{
	if (assert) {
		d->srst = true;
		d->active = false;
		d->rx_n = d->tx_n = d->tx_pos = 0;
		return;
	}
	d->srst = false;
	d->core_reset = true;
	if (d->rom_answers && (d->ack & 1) && d->host == 0x4F454441u) {
		d->ack &= ~1u;
		d->active = true;
		d->sessions++;
		d->challenge_valid = false;
		fd_queue(d, d->entry_reply);
	}
}

static int fd_read(fdev *d, uint32_t addr, uint32_t *v)
{
	unsigned which = (addr & ~0xFFFu) == FD_RM ? 1 : 0;
	uint32_t off = addr & 0xFFFu;

	if ((addr & ~0xFFFu) != FD_ST && (addr & ~0xFFFu) != FD_RM)
		return -1;   /* nothing else on AP0 is the host's business */

	switch (off) {
	case 0x000:
		*v = d->idcode[which];
		return d->idcode_faults[which] ? -1 : 0;
	case 0x0FC:
		if (d->regressed && d->gap_reads != 0) {
			if (d->gap_reads > 0)
				d->gap_reads--;
			*v = d->sr & ~(1u << 17);
			return 0;
		}
		if (d->regressed)
			d->sr |= 1u << 17;
		*v = d->sr;
		return 0;
	case 0x104:
		if (!(d->ack & 2))
			d->blind_reads++;
		d->ack &= ~2u;
		*v = d->device;
		return 0;
	case 0x108:
		fd_step(d);
		*v = d->ack;
		return 0;
	default:
		*v = 0;
		return 0;
	}
}

static void fd_write(fdev *d, uint32_t addr, uint32_t v)
{
	if ((addr & 0xFFFu) != 0x100)
		return;
	if (d->ack & 1) {
		d->words_lost++;
		return;
	}
	d->host = v;
	d->ack |= 1;
	d->host_wait = d->consume_steps;
}

/* `fdev_mem read_memory ADDR 32 N` / `fdev_mem write_memory ADDR 32 LIST` for AP0. */
static int fd_mem_cmd(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	fdev *d = Jim_CmdPrivData(interp);
	jim_wide addr, n;
	bool rd = argc == 5 && !strcmp(Jim_String(argv[1]), "read_memory");

	if (argc != 5 || Jim_GetWide(interp, argv[2], &addr) != JIM_OK)
		return JIM_ERR;
	if (rd) {
		Jim_Obj *out = Jim_NewListObj(interp, NULL, 0);
		if (Jim_GetWide(interp, argv[4], &n) != JIM_OK)
			return JIM_ERR;
		for (jim_wide i = 0; i < n; i++) {
			uint32_t v = 0;
			if (fd_read(d, (uint32_t)(addr + 4 * i), &v)) {
				Jim_FreeNewObj(interp, out);
				Jim_SetResultString(interp, "read_memory: failed to read memory", -1);
				return JIM_ERR;
			}
			Jim_ListAppendElement(interp, out, Jim_NewIntObj(interp, v));
		}
		Jim_SetResult(interp, out);
		return JIM_OK;
	}
	n = Jim_ListLength(interp, argv[4]);
	for (jim_wide i = 0; i < n; i++) {
		jim_wide v;
		if (Jim_GetWide(interp, Jim_ListGetIndex(interp, argv[4], (int)i), &v) != JIM_OK)
			return JIM_ERR;
		fd_write(d, (uint32_t)(addr + 4 * i), (uint32_t)v);
	}
	Jim_SetEmptyResult(interp);
	return JIM_OK;
}

static int fd_srst_cmd(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	fd_srst(Jim_CmdPrivData(interp), !strcmp(Jim_String(argv[1]), "assert"));
	return JIM_OK;
}

/* DHCSR through AP1: only S_RESET_ST (bit 25) is modelled, cleared by the read. */
static int fd_dhcsr_cmd(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	fdev *d = Jim_CmdPrivData(interp);
	char buf[16];

	if (d->dhcsr_faults) {
		d->dhcsr_faults--;
		Jim_SetResultString(interp, "read_memory: failed to read memory", -1);
		return JIM_ERR;
	}
	snprintf(buf, sizeof(buf), "0x%x", d->core_reset ? 1u << 25 : 0u);
	d->core_reset = false;
	Jim_SetResultString(interp, buf, -1);
	return JIM_OK;
}

static int fd_step_cmd(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	fd_step(Jim_CmdPrivData(interp));
	return JIM_OK;
}

/* Tcl glue: AP0 goes to the device, NRST and sleep drive it, OpenOCD's re-init commands exist. */
static const char fd_glue[] =
	"rename fake_memap fake_memap_plain\n"
	"proc fake_memap {name apnum sub args} {\n"
	"  if {$apnum == 1 && $sub eq {read_memory} && [lindex $args 0] == 0xE000EDF0} {\n"
	"    lappend ::calls [list $name $sub {*}$args]\n"
	"    if {[catch {fdev_dhcsr} v]} { return -code -4 $v }\n"
	"    return $v\n"
	"  }\n"
	"  if {$apnum != 0 || $sub eq {arp_examine}} {\n"
	"    if {$sub eq {arp_examine}} { lappend ::calls [list $name $sub]; return {} }\n"
	"    return [fake_memap_plain $name $apnum $sub {*}$args]\n"
	"  }\n"
	"  lappend ::calls [list $name $sub {*}$args]\n"
	"  if {[fake_inject $sub]} { return $::injected }\n"
	"  set r [catch {fdev_mem $sub {*}$args} out]\n"
	"  if {$r} { return -code -4 $out }\n"
	"  return $out\n"
	"}\n"
	"proc adapter {op args} {\n"
	"  if {$op eq {srst}} { return [fake_srst_delay {*}$args] }\n"
	"  lappend ::calls [list adapter $op {*}$args]\n"
	"  if {[fake_inject adapter]} { return $::injected }\n"
	"  set ::srst $op; fdev_srst $op\n"
	"  if {$op eq {deassert}} { lappend ::srst_delay_at_release $::srst_delay }\n"
	"  return {}\n"
	"}\n"
	"proc sleep {ms} { lappend ::calls [list sleep $ms]; fdev_step; after $ms; return {} }\n"
	"proc transport {sub} { lappend ::calls [list transport $sub]; return jtag }\n"
	"proc jtag {sub} { lappend ::calls [list jtag $sub]; return {} }\n"
	"proc dap {sub} { if {$sub eq {names}} { return $::daps }; lappend ::calls [list dap $sub]; return {} }\n"
	"fake_make_memap x.ap1 1\n";

static void fd_install(Jim_Interp *interp, fdev *d)
{
	Jim_CreateCommand(interp, "fdev_mem", fd_mem_cmd, d, NULL);
	Jim_CreateCommand(interp, "fdev_srst", fd_srst_cmd, d, NULL);
	Jim_CreateCommand(interp, "fdev_step", fd_step_cmd, d, NULL);
	Jim_CreateCommand(interp, "fdev_dhcsr", fd_dhcsr_cmd, d, NULL);
	if (Jim_Eval(interp, fd_glue) != JIM_OK) {
		fprintf(stderr, "fake_da_mailbox: glue failed: %s\n", Jim_String(Jim_GetResult(interp)));
		abort();
	}
}

#endif
