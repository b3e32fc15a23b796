/*
 * STM32H5 debug-authentication mailbox transport (see adac_mailbox.h).
 *
 * Round trips.  Each OpenOCD command costs at least one adapter queue flush,
 * which on a real probe is a USB round trip (~1 ms), so the number of commands
 * per word is what makes a certificate exchange fast or slow:
 *  - Receiving: the handshake needs DEV_ACK = 1 seen in DBG_AUTH_ACK (0x108)
 *    BEFORE DBG_AUTH_DEVICE (0x104) is read, because reading DEVICE consumes
 *    the word only while DEV_ACK is set (docs section 1).  One read_memory of
 *    two words at 0x104 reads DEVICE and then ACK (a MEM-AP block read walks
 *    up the addresses), which is the wrong order for the word it reads but the
 *    right one for the NEXT word: the ACK it returns tells whether the next
 *    word is already waiting.  So the first word of a burst costs an ACK poll
 *    plus the pair read, and every further word that the ROM has ready costs
 *    one command.  The invariant that makes it safe: DEVICE is read only when
 *    the last ACK value seen had DEV_ACK = 1 (m->dev_word_pending); the ROM
 *    cannot replace that word before we consume it (it waits for DEV_ACK = 0).
 *  - Sending: a word may only be written when HOST_ACK = 0 (a word written
 *    while it is 1 is lost), and there is no OpenOCD command that writes and
 *    then reads in one go, so each word costs an ACK read (more if the ROM is
 *    slow) and the write.  Writing two words in one write_memory would put the
 *    second into DBG_AUTH_DEVICE, so that is not an option either.
 *
 * Secrets: the words of an authentication response pass through here; they are
 * never formatted into a message or a log line (only counts and positions).
 */
#include "adac_mailbox.h"

#include <stdio.h>
#include <string.h>

#include "poll.h"

/* Words a draining session end reads at most: one whole maximal response. */
#define DRAIN_MAX_WORDS (UB_ADAC_HEADER_WORDS + UB_ADAC_MAX_DATA_WORDS)
#define STEP_MAX 128
#define CAUSE_MAX 320
#define FIRST_CAUSE_MAX 512     /* the whole of errors.c's message buffer: restored verbatim */

void ub_mailbox_init(ub_mailbox *m, ocd_bridge *b)
{
	if (!m)
		return;
	memset(m, 0, sizeof(*m));
	m->b = b;
	m->ap = ub_ap_num(0);
	m->word_timeout_ms = UB_DA_WORD_TIMEOUT_MS;
	m->entry_timeout_ms = UB_DA_ENTRY_TIMEOUT_MS;
	m->commands_at_init = b ? b->commands : 0;
}

unsigned long ub_mailbox_commands(const ub_mailbox *m)
{
	return m && m->b ? m->b->commands - m->commands_at_init : 0;
}

static ub_err check_mailbox(const ub_mailbox *m, const char *op, bool need_dbgmcu)
{
	if (!m || !m->b)
		return ub_fail(UB_ERR_ARG, "DA %s: mailbox not initialised", op);
	if (need_dbgmcu && !m->dbgmcu)
		return ub_fail(UB_ERR_ARG, "DA %s: DBGMCU not located yet (ub_mailbox_find_dbgmcu)", op);
	return UB_OK;
}

/* Re-record the current failure as "<prefix>: <message><suffix>". */
static ub_err with_context(ub_err e, const char *prefix, const char *suffix)
{
	char cause[CAUSE_MAX];

	snprintf(cause, sizeof(cause), "%s", ub_last_error());
	return ub_fail(e, "%s%s%s%s", prefix ? prefix : "", prefix ? ": " : "", cause, suffix ? suffix : "");
}

/* ---- locating DBGMCU -------------------------------------------------------------------------- */

static bool known_dev_id(uint16_t dev_id)
{
	/* facts B.1: 0x474 H503, 0x478 H523/H533, 0x484 H562/H563/H573 */
	return dev_id == 0x474 || dev_id == 0x478 || dev_id == 0x484;
}

