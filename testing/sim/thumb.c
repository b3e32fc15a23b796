/*
 * Thumb instruction interpreter (see thumb.h): fetch, decode, registers,
 * memory and branches.  The flag arithmetic is in thumb_alu.c.
 * Section numbers are those of ARM DDI 0419 (ARMv6-M ARM).
 *
 * Every instruction runs on a copy of the registers (thumb_exec.out) and
 * reads its operands from the registers as they were before it
 * (thumb_exec.in); thumb_step() commits the copy only if the instruction
 * retires.  That is what makes a faulting LDM, POP or BX leave every
 * register as it was, without each instruction undoing its own writes.
 */
#include "thumb.h"

#include <stddef.h>

#define REG_SP 13u
#define REG_LR 14u
#define REG_PC 15u

typedef struct thumb_exec {
	const thumb_regs *in;   /* before the instruction: operands come from here */
	thumb_regs out;         /* after it: committed only if it retires */
	const sim_bus *bus;
	uint32_t pc;            /* address of this instruction */
	uint32_t *info;
} thumb_exec;

static thumb_result stop(thumb_exec *x, thumb_result why, uint32_t info)
{
	*x->info = info;
	return why;
}

static thumb_result undefined(thumb_exec *x, uint32_t encoding)
{
	return stop(x, THUMB_UNDEFINED, encoding);
}

static thumb_result not_modelled(thumb_exec *x, uint32_t encoding)
{
	return stop(x, THUMB_NOT_MODELLED, encoding);
}

static uint32_t sign_extend(uint32_t value, unsigned bits)
{
	uint32_t sign = 1u << (bits - 1);

	value &= (sign << 1) - 1u;
	return (value ^ sign) - sign;
}

/* A5.1.2 (use of 0b1111 as a register specifier): the PC reads as this instruction's address + 4. */
static uint32_t reg_read(const thumb_exec *x, unsigned n)
{
	return n == REG_PC ? x->pc + 4u : x->in->r[n];
}

/* Align(PC, 4), the base of LDR (literal) and ADR. */
static uint32_t pc_word_aligned(const thumb_exec *x)
{
	return (x->pc + 4u) & ~3u;
}

/*
 * B1.4.1 (the SP registers): SP is word-aligned, bits [1:0] read as zero
 * and ignore writes, as the Cortex-M cores implement them.
 */
static void write_sp(thumb_exec *x, uint32_t value)
{
	x->out.r[REG_SP] = value & ~3u;
}

/* BranchWritePC (A2.3.1, ARM core registers): the target's bit 0 is ignored, no interworking. */
static void branch_to(thumb_exec *x, uint32_t target)
{
	x->out.r[REG_PC] = target & ~1u;
}

/* MOV and ADD to a high register: ALUWritePC is BranchWritePC in ARMv6-M. */
static void alu_write(thumb_exec *x, unsigned d, uint32_t value)
{
	if (d == REG_PC)
		branch_to(x, value);
	else if (d == REG_SP)
		write_sp(x, value);
	else
		x->out.r[d] = value;
}

/*
 * BXWritePC (A2.3.1), which BX and LoadWritePC (POP {pc}) use, and, without
 * the exception return, BLXWritePC.  An EXC_RETURN value (0xFxxxxxxx) is an
 * exception return in Handler mode; this model does not know the mode and
 * does not do exception returns, so it stops there in both modes.  Bit 0
 * clear would switch to ARM state, which ARMv6-M does not have: the next
 * instruction takes an INVSTATE UsageFault.  Silicon completes the branch
 * first; we stop before it, so that the caller sees the instruction that
 * caused it.
 */
static thumb_result interworking_branch(thumb_exec *x, uint32_t target, bool may_return)
{
	if (may_return && (target >> 28) == 0xFu)
		return not_modelled(x, target);
	if (!(target & 1u))
		return stop(x, THUMB_INVSTATE, target);
	x->out.r[REG_PC] = target & ~1u;
	return THUMB_OK;
}

