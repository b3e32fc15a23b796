@ Readability scan on the core (any Cortex-M): reads every word of a flash range so
@ that a word with an uncorrectable ECC error shows itself (the controller
@ flags such a word only when it is read: facts A.2, DBECCERR), without the debugger
@ carrying the data over JTAG.  On the way it maps which KiB of the range are
@ erased, so that a backup need not carry those either.  Assembled by
@ scripts/gen-core-code into cm_scan_code.h; ARMv6-M 16-bit Thumb only (see cm_blank.S).
@
@ Entry: r0 = first address, r1 = end (exclusive; r1 - r0 a multiple of 64),
@ r2 = a RAM word for the result, r3 = RAM for the erased map.
@ Exit: BKPT #0 with the result = r1: every word was read.
@ The erased map: for each KiB that ends on a KiB boundary, one bit, 1 when every
@ word of it read 0xFFFFFFFF.  A map word holds the 32 KiB from a 32 KiB boundary,
@ the first KiB in bit 31; it is stored after each KiB and the map moves on to the
@ next word at each 32 KiB boundary.  From a 32 KiB boundary to one, every map
@ word is whole (what a partial first word holds is not defined).
@ A read that faults takes the core to HardFault, which the debugger catches
@ (DEMCR.VC_HARDERR; a locked-up core is halted by the debugger).  The loads
@ go through r7, and r0 moves on only once a whole 64-byte block was read, so
@ r0 then names the block that holds the unreadable word.
	.syntax unified
	.cpu cortex-m0
	.thumb

start:
	mov	r12, r2                 @ the result word, for the end
	mov	r9, r1                  @ the end (r1 is needed for the loads)
	movs	r2, r3                  @ r2 walks the map
kib:
	movs	r6, #0
	mvns	r6, r6                  @ r6: AND of the words of this KiB so far
block:
	cmp	r0, r9
	beq	done
	movs	r7, r0
	.rept	4
	ldm	r7!, {r1, r3, r4, r5}
	ands	r6, r1
	ands	r6, r3
	ands	r6, r4
	ands	r6, r5
	.endr
	movs	r0, r7                  @ the whole 64-byte block was read
	lsls	r3, r0, #22             @ r0 on a KiB boundary?
	bne	block
	adds	r6, #1                  @ carry set: the KiB read all ones (erased)
	mov	r3, r10                 @ (MOV of a high register leaves the flags alone)
	adcs	r3, r3                  @ the carry into the map word, earlier KiBs move up
	mov	r10, r3
	str	r3, [r2]
	lsls	r3, r0, #17             @ r0 on a 32 KiB boundary: the map word is whole
	bne	kib
	adds	r2, #4
	b	kib
done:
	mov	r3, r12
	str	r0, [r3]
	bkpt	#0