ub_err ub_mailbox_find_dbgmcu(ub_mailbox *m)
{
	static const uint32_t bases[2] = { UB_DBGMCU_DEBUG_BASE_ST, UB_DBGMCU_DEBUG_BASE_RM };
	char seen[2][CAUSE_MAX / 2];
	bool any_read = false;
	ub_err e = check_mailbox(m, "locate DBGMCU", false);

	if (e)
		return e;
	for (unsigned i = 0; i < 2; i++) {
		uint32_t id = 0;

		e = ocd_mem_read32(m->b, m->ap, bases[i] + UB_DBGMCU_IDCODE, &id);
		/* A bridge without AP0 is a setup error, not "no DBGMCU here": say exactly that. */
		if (e == UB_ERR_NOT_CONFIGURED || e == UB_ERR_ARG)
			return e;
		if (e) {
			snprintf(seen[i], sizeof(seen[i]), "failed (%s)", ub_last_error());
			continue;
		}
		any_read = true;
		if (known_dev_id(id & 0xFFFu)) {
			m->dbgmcu = bases[i];
			m->dev_id = (uint16_t)(id & 0xFFFu);
			m->rev_id = (uint16_t)(id >> 16);
			ocd_log(m->b, "stm32unbrick da: DBGMCU at 0x%08x through AP%u: DEV_ID 0x%03x REV_ID 0x%04x",
				(unsigned)m->dbgmcu, m->ap.num, m->dev_id, m->rev_id);
			return UB_OK;
		}
		snprintf(seen[i], sizeof(seen[i]), "read 0x%08x (DEV_ID 0x%03x)", (unsigned)id,
			 (unsigned)(id & 0xFFFu));
	}
	/* One cause each: nothing answered at all, or something that is not an STM32H5 did. */
	return ub_fail(any_read ? UB_ERR_UNSUPPORTED : UB_ERR_MEM_READ,
		       "DA: no STM32H5 DBGMCU through AP%u (DEV_ID 0x474/0x478/0x484): IDCODE at 0x%08x %s; "
		       "at 0x%08x %s", m->ap.num, (unsigned)bases[0], seen[0], (unsigned)bases[1], seen[1]);
}

/* ---- one word each way ------------------------------------------------------------------------ */

ub_err ub_mailbox_send_word(ub_mailbox *m, uint32_t word, const char *step)
{
	ub_err e = check_mailbox(m, "send word", true);
	uint32_t ack = 0;

	if (e)
		return e;
	ub_poll p = { step ? step : "DA send", "DBG_AUTH_ACK", m->ap, m->dbgmcu + UB_DA_REG_ACK,
		      UB_DA_ACK_HOST, 0, m->word_timeout_ms, 0, false };
	e = ub_poll_until(m->b, &p, &ack);
	if (e == UB_ERR_TIMEOUT)
		return with_context(e, NULL, (ack & UB_DA_ACK_DEV) ?
				    " (HOST_ACK still set: the ROM did not take the previous word; DEV_ACK is set too: "
				    "it answered before the request was complete)" :
				    " (HOST_ACK still set: the ROM did not take the previous word)");
	if (e)
		return e;
	m->dev_word_pending = (ack & UB_DA_ACK_DEV) != 0;
	/* Never write while HOST_ACK = 1: that word would be lost and stay lost. */
	e = ocd_mem_write32(m->b, m->ap, m->dbgmcu + UB_DA_REG_HOST, word);
	if (e)
		return with_context(e, step, NULL);
	m->words_sent++;
	return UB_OK;
}

ub_err ub_mailbox_recv_word(ub_mailbox *m, uint32_t *word, unsigned timeout_ms, const char *step)
{
	ub_err e = check_mailbox(m, "receive word", true);
	uint32_t pair[2] = { 0, 0 };

	if (e)
		return e;
	if (!word)
		return ub_fail(UB_ERR_ARG, "DA receive word: NULL result pointer");
	if (!m->dev_word_pending) {
		uint32_t ack = 0;
		ub_poll p = { step ? step : "DA receive", "DBG_AUTH_ACK", m->ap, m->dbgmcu + UB_DA_REG_ACK,
			      UB_DA_ACK_DEV, UB_DA_ACK_DEV, timeout_ms, 0, false };

		e = ub_poll_until(m->b, &p, &ack);
		if (e)
			return e;
	}
	/* DEVICE (consumes the word: DEV_ACK was seen set) then ACK (is the next one there?). */
	m->dev_word_pending = false;
	e = ocd_mem_read(m->b, m->ap, m->dbgmcu + UB_DA_REG_DEVICE, pair, 2);
	if (e)
		return with_context(e, step, NULL);
	*word = pair[0];
	m->dev_word_pending = (pair[1] & UB_DA_ACK_DEV) != 0;
	m->words_received++;
	return UB_OK;
}