/*
 * Single loads and stores.  Silicon does unaligned LDR/STR/LDRH/STRH/LDRSH
 * on normal memory (the Armv7-M cores; ARMv6-M would fault); our buses only
 * take natural alignment, hence THUMB_NOT_MODELLED rather than a fault.
 */
static thumb_result load(thumb_exec *x, unsigned rt, uint32_t addr, unsigned size, bool is_signed)
{
	uint32_t value;

	if (addr & (size - 1u))
		return not_modelled(x, addr);
	if (sim_bus_read(x->bus, addr, size, &value) != SIM_BUS_OK)
		return stop(x, THUMB_DATA_FAULT, addr);
	x->out.r[rt] = is_signed ? sign_extend(value, size * 8u) : value;
	return THUMB_OK;
}

static thumb_result store(thumb_exec *x, uint32_t addr, unsigned size, uint32_t value)
{
	if (addr & (size - 1u))
		return not_modelled(x, addr);
	if (sim_bus_write(x->bus, addr, size, value) != SIM_BUS_OK)
		return stop(x, THUMB_DATA_FAULT, addr);
	return THUMB_OK;
}

static thumb_result load_or_store(thumb_exec *x, bool is_load, unsigned rt, uint32_t addr, unsigned size,
				  bool is_signed)
{
	if (is_load)
		return load(x, rt, addr, size, is_signed);
	return store(x, addr, size, size == 4u ? x->in->r[rt] : x->in->r[rt] & ((1u << (size * 8u)) - 1u));
}

/* A5.2.4, opA = 0101: [Rn, Rm] with opB = hw[11:9]. */
static thumb_result exec_load_store_register(thumb_exec *x, uint16_t hw)
{
	static const struct {
		unsigned size;
		bool is_load, is_signed;
	} forms[8] = {
		{ 4, false, false }, /* STR */
		{ 2, false, false }, /* STRH */
		{ 1, false, false }, /* STRB */
		{ 1, true, true },   /* LDRSB */
		{ 4, true, false },  /* LDR */
		{ 2, true, false },  /* LDRH */
		{ 1, true, false },  /* LDRB */
		{ 2, true, true },   /* LDRSH */
	};
	unsigned op = (hw >> 9) & 7u;
	uint32_t addr = x->in->r[(hw >> 3) & 7u] + x->in->r[(hw >> 6) & 7u];

	return load_or_store(x, forms[op].is_load, hw & 7u, addr, forms[op].size, forms[op].is_signed);
}

/* A5.2.4, opA = 0110..1001: [Rn, #imm5 * size] words, bytes, halfwords; [SP, #imm8 * 4]. */
static thumb_result exec_load_store_immediate(thumb_exec *x, uint16_t hw)
{
	bool is_load = hw & 0x0800u;
	unsigned rt = hw & 7u, imm5 = (hw >> 6) & 0x1Fu;
	uint32_t rn = x->in->r[(hw >> 3) & 7u];

	switch (hw >> 12) {
	case 0x6:
		return load_or_store(x, is_load, rt, rn + imm5 * 4u, 4, false);
	case 0x7:
		return load_or_store(x, is_load, rt, rn + imm5, 1, false);
	case 0x8:
		return load_or_store(x, is_load, rt, rn + imm5 * 2u, 2, false);
	default:
		return load_or_store(x, is_load, (hw >> 8) & 7u, x->in->r[REG_SP] + (hw & 0xFFu) * 4u, 4, false);
	}
}

/*
 * LDM, STM, PUSH and POP: word accesses in ascending register order from
 * the lowest address.  The base must be word-aligned (an UNALIGNED
 * UsageFault otherwise, whatever CCR.UNALIGN_TRP says).
 *
 * Loads go to the register copy, so a fault on the third word changes no
 * register.  Stores cannot be taken back: a fault on the third word leaves
 * the first two written, as on silicon (the instruction is abandoned and
 * memory keeps what it got); registers, SP included, stay as they were.
 */
