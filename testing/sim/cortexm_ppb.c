/*
 * The Cortex-M7 (and, on dual-core parts, Cortex-M4) private peripheral bus
 * as the core's AHB-AP reaches it (facts C and A.1, A.6): ITM 0xE0000000,
 * DWT 0xE0001000, FPB 0xE0002000, SCS 0xE000E000, ETM 0xE0041000, CTI
 * 0xE0043000, MCU ROM table 0xE00FE000 and the core's PPB ROM table
 * 0xE00FF000.  Anything else in the window faults.
 *
 * ROM tables and identification values follow a J-Link listing of an
 * STM32H753 (SCS-M7 000BB00C, DWT 000BB002, FPB-M7 000BB00E, ITM 000BB001,
 * PPB ROM 000BB4C7, ETM-M7 001BB975, CTI 004BB906).  The MCU ROM table's
 * own PIDR (ST, part number = DEV_ID) is UNCONFIRMED: BMP identifies H7
 * parts from that part number, psdb finds the same value on AP2's table.
 * The Cortex-M4 (AP3) is given the same layout, its own component parts
 * (see cortexm_dbg.c); that ST kept the layout on AP3 is UNCONFIRMED.
 * The Cortex-M33 (STM32H5): its CTI at 0xE0042000, ETM and CTI listed in its
 * own PPB ROM table, component identities and the Armv8-M SCS words in
 * cortexm_v8m.c.
 */
#include "cortexm_dbg.h"

#define ITM_BASE 0xE0000000u
#define DWT_BASE 0xE0001000u
#define FPB_BASE 0xE0002000u
#define SCS_BASE 0xE000E000u
#define ETM_BASE 0xE0041000u
#define CTI_BASE 0xE0043000u
#define CTI_BASE_M33 0xE0042000u /* the Cortex-M33 places its CTI here (0xE0043000 is its MTB) */
#define PPB_ROM_BASE 0xE00FF000u

/* SCS offsets */
#define SCS_CPUID  0xD00u
#define SCS_VTOR   0xD08u
#define SCS_CCR    0xD14u
#define SCS_SHCSR  0xD24u
#define SCS_CFSR   0xD28u
#define SCS_HFSR   0xD2Cu
#define SCS_MMFAR  0xD34u
#define SCS_BFAR   0xD38u
#define SCS_CPACR  0xD88u
#define SCS_FPCCR  0xF34u
#define SCS_FPCAR  0xF38u
#define SCS_FPDSCR 0xF3Cu
#define SCS_MVFR0  0xF40u
#define SCS_MVFR1  0xF44u
#define SCS_MVFR2  0xF48u

/*
 * FPv5 with double precision (M7) and FPv4 single precision (M4): the values
 * OpenOCD 0.12's cortex_m_examine compares against to report FPV5_DP (and so
 * expose d0-d15) or FPV4_SP.  MVFR2 exists from FPv5 on; on the M4 its
 * address is reserved and reads 0.
 */
#define MVFR0_M7_DP 0x10110221u
#define MVFR1_M7_DP 0x12000011u
#define MVFR2_M7    0x00000040u
#define MVFR0_M4_SP 0x10110021u
#define MVFR1_M4_SP 0x11000011u

/*
 * FP_CTRL.  M7: REV = 1 (FPBv2), NUM_CODE = 8, NUM_LIT = 0.  M4: REV = 0
 * (FPBv1), NUM_CODE = 6 in bits [7:4], NUM_LIT = 2 in bits [11:8].  KEY
 * (bit 1) must be written as 1.
 */
#define FP_CTRL_FIXED_M7 0x10000080u
#define FP_CTRL_FIXED_M4 0x00000260u
#define FP_CTRL_KEY   (1u << 1)
#define FP_COMP_FIRST 0x008u
#define FP_COMP_LAST  (FP_COMP_FIRST + 4u * (CM_FPB_COMPARATOR_REGS - 1u))
/* FPBv1 comparator: COMP[28:2] word address, REPLACE[31:30] 01 lower / 10 upper / 11 both halfwords. */
#define FPB_V1_ADDR_MASK  0x1FFFFFFCu
#define FPB_V1_REPLACE_SHIFT 30