/* ---- packets ---------------------------------------------------------------------------------- */

ub_err ub_mailbox_send_request(ub_mailbox *m, const uint32_t *packet, size_t nwords, const char *what)
{
	char step[STEP_MAX];
	ub_err e = check_mailbox(m, "send request", true);

	if (e)
		return e;
	if (!packet || nwords < UB_ADAC_HEADER_WORDS || !what)
		return ub_fail(UB_ERR_ARG, "DA send request: NULL or short packet (%zu words)", nwords);
	if (!m->session_open)
		return ub_fail(UB_ERR_ARG, "DA %s request: no debug-authentication session is open", what);
	for (size_t i = 0; i < nwords; i++) {
		snprintf(step, sizeof(step), "DA %s request word %zu of %zu", what, i + 1, nwords);
		e = ub_mailbox_send_word(m, packet[i], step);
		if (e)
			return e;
	}
	return UB_OK;
}

static ub_err recv_header(ub_mailbox *m, uint32_t *buf, unsigned first_timeout_ms, const char *what,
			  uint16_t *status, uint32_t *count)
{
	char step[STEP_MAX];
	ub_err e;

	snprintf(step, sizeof(step), "DA %s response header word 1", what);
	e = ub_mailbox_recv_word(m, &buf[0], first_timeout_ms, step);
	m->mid_response = true;
	if (!e) {
		snprintf(step, sizeof(step), "DA %s response header word 2", what);
		e = ub_mailbox_recv_word(m, &buf[1], m->word_timeout_ms, step);
	}
	if (e)
		return e;
	snprintf(step, sizeof(step), "DA %s response", what);
	e = ub_adac_check_header(buf[0], buf[1], status, count);
	return e ? with_context(e, step, NULL) : UB_OK;
}

ub_err ub_mailbox_recv_response(ub_mailbox *m, uint32_t *buf, size_t cap_words, unsigned first_timeout_ms,
				const char *what, ub_adac_response *out)
{
	char step[STEP_MAX];
	uint16_t status = 0;
	uint32_t count = 0;
	ub_err e = check_mailbox(m, "receive response", true);

	if (e)
		return e;
	if (!buf || !out || !what || cap_words < UB_ADAC_HEADER_WORDS)
		return ub_fail(UB_ERR_ARG, "DA receive response: NULL argument or buffer under 2 words");
	e = recv_header(m, buf, first_timeout_ms, what, &status, &count);
	if (e)
		return e;
	if (count > cap_words - UB_ADAC_HEADER_WORDS)
		return ub_fail(UB_ERR_PARSE, "DA %s response: %s with data_count %u words, more than the %zu expected",
			       what, ub_adac_status_name(status), (unsigned)count, cap_words - UB_ADAC_HEADER_WORDS);
	for (uint32_t i = 0; i < count; i++) {
		snprintf(step, sizeof(step), "DA %s response data word %u of %u", what, (unsigned)i + 1,
			 (unsigned)count);
		e = ub_mailbox_recv_word(m, &buf[UB_ADAC_HEADER_WORDS + i], m->word_timeout_ms, step);
		if (e)
			return e;
	}
	/* A word beyond the announced count means the framing is out of step: what
	 * follows would be read as the next answer. */
	if (m->dev_word_pending)
		return ub_fail(UB_ERR_PARSE, "DA %s response: DEV_ACK still set in DBG_AUTH_ACK (AP%u 0x%08x) after "
			       "the %u data words announced: the device sends more than its header says",
			       what, m->ap.num, (unsigned)(m->dbgmcu + UB_DA_REG_ACK), (unsigned)count);
	m->mid_response = false;
	e = ub_adac_decode_response(buf, UB_ADAC_HEADER_WORDS + count, out);
	if (e) {
		snprintf(step, sizeof(step), "DA %s response", what);
		return with_context(e, step, NULL);
	}
	return UB_OK;
}

ub_err ub_mailbox_transact(ub_mailbox *m, const uint32_t *packet, size_t nwords, unsigned first_timeout_ms,
			   const char *what, uint32_t *buf, size_t cap_words, ub_adac_response *out)
{
	ub_err e = ub_mailbox_send_request(m, packet, nwords, what);

	if (!e)
		e = ub_mailbox_recv_response(m, buf, cap_words, first_timeout_ms, what, out);
	return e;
}

