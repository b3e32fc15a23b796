@ Blank check on the core (any Cortex-M: STM32H7, STM32H5): reads a flash range
@ at the core's own speed (milliseconds per MiB instead of a second of JTAG per
@ MiB) and reports the first 16 bytes that are not all 0xFF.  Assembled by
@ scripts/gen-core-code into cm_scan_code.h; ARMv6-M 16-bit Thumb only, which
@ every Cortex-M executes and the simulator's interpreter decodes.
@
@ Entry: r0 = first address, r1 = end (exclusive; r1 - r0 a multiple of 16),
@ r2 = a RAM word for the result.
@ Exit: BKPT #0 with the result = r1 if the range is erased, else the address
@ of the first 16-byte group holding a programmed bit.  A read that faults
@ (an uncorrectable ECC error) takes the core to HardFault; the debugger
@ catches that (DEMCR.VC_HARDERR) and falls back to reading the range itself.
	.syntax unified
	.cpu cortex-m0
	.thumb

start:
	movs	r4, #0
	mvns	r4, r4                  @ r4 = 0xFFFFFFFF
scan:
	cmp	r0, r1
	beq	done
	ldm	r0!, {r3, r5, r6, r7}
	ands	r3, r5
	ands	r3, r6
	ands	r3, r7
	cmp	r3, r4
	beq	scan
	subs	r0, #16                 @ back to the group that is not erased
done:
	str	r0, [r2]
	bkpt	#0