static thumb_result store_multiple(thumb_exec *x, uint32_t addr, uint32_t registers)
{
	if (addr & 3u)
		return stop(x, THUMB_UNALIGNED, addr);
	for (unsigned i = 0; i < 16u; i++) {
		if (!(registers & (1u << i)))
			continue;
		if (sim_bus_write(x->bus, addr, 4, x->in->r[i]) != SIM_BUS_OK)
			return stop(x, THUMB_DATA_FAULT, addr);
		addr += 4u;
	}
	return THUMB_OK;
}

/* The PC is never written here: POP hands the loaded value to its caller as *pc_value. */
static thumb_result load_multiple(thumb_exec *x, uint32_t addr, uint32_t registers, uint32_t *pc_value)
{
	uint32_t value;

	if (addr & 3u)
		return stop(x, THUMB_UNALIGNED, addr);
	for (unsigned i = 0; i < 16u; i++) {
		if (!(registers & (1u << i)))
			continue;
		if (sim_bus_read(x->bus, addr, 4, &value) != SIM_BUS_OK)
			return stop(x, THUMB_DATA_FAULT, addr);
		if (i == REG_PC)
			*pc_value = value;
		else
			x->out.r[i] = value;
		addr += 4u;
	}
	return THUMB_OK;
}

static unsigned bit_count(uint32_t v)
{
	return (unsigned)__builtin_popcount(v);
}

/* A6.7, STM: an empty list is UNPREDICTABLE; the base is always written back. */
static thumb_result exec_stm(thumb_exec *x, uint16_t hw)
{
	unsigned n = (hw >> 8) & 7u;
	uint32_t registers = hw & 0xFFu, base = x->in->r[n];
	thumb_result res;

	if (!registers)
		return undefined(x, hw);
	/*
	 * Rn in the list and not its lowest register stores an UNKNOWN value;
	 * store_multiple() stores Rn as it was before the instruction.
	 */
	res = store_multiple(x, base, registers);
	if (res == THUMB_OK)
		x->out.r[n] = base + 4u * bit_count(registers);
	return res;
}

/* A6.7, LDM: written back only if Rn is not in the list (otherwise Rn gets the loaded word). */
static thumb_result exec_ldm(thumb_exec *x, uint16_t hw)
{
	unsigned n = (hw >> 8) & 7u;
	uint32_t registers = hw & 0xFFu, base = x->in->r[n];
	thumb_result res;

	if (!registers)
		return undefined(x, hw);
	res = load_multiple(x, base, registers, NULL);
	if (res == THUMB_OK && !(registers & (1u << n)))
		x->out.r[n] = base + 4u * bit_count(registers);
	return res;
}

/* A6.7, PUSH: hw[8] adds LR to the list. */
static thumb_result exec_push(thumb_exec *x, uint16_t hw)
{
	uint32_t registers = (hw & 0xFFu) | ((hw & 0x100u) << 6);
	uint32_t addr = x->in->r[REG_SP] - 4u * bit_count(registers);
	thumb_result res;

	if (!registers)
		return undefined(x, hw);
	res = store_multiple(x, addr, registers);
	if (res == THUMB_OK)
		write_sp(x, addr);
	return res;
}

/* A6.7, POP: hw[8] adds the PC, loaded through LoadWritePC (BXWritePC in ARMv6-M). */
static thumb_result exec_pop(thumb_exec *x, uint16_t hw)
{
	uint32_t registers = (hw & 0xFFu) | ((hw & 0x100u) << 7);
	uint32_t addr = x->in->r[REG_SP], pc_value = 0;
	thumb_result res;

	if (!registers)
		return undefined(x, hw);
	res = load_multiple(x, addr, registers, &pc_value);
	if (res != THUMB_OK)
		return res;
	write_sp(x, addr + 4u * bit_count(registers));
	if (registers & (1u << REG_PC))
		return interworking_branch(x, pc_value, true);
	return THUMB_OK;
}

/*
 * A5.2.3, BX and BLX, hw[2:0] should be zero: other values are
 * UNPREDICTABLE, except 100, BXNS/BLXNS of the Armv8-M Security Extension
 * (the H5's Cortex-M33).  BLX PC is UNPREDICTABLE.
 */