ub_err ub_mailbox_read_sr(ub_mailbox *m, uint32_t *sr)
{
	ub_err e = check_mailbox(m, "read DBGMCU_SR", true);

	if (e)
		return e;
	if (!sr)
		return ub_fail(UB_ERR_ARG, "DA read DBGMCU_SR: NULL result pointer");
	return ocd_mem_read32(m->b, m->ap, m->dbgmcu + UB_DBGMCU_SR, sr);
}

/* ---- entry under reset ------------------------------------------------------------------------ */

/* While NRST is held: note a host word nobody took, and consume a device word nobody read, so that
 * neither can be mistaken for part of the new session. */
static ub_err clean_mailbox_under_reset(ub_mailbox *m)
{
	uint32_t ack = 0, stale = 0;
	ub_err e = ocd_mem_read32(m->b, m->ap, m->dbgmcu + UB_DA_REG_ACK, &ack);

	if (e)
		return with_context(e, "DA entry: reading DBG_AUTH_ACK under reset", NULL);
	m->stale_host_word = (ack & UB_DA_ACK_HOST) != 0;
	if (m->stale_host_word)
		ocd_log(m->b, "stm32unbrick da: DBG_AUTH_ACK 0x%08x under reset: an earlier host word is still "
			"pending; the entry request may be lost", (unsigned)ack);
	if (ack & UB_DA_ACK_DEV) {
		e = ocd_mem_read32(m->b, m->ap, m->dbgmcu + UB_DA_REG_DEVICE, &stale);
		if (e)
			return with_context(e, "DA entry: discarding a stale DBG_AUTH_DEVICE word", NULL);
		ocd_log(m->b, "stm32unbrick da: discarded a stale device word 0x%08x", (unsigned)stale);
	}
	return UB_OK;
}

/* Assert NRST, leave the request word, release NRST: NRST is released on every path. */
static ub_err request_under_reset(ub_mailbox *m)
{
	ub_err e = ocd_srst(m->b, true), r;

	if (e)
		return with_context(e, "DA entry: asserting NRST", NULL);
	e = clean_mailbox_under_reset(m);
	if (!e) {
		/* Written regardless of HOST_ACK: nothing else can clear it but the ROM (facts B.4). */
		e = ocd_mem_write32(m->b, m->ap, m->dbgmcu + UB_DA_REG_HOST, UB_DA_ENTRY_REQUEST);
		if (e)
			e = with_context(e, "DA entry: writing the request 0x4f454441 to DBG_AUTH_HOST", NULL);
		else
			m->words_sent++;
	}
	/* The mailbox answers under reset too (the request was just written there): the ROM's DAOK
	 * ends the wait below, so OpenOCD's `adapter srst delay` would only be idle time. */
	r = ocd_srst_release_now(m->b);
	if (r && !e)
		e = with_context(r, "DA entry: releasing NRST", NULL);
	return e;
}

ub_err ub_mailbox_enter(ub_mailbox *m)
{
	uint32_t reply = 0;
	ub_err e = check_mailbox(m, "entry", false);

	if (e)
		return e;
	if (m->session_open)
		return ub_fail(UB_ERR_ARG, "DA entry: a session is already open");
	if (!m->dbgmcu && (e = ub_mailbox_find_dbgmcu(m)) != UB_OK)
		return e;
	m->dev_word_pending = false;
	m->mid_response = false;
	ocd_log(m->b, "stm32unbrick da: entering debug authentication: NRST held, request 0x%08x, NRST released",
		UB_DA_ENTRY_REQUEST);
	e = request_under_reset(m);
	if (e)
		return e;
	e = ub_mailbox_recv_word(m, &reply, m->entry_timeout_ms, "DA entry: waiting for the boot ROM's answer");
	if (e == UB_ERR_TIMEOUT)
		return with_context(e, NULL, m->stale_host_word ?
				    "; HOST_ACK was already set before the request, so it was probably lost: "
				    "power-cycle the board and retry" :
				    "; the boot ROM did not answer the entry request (no STM32H5 boot ROM with debug "
				    "authentication, or NRST is not connected to the probe)");
	if (e)
		return e;
	if (reply != UB_DA_ENTRY_REPLY)
		return ub_fail(UB_ERR_PARSE, "DA entry: DBG_AUTH_DEVICE (AP%u 0x%08x) answered 0x%08x, expected "
			       "0x%08x (\"DAOK\")", m->ap.num, (unsigned)(m->dbgmcu + UB_DA_REG_DEVICE),
			       (unsigned)reply, UB_DA_ENTRY_REPLY);
	if (m->dev_word_pending)
		return ub_fail(UB_ERR_PARSE, "DA entry: DEV_ACK set again right after DAOK in DBG_AUTH_ACK "
			       "(AP%u 0x%08x): the device sends words nobody asked for", m->ap.num,
			       (unsigned)(m->dbgmcu + UB_DA_REG_ACK));
	m->session_open = true;
	ocd_log(m->b, "stm32unbrick da: the boot ROM answered DAOK: session open");
	return UB_OK;
}

