/*
 * STM32H5 debug authentication, device side: the DBGMCU mailbox and the boot
 * ROM's session (see da_device.h; conventions in docs/h5-debug-authentication.md
 * §1-§3).  What the ROM answers to each request is da_auth.c.
 *
 * Registers, as the debugger sees them (32-bit only; the chip routes them):
 *   DBG_AUTH_HOST   read: the last word written.  Write: the word, sets
 *                   HOST_ACK.  Written while HOST_ACK = 1 the word is lost
 *                   (guest error, words_lost), as on silicon whose ROM has
 *                   not fetched the previous one yet (docs §1 choice).
 *   DBG_AUTH_DEVICE read: the device's last word; while DEV_ACK = 1 the read
 *                   consumes it and clears DEV_ACK, otherwise nothing changes.
 *                   Write: guest error, ignored (the ROM's register).
 *   DBG_AUTH_ACK    read: HOST_ACK (bit 0), DEV_ACK (bit 1).  Write: guest
 *                   error, ignored (read-only to the host, docs §1).
 *
 * The mailbox is in the debug domain: a system reset keeps the registers and
 * both ACK bits (as this simulator's H7 DBGMCU, a choice: facts B.4 do not
 * say), only power-on clears them.  A reset does end the ROM's session.
 *
 * The ROM is single-threaded, as ST's N6 reference code is (facts B.4): it
 * fetches a host word DA_WORD_US after it was written, and only while it has
 * no answer of its own outstanding; it presents its answer's first word
 * DA_WORD_US (DA_VERIFY_US for an authentication response) after the request
 * is complete, each later word DA_WORD_US after the host consumed the previous
 * one, and acts on the answer (resume, regression) once the host has read the
 * last word.  Time only moves through da_device_update() and
 * da_device_reset_release(): the chip brings the block up to date before each
 * bus access, so register accesses use the latest time seen and events are
 * timed from when they happened, not from when update() was called.
 */
#include "da_device_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A request as it arrives word by word: header, data_count, data. */
typedef struct da_rx {
	unsigned header_words;  /* 0, 1 or 2 header words received */
	uint32_t header0;
	uint32_t data_count;
	uint32_t received;      /* data words received, kept or drained */
	uint32_t data[DA_MAX_REQUEST_WORDS];
} da_rx;

struct da_device {
	da_device_env env;
	sim_time_us now;                /* latest time seen */

	/* Mailbox registers (debug domain, power-on reset only). */
	uint32_t host_word;
	bool host_ack;
	sim_time_us host_written_at;
	uint32_t dev_word;
	bool dev_ack;

	/* The ROM's session. */
	bool active;
	da_rx rx;
	da_auth auth;
	bool answering;                 /* an answer is queued or not yet fully read */
	uint32_t out[2 + DA_MAX_REPLY_WORDS];
	uint32_t out_len, out_pos;
	sim_time_us next_word_at;       /* earliest time for the next answer word */
	da_after after;
	bool resume_pending;

	/* Statistics for the state JSON (kept across power cycles). */
	uint64_t sessions, discoveries, auth_ok, auth_failed, words_lost;
	bool has_status;
	uint16_t last_status;
};

da_device *da_device_create(const da_device_env *env)
{
	da_device *d;

	if (!env || !env->product_state || !env->tz_enabled || !env->credential || !env->regression) {
		fprintf(stderr, "stm32sim: da_device_create: environment or one of its callbacks is NULL\n");
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		fprintf(stderr, "stm32sim: da_device_create: out of memory\n");
		return NULL;
	}
	d->env = *env;
	return d;
}

void da_device_destroy(da_device *d)
{
	if (!d)
		return;
	da_auth_reset(&d->auth);
	free(d);
}

/* ------------------------------------------------------------ session -- */

static void rx_reset(da_rx *rx)
{
	rx->header_words = 0;
	rx->header0 = 0;
	rx->data_count = 0;
	rx->received = 0;
}

/* The ROM stops talking: nothing queued survives; the mailbox registers do. */
static void end_session(da_device *d, const char *why)
{
	if (d->active)
		sim_log_info("da: session ends (%s)", why);
	d->active = false;
	d->answering = false;
	d->out_len = d->out_pos = 0;
	d->after = DA_AFTER_NOTHING;
	rx_reset(&d->rx);
	da_auth_reset(&d->auth);
}

void da_device_power_on(da_device *d)
{
	end_session(d, "power-on");
	d->host_word = 0;
	d->host_ack = false;
	d->host_written_at = 0;
	d->dev_word = 0;
	d->dev_ack = false;
	d->resume_pending = false;
}

