/*
 * Private to da_device.c (mailbox, framing, timing, session) and da_auth.c
 * (what the boot ROM answers to each ADAC request, and the cryptography).
 * The split keeps the untrusted-input parsing of a whole request in one
 * place that unit tests can also drive directly, without the mailbox.
 */
#ifndef STM32SIM_DA_DEVICE_INTERNAL_H
#define STM32SIM_DA_DEVICE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "da_device.h"

/* ADAC commands and statuses (facts B.4). */
#define DA_CMD_DISCOVERY     0x01u
#define DA_CMD_AUTH_START    0x02u
#define DA_CMD_AUTH_RESPONSE 0x03u
#define DA_CMD_RESUME_BOOT   0x05u
#define DA_CMD_LOCK_DEBUG    0x06u
#define DA_CMD_LCS_CHANGE    0x07u

#define DA_ST_SUCCESS            0x0000u
#define DA_ST_FAILURE            0x0001u
#define DA_ST_UNSUPPORTED        0x0003u
#define DA_ST_UNAUTHORIZED       0x0004u
#define DA_ST_INVALID_PARAMETERS 0x0005u
#define DA_ST_INVALID_COMMAND    0x7FFFu

/*
 * Largest request the ROM accepts, in data words (16 KiB).  The largest
 * legitimate request is a certificate chain plus a token: a few DER
 * certificates of about 500 bytes each.  A bigger data_count is drained word
 * by word (the host writes every word, so this costs the device nothing) and
 * answered INVALID_PARAMETERS, which keeps the framing of a host that sends
 * whole packets in step.  The bound is ours: the ROM's buffer size is not
 * public.
 */
#define DA_MAX_REQUEST_WORDS 4096u
/* Largest answer: discovery, 10 TLVs in 33 words. */
#define DA_MAX_REPLY_WORDS 48u
#define DA_CHALLENGE_LEN 32u

/* An answer before framing: the device adds the two header words. */
typedef struct da_reply {
	uint16_t status;
	uint32_t data_words;
	uint32_t data[DA_MAX_REPLY_WORDS];
} da_reply;

/* What the session does once the host has read the whole answer. */
typedef enum da_after {
	DA_AFTER_NOTHING = 0,
	DA_AFTER_FULL_REGRESSION,
	DA_AFTER_PARTIAL_REGRESSION,
	DA_AFTER_RESUME_BOOT,
} da_after;

/* Per-session authentication state: the outstanding challenge, if any. */
typedef struct da_auth {
	bool challenge_valid;
	uint8_t challenge[DA_CHALLENGE_LEN];
} da_auth;

/* Forget the challenge (session end, power-on). */
void da_auth_reset(da_auth *a);

/*
 * Answers one complete, well-framed request (header reserved bits already
 * checked, data_count within DA_MAX_REQUEST_WORDS).  `data` holds `nwords`
 * words exactly as the host wrote them; nothing in them is trusted.  Queries
 * the chip through `env` when it needs to.  Returns the action to take after
 * the answer has been read.
 */
da_after da_handle_request(da_auth *a, const da_device_env *env, uint16_t command, const uint32_t *data,
			   uint32_t nwords, da_reply *r);

#endif