/* ---- end of a session ------------------------------------------------------------------------- */

void ub_mailbox_session_closed_by_device(ub_mailbox *m)
{
	if (!m)
		return;
	m->session_open = false;
	m->mid_response = false;
	m->dev_word_pending = false;
}

/* After a broken response the ROM may still be sending: read what it has (bounded) so that it
 * listens to Resume boot again.  Silence for one word time ends the drain. */
static ub_err drain_device(ub_mailbox *m)
{
	unsigned long drained = 0;
	uint32_t w;
	ub_err e = UB_OK;

	while (drained < DRAIN_MAX_WORDS) {
		e = ub_mailbox_recv_word(m, &w, m->word_timeout_ms, "DA session end: draining the device");
		if (e)
			break;
		drained++;
	}
	m->mid_response = false;
	if (drained)
		ocd_log(m->b, "stm32unbrick da: discarded %lu words the device was still sending", drained);
	if (drained == DRAIN_MAX_WORDS)
		return ub_fail(UB_ERR_PARSE, "DA session end: the device kept sending after %lu discarded words",
			       drained);
	return e == UB_ERR_TIMEOUT ? UB_OK : e;
}

static ub_err resume_boot(ub_mailbox *m)
{
	uint32_t req[UB_ADAC_HEADER_WORDS], buf[UB_ADAC_HEADER_WORDS + UB_ADAC_MAX_DATA_WORDS];
	size_t n;
	ub_adac_response r;
	ub_err e = UB_OK;

	if (m->mid_response || m->dev_word_pending)
		e = drain_device(m);
	if (!e)
		e = ub_adac_encode_request(UB_ADAC_CMD_RESUME_BOOT, NULL, 0, req, UB_ADAC_HEADER_WORDS, &n);
	/* Like every request, Resume boot is answered (docs section 3; PSA ADAC answers it SUCCESS). */
	if (!e)
		e = ub_mailbox_transact(m, req, n, m->word_timeout_ms, "resume boot", buf,
					sizeof(buf) / sizeof(buf[0]), &r);
	if (!e)
		e = ub_adac_expect_success(&r, "resume boot");
	return e;
}

ub_err ub_mailbox_end(ub_mailbox *m, ub_err err)
{
	char first[FIRST_CAUSE_MAX], resume_cause[CAUSE_MAX];
	ub_err r, s1, s2;

	if (!m || !m->session_open)
		return err;
	snprintf(first, sizeof(first), "%s", ub_last_error());
	r = resume_boot(m);
	m->session_open = false;
	m->mid_response = false;
	if (!r) {
		ocd_log(m->b, "stm32unbrick da: Resume boot acknowledged: session closed");
		if (err)
			ub_fail(err, "%s", first);   /* the exchange overwrote the caller's message */
		return err;
	}
	snprintf(resume_cause, sizeof(resume_cause), "%s", ub_last_error());
	/* The ROM did not take Resume boot: a reset ends the session too (docs section 2). */
	s1 = ocd_srst(m->b, true);
	s2 = ocd_srst(m->b, false);
	ocd_log(m->b, "stm32unbrick da: Resume boot failed; NRST pulsed to end the session%s",
		(s1 || s2) ? " (the pulse failed)" : "");
	if (err)
		return ub_fail(err, "%s; then Resume boot failed (%s), NRST pulsed to end the session%s", first,
			       resume_cause, (s1 || s2) ? " (the pulse failed too)" : "");
	return ub_fail(r, "DA session end: Resume boot failed (%s); NRST pulsed to end the session%s", resume_cause,
		       (s1 || s2) ? " (the pulse failed too)" : "");
}
