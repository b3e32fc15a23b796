@ Readability scan on the core (any Cortex-M): reads every word of a flash range so
@ that a word with an uncorrectable ECC error shows itself (the controller
@ flags such a word only when it is read: facts A.2, DBECCERR), without the debugger
@ carrying the data over JTAG.  Assembled by scripts/gen-core-code into
@ cm_scan_code.h; ARMv6-M 16-bit Thumb only (see cm_blank.S).
@
@ Entry: r0 = first address, r1 = end (exclusive; r1 - r0 a multiple of 64),
@ r2 = a RAM word for the result.
@ Exit: BKPT #0 with the result = r1: every word was read.
@ A read that faults takes the core to HardFault, which the debugger catches
@ (DEMCR.VC_HARDERR; a locked-up core is halted by the debugger).  The loads
@ go through r7, and r0 moves on only once a whole 64-byte block was read, so
@ r0 then names the block that holds the unreadable word.
	.syntax unified
	.cpu cortex-m0
	.thumb

scan:
	cmp	r0, r1
	beq	done
	movs	r7, r0
	ldm	r7!, {r3, r4, r5, r6}
	ldm	r7!, {r3, r4, r5, r6}
	ldm	r7!, {r3, r4, r5, r6}
	ldm	r7!, {r3, r4, r5, r6}
	movs	r0, r7
	b	scan
done:
	str	r0, [r2]
	bkpt	#0
