/*
 * STM32H5 embedded flash: the register blocks (non-secure 0x40022000, secure
 * 0x50022000), user flash (NS 0x08000000, S 0x0C000000), the option bytes
 * behind the *_CUR and *_PRG registers including PRODUCT_STATE and TZEN, OBK
 * (NS 0x0BFD0000, S 0x0FFD0000, 8 KiB; not on the H503) and OTP (0x08FFF000,
 * 2 KiB).  Facts: ../shared/facts/stm32-facts.md B.2 and B.3; the DA
 * credential record and the regression behaviour follow
 * docs/h5-debug-authentication.md.
 *
 * The three lines differ in data only: 0x474 H503 (no TrustZone, no OBK, DA
 * password hash in OTP), 0x478 H523/H533, 0x484 H562/H563/H573.
 *
 * Security attributes: with TZEN = 0xB4 a secure alias (0x0Cxxxxxx,
 * 0x0FFDxxxx, the 0x50022000 block) needs a secure transaction, and user
 * flash sectors inside a secure watermark are not reachable through the
 * non-secure alias (bus fault).  With TZEN = 0xC3 the attribute is ignored:
 * both aliases reach the same memory and the SECxx registers read 0 and
 * ignore writes (guest error).  Which transactions the debugger may make at
 * all in a given product state is the chip's business (chip_h5), not this
 * block's.
 */
#ifndef STM32SIM_FLASH_H5_H
#define STM32SIM_FLASH_H5_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "scenario.h"
#include "sim_common.h"

#define FLASH_H5_REG_NS     0x40022000u
#define FLASH_H5_REG_S      0x50022000u
#define FLASH_H5_REG_SIZE   0x400u
#define FLASH_H5_MEM_NS     0x08000000u
#define FLASH_H5_MEM_S      0x0C000000u
#define FLASH_H5_OBK_NS     0x0BFD0000u
#define FLASH_H5_OBK_S      0x0FFD0000u
#define FLASH_H5_OBK_SIZE   0x2000u
#define FLASH_H5_OTP_BASE   0x08FFF000u
#define FLASH_H5_OTP_SIZE   0x800u
#define FLASH_H5_DA_RECORD  0x100u      /* offset of the DA credential record in OBK */

/* PRODUCT_STATE codes (facts B.3). */
#define H5PS_OPEN             0xEDu
#define H5PS_PROVISIONING     0x17u
#define H5PS_IROT_PROVISIONED 0x2Eu
#define H5PS_TZ_CLOSED        0xC6u
#define H5PS_CLOSED           0x72u
#define H5PS_LOCKED           0x5Cu
#define H5PS_REGRESSION       0x9Au
#define H5PS_NS_REGRESSION    0xA3u

#define H5_TZEN_ON  0xB4u
#define H5_TZEN_OFF 0xC3u

typedef struct flash_h5_part {
	uint16_t dev_id;     /* 0x474, 0x478, 0x484 */
	unsigned size_kib;   /* total user flash: 128 (H503), 256/512 (0x478), 1024/2048 (0x484) */
	bool trustzone;      /* false on the H503 */
} flash_h5_part;

typedef struct flash_h5 flash_h5;

flash_h5 *flash_h5_create(const flash_h5_part *part);
void flash_h5_destroy(flash_h5 *f);

/*
 * Scenario keys this block consumes (documented in testing/scenarios/README.md):
 * option fields by RM name (PRODUCT_STATE, TZEN, BOOT_UBE, SWAP_BANK, NSBOOTADD,
 * NSBOOT_LOCK, SECBOOTADD, SECBOOT_LOCK, WRPSG1, WRPSG2, HDP1_STRT, HDP1_END,
 * SECWM1_STRT, SECWM1_END, ..., BOR_LEV, IWDG_SW ...), flash contents
 * (`flash.fill = ADDR SIZE BYTE`, `flash.load = ADDR FILE`, `flash.ecc_error =
 * ADDR`), DA credentials (`obk.da_password = TEXT`, `obk.da_cert = PEM FILE`
 * (root certificate; its SubjectPublicKeyInfo is hashed), `obk.da_permissions
 * = N`, and on the H503 `otp.da_password = TEXT`), `otp.fill = ADDR SIZE BYTE`.
 */
int flash_h5_apply_scenario(flash_h5 *f, scenario *sc, char *err, size_t errlen);

/* Registers: 32-bit accesses at offset 0..0x3FC of the NS (secure = false) or S
 * block, made with the transaction's security attribute; other sizes fault. */
sim_bus_result flash_h5_reg_read(flash_h5 *f, bool secure_block, bool secure_access, uint32_t offset,
				 uint32_t *value);
sim_bus_result flash_h5_reg_write(flash_h5 *f, bool secure_block, bool secure_access, uint32_t offset,
				  uint32_t value);

