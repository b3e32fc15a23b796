/*
 * The bus side of the fake STM32H5 (fake_h5_chip.h): AP0 (DBGMCU), AP1's memory map (FLASH
 * register blocks, user flash through both aliases, OTP, UID and flash size, OBK) with the security
 * and product-state rules, and the OpenOCD commands that reach it, registered over fake_openocd.h's
 * Tcl procedures.  Every AP1 access is traced (fh5_event) for sequence assertions.
 */
#ifndef STM32UNBRICK_FAKE_H5_BUS_H
#define STM32UNBRICK_FAKE_H5_BUS_H

#include "fake_h5_chip.h"

typedef struct fh5_port {
	fh5 *m;
	unsigned ap;
} fh5_port;

typedef struct fh5_world {
	fh5 m;
	fh5_port port[2];
} fh5_world;

static inline bool fh5_ap1_closed(const fh5 *m)
{
	uint8_t ps = fh5_ps(m);
	return ps == 0x72 || ps == 0x5C || ps == 0x9A || ps == 0xA3;
}

static inline bool fh5_secure_txn(const fh5 *m)
{
	return !(m->csw[1] & 0x40000000u);
}

/* Closed states shut AP1; iROT-Provisioned and TZ-Closed refuse secure transactions. */
static inline bool fh5_ap1_refuses(const fh5 *m)
{
	uint8_t ps = fh5_ps(m);
	return fh5_ap1_closed(m) || (fh5_tz(m) && fh5_secure_txn(m) && (ps == 0x2E || ps == 0xC6));
}

static inline bool fh5_in(uint32_t addr, uint32_t base, uint32_t size)
{
	return addr >= base && addr - base < size;
}

static inline int fh5_read_flash(fh5 *m, uint32_t addr, bool sec, uint32_t *v)
{
	bool s_alias = fh5_in(addr, 0x0C000000u, m->flash_size);
	uint32_t phys = fh5_phys(m, addr - (s_alias ? 0x0C000000u : 0x08000000u));
	if (fh5_tz(m) && ((s_alias && !sec) || (!s_alias && fh5_secure_sector(m, phys))))
		return -1;
	memcpy(v, m->flash + phys, 4);
	return 0;
}

static inline int fh5_ap1_read(fh5 *m, uint32_t addr, uint32_t *v)
{
	bool sec = fh5_secure_txn(m);
	*v = 0;
	if (fh5_ap1_refuses(m))
		return -1;
	if (fh5_in(addr, FH5_NS, 0x400))
		return fh5_reg_read(m, sec, addr - FH5_NS, v);
	if (fh5_in(addr, FH5_S, 0x400))
		return (fh5_tz(m) && !sec) ? -1 : fh5_reg_read(m, sec, addr - FH5_S, v);
	if (fh5_in(addr, 0x08000000u, m->flash_size) || fh5_in(addr, 0x0C000000u, m->flash_size))
		return fh5_read_flash(m, addr, sec, v);
	if (addr == 0x08FFF80Cu)
		*v = 0x00010000u | m->flash_kib;
	else if (fh5_in(addr, 0x08FFF000u, sizeof(m->otp)))
		memcpy(v, m->otp + (addr - 0x08FFF000u), 4);
	else if (fh5_in(addr, 0x0FFD0000u, sizeof(m->obk)) || fh5_in(addr, 0x0BFD0000u, sizeof(m->obk))) {
		if (!m->has_obk || (fh5_tz(m) && addr >= 0x0FFD0000u && !sec))
			return -1;
		memcpy(v, m->obk + (addr & 0x1FFFu), 4);
	}
	return 0;
}