static thumb_result exec_bx_blx(thumb_exec *x, uint16_t hw)
{
	bool link = hw & 0x80u;
	unsigned m = (hw >> 3) & 0xFu;
	thumb_result res;

	if ((hw & 7u) == 4u)
		return not_modelled(x, hw);
	if ((hw & 7u) != 0 || (link && m == REG_PC))
		return undefined(x, hw);
	if (!link)
		return interworking_branch(x, reg_read(x, m), true);
	res = interworking_branch(x, reg_read(x, m), false);
	x->out.r[REG_LR] = (x->pc + 2u) | 1u;
	return res;
}

/*
 * A5.2.3, special data instructions, opcode = hw[9:6]: ADD and MOV on any
 * registers (no flags; writing the PC branches), CMP with at least one high
 * register.  UNPREDICTABLE: ADD PC, PC; CMP with two low registers (opcode
 * 0100) or with the PC.  ADD with two low registers is allowed in ARMv6-M
 * (A6.7.3, T2).
 */
static thumb_result exec_special_data(thumb_exec *x, uint16_t hw)
{
	unsigned opcode = (hw >> 6) & 0xFu;
	unsigned dn = ((hw >> 4) & 8u) | (hw & 7u); /* DN:Rdn, N:Rn or D:Rd */
	unsigned m = (hw >> 3) & 0xFu;

	switch (opcode >> 2) {
	case 0:
		if (dn == REG_PC && m == REG_PC)
			return undefined(x, hw);
		alu_write(x, dn, reg_read(x, dn) + reg_read(x, m));
		return THUMB_OK;
	case 1:
		if ((dn < 8u && m < 8u) || dn == REG_PC || m == REG_PC)
			return undefined(x, hw);
		thumb_alu_compare(&x->out, x->in->r[dn], x->in->r[m]);
		return THUMB_OK;
	case 2:
		alu_write(x, dn, reg_read(x, m));
		return THUMB_OK;
	default:
		return exec_bx_blx(x, hw);
	}
}

/* A5.2.5: SXTH, SXTB, UXTH, UXTB (hw[7:6]), no rotation in ARMv6-M. */
static thumb_result exec_extend(thumb_exec *x, uint16_t hw)
{
	uint32_t v = x->in->r[(hw >> 3) & 7u];
	uint32_t *rd = &x->out.r[hw & 7u];

	switch ((hw >> 6) & 3u) {
	case 0: *rd = sign_extend(v, 16); break;
	case 1: *rd = sign_extend(v, 8); break;
	case 2: *rd = v & 0xFFFFu; break;
	default: *rd = v & 0xFFu; break;
	}
	return THUMB_OK;
}

/* A5.2.5: REV, REV16, REVSH (hw[7:6]); 10 is unallocated in ARMv6-M. */
static thumb_result exec_reverse(thumb_exec *x, uint16_t hw)
{
	uint32_t v = x->in->r[(hw >> 3) & 7u];
	uint32_t *rd = &x->out.r[hw & 7u];

	switch ((hw >> 6) & 3u) {
	case 0: *rd = (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24); break;
	case 1: *rd = ((v >> 8) & 0x00FF00FFu) | ((v << 8) & 0xFF00FF00u); break;
	case 3: *rd = sign_extend(((v & 0xFFu) << 8) | ((v >> 8) & 0xFFu), 16); break;
	default: return undefined(x, hw);
	}
	return THUMB_OK;
}

/*
 * A5.2.5, hints, hw[7:4] with hw[3:0] zero: NOP, YIELD, WFE, WFI, SEV;
 * other hint numbers are unallocated hints and execute as NOP.  A non-zero
 * hw[3:0] is IT, an Armv7-M instruction.  WFE reports like WFI: with no
 * event register modelled, "may sleep" is all the caller needs to know.
 */
static thumb_result exec_hint(thumb_exec *x, uint16_t hw)
{
	if (hw & 0xFu)
		return not_modelled(x, hw);
	switch ((hw >> 4) & 0xFu) {
	case 2: /* WFE */
	case 3: /* WFI */
		return THUMB_WFI;
	default:
		return THUMB_OK;
	}
}

