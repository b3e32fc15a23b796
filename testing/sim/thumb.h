/*
 * Thumb instruction interpreter for the simulated Cortex-M cores: one
 * instruction per thumb_step(), from the registers and a bus, nothing else.
 *
 * What it executes: the whole ARMv6-M 16-bit Thumb instruction set (ARM DDI
 * 0419, A5.2) and the 32-bit BL (A5.3.1); DSB, DMB and ISB retire as no-ops
 * (one bus, no buffers: there is nothing to order); NOP, YIELD, SEV and the
 * unallocated hints retire as no-ops; WFI and WFE retire and report
 * THUMB_WFI so that the core can sleep.
 *
 * What it does not model, and reports instead of guessing:
 *  - exceptions: no SVC, no exception entry or return, no CPS/MRS/MSR (the
 *    core model owns PRIMASK, CONTROL and the banked stack pointers; r[13] is
 *    whichever SP is active).  A fault is returned, never taken;
 *  - the Armv7-M and Armv8-M additions the H7's Cortex-M7/M4 and the H5's
 *    Cortex-M33 also execute (every 32-bit encoding but BL and the barriers,
 *    CBZ/CBNZ, IT, BXNS/BLXNS): THUMB_NOT_MODELLED, as they are valid on the
 *    real cores;
 *  - unaligned single loads and stores: silicon performs them on normal
 *    memory, our buses only take natural alignment (THUMB_NOT_MODELLED);
 *  - timing, the instruction itself being one step.
 *
 * Atomicity: when an instruction does not retire, no register changes (it
 * runs on a copy that is committed only when it retires).  Memory is the
 * exception: a STM or PUSH whose third store faults has done the first two,
 * as silicon does.
 *
 * No logging, no global state: the caller logs and owns everything.
 */
#ifndef STM32SIM_THUMB_H
#define STM32SIM_THUMB_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

#define THUMB_APSR_N (1u << 31)
#define THUMB_APSR_Z (1u << 30)
#define THUMB_APSR_C (1u << 29)
#define THUMB_APSR_V (1u << 28)

typedef struct thumb_regs {
	/* r[13] = the active SP, r[14] = LR, r[15] = PC: address of the instruction to execute next, bit 0 clear */
	uint32_t r[16];
	uint32_t apsr;   /* N (31) Z (30) C (29) V (28); other bits preserved untouched */
} thumb_regs;

typedef enum thumb_result {
	THUMB_OK,           /* one instruction retired */
	THUMB_BKPT,         /* BKPT #imm8 at PC: not retired, PC stays on it; *info = imm8 */
	THUMB_WFI,          /* WFI or WFE: retired (PC advanced); the core may sleep */
	THUMB_FETCH_FAULT,  /* instruction fetch faulted; *info = address */
	THUMB_DATA_FAULT,   /* a load or store faulted; *info = faulting address */
	THUMB_UNALIGNED,    /* LDM/STM/PUSH/POP base not word-aligned (UsageFault); *info = lowest address */
	THUMB_INVSTATE,     /* BX/BLX/POP {pc} to an address with bit 0 clear (UsageFault INVSTATE); *info = target */
	THUMB_UNDEFINED,    /* UDF, or UNDEFINED/UNPREDICTABLE in ARMv6-M; *info = the halfword or hw1 << 16 | hw2 */
	THUMB_NOT_MODELLED, /* valid, not executed by this model (see above); *info = encoding or address */
} thumb_result;

/*
 * Execute the instruction at regs->r[15].  Only THUMB_OK and THUMB_WFI
 * change the registers.  `info` may be NULL.
 */
thumb_result thumb_step(thumb_regs *regs, const sim_bus *bus, uint32_t *info);
const char *thumb_result_name(thumb_result r);

/*
 * The arithmetic of the architecture's pseudocode (ARM DDI 0419, A2.2 and
 * A2.3), in thumb_alu.c: used by thumb.c, visible for the unit tests.
 */
typedef enum thumb_shift {
	THUMB_LSL,
	THUMB_LSR,
	THUMB_ASR,
	THUMB_ROR,
} thumb_shift;

/* AddWithCarry(): x + y + carry_in with the carry and signed overflow out. */
uint32_t thumb_add_with_carry(uint32_t x, uint32_t y, bool carry_in, bool *carry_out, bool *overflow);
/* Shift_C(): any amount, 0 included (value and carry_in unchanged). */
uint32_t thumb_shift_c(uint32_t value, thumb_shift type, uint32_t amount, bool carry_in, bool *carry_out);
/* ConditionPassed() for a 4-bit condition code against APSR.NZCV. */
bool thumb_condition_passed(unsigned cond, uint32_t apsr);
/*
 * The two groups that only touch low registers and flags (thumb.c decodes
 * everything else): A5.2.1, shift (immediate), add, subtract, move and
 * compare (hw[15:14] == 00), and A5.2.2, data processing (hw[15:10] ==
 * 010000).
 */
void thumb_alu_immediate(thumb_regs *regs, uint16_t hw);
void thumb_alu_register(thumb_regs *regs, uint16_t hw);
/* The flags of CMP a, b (AddWithCarry(a, NOT(b), 1)), for CMP (register) T2. */
void thumb_alu_compare(thumb_regs *regs, uint32_t a, uint32_t b);

#endif