/* User flash, OBK and OTP by absolute address, any size, either alias.  A write
 * is a programming access (needs PG, goes through the quad-word write buffer). */
bool flash_h5_is_mem(const flash_h5 *f, uint32_t addr);
sim_bus_result flash_h5_mem_read(flash_h5 *f, uint32_t addr, unsigned size, bool secure_access, uint32_t *value);
sim_bus_result flash_h5_mem_write(flash_h5 *f, uint32_t addr, unsigned size, bool secure_access, uint32_t value);

/* Resets.  A system reset interrupts whatever runs and reloads the option
 * bytes into the _CUR registers. */
void flash_h5_system_reset(flash_h5 *f);
/*
 * The same at simulated time `at` (an operator fault fired at an exact
 * instant); `at` earlier than the block's latest update counts as that update.
 */
void flash_h5_system_reset_at(flash_h5 *f, sim_time_us at);
void flash_h5_power_on(flash_h5 *f);
/* Complete operations whose busy time has elapsed. */
void flash_h5_update(flash_h5 *f, sim_time_us now);
/* The next time the running operation ends (and a waiting one may start), UINT64_MAX when idle. */
sim_time_us flash_h5_next_change(const flash_h5 *f);
/*
 * Who hears about operations starting and completing (sim_flash_listener,
 * sim_common.h): quad-word programs of user flash and OBK (not OTP
 * half-words), sector erases, bank erases (a mass erase is one mass_erase and
 * one bank_erase per bank, all with the same times), option changes the
 * rules accept (OPTSTRT).  A regression (started or resumed) is reported as
 * an erase: a full one as mass_erase plus two bank_erase, a partial one as a
 * bank_erase per bank it erases.  NULL: nobody.
 */
void flash_h5_set_listener(flash_h5 *f, sim_flash_listener fn, void *ctx);
bool flash_h5_busy(const flash_h5 *f);
/* Total simulated microseconds spent busy (erase, program, option change, regression). */
sim_time_us flash_h5_busy_total_us(const flash_h5 *f);

/* Current (loaded) values, what the rest of the chip acts on. */
uint8_t flash_h5_product_state(const flash_h5 *f);
bool flash_h5_tz_enabled(const flash_h5 *f);
uint32_t flash_h5_optsr_cur(const flash_h5 *f);
/* Boot address of the next boot: NSBOOTADD or SECBOOTADD (TZ on), in bytes. */
uint32_t flash_h5_boot_address(const flash_h5 *f);

/*
 * A PRODUCT_STATE change finished by OPTSTRT resets the chip (facts B.3 leave it
 * UNCONFIRMED; CubeProgrammer loses the connection, so we model the reset).
 * The chip polls this after flash_h5_update() and performs a system reset when
 * it is true; reading it clears it.
 */
bool flash_h5_take_reset_request(flash_h5 *f);

/* The DA credential the ROM would use (docs/h5-debug-authentication.md §7):
 * from OBK on 0x478/0x484, from OTP (always a password) on the H503. */
typedef enum flash_h5_cred_kind {
	FLASH_H5_CRED_NONE = 0,
	FLASH_H5_CRED_PASSWORD = 1,
	FLASH_H5_CRED_CERT_ROOT = 2,
} flash_h5_cred_kind;

typedef struct flash_h5_credential {
	flash_h5_cred_kind kind;
	uint32_t permissions;
	uint8_t hash[32];
} flash_h5_credential;

/* A torn or inconsistent record reads as NONE. */
void flash_h5_da_credential(const flash_h5 *f, flash_h5_credential *out);

/*
 * Regressions, started by the DA device after a successful authentication.
 * Full: PRODUCT_STATE 0x9A while both banks and OBK are erased (mass-erase
 * time), then Open.  Partial (TZ on only): 0xA3 while the non-secure sectors
 * are erased, then TZ-Closed.  Both raise a reset request when done.  An
 * interrupted regression resumes on the next power-on/system reset.
 */
void flash_h5_start_full_regression(flash_h5 *f);
void flash_h5_start_partial_regression(flash_h5 *f);

/*
 * State JSON: adds "product_state" ("0xed"), "product_state_name" ("Open"),
 * "tzen", "option_bytes" (register name -> _CUR value), "option_fields"
 * (field -> value), "flash_sha256" ({"bank1", "bank2"}), "flash" (per bank:
 * erased flag, programmed and ECC-corrupt quad-word counts), "obk" (erased
 * flag, sha256, "da_credential": "none"/"password"/"certificate"), "otp"
 * (programmed half-word count, sha256), "counters" (sector_erases,
 * bank_erases, mass_erases, option_changes, option_change_errors,
 * quad_words_programmed, regressions_full, regressions_partial) to the
 * current object.
 */
void flash_h5_write_json(const flash_h5 *f, json_out *j);

#endif
