@ STM32H7 flash loader: runs on the core (Cortex-M7 from DTCM, Cortex-M4 from
@ SRAM4) while the debugger streams the image into a ring buffer in the same
@ RAM.  The core's stores into the flash stall on the bus while the flash
@ queue is full (RM0433 flash chapter, facts A.2 SR.QW), so no word is ever
@ lost however fast the probe is, and the debugger only writes RAM, which
@ never answers WAIT.
@
@ Source of src/flash/nor/stm32h7x_loader.h: after a change, run
@ scripts/gen-core-code (llvm-mc); `make check` compares the two.
@ ARMv6-M 16-bit Thumb only: the simulator's interpreter (testing/sim/thumb.c)
@ executes exactly that set.
@
@ Entry (set by the debugger through DCRSR, src/flash/nor/stm32h7x_loader.c):
@   r0 = control block (CTL_* below), r2 = first flash address,
@   r4 = flash words to program (CTL_WORD_BYTES each).
@ The debugger has unlocked the bank and set FLASH_CRx.PG (and PSIZE) first.
@ Erased words (all 0xFF) are skipped: programming them would burn their ECC.
@ Exit: BKPT #0 with CTL_STATUS = 0, or the FLASH_SRx value whose error bits
@ (CTL_ERR_MASK) are set, and r2 = the flash word that reported them.
	.syntax unified
	.cpu cortex-m0
	.thumb

	.equ CTL_WP, 0          @ ring offset up to which the debugger has written
	.equ CTL_RP, 4          @ ring offset up to which the loader has consumed
	.equ CTL_STATUS, 8      @ 0xFFFFFFFF while running
	.equ CTL_RING_SIZE, 12  @ bytes, a multiple of CTL_WORD_BYTES
	.equ CTL_SR_ADDR, 16    @ FLASH_SR1 or FLASH_SR2
	.equ CTL_WORD_BYTES, 20 @ flash word: 32 (0x450, 0x483) or 16 (0x480)
	.equ CTL_ERR_MASK, 24   @ FLASH_SRx error flags
	.equ CTL_RING, 32       @ the ring starts here
	.equ SR_BSY_QW, 5       @ FLASH_SRx BSY (bit 0) | QW (bit 2)

start:
	movs	r6, #0                  @ r6 = read offset in the ring
next_word:
	cmp	r4, #0
	beq	drain
wait_data:
	ldr	r7, [r0, #CTL_WP]       @ empty while WP == RP
	cmp	r7, r6
	beq	wait_data
	movs	r1, r0
	adds	r1, #CTL_RING
	adds	r1, r1, r6              @ r1 = this flash word in the ring
	ldr	r5, [r0, #CTL_WORD_BYTES]
	movs	r3, #0
blank_test:
	ldr	r7, [r1, r3]
	adds	r7, #1                  @ Z only for 0xFFFFFFFF
	bne	program
	adds	r3, #4
	cmp	r3, r5
	bne	blank_test
	b	advance                 @ erased word: leave it alone
program:
	movs	r3, #0
copy:
	ldr	r7, [r1, r3]
	str	r7, [r2, r3]            @ stalls while the flash queue is full
	adds	r3, #4
	cmp	r3, r5
	bne	copy
	ldr	r3, [r0, #CTL_SR_ADDR]
	ldr	r7, [r3]
	ldr	r3, [r0, #CTL_ERR_MASK]
	tst	r7, r3
	bne	finish                  @ r7 = FLASH_SRx with an error flag
advance:
	adds	r2, r2, r5
	adds	r6, r6, r5
	ldr	r3, [r0, #CTL_RING_SIZE]
	cmp	r6, r3
	bne	publish
	movs	r6, #0
publish:
	str	r6, [r0, #CTL_RP]
	subs	r4, #1
	b	next_word
drain:
	ldr	r3, [r0, #CTL_SR_ADDR]
	movs	r1, #SR_BSY_QW
wait_idle:
	ldr	r7, [r3]                @ the last words finish programming
	tst	r7, r1
	bne	wait_idle
	ldr	r3, [r0, #CTL_ERR_MASK]
	ands	r7, r3
finish:
	str	r7, [r0, #CTL_STATUS]
	bkpt	#0