void da_device_reset_assert(da_device *d)
{
	end_session(d, "system reset");
}

static void advance_now(da_device *d, sim_time_us now)
{
	if (now > d->now)
		d->now = now;
}

bool da_device_reset_release(da_device *d, sim_time_us now)
{
	advance_now(d, now);
	end_session(d, "system reset");
	/*
	 * The ROM looks at the mailbox once, as it starts (docs §2).  Any other
	 * pending word is left where it is, HOST_ACK still set: the ROM does not
	 * own the mailbox outside DA, so nothing fetches it until power-on and a
	 * host word written after it is lost.  The register cannot tell when its
	 * word was written, so a request written while the chip ran is found at
	 * the next reset.
	 */
	if (!d->host_ack || d->host_word != DA_ENTRY_REQUEST)
		return false;
	d->host_ack = false;
	d->active = true;
	d->sessions++;
	/* The reply is written at once; the session waits until the host read it. */
	d->dev_word = DA_ENTRY_REPLY;
	d->dev_ack = true;
	d->answering = true;
	d->out_len = d->out_pos = 0;
	d->after = DA_AFTER_NOTHING;
	sim_log_info("da: debug-authentication request found at reset release, ROM stays in DA mode");
	return true;
}

bool da_device_active(const da_device *d)
{
	return d->active;
}

bool da_device_take_resume(da_device *d)
{
	bool r = d->resume_pending;

	d->resume_pending = false;
	return r;
}

/* ------------------------------------------------------------ answers -- */

static void count_answer(da_device *d, uint16_t command, uint16_t status)
{
	d->has_status = true;
	d->last_status = status;
	if (command == DA_CMD_DISCOVERY && status == DA_ST_SUCCESS)
		d->discoveries++;
	if (command == DA_CMD_AUTH_RESPONSE) {
		if (status == DA_ST_SUCCESS)
			d->auth_ok++;
		else
			d->auth_failed++;
	}
}

/* Frames the reply and queues it; its first word is due `delay` after `at`. */
static void queue_answer(da_device *d, const da_reply *r, sim_time_us at, sim_time_us delay)
{
	d->out[0] = (uint32_t)r->status << 16;
	d->out[1] = r->data_words;
	memcpy(&d->out[2], r->data, r->data_words * sizeof(uint32_t));
	d->out_len = 2 + r->data_words;
	d->out_pos = 0;
	d->answering = true;
	d->next_word_at = at + delay;
}

/* A whole request has arrived at time `at`. */
static void request_complete(da_device *d, sim_time_us at)
{
	da_rx *rx = &d->rx;
	uint16_t command = (uint16_t)(rx->header0 >> 16);
	da_reply r = { .status = DA_ST_INVALID_PARAMETERS };

	d->after = DA_AFTER_NOTHING;
	if (rx->header0 & 0xFFFFu) {
		sim_log_guest_error("da: request header 0x%08x: reserved half-word is not 0", (unsigned)rx->header0);
	} else if (rx->data_count > DA_MAX_REQUEST_WORDS) {
		sim_log_guest_error("da: request 0x%04x of %u data words exceeds the %u-word limit, drained",
				    command, (unsigned)rx->data_count, DA_MAX_REQUEST_WORDS);
	} else {
		d->after = da_handle_request(&d->auth, &d->env, command, rx->data, rx->data_count, &r);
	}
	count_answer(d, command, r.status);
	/* Checking a password or a signature takes time; the other answers do not. */
	queue_answer(d, &r, at, command == DA_CMD_AUTH_RESPONSE ? DA_VERIFY_US : DA_WORD_US);
	rx_reset(rx);
}

/* Feeds one host word fetched at time `at` to the request being received. */
static void rx_word(da_device *d, uint32_t word, sim_time_us at)
{
	da_rx *rx = &d->rx;

	if (rx->header_words == 0) {
		rx->header0 = word;
		rx->header_words = 1;
		return;
	}
	if (rx->header_words == 1) {
		rx->data_count = word;
		rx->header_words = 2;
	} else {
		/* Words beyond the buffer are drained: counted, not kept. */
		if (rx->received < DA_MAX_REQUEST_WORDS)
			rx->data[rx->received] = word;
		rx->received++;
	}
	if (rx->received == rx->data_count)
		request_complete(d, at);
}

/*
 * The ROM fetches the pending host word DA_WORD_US after it was written, or
 * as soon as it is free again if it was answering then.  The time stamp only
 * matters for the word that completes a request, and that word is never
 * pending while the ROM answers: a request's first word is.
 */
