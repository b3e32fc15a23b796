/*
 * The arithmetic half of the Thumb interpreter (see thumb.h): AddWithCarry,
 * the shifts with their carry out, the condition codes and the sixteen
 * data-processing (register) operations, with the flags each one sets.
 * References are to ARM DDI 0419 (ARMv6-M Architecture Reference Manual).
 */
#include "thumb.h"

/* A5.2.2, "Data processing": the opcode field, bits [9:6]. */
enum dp_opcode {
	DP_AND, DP_EOR, DP_LSL, DP_LSR, DP_ASR, DP_ADC, DP_SBC, DP_ROR,
	DP_TST, DP_RSB, DP_CMP, DP_CMN, DP_ORR, DP_MUL, DP_BIC, DP_MVN,
};

uint32_t thumb_add_with_carry(uint32_t x, uint32_t y, bool carry_in, bool *carry_out, bool *overflow)
{
	uint64_t unsigned_sum = (uint64_t)x + y + carry_in;
	int64_t signed_sum = (int64_t)(int32_t)x + (int32_t)y + carry_in;
	uint32_t result = (uint32_t)unsigned_sum;

	*carry_out = unsigned_sum != result;
	*overflow = signed_sum != (int32_t)result;
	return result;
}

/*
 * LSL_C, LSR_C, ASR_C, ROR_C and Shift_C (A2.2, the shift and rotate
 * pseudocode).  Amounts of 32 and more only come from a register
 * (LSL/LSR/ASR/ROR by Rm[7:0]) or from the imm5 == 0 encodings of LSR/ASR
 * #32: everything shifted out of a 32-bit value leaves 0 (LSL, LSR) or the
 * sign (ASR), and the carry is the last bit shifted out, or 0 once even that
 * is gone (LSL/LSR beyond 32).
 */
static uint32_t lsl_c(uint32_t x, uint32_t n, bool *carry)
{
	if (n > 32) {
		*carry = false;
		return 0;
	}
	*carry = (x >> (32 - n)) & 1u;
	return n == 32 ? 0 : x << n;
}

static uint32_t lsr_c(uint32_t x, uint32_t n, bool *carry)
{
	if (n > 32) {
		*carry = false;
		return 0;
	}
	*carry = (x >> (n - 1)) & 1u;
	return n == 32 ? 0 : x >> n;
}

static uint32_t asr_c(uint32_t x, uint32_t n, bool *carry)
{
	uint32_t sign_fill = (x & 0x80000000u) ? 0xFFFFFFFFu : 0;

	if (n >= 32) {
		*carry = sign_fill & 1u;
		return sign_fill;
	}
	*carry = (x >> (n - 1)) & 1u;
	return (x >> n) | (sign_fill << (32 - n));
}

/* ROR_C: rotating by a multiple of 32 leaves the value, the carry is still bit 31. */
static uint32_t ror_c(uint32_t x, uint32_t n, bool *carry)
{
	uint32_t m = n % 32u;
	uint32_t result = m ? (x >> m) | (x << (32 - m)) : x;

	*carry = result >> 31;
	return result;
}

uint32_t thumb_shift_c(uint32_t value, thumb_shift type, uint32_t amount, bool carry_in, bool *carry_out)
{
	if (amount == 0) {
		*carry_out = carry_in;
		return value;
	}
	switch (type) {
	case THUMB_LSL:
		return lsl_c(value, amount, carry_out);
	case THUMB_LSR:
		return lsr_c(value, amount, carry_out);
	case THUMB_ASR:
		return asr_c(value, amount, carry_out);
	case THUMB_ROR:
		return ror_c(value, amount, carry_out);
	}
	*carry_out = carry_in;
	return value;
}

/* ConditionPassed() (A6.3, conditional execution): pairs of conditions, the odd one the inverse of the even one. */
bool thumb_condition_passed(unsigned cond, uint32_t apsr)
{
	bool n = apsr & THUMB_APSR_N, z = apsr & THUMB_APSR_Z;
	bool c = apsr & THUMB_APSR_C, v = apsr & THUMB_APSR_V;
	bool result;

	switch ((cond >> 1) & 7u) {
	case 0: result = z; break;                  /* EQ / NE */
	case 1: result = c; break;                  /* CS / CC */
	case 2: result = n; break;                  /* MI / PL */
	case 3: result = v; break;                  /* VS / VC */
	case 4: result = c && !z; break;            /* HI / LS */
	case 5: result = n == v; break;             /* GE / LT */
	case 6: result = n == v && !z; break;       /* GT / LE */
	default: return true;                       /* AL (and 1111, which never reaches here as a branch) */
	}
	return (cond & 1u) ? !result : result;
}

static void set_flag(thumb_regs *regs, uint32_t flag, bool on)
{
	regs->apsr = on ? regs->apsr | flag : regs->apsr & ~flag;
}

static void set_nz(thumb_regs *regs, uint32_t result)
{
	set_flag(regs, THUMB_APSR_N, result >> 31);
	set_flag(regs, THUMB_APSR_Z, result == 0);
}

static void set_nzc(thumb_regs *regs, uint32_t result, bool carry)
{
	set_nz(regs, result);
	set_flag(regs, THUMB_APSR_C, carry);
}