/* DWT_CTRL: NUMCOMP = 4 in [31:28], the rest of [27:23] read-only 0 (all features present). */
#define DWT_CTRL_NUMCOMP ((uint32_t)CM_DWT_COMPARATORS << 28)
#define DWT_CTRL_RW_MASK 0x007FFFFFu
#define DWT_CYCCNT 0x004u
#define DWT_PCSR   0x01Cu
#define DWT_FUNC_MATCHED (1u << 24)

#define ITM_TCR 0xE80u
#define ITM_TCR_BUSY (1u << 23)

/*
 * ROM tables: the MEMTYPE register shares DEVTYPE's offset; bit 0 = system
 * memory present on this bus.  Cortex-M7 PPB ROM table part 0x4C7; the
 * Cortex-M4's is part 0x4C4 (Arm Cortex-M4 TRM; UNCONFIRMED on an H745); the
 * Cortex-M33's part 0x4C9 (Arm Cortex-M33 TRM, UNCONFIRMED on an H5), which
 * lists the core's ETM and CTI itself.
 */
static const cs_ident ppb_rom_m7 = { CS_CIDR_ROM_TABLE, 0x04000BB4C7ull, 1u, 0 };
static const cs_ident ppb_rom_m4 = { CS_CIDR_ROM_TABLE, 0x04000BB4C4ull, 1u, 0 };
static const cs_ident ppb_rom_m33 = { CS_CIDR_ROM_TABLE, 0x04000BB4C9ull, 1u, 0 };

static const uint32_t ppb_rom_entries[] = {
	(SCS_BASE - PPB_ROM_BASE) | 3u,
	(DWT_BASE - PPB_ROM_BASE) | 3u,
	(FPB_BASE - PPB_ROM_BASE) | 3u,
	(ITM_BASE - PPB_ROM_BASE) | 3u,
	0u,
};

static const uint32_t mcu_rom_entries[] = {
	(PPB_ROM_BASE - CM_MCU_ROM_BASE) | 3u,
	(ETM_BASE - CM_MCU_ROM_BASE) | 3u,
	(CTI_BASE - CM_MCU_ROM_BASE) | 3u,
	0u,
};

static const uint32_t ppb_rom_entries_m33[] = {
	(SCS_BASE - PPB_ROM_BASE) | 3u,
	(DWT_BASE - PPB_ROM_BASE) | 3u,
	(FPB_BASE - PPB_ROM_BASE) | 3u,
	(ITM_BASE - PPB_ROM_BASE) | 3u,
	(ETM_BASE - PPB_ROM_BASE) | 3u,
	(CTI_BASE_M33 - PPB_ROM_BASE) | 3u,
	0u,
};

static const uint32_t mcu_rom_entries_m33[] = {
	(PPB_ROM_BASE - CM_MCU_ROM_BASE) | 3u,
	0u,
};

static sim_bus_result rom_read(const cs_ident *id, const uint32_t *entries, size_t n, uint32_t off, uint32_t *v)
{
	if (cs_ident_read(id, off, v))
		return SIM_BUS_OK;
	*v = off / 4u < n ? entries[off / 4u] : 0u;
	return SIM_BUS_OK;
}

static sim_bus_result ppb_rom_read(const cortexm_dbg *d, uint32_t off, uint32_t *v)
{
	if (d->v8m)
		return rom_read(&ppb_rom_m33, ppb_rom_entries_m33, sizeof(ppb_rom_entries_m33) / 4u, off, v);
	return rom_read(d->m4 ? &ppb_rom_m4 : &ppb_rom_m7, ppb_rom_entries, sizeof(ppb_rom_entries) / 4u, off, v);
}

/*
 * The MCU ROM table: ST's, part number = DEV_ID.  Revision 0 on the H7
 * (psdb: PIDR 0x000A0450), 1 on the H5 (facts B.1: PIDR 0x001A0474 on an H503).
 */
static sim_bus_result mcu_rom_read(const cortexm_dbg *d, uint32_t off, uint32_t *v)
{
	cs_ident id = { CS_CIDR_ROM_TABLE, (d->v8m ? 0x001A0000ull : 0x000A0000ull) | d->cfg.mcu_partno, 1u, 0 };

	if (d->v8m)
		return rom_read(&id, mcu_rom_entries_m33, sizeof(mcu_rom_entries_m33) / 4u, off, v);
	return rom_read(&id, mcu_rom_entries, sizeof(mcu_rom_entries) / 4u, off, v);
}