/* Through the one-quad-word write buffer; `dst` is where the completed quad-word goes. */
static inline void fh5_buffer(fh5 *m, int set, uint32_t addr, uint32_t v, uint8_t *dst_base, uint32_t dst_off, bool obk)
{
	fh5_ctl *c = &m->ctl[set];
	if (m->wbuf_fill && addr != m->wbuf_addr + m->wbuf_fill) {
		c->sr |= 1u << 20; /* INCERR */
		m->wbuf_fill = 0;
		return;
	}
	if (!m->wbuf_fill && (addr & 15)) {
		c->sr |= 1u << 20; /* a quad-word starts on a 16-byte boundary */
		return;
	}
	if (!m->wbuf_fill)
		m->wbuf_addr = addr;
	memcpy(m->wbuf + m->wbuf_fill, &v, 4);
	if ((m->wbuf_fill += 4) < 16)
		return;
	m->wbuf_fill = 0;
	uint8_t *dst = dst_base + dst_off - 12;
	for (int i = 0; i < 16; i++)
		if (dst[i] != 0xFF) {
			if (obk) {
				c->sr |= 1u << 22; /* OBKWERR */
				return;
			}
			m->double_programs++;
			break;
		}
	if (!obk && dst_off - 12 + 1 == m->drop_quad_at)
		return;
	for (int i = 0; i < 16; i++)
		dst[i] &= m->wbuf[i];
	m->quads++;
	m->busy = m->busy_reads_per_op;
	c->sr |= m->inject_errors;
	m->inject_errors = 0;
}

static inline void fh5_write_flash(fh5 *m, uint32_t addr, uint32_t v, unsigned size, bool sec)
{
	bool s_alias = fh5_in(addr, 0x0C000000u, m->flash_size);
	int set = s_alias && fh5_tz(m);
	uint32_t phys = fh5_phys(m, addr - (s_alias ? 0x0C000000u : 0x08000000u));
	if (size != 32 || !(m->ctl[set].cr & 2)) {
		m->ctl[set].sr |= 1u << 18; /* PGSERR */
		return;
	}
	if (fh5_may_change(m, set, phys))
		fh5_buffer(m, set, addr, v, m->flash, phys, false);
}

static inline void fh5_write_obk(fh5 *m, uint32_t addr, uint32_t v, unsigned size, bool sec)
{
	int set = fh5_tz(m);
	fh5_ctl *c = &m->ctl[set];
	if (size != 32 || !(c->cr & 2) || (c->obkcfgr & 1) || (fh5_tz(m) && addr < 0x0FFD0000u)) {
		c->sr |= 1u << 21; /* OBKERR */
		return;
	}
	fh5_buffer(m, set, addr, v, m->obk, addr & 0x1FFFu, true);
}

static inline void fh5_write_otp(fh5 *m, uint32_t addr, uint32_t v, unsigned size)
{
	uint8_t *h = m->otp + (addr - 0x08FFF000u);
	if (size != 16 || !(m->ctl[0].cr & 2) || h[0] != 0xFF || h[1] != 0xFF) {
		m->ctl[0].sr |= 1u << 18;
		return;
	}
	h[0] = (uint8_t)v;
	h[1] = (uint8_t)(v >> 8);
	m->halves++;
	m->busy = m->busy_reads_per_op;
}

static inline int fh5_ap1_write(fh5 *m, uint32_t addr, uint32_t v, unsigned size)
{
	bool sec = fh5_secure_txn(m);
	if (fh5_ap1_refuses(m))
		return -1;
	if (fh5_in(addr, FH5_NS, 0x400) || fh5_in(addr, FH5_S, 0x400)) {
		bool s_block = addr >= FH5_S;
		if (size != 32 || (s_block && fh5_tz(m) && !sec))
			return -1;
		return fh5_reg_write(m, sec, addr - (s_block ? FH5_S : FH5_NS), v);
	}
	if (fh5_in(addr, 0x0C000000u, m->flash_size) && fh5_tz(m) && !sec)
		return -1;
	if (fh5_in(addr, 0x08000000u, m->flash_size) || fh5_in(addr, 0x0C000000u, m->flash_size))
		fh5_write_flash(m, addr, v, size, sec);
	else if (fh5_in(addr, 0x08FFF000u, sizeof(m->otp)))
		fh5_write_otp(m, addr, v, size);
	else if (m->has_obk && (fh5_in(addr, 0x0FFD0000u, sizeof(m->obk)) || fh5_in(addr, 0x0BFD0000u, sizeof(m->obk))))
		fh5_write_obk(m, addr, v, size, sec);
	return 0;
}