static bool fetch_host_word(da_device *d)
{
	sim_time_us at = d->host_written_at + DA_WORD_US;

	if (!d->host_ack || d->now < at)
		return false;
	d->host_ack = false;
	rx_word(d, d->host_word, at);
	return true;
}

/* The host has read the whole answer: act on it. */
static void finish_answer(da_device *d)
{
	da_after after = d->after;

	d->answering = false;
	d->after = DA_AFTER_NOTHING;
	switch (after) {
	case DA_AFTER_NOTHING:
		break;
	case DA_AFTER_RESUME_BOOT:
		d->resume_pending = true;
		end_session(d, "resume boot");
		break;
	case DA_AFTER_FULL_REGRESSION:
	case DA_AFTER_PARTIAL_REGRESSION:
		sim_log_info("da: authenticated, starting %s regression",
			     after == DA_AFTER_PARTIAL_REGRESSION ? "partial" : "full");
		end_session(d, "regression");
		d->env.regression(d->env.ctx, after == DA_AFTER_PARTIAL_REGRESSION);
		break;
	}
}

/* One step of sending the answer; false when nothing can happen yet. */
static bool answer_step(da_device *d)
{
	if (d->dev_ack)
		return false;   /* the host has not consumed the last word */
	if (d->out_pos == d->out_len) {
		finish_answer(d);
		return true;
	}
	if (d->now < d->next_word_at)
		return false;
	d->dev_word = d->out[d->out_pos++];
	d->dev_ack = true;
	return true;
}

void da_device_update(da_device *d, sim_time_us now)
{
	advance_now(d, now);
	/* Each turn consumes a word, presents a word or ends an answer; it stops
	 * once it has to wait for the host or for time to pass. */
	while (d->active) {
		bool progressed = d->answering ? answer_step(d) : fetch_host_word(d);

		if (!progressed)
			break;
	}
}

/* ----------------------------------------------------------- registers -- */

sim_bus_result da_mailbox_read(da_device *d, uint32_t offset, uint32_t *value)
{
	switch (offset) {
	case DA_REG_HOST:
		*value = d->host_word;
		return SIM_BUS_OK;
	case DA_REG_DEVICE:
		*value = d->dev_word;
		if (d->dev_ack) {
			d->dev_ack = false;
			d->next_word_at = d->now + DA_WORD_US;
		}
		return SIM_BUS_OK;
	case DA_REG_ACK:
		*value = (d->host_ack ? DA_ACK_HOST : 0u) | (d->dev_ack ? DA_ACK_DEV : 0u);
		return SIM_BUS_OK;
	default:
		*value = 0;
		sim_log_guest_error("da: read of offset 0x%03x routed to the mailbox", (unsigned)offset);
		return SIM_BUS_FAULT;
	}
}

sim_bus_result da_mailbox_write(da_device *d, uint32_t offset, uint32_t value)
{
	switch (offset) {
	case DA_REG_HOST:
		if (d->host_ack) {
			d->words_lost++;
			sim_log_guest_error("da: DBG_AUTH_HOST written (0x%08x) while HOST_ACK = 1: the pending word "
					    "0x%08x was not fetched yet, the new word is lost", (unsigned)value,
					    (unsigned)d->host_word);
			return SIM_BUS_OK;
		}
		d->host_word = value;
		d->host_ack = true;
		d->host_written_at = d->now;
		return SIM_BUS_OK;
	case DA_REG_DEVICE:
		sim_log_guest_error("da: write 0x%08x to DBG_AUTH_DEVICE, the device's register", (unsigned)value);
		return SIM_BUS_OK;
	case DA_REG_ACK:
		sim_log_guest_error("da: write 0x%08x to DBG_AUTH_ACK, read-only to the debugger", (unsigned)value);
		return SIM_BUS_OK;
	default:
		sim_log_guest_error("da: write of offset 0x%03x routed to the mailbox", (unsigned)offset);
		return SIM_BUS_FAULT;
	}
}

/* ---------------------------------------------------------------- JSON -- */

void da_device_write_json(const da_device *d, json_out *j)
{
	char status[8] = "none";

	if (d->has_status)
		snprintf(status, sizeof(status), "0x%04x", d->last_status);
	json_begin_object(j, "da");
	json_uint(j, "sessions", d->sessions);
	json_uint(j, "discoveries", d->discoveries);
	json_uint(j, "auth_ok", d->auth_ok);
	json_uint(j, "auth_failed", d->auth_failed);
	json_string(j, "last_status", status);
	json_uint(j, "words_lost", d->words_lost);
	json_bool(j, "active", d->active);
	json_end_object(j);
}