/* An AddWithCarry() whose result sets all four flags (ADC, SBC, RSB, CMP, CMN). */
static uint32_t add_set_nzcv(thumb_regs *regs, uint32_t x, uint32_t y, bool carry_in)
{
	bool carry, overflow;
	uint32_t result = thumb_add_with_carry(x, y, carry_in, &carry, &overflow);

	set_nzc(regs, result, carry);
	set_flag(regs, THUMB_APSR_V, overflow);
	return result;
}

static uint32_t shift_set_nzc(thumb_regs *regs, uint32_t value, thumb_shift type, uint32_t amount)
{
	bool carry;
	uint32_t result = thumb_shift_c(value, type, amount, regs->apsr & THUMB_APSR_C, &carry);

	set_nzc(regs, result, carry);
	return result;
}

void thumb_alu_compare(thumb_regs *regs, uint32_t a, uint32_t b)
{
	add_set_nzcv(regs, a, ~b, true);
}

/*
 * A5.2.1, opcode = hw[13:9].  LSL #0 is MOVS Rd, Rm (A6.7, MOV (register)
 * T2): Shift_C by 0 keeps C, as that encoding requires.  LSR and ASR encode
 * #32 as imm5 == 0 (DecodeImmShift).  MOVS #imm8 keeps C and V.
 */
void thumb_alu_immediate(thumb_regs *regs, uint16_t hw)
{
	unsigned opcode = (hw >> 9) & 0x1Fu;
	unsigned rd = hw & 7u, rn = (hw >> 3) & 7u, rm_or_imm3 = (hw >> 6) & 7u;
	unsigned imm5 = (hw >> 6) & 0x1Fu, rdn8 = (hw >> 8) & 7u;
	uint32_t imm8 = hw & 0xFFu, operand;
	uint32_t *r = regs->r;

	switch (opcode >> 2) {
	case 0: r[rd] = shift_set_nzc(regs, r[rn], THUMB_LSL, imm5); return;
	case 1: r[rd] = shift_set_nzc(regs, r[rn], THUMB_LSR, imm5 ? imm5 : 32u); return;
	case 2: r[rd] = shift_set_nzc(regs, r[rn], THUMB_ASR, imm5 ? imm5 : 32u); return;
	case 3: /* ADDS/SUBS Rd, Rn, Rm (opcode bit 1 clear) or #imm3 (set); bit 0: subtract */
		operand = (opcode & 2u) ? rm_or_imm3 : r[rm_or_imm3];
		r[rd] = (opcode & 1u) ? add_set_nzcv(regs, r[rn], ~operand, true)
				      : add_set_nzcv(regs, r[rn], operand, false);
		return;
	case 4: r[rdn8] = imm8; set_nz(regs, imm8); return;
	case 5: add_set_nzcv(regs, r[rdn8], ~imm8, true); return;
	case 6: r[rdn8] = add_set_nzcv(regs, r[rdn8], imm8, false); return;
	default: r[rdn8] = add_set_nzcv(regs, r[rdn8], ~imm8, true); return;
	}
}

/*
 * A5.2.2, opcode = hw[9:6], Rdn = hw[2:0], Rm = hw[5:3].  All set N and Z.
 * The logical operations leave C alone (there is no shifter operand in this
 * encoding), the register shifts take C from the shifter (the amount is
 * Rm[7:0], so 32 and more are possible), the arithmetic ones set C and V,
 * and ARMv6-M's MULS leaves C and V alone.  TST, CMP and CMN only set flags.
 */
void thumb_alu_register(thumb_regs *regs, uint16_t hw)
{
	unsigned rdn = hw & 7u, rm = (hw >> 3) & 7u;
	uint32_t a = regs->r[rdn], b = regs->r[rm];
	bool carry = regs->apsr & THUMB_APSR_C;
	uint32_t result;

	switch ((enum dp_opcode)((hw >> 6) & 15u)) {
	case DP_AND: result = a & b; set_nz(regs, result); break;
	case DP_EOR: result = a ^ b; set_nz(regs, result); break;
	case DP_ORR: result = a | b; set_nz(regs, result); break;
	case DP_BIC: result = a & ~b; set_nz(regs, result); break;
	case DP_MVN: result = ~b; set_nz(regs, result); break;
	case DP_MUL: result = a * b; set_nz(regs, result); break;
	case DP_TST: set_nz(regs, a & b); return;
	case DP_LSL: result = shift_set_nzc(regs, a, THUMB_LSL, b & 0xFFu); break;
	case DP_LSR: result = shift_set_nzc(regs, a, THUMB_LSR, b & 0xFFu); break;
	case DP_ASR: result = shift_set_nzc(regs, a, THUMB_ASR, b & 0xFFu); break;
	case DP_ROR: result = shift_set_nzc(regs, a, THUMB_ROR, b & 0xFFu); break;
	case DP_ADC: result = add_set_nzcv(regs, a, b, carry); break;
	case DP_SBC: result = add_set_nzcv(regs, a, ~b, carry); break;
	/* RSBS Rd, Rn, #0 (NEG): here Rn is the field at [5:3]. */
	case DP_RSB: result = add_set_nzcv(regs, ~b, 0, true); break;
	case DP_CMP: thumb_alu_compare(regs, a, b); return;
	case DP_CMN: add_set_nzcv(regs, a, b, false); return;
	default: return;
	}
	regs->r[rdn] = result;
}
