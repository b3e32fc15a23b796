/*
 * The device side of STM32H5 debug authentication: the DBGMCU mailbox
 * (DBG_AUTH_HOST/DEVICE/ACK) and the boot ROM's PSA ADAC responder behind it.
 * Protocol, handshake, entry under reset, TLVs, token layout and credential
 * record: docs/h5-debug-authentication.md (our conventions where the facts
 * sheet, B.4, says UNCONFIRMED).  Cryptography is OpenSSL's libcrypto
 * (SHA-256, X.509 parsing, ECDSA P-256 verification, the challenge's random
 * bytes from RAND_bytes).
 *
 * The block knows nothing of the rest of the chip: it asks through the
 * callbacks in da_device_env (product state, TZEN, the provisioned credential)
 * and reports a successful authentication by calling the regression callback;
 * the chip erases SRAMs and starts the flash regression.
 *
 * Time: the ROM consumes a host word DA_WORD_US after it was written and
 * takes DA_VERIFY_US to check a password or a signature before answering;
 * both advance in da_device_update().
 */
#ifndef STM32SIM_DA_DEVICE_H
#define STM32SIM_DA_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "flash_h5.h"
#include "sim_common.h"

#define DA_REG_HOST   0x100u   /* offsets within DBGMCU (facts B.4) */
#define DA_REG_DEVICE 0x104u
#define DA_REG_ACK    0x108u
#define DA_ACK_HOST   (1u << 0)
#define DA_ACK_DEV    (1u << 1)

#define DA_ENTRY_REQUEST 0x4F454441u /* "OEDA" */
#define DA_ENTRY_REPLY   0x44414F4Bu /* "DAOK" */

#define DA_WORD_US   20u
#define DA_VERIFY_US 5000u

typedef struct da_device_env {
	void *ctx;
	uint16_t dev_id;
	uint8_t uid[12];
	uint8_t (*product_state)(void *ctx);
	bool (*tz_enabled)(void *ctx);
	void (*credential)(void *ctx, flash_h5_credential *out);
	/* Called once per successful authentication; partial only with TZ on. */
	void (*regression)(void *ctx, bool partial);
} da_device_env;

typedef struct da_device da_device;

da_device *da_device_create(const da_device_env *env);
void da_device_destroy(da_device *d);

/* Mailbox registers, 32-bit, offsets DA_REG_*; anything else is not ours. */
sim_bus_result da_mailbox_read(da_device *d, uint32_t offset, uint32_t *value);
sim_bus_result da_mailbox_write(da_device *d, uint32_t offset, uint32_t value);

/* Power-on clears the mailbox and ends any session. */
void da_device_power_on(da_device *d);
/* A system reset starts: the session (if any) ends; a pending host word stays. */
void da_device_reset_assert(da_device *d);
/*
 * The reset ends and the ROM runs.  True when it found DA_ENTRY_REQUEST
 * pending and entered DA mode: it answers DA_ENTRY_REPLY and the chip must
 * not start user code until the session ends.
 */
bool da_device_reset_release(da_device *d, sim_time_us now);
/* Process words whose time has come. */
void da_device_update(da_device *d, sim_time_us now);
/* In DA mode (between entry and Resume boot / reset). */
bool da_device_active(const da_device *d);
/* Resume boot (0x05) was received since the last call: the chip boots normally. */
bool da_device_take_resume(da_device *d);

/* State JSON: "da": sessions, discoveries, auth_ok, auth_failed, last_status,
 * words_lost (host words written while HOST_ACK was set), active. */
void da_device_write_json(const da_device *d, json_out *j);

#endif