/*
 * A5.2.5, miscellaneous 16-bit instructions, opcode = hw[11:5].  CBZ/CBNZ
 * (o0i1xxx) are Armv7-M: valid on the cores this runs for, not modelled.
 */
static thumb_result exec_misc(thumb_exec *x, uint16_t hw)
{
	unsigned opcode = (hw >> 5) & 0x7Fu;
	uint32_t imm7 = (hw & 0x7Fu) * 4u;

	if ((opcode & 0x7Cu) == 0x00u) {
		write_sp(x, x->in->r[REG_SP] + imm7);
		return THUMB_OK;
	}
	if ((opcode & 0x7Cu) == 0x04u) {
		write_sp(x, x->in->r[REG_SP] - imm7);
		return THUMB_OK;
	}
	if ((opcode & 0x28u) == 0x08u)
		return not_modelled(x, hw); /* CBZ, CBNZ */
	if ((opcode & 0x78u) == 0x10u)
		return exec_extend(x, hw);
	if ((opcode & 0x70u) == 0x20u)
		return exec_push(x, hw);
	if (opcode == 0x33u)
		return not_modelled(x, hw); /* CPS */
	if ((opcode & 0x78u) == 0x50u)
		return exec_reverse(x, hw);
	if ((opcode & 0x70u) == 0x60u)
		return exec_pop(x, hw);
	if ((opcode & 0x78u) == 0x70u)
		return stop(x, THUMB_BKPT, hw & 0xFFu); /* not retired: a debug halt sees the PC on it */
	if ((opcode & 0x78u) == 0x78u)
		return exec_hint(x, hw);
	return undefined(x, hw);
}

/* A5.2, "Conditional branch, and supervisor call": cond 1110 is UDF, 1111 SVC. */
static thumb_result exec_conditional_branch(thumb_exec *x, uint16_t hw)
{
	unsigned cond = (hw >> 8) & 0xFu;

	if (cond == 0xEu)
		return undefined(x, hw);
	if (cond == 0xFu)
		return not_modelled(x, hw);
	if (thumb_condition_passed(cond, x->in->apsr))
		branch_to(x, x->pc + 4u + sign_extend((hw & 0xFFu) << 1, 9));
	return THUMB_OK;
}

static thumb_result exec16(thumb_exec *x, uint16_t hw)
{
	switch (hw >> 12) {
	case 0x0: case 0x1: case 0x2: case 0x3:
		thumb_alu_immediate(&x->out, hw);
		return THUMB_OK;
	case 0x4:
		if ((hw >> 10) == 0x10u) {
			thumb_alu_register(&x->out, hw);
			return THUMB_OK;
		}
		if ((hw >> 10) == 0x11u)
			return exec_special_data(x, hw);
		return load(x, (hw >> 8) & 7u, pc_word_aligned(x) + (hw & 0xFFu) * 4u, 4, false); /* LDR (literal) */
	case 0x5:
		return exec_load_store_register(x, hw);
	case 0x6: case 0x7: case 0x8: case 0x9:
		return exec_load_store_immediate(x, hw);
	case 0xA: /* ADR, ADD Rd, SP, #imm8 * 4 */
		x->out.r[(hw >> 8) & 7u] = ((hw & 0x800u) ? x->in->r[REG_SP] : pc_word_aligned(x)) + (hw & 0xFFu) * 4u;
		return THUMB_OK;
	case 0xB:
		return exec_misc(x, hw);
	case 0xC:
		return (hw & 0x800u) ? exec_ldm(x, hw) : exec_stm(x, hw);
	case 0xD:
		return exec_conditional_branch(x, hw);
	default: /* 11100: B; the 32-bit prefixes never get here */
		branch_to(x, x->pc + 4u + sign_extend((hw & 0x7FFu) << 1, 12));
		return THUMB_OK;
	}
}

