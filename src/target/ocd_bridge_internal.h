/*
 * What the two halves of the OpenOCD bridge share: ocd_bridge.c (command
 * evaluation, answer parsing, DAP registers and memory) and ocd_bridge_ctl.c
 * (CSW, memaccess, reset lines, re-examination, sleep, log).  Nothing outside
 * src/target/ocd_bridge*.c includes this header.
 */
#ifndef STM32UNBRICK_OCD_BRIDGE_INTERNAL_H
#define STM32UNBRICK_OCD_BRIDGE_INTERNAL_H

#include "ocd_bridge.h"

/* APSEL is 8 bits (facts C, ADIv5 SELECT). */
#define OCD_APSEL_MAX 0xffu

/* Every wait is bounded; no recovery step needs to sleep longer than this at once. */
#define OCD_SLEEP_MAX_MS 60000u

/* Room for "op APn 0xADDR (N words, target NAME)". */
#define OCD_CTX_MAX (UB_NAME_MAX + 96)

/* Run one OpenOCD command given as separate words; every call counts (>= 1 queue flush). */
int ocdb_eval(ocd_bridge *b, int objc, Jim_Obj *const *objv);
Jim_Obj *ocdb_word(ocd_bridge *b, const char *s);
Jim_Obj *ocdb_hex_word(ocd_bridge *b, uint32_t v);

/* Record why a command failed: OpenOCD's own message when it left one, else its error code. */
ub_err ocdb_fail_command(ocd_bridge *b, ub_err code, int rc, const char *ctx);
/* UB_ERR_PARSE naming what was expected and quoting what OpenOCD answered. */
ub_err ocdb_fail_parse(const char *ctx, const char *expected, const char *seen);
/* One number as OpenOCD prints it ("0x" + hex digits, or decimal), exactly `len` characters. */
bool ocdb_parse_u32_token(const char *s, size_t len, uint32_t *out);
/* UB_ERR_PARSE unless the command left an empty result. */
ub_err ocdb_expect_no_output(ocd_bridge *b, const char *ctx);
/* UB_ERR_ARG naming `op` when the bridge is not initialised. */
ub_err ocdb_check_bridge(const ocd_bridge *b, const char *op);

#endif