static inline int fh5_ap0_read(fh5 *m, uint32_t addr, uint32_t *v)
{
	uint32_t base = (m->st_dbgmcu_answers && fh5_in(addr, 0xE0044000u, 0x400)) ? 0xE0044000u : 0xE00E4000u;
	if (!fh5_in(addr, base, 0x400))
		return -1;
	*v = addr == base ? ((uint32_t)m->rev_id << 16 | m->dev_id) :
	     addr == base + 0xFC ? (0x3u | (fh5_ap1_closed(m) ? 0x10000u : 0x30000u)) : 0;
	return 0;
}

/* ---- OpenOCD commands -------------------------------------------------------------------------- */

static inline int fh5_fail(Jim_Interp *interp, int code, const char *msg)
{
	Jim_SetResultString(interp, msg, -1);
	return code;
}

static inline bool fh5_num(Jim_Interp *interp, Jim_Obj *o, uint32_t *v)
{
	jim_wide w;
	if (Jim_GetWide(interp, o, &w) != JIM_OK)
		return false;
	*v = (uint32_t)w;
	return true;
}

static inline int fh5_read_memory(Jim_Interp *interp, fh5_port *p, uint32_t addr, uint32_t width, uint32_t n)
{
	Jim_Obj *out = Jim_NewListObj(interp, NULL, 0);
	char buf[16];
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v, a = addr + 4 * i;
		int rc = p->ap ? fh5_ap1_read(p->m, a, &v) : fh5_ap0_read(p->m, a, &v);
		if (p->ap)
			fh5_log(p->m, 'R', fh5_secure_txn(p->m), a, v);
		if (rc || width != 32 || p->m->dead) {
			Jim_FreeNewObj(interp, out);
			return fh5_fail(interp, -4, "read_memory: failed to read memory");
		}
		snprintf(buf, sizeof(buf), "0x%x", v);
		Jim_ListAppendElement(interp, out, Jim_NewStringObj(interp, buf, -1));
	}
	Jim_SetResult(interp, out);
	return JIM_OK;
}

static inline int fh5_write_memory(Jim_Interp *interp, fh5_port *p, uint32_t addr, uint32_t width, Jim_Obj *list)
{
	int n = Jim_ListLength(interp, list);
	if (p->ap && (fh5_in(addr, 0x08000000u, p->m->flash_size) || fh5_in(addr, 0x0C000000u, p->m->flash_size)))
		p->m->flash_write_cmds++;
	for (int i = 0; i < n; i++) {
		uint32_t v, a = addr + (width / 8) * (uint32_t)i;
		if (!fh5_num(interp, Jim_ListGetIndex(interp, list, i), &v) || !p->ap)
			return fh5_fail(interp, -601, "");
		fh5_log(p->m, width == 16 ? 'H' : 'W', fh5_secure_txn(p->m), a, v);
		if (fh5_ap1_write(p->m, a, v, width) || p->m->dead)
			return fh5_fail(interp, -4, "write_memory: failed to write memory");
	}
	Jim_SetEmptyResult(interp);
	return JIM_OK;
}

static inline int fh5_memap_cmd(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	fh5_port *p = Jim_CmdPrivData(interp);
	const char *sub = argc > 1 ? Jim_String(argv[1]) : "";
	uint32_t addr, width, n;
	if (!strcmp(sub, "was_examined")) {
		Jim_SetResultString(interp, p->ap && p->m->ap1_unexamined ? "0" : "1", -1);
		return JIM_OK;
	}
	if (!strcmp(sub, "arp_examine")) {
		if (p->m->dead || (p->ap && fh5_ap1_closed(p->m)))
			return fh5_fail(interp, -4, "examination failed");
		if (p->ap)
			p->m->ap1_unexamined = false;
		return JIM_OK;
	}
	if (p->m->dead || p->m->stale)
		return fh5_fail(interp, -4, p->m->dead ? "the debug port does not answer" : "dap: stale state");
	if (p->ap && p->m->ap1_unexamined)
		return fh5_fail(interp, -4, "Target not examined yet");
	if (argc != 5 || !fh5_num(interp, argv[2], &addr) || !fh5_num(interp, argv[3], &width))
		return fh5_fail(interp, -601, "");
	if (!strcmp(sub, "read_memory") && fh5_num(interp, argv[4], &n))
		return fh5_read_memory(interp, p, addr, width, n);
	if (!strcmp(sub, "write_memory"))
		return fh5_write_memory(interp, p, addr, width, argv[4]);
	return fh5_fail(interp, -601, "");
}