static uint32_t cti_base(const cortexm_dbg *d)
{
	return d->v8m ? CTI_BASE_M33 : CTI_BASE;
}

/* Pointer to a modelled SCS system register, NULL when the word is "plain". */
static uint32_t *scs_system_reg(cortexm_dbg *d, uint32_t off)
{
	switch (off) {
	case SCS_VTOR: return &d->vtor;
	case SCS_CCR: return &d->ccr;
	case SCS_SHCSR: return &d->shcsr;
	case SCS_CFSR: return &d->cfsr;
	case SCS_HFSR: return &d->hfsr;
	case SCS_MMFAR: return &d->mmfar;
	case SCS_BFAR: return &d->bfar;
	case SCS_CPACR: return &d->cpacr;
	case SCS_FPCCR: return &d->fpccr;
	case SCS_FPCAR: return &d->fpcar;
	case SCS_FPDSCR: return &d->fpdscr;
	default: return NULL;
	}
}

static sim_bus_result scs_read(cortexm_dbg *d, uint32_t off, uint32_t *v)
{
	uint32_t *reg = scs_system_reg(d, off);

	if (cortexm_scs_debug_read(d, SCS_BASE + off, v) == SIM_BUS_OK)
		return SIM_BUS_OK;
	if (d->v8m && cortexm_v8m_scs_read(d, off, v))
		return SIM_BUS_OK;
	if (cs_ident_read(&d->scs_id, off, v))
		return SIM_BUS_OK;
	if (off == SCS_CPUID)
		*v = d->cfg.cpuid;
	else if (off == SCS_MVFR0)
		*v = d->m4 ? MVFR0_M4_SP : MVFR0_M7_DP;
	else if (off == SCS_MVFR1)
		*v = d->m4 ? MVFR1_M4_SP : MVFR1_M7_DP;
	else if (off == SCS_MVFR2)
		*v = d->m4 ? 0u : MVFR2_M7;
	else if (reg)
		*v = *reg;
	else
		*v = d->scs_plain[off / 4u];
	return SIM_BUS_OK;
}

/* Write semantics per register: masks, write-1-to-clear fault status, read-only identification. */
static void scs_system_write(cortexm_dbg *d, uint32_t off, uint32_t *reg, uint32_t v)
{
	switch (off) {
	case SCS_CFSR:
	case SCS_HFSR:
		*reg &= ~v;
		break;
	case SCS_VTOR:
		*reg = v & 0xFFFFFF80u;
		break;
	case SCS_CPACR:
		*reg = v & 0x00F00000u; /* CP10/CP11 only */
		break;
	case SCS_FPCAR:
		*reg = v & ~7u;
		break;
	case SCS_FPDSCR:
		*reg = v & 0x07C00000u;
		break;
	default:
		*reg = v;
		break;
	}
}

static sim_bus_result scs_write(cortexm_dbg *d, uint32_t off, uint32_t v)
{
	uint32_t *reg = scs_system_reg(d, off);

	if (cortexm_scs_debug_write(d, SCS_BASE + off, v))
		return SIM_BUS_OK;
	if (d->v8m && cortexm_v8m_scs_write(d, off, v))
		return SIM_BUS_OK;
	if (off >= CS_ID_BLOCK_START || off == SCS_CPUID || (off >= SCS_MVFR0 && off <= SCS_MVFR2)) {
		sim_log_guest_error("cortex-m: write 0x%08x to read-only SCS register 0x%08x", (unsigned)v,
				    (unsigned)(SCS_BASE + off));
		return SIM_BUS_OK;
	}
	if (reg) {
		scs_system_write(d, off, reg, v);
		return SIM_BUS_OK;
	}
	/* NVIC, SysTick, ICSR, SCR, SHPR, ID and cache registers: stored, behaviour not modelled. */
	d->scs_plain[off / 4u] = v;
	if (!d->scs_plain_logged) {
		d->scs_plain_logged = true;
		sim_log_unimplemented("cortex-m: SCS 0x%08x = 0x%08x stored (NVIC/SysTick/... not modelled)",
				      (unsigned)(SCS_BASE + off), (unsigned)v);
	}
	return SIM_BUS_OK;
}