/* A6.7, BL: I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S), offset S:I1:I2:imm10:imm11:'0'. */
static thumb_result exec_bl(thumb_exec *x, uint32_t hw1, uint32_t hw2)
{
	uint32_t s = (hw1 >> 10) & 1u, j1 = (hw2 >> 13) & 1u, j2 = (hw2 >> 11) & 1u;
	uint32_t i1 = !(j1 ^ s), i2 = !(j2 ^ s);
	uint32_t offset = s << 24 | i1 << 23 | i2 << 22 | (hw1 & 0x3FFu) << 12 | (hw2 & 0x7FFu) << 1;

	x->out.r[REG_LR] = (x->pc + 4u) | 1u;
	branch_to(x, x->pc + 4u + sign_extend(offset, 25));
	return THUMB_OK;
}

/*
 * A5.3: of the 32-bit encodings ARMv6-M has BL, MSR, MRS, DSB, DMB, ISB and
 * UDF.W.  The cores this runs for have many more (Armv7-M, Armv8-M
 * Mainline), so anything else is "not modelled" rather than UNDEFINED.
 */
static thumb_result exec32(thumb_exec *x, uint32_t hw1, uint32_t hw2)
{
	uint32_t encoding = hw1 << 16 | hw2;

	if ((hw1 & 0xF800u) == 0xF000u && (hw2 & 0xD000u) == 0xD000u)
		return exec_bl(x, hw1, hw2);
	/* A5.3.1, miscellaneous control: DSB (4), DMB (5), ISB (6) in hw2[7:4]. */
	if (hw1 == 0xF3BFu && (hw2 & 0xFF00u) == 0x8F00u) {
		unsigned op = (hw2 >> 4) & 0xFu;

		if (op >= 4u && op <= 6u)
			return THUMB_OK; /* one in-order bus: nothing to wait for */
	}
	if ((hw1 & 0xFFF0u) == 0xF7F0u && (hw2 & 0xF000u) == 0xA000u)
		return undefined(x, encoding); /* UDF.W */
	return not_modelled(x, encoding);
}

/* A5.1: hw[15:11] = 11101, 11110 or 11111 starts a 32-bit instruction. */
static bool is_32bit(uint32_t hw)
{
	return (hw >> 11) >= 0x1Du;
}

static bool fetch(const sim_bus *bus, uint32_t addr, uint32_t *hw)
{
	return sim_bus_read(bus, addr, 2, hw) == SIM_BUS_OK;
}

thumb_result thumb_step(thumb_regs *regs, const sim_bus *bus, uint32_t *info)
{
	uint32_t discard, hw1, hw2;
	thumb_exec x = { .in = regs, .out = *regs, .bus = bus, .pc = regs->r[REG_PC],
			 .info = info ? info : &discard };
	thumb_result res;

	*x.info = 0;
	/* A PC with bit 0 set cannot happen on silicon; the bus would not take the fetch either. */
	if ((x.pc & 1u) || !fetch(bus, x.pc, &hw1))
		return stop(&x, THUMB_FETCH_FAULT, x.pc);
	if (is_32bit(hw1)) {
		if (!fetch(bus, x.pc + 2u, &hw2))
			return stop(&x, THUMB_FETCH_FAULT, x.pc + 2u);
		x.out.r[REG_PC] = x.pc + 4u;
		res = exec32(&x, hw1, hw2);
	} else {
		x.out.r[REG_PC] = x.pc + 2u;
		res = exec16(&x, (uint16_t)hw1);
	}
	if (res == THUMB_OK || res == THUMB_WFI)
		*regs = x.out;
	return res;
}

const char *thumb_result_name(thumb_result r)
{
	static const char *const names[] = {
		[THUMB_OK] = "ok", [THUMB_BKPT] = "bkpt", [THUMB_WFI] = "wfi",
		[THUMB_FETCH_FAULT] = "fetch-fault", [THUMB_DATA_FAULT] = "data-fault",
		[THUMB_UNALIGNED] = "unaligned", [THUMB_INVSTATE] = "invstate",
		[THUMB_UNDEFINED] = "undefined", [THUMB_NOT_MODELLED] = "not-modelled",
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}
