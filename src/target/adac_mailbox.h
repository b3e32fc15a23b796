/*
 * Transport of STM32H5 debug authentication: the DBGMCU mailbox registers
 * (DBG_AUTH_HOST / DBG_AUTH_DEVICE / DBG_AUTH_ACK) reached through AP0, entry
 * into the boot ROM's DA mode under reset, and whole PSA ADAC packets carried
 * word by word.  Protocol and handshake: docs/h5-debug-authentication.md
 * (sections 1 to 3), facts B.1 and B.4.  Packets themselves: adac.h.
 *
 * A session is open from the ROM's "DAOK" until Resume boot (or a reset): every
 * caller ends it with ub_mailbox_end(), on success and on every error path, so
 * the chip is never left waiting in the ROM.
 *
 * Every wait is bounded and its timeout names the step, the register, its
 * address and the last value read.  Words and OpenOCD commands are counted.
 */
#ifndef STM32UNBRICK_ADAC_MAILBOX_H
#define STM32UNBRICK_ADAC_MAILBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "adac.h"
#include "errors.h"
#include "h5_dbgmcu.h"
#include "ocd_bridge.h"

/* DBGMCU as the debugger sees it through AP0 (facts B.1: both addresses are
 * reported to work; docs section 1: try 0xE0044000 first). */
#define UB_DBGMCU_DEBUG_BASE_ST 0xE0044000u
#define UB_DBGMCU_DEBUG_BASE_RM 0xE00E4000u
#define UB_DBGMCU_IDCODE 0x000u
#define UB_DA_REG_HOST 0x100u          /* host -> device */
#define UB_DA_REG_DEVICE 0x104u        /* device -> host */
#define UB_DA_REG_ACK 0x108u
#define UB_DA_ACK_HOST (1u << 0)       /* set by a host word, cleared when the ROM took it */
#define UB_DA_ACK_DEV (1u << 1)        /* set by a device word, cleared when the host read it */

/* Entry words (facts B.4, UNCONFIRMED for H5; ST's N6 sample; docs section 2). */
#define UB_DA_ENTRY_REQUEST 0x4F454441u  /* "OEDA" */
#define UB_DA_ENTRY_REPLY 0x44414F4Bu    /* "DAOK" */

/* Bounds (docs section 1): a word, a reply that needs a signature or hash check,
 * and the ROM's boot after NRST is released (our choice: 1 s, a boot ROM that
 * answers at all does so within milliseconds). */
#define UB_DA_WORD_TIMEOUT_MS 100u
#define UB_DA_VERIFY_TIMEOUT_MS 2000u
#define UB_DA_ENTRY_TIMEOUT_MS 1000u

typedef struct ub_mailbox {
	ocd_bridge *b;
	ub_ap ap;                      /* AP0 */
	uint32_t dbgmcu;               /* base address that answered with a known DEV_ID, 0 before */
	uint16_t dev_id;
	uint16_t rev_id;
	bool session_open;             /* DAOK seen, Resume boot not yet acknowledged */
	bool dev_word_pending;         /* the last ACK read showed DEV_ACK = 1: DEVICE holds an unread word */
	bool stale_host_word;          /* HOST_ACK was already 1 before the entry request */
	bool mid_response;             /* a response header was read but not all its words */
	unsigned word_timeout_ms;      /* per word; UB_DA_WORD_TIMEOUT_MS after init */
	unsigned entry_timeout_ms;     /* ROM's answer to the entry request; UB_DA_ENTRY_TIMEOUT_MS */
	unsigned long words_sent;
	unsigned long words_received;
	unsigned long commands_at_init; /* b->commands when the mailbox was set up */
} ub_mailbox;

void ub_mailbox_init(ub_mailbox *m, ocd_bridge *b);
/* OpenOCD commands issued since ub_mailbox_init(). */
unsigned long ub_mailbox_commands(const ub_mailbox *m);

/* Reads DBGMCU_IDCODE at 0xE0044000, then 0xE00E4000; the first known DEV_ID
 * (0x474, 0x478, 0x484) wins.  UB_ERR_UNSUPPORTED naming both reads otherwise. */
ub_err ub_mailbox_find_dbgmcu(ub_mailbox *m);

/* Enter DA under reset: assert NRST, write "OEDA" to DBG_AUTH_HOST, release NRST,
 * wait for DEV_ACK and read "DAOK".  NRST is released on every path.  On
 * success the session is open.  Finds DBGMCU first when not done yet. */
ub_err ub_mailbox_enter(ub_mailbox *m);

/* One word each way, with the handshake of docs section 1.  `step` names the
 * caller's step in timeout messages. */
ub_err ub_mailbox_send_word(ub_mailbox *m, uint32_t word, const char *step);
ub_err ub_mailbox_recv_word(ub_mailbox *m, uint32_t *word, unsigned timeout_ms, const char *step);

/* A whole request packet (adac encode output), word by word. */
ub_err ub_mailbox_send_request(ub_mailbox *m, const uint32_t *packet, size_t nwords, const char *what);

/* A whole response: the two header words (checked with ub_adac_check_header),
 * then exactly data_count words, decoded into *out (pointing into buf).  The
 * first header word may take `first_timeout_ms` (the device may be checking a
 * signature), every later word word_timeout_ms.  buf must hold
 * UB_ADAC_HEADER_WORDS + data_count words; sizing it UB_ADAC_HEADER_WORDS +
 * UB_ADAC_MAX_DATA_WORDS always works.  A device that shows one more word after
 * the last one is out of step: UB_ERR_PARSE. */
ub_err ub_mailbox_recv_response(ub_mailbox *m, uint32_t *buf, size_t cap_words, unsigned first_timeout_ms,
				const char *what, ub_adac_response *out);

/* Request then response.  `what` names the exchange in messages ("discovery"). */
ub_err ub_mailbox_transact(ub_mailbox *m, const uint32_t *packet, size_t nwords, unsigned first_timeout_ms,
			   const char *what, uint32_t *buf, size_t cap_words, ub_adac_response *out);

/* DBGMCU_SR through AP0 (needs ub_mailbox_find_dbgmcu() first). */
ub_err ub_mailbox_read_sr(ub_mailbox *m, uint32_t *sr);

/* The device ended the session itself (a successful authentication starts the
 * regression and a reset): nothing more may be sent. */
void ub_mailbox_session_closed_by_device(ub_mailbox *m);

/*
 * End of every session, on success and error paths alike: when a session is
 * open, drain any words the device is still sending, send Resume boot and read
 * its answer; if that fails, pulse NRST (a reset also ends the session, docs
 * section 2).  Returns `err` when it is an error (its message kept, a failed
 * Resume boot appended), else the result of ending the session.
 */
ub_err ub_mailbox_end(ub_mailbox *m, ub_err err);

#endif