static sim_bus_result fpb_read(cortexm_dbg *d, uint32_t off, uint32_t *v)
{
	if (off == 0) {
		*v = (d->m4 ? FP_CTRL_FIXED_M4 : FP_CTRL_FIXED_M7) | (d->fpb_enable ? 1u : 0u);
		return SIM_BUS_OK;
	}
	if (off < CS_ID_BLOCK_START && (off < FP_COMP_FIRST || off > FP_COMP_LAST)) {
		/* FP_REMAP: remapping (literal comparators) is not modelled, RMPSPT reads 0; beyond: reserved */
		*v = 0;
		return SIM_BUS_OK;
	}
	return cs_plain_read(&d->fpb, off, v);
}

static sim_bus_result fpb_write(cortexm_dbg *d, uint32_t off, uint32_t v)
{
	if (off == 0) {
		if (v & FP_CTRL_KEY)
			d->fpb_enable = v & 1u;
		else
			sim_log_guest_error("cortex-m: FP_CTRL write 0x%08x without KEY ignored", (unsigned)v);
		return SIM_BUS_OK;
	}
	if (off < CS_ID_BLOCK_START && (off < FP_COMP_FIRST || off > FP_COMP_LAST))
		return SIM_BUS_OK; /* FP_REMAP / reserved: write ignored */
	/* Comparators: matched by cortexm_dbg_breakpoint_at(); literal remapping is not modelled. */
	d->fpb.regs[off / 4u] = v;
	if (off >= FP_COMP_FIRST && off <= FP_COMP_LAST) {
		uint32_t bit = 1u << ((off - FP_COMP_FIRST) / 4u);
		d->fpb_comp_on = (v & 1u) ? d->fpb_comp_on | bit : d->fpb_comp_on & ~bit;
	}
	return SIM_BUS_OK;
}

/* FPBv1 (M4): a code comparator with REPLACE != 00 breaks on the selected halfword(s) of its word. */
static bool fpb_v1_match(uint32_t comp, uint32_t pc)
{
	uint32_t replace = comp >> FPB_V1_REPLACE_SHIFT;
	uint32_t half = (pc & 2u) ? 2u : 1u;

	if (!(comp & 1u) || pc > FPB_V1_ADDR_MASK || (comp & FPB_V1_ADDR_MASK) != (pc & FPB_V1_ADDR_MASK))
		return false;
	return (replace & half) != 0;
}

bool cortexm_dbg_breakpoint_at(cortexm_dbg *d, uint32_t pc)
{
	unsigned code = d->m4 ? CM_FPB_V1_CODE_COMPARATORS : CM_FPB_CODE_COMPARATORS;

	/* Armv8-M: a breakpoint where halting is prohibited does not halt (secure code without secure debug). */
	if (!d->fpb_enable || !d->fpb_comp_on || !cortexm_dbg_halt_allowed(d))
		return false;
	for (unsigned i = 0; i < code; i++) {
		uint32_t comp = d->fpb.regs[(FP_COMP_FIRST / 4u) + i];

		if (d->m4) {
			if (fpb_v1_match(comp, pc))
				return true;
		} else if ((comp & 1u) && (comp & ~1u) == (pc & ~1u)) {
			/* FPBv2: BE (bit 0) enables, BPADDR[31:1] is the halfword address. */
			return true;
		}
	}
	return false;
}

static sim_bus_result dwt_read(cortexm_dbg *d, uint32_t off, uint32_t *v)
{
	sim_bus_result r = cs_plain_read(&d->dwt, off, v);

	if (off == 0)
		*v = DWT_CTRL_NUMCOMP | (*v & DWT_CTRL_RW_MASK);
	else if (off == DWT_CYCCNT)
		*v = d->dwt_cyccnt;
	else if (off == DWT_PCSR)
		/* No sample while halted/in reset, nor of Secure code without secure debug (Armv8-M). */
		*v = d->state == CM_STATE_RUNNING && cortexm_dbg_halt_allowed(d) ? d->pc : 0xFFFFFFFFu;
	return r;
}

static sim_bus_result dwt_write(cortexm_dbg *d, uint32_t off, uint32_t v)
{
	if (off == DWT_CYCCNT) {
		d->dwt_cyccnt = v;
		return SIM_BUS_OK;
	}
	if (off == DWT_PCSR)
		return SIM_BUS_OK; /* read-only */
	if (off >= 0x028u && off < 0x060u && ((off - 0x028u) % 16u) == 0)
		v &= ~DWT_FUNC_MATCHED; /* FUNCTIONn.MATCHED is read-only */
	if (off == 0)
		v &= DWT_CTRL_RW_MASK;
	return cs_plain_write(&d->dwt, off, v);
}