static inline int fh5_dap_cmd(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	fh5 *m = Jim_CmdPrivData(interp);
	const char *sub = argc > 1 ? Jim_String(argv[1]) : "";
	uint32_t v, mask;
	char buf[64];
	Jim_SetEmptyResult(interp);
	if (!strcmp(sub, "apsel") && argc == 3 && fh5_num(interp, argv[2], &v) && v < 4) {
		m->apsel = v;
		m->csw_commands++;
		return JIM_OK;
	}
	if (!strcmp(sub, "apcsw") && argc == 2) {
		snprintf(buf, sizeof(buf), "AP#0x%x selected, csw 0x%08x\n", m->apsel, m->csw[m->apsel]);
		Jim_SetResultString(interp, buf, -1);
		m->csw_commands++;
		return JIM_OK;
	}
	if (!strcmp(sub, "apcsw") && argc == 4 && fh5_num(interp, argv[2], &v) && fh5_num(interp, argv[3], &mask) &&
	    !(mask & 0x37)) {
		m->csw[m->apsel] = (m->csw[m->apsel] & ~mask) | (v & mask);
		m->csw_commands++;
		return JIM_OK;
	}
	return fh5_fail(interp, -601, "");
}

/* `dap names` / `dap init`, `transport select`, `jtag arp_init`, `sleep MS`. */
static inline int fh5_dap_group_cmd(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	fh5 *m = Jim_CmdPrivData(interp);
	const char *sub = argc > 1 ? Jim_String(argv[1]) : "";
	if (!strcmp(sub, "names")) {
		Jim_SetResultString(interp, "x.dap", -1);
		return JIM_OK;
	}
	if (!strcmp(sub, "init")) {
		m->dap_inits++;
		if (m->dead)
			return fh5_fail(interp, -107, "");
		m->stale = false;
		return JIM_OK;
	}
	return fh5_fail(interp, -601, "");
}

static inline int fh5_misc_cmd(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	fh5 *m = Jim_CmdPrivData(interp);
	const char *cmd = Jim_String(argv[0]);
	uint32_t ms;
	Jim_SetEmptyResult(interp);
	if (!strcmp(cmd, "transport")) {
		Jim_SetResultString(interp, "swd", -1);
		return JIM_OK;
	}
	if (!strcmp(cmd, "sleep") && argc == 2 && fh5_num(interp, argv[1], &ms)) {
		struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		if (m->dead)
			m->dead--;
		return JIM_OK;
	}
	return JIM_OK; /* jtag arp_init: nothing to re-scan on SWD */
}

/* A fake OpenOCD with one H5: x.dap, x.ap0 (AP0), x.ap1 (AP1). */
static inline Jim_Interp *fh5_openocd_new(fh5_world *w)
{
	Jim_Interp *interp = fake_openocd_new();
	w->port[0] = (fh5_port){ &w->m, 0 };
	w->port[1] = (fh5_port){ &w->m, 1 };
	Jim_CreateCommand(interp, "x.dap", fh5_dap_cmd, &w->m, NULL);
	Jim_CreateCommand(interp, "x.ap0", fh5_memap_cmd, &w->port[0], NULL);
	Jim_CreateCommand(interp, "x.ap1", fh5_memap_cmd, &w->port[1], NULL);
	Jim_CreateCommand(interp, "dap", fh5_dap_group_cmd, &w->m, NULL);
	Jim_CreateCommand(interp, "transport", fh5_misc_cmd, &w->m, NULL);
	Jim_CreateCommand(interp, "sleep", fh5_misc_cmd, &w->m, NULL);
	Jim_CreateCommand(interp, "jtag", fh5_misc_cmd, &w->m, NULL);
	fake_eval(interp, "lappend ::targets x.ap1");
	return interp;
}

#endif