static sim_bus_result itm_read(cortexm_dbg *d, uint32_t off, uint32_t *v)
{
	if (off < 0x80u) {
		*v = 1u; /* stimulus port FIFO ready: output goes nowhere, it never fills */
		return SIM_BUS_OK;
	}
	return cs_plain_read(&d->itm, off, v);
}

static sim_bus_result itm_write(cortexm_dbg *d, uint32_t off, uint32_t v)
{
	if (off < 0x80u) {
		sim_log_unimplemented("itm: stimulus port %u write 0x%08x, trace output not modelled",
				      (unsigned)(off / 4u), (unsigned)v);
		return SIM_BUS_OK;
	}
	if (off == ITM_TCR)
		v &= ~ITM_TCR_BUSY;
	return cs_plain_write(&d->itm, off, v);
}

static sim_bus_result ppb_read_word(cortexm_dbg *d, uint32_t addr, uint32_t *v)
{
	uint32_t base = addr & ~0xFFFu, off = addr & 0xFFCu;

	*v = 0;
	if (base == cti_base(d))
		return cs_plain_read(&d->cti, off, v);
	switch (base) {
	case ITM_BASE: return itm_read(d, off, v);
	case DWT_BASE: return dwt_read(d, off, v);
	case FPB_BASE: return fpb_read(d, off, v);
	case SCS_BASE: return scs_read(d, off, v);
	case ETM_BASE: return cs_plain_read(&d->etm, off, v);
	case PPB_ROM_BASE: return ppb_rom_read(d, off, v);
	case CM_MCU_ROM_BASE: return mcu_rom_read(d, off, v);
	default:
		sim_log_guest_error("cortex-m: read of unimplemented PPB address 0x%08x", (unsigned)addr);
		return SIM_BUS_FAULT;
	}
}

static sim_bus_result ppb_write_word(cortexm_dbg *d, uint32_t addr, uint32_t v)
{
	uint32_t base = addr & ~0xFFFu, off = addr & 0xFFCu;

	if (base == cti_base(d))
		return cs_plain_write(&d->cti, off, v);
	switch (base) {
	case ITM_BASE: return itm_write(d, off, v);
	case DWT_BASE: return dwt_write(d, off, v);
	case FPB_BASE: return fpb_write(d, off, v);
	case SCS_BASE: return scs_write(d, off, v);
	case ETM_BASE: return cs_plain_write(&d->etm, off, v);
	case PPB_ROM_BASE:
	case CM_MCU_ROM_BASE:
		sim_log_guest_error("cortex-m: write 0x%08x to ROM table address 0x%08x", (unsigned)v, (unsigned)addr);
		return SIM_BUS_OK;
	default:
		sim_log_guest_error("cortex-m: write to unimplemented PPB address 0x%08x", (unsigned)addr);
		return SIM_BUS_FAULT;
	}
}

/* Registers whose bits are write-1-to-clear: a narrow write must not clear the other lanes. */
static bool is_w1c(uint32_t addr)
{
	return addr == SCS_BASE + SCS_CFSR || addr == SCS_BASE + SCS_HFSR || addr == CM_DFSR;
}

sim_bus_result cortexm_dbg_read(cortexm_dbg *d, uint32_t addr, unsigned size, uint32_t *value)
{
	uint32_t word;
	sim_bus_result r = ppb_read_word(d, addr & ~3u, &word);

	*value = word_lane_extract(word, addr, size);
	return r;
}

sim_bus_result cortexm_dbg_write(cortexm_dbg *d, uint32_t addr, unsigned size, uint32_t value)
{
	uint32_t aligned = addr & ~3u, word = 0;

	if (size >= 4)
		return ppb_write_word(d, aligned, value);
	if (aligned == CM_DHCSR || aligned == CM_AIRCR) {
		sim_log_guest_error("cortex-m: %u-byte write to 0x%08x: the key needs a word write", size,
				    (unsigned)addr);
		return SIM_BUS_OK;
	}
	if (!is_w1c(aligned) && aligned != CM_DCRSR) {
		sim_bus_result r = ppb_read_word(d, aligned, &word);

		if (r != SIM_BUS_OK)
			return r;
	}
	return ppb_write_word(d, aligned, word_lane_merge(word, addr, size, value));
}
