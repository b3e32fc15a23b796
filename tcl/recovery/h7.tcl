# SPDX-License-Identifier: GPL-2.0-or-later
#
# stm32unbrick: STM32H7 diagnosis, recovery plan and actions.
#
# Facts: ../shared/facts/stm32-facts.md A (A.3 RDP and the 1 -> 0 regression
# with DMEP/DMES, A.5 the write-once PWR_CR3 supply setting that only a power
# cycle clears, A.6 dual core BCM7/BCM4) and the field reports 000-003.
# Chip access goes through `stm32unbrick h7 ...` (src/flash/nor/stm32h7x*.c).

# PWR_CR3 and CSR1 (facts A.5); the system bootloader ID byte (ST AN2606).
set stm32unbrick_h7(pwr_cr3) 0x5802480C
set stm32unbrick_h7(pwr_csr1) 0x58024804
set stm32unbrick_h7(bootloader_id) {0x450 0x1FF1E7FE 0x480 0x1FF13FFE 0x483 0x1FF1E7FE}
# Generous bounds for the chip's own busy times (facts A.2 timing: a regression
# erases both banks, 8 x 2.2 s max each; an option change ~0.3 s).
set stm32unbrick_h7(regression_timeout_ms) 60000
set stm32unbrick_h7(erase_timeout_ms) 40000

proc stm32unbrick_h7_sr_flags {sr} {
	set names {17 WRPERR 18 PGSERR 19 STRBERR 21 INCERR 22 OPERR 23 RDPERR 24 RDSERR 25 SNECCERR 26 DBECCERR
		27 CRCEND 28 CRCRDERR 0 BSY 2 QW}
	set set {}
	foreach {bit name} $names {
		if {($sr >> $bit) & 1} {
			lappend set $name
		}
	}
	return $set
}

# Supply configuration in PWR_CR3 bits [5:0] (facts A.5 table).
proc stm32unbrick_h7_supply_name {cr3} {
	set cfg [expr {$cr3 & 0x3F}]
	foreach {mask value name} {
		0x3F 0x16 "SMPS 1.8 V feeding the LDO" 0x3F 0x26 "SMPS 2.5 V feeding the LDO"
		0x3F 0x1E "SMPS 1.8 V external + LDO" 0x3F 0x2E "SMPS 2.5 V external + LDO"
		0x3F 0x1D "SMPS 1.8 V external, LDO bypassed" 0x3F 0x2D "SMPS 2.5 V external, LDO bypassed"
		0x07 0x06 "LDO (reset default, not yet configured)" 0x07 0x02 "LDO" 0x07 0x04 "direct SMPS"
		0x07 0x01 "external supply (bypass)"} {
		if {($cfg & $mask) == $value} {
			return $name
		}
	}
	return [format "unusual (PWR_CR3 = 0x%08x)" $cr3]
}

# DP answers, every AP refuses, even DBGMCU through AP2 which answers under
# NRST (facts A.1): readout protection level 2 (facts A.3: debug permanently
# disabled) is the one state that looks so.
proc stm32unbrick_stm32h7_looks_permanent {} {
	if {[catch {stm32unbrick dp read 0}]} {
		return 0
	}
	return [catch {stm32unbrick mem read 2 0xE00E1000}]
}

proc stm32unbrick_h7_read32 {ap addr} {
	return [lindex [stm32unbrick mem read $ap $addr 1] 0]
}

# Read-only: everything `diagnose` prints and `unbrick` plans from.
proc stm32unbrick_h7_inspect {ctxvar} {
	upvar 1 $ctxvar ctx
	global stm32unbrick_h7
	set ap [dict get $ctx attach core_ap]
	set chip [stm32unbrick h7 identify $ap]
	dict set ctx chip $chip
	dict set ctx options_before [stm32unbrick h7 options]
	dict set ctx registers [stm32unbrick h7 registers]
	dict set ctx flash_status [stm32unbrick h7 status]
	set cr3 ""
	catch {set cr3 [stm32unbrick_h7_read32 $ap $stm32unbrick_h7(pwr_cr3)]}
	dict set ctx pwr_cr3 $cr3
	set bl ""
	set dev [dict get $chip dev_id]
	if {[dict exists $stm32unbrick_h7(bootloader_id) $dev]} {
		set addr [dict get $stm32unbrick_h7(bootloader_id) $dev]
		if {![catch {stm32unbrick_h7_read32 $ap [expr {$addr & ~3}]} w]} {
			set bl [format 0x%02x [expr {($w >> (8 * ($addr & 3))) & 0xFF}]]
		}
	}
	dict set ctx bootloader $bl
}

proc stm32unbrick_h7_opt {ctx name} {
	set o [dict get $ctx options_before]
	return [expr {[dict exists $o $name] ? [dict get $o $name] : ""}]
}

proc stm32unbrick_h7_area_defined {ctx start end} {
	set s [stm32unbrick_h7_opt $ctx $start]
	set e [stm32unbrick_h7_opt $ctx $end]
	return [expr {$s ne "" && $s <= $e}]
}

# Findings (plain words), the verdict, and the plan: a list of {title proc args}.
proc stm32unbrick_h7_plan {ctxvar} {
	upvar 1 $ctxvar ctx
	set chip [dict get $ctx chip]
	set strategy [dict get $ctx attach strategy]
	set rdp [stm32unbrick_h7_opt $ctx RDP]
	set findings {}
	set plan {}
	set banks [dict get $chip banks]
	set erase_banks 0
	lappend findings "chip: [dict get $chip family] ([dict get $chip manual]) rev [dict get $chip rev],\
		[dict get $chip flash_kib] KiB in $banks bank(s)[expr {[dict get $chip dual_core] ? ", dual core" : ""}]"
	dict for {reg sr} [dict get $ctx flash_status] {
		set flags [stm32unbrick_h7_sr_flags $sr]
		if {$flags ne ""} {
			lappend findings "FLASH_$reg = $sr: [join $flags {, }]"
		}
	}
	if {[dict get $ctx pwr_cr3] ne ""} {
		lappend findings "supply: [stm32unbrick_h7_supply_name [dict get $ctx pwr_cr3]] (PWR_CR3 = [dict get $ctx pwr_cr3])"
	}
	if {[dict get $ctx bootloader] ne ""} {
		set bl [dict get $ctx bootloader]
		lappend findings "system bootloader version [format %d.%d [expr {$bl >> 4}] [expr {$bl & 0xF}]] ($bl)"
		if {[dict get $chip dev_id] eq "0x450" && $bl >= 0x90} {
			lappend findings "this bootloader (v9.x, rev V) is reported to time out on USB DFU writes to bank 2\
				(0x08100000+); program bank 2 through the debug port, or use dfu-util with :force:mass-erase (seed 003)"
		}
	}
	set verdict "healthy: nothing to recover"
	if {$rdp == 0xCC} {
		dict set ctx findings $findings
		dict set ctx verdict "RDP level 2 (0xCC): debug is disabled for ever; this chip cannot be recovered"
		dict set ctx plan {}
		dict set ctx permanent 1
		return
	}
	if {[dict get $chip dual_core] && [stm32unbrick_h7_opt $ctx BCM7] == 0} {
		lappend findings "BCM7 = 0: the Cortex-M7 is gated at reset, only the Cortex-M4 (AP3) runs (seed 001)"
		lappend plan [list "set BCM7 = 1 through the Cortex-M4" stm32unbrick_h7_set_options {BCM7 1}]
		set verdict "Cortex-M7 boot disabled (BCM7 = 0)"
	}
	if {$rdp != 0xAA} {
		lappend findings "readout protection level 1 (RDP = [format 0x%02x $rdp]): with a debugger attached the flash is blocked\
			(seed 000: an interrupted option-byte change leaves such a value)"
		foreach b [expr {$banks == 2 ? "1 2" : "1"}] {
			if {[stm32unbrick_h7_area_defined $ctx PROT_AREA_START$b PROT_AREA_END$b] &&
			    [stm32unbrick_h7_opt $ctx DMEP$b] == 0} {
				lappend findings "PCROP area in bank $b with DMEP$b = 0 would survive the regression"
				lappend plan [list "set DMEP$b = 1 (erase PCROP area $b with the regression)" \
					stm32unbrick_h7_set_options [list DMEP$b 1]]
			}
			if {[stm32unbrick_h7_area_defined $ctx SEC_AREA_START$b SEC_AREA_END$b] &&
			    [stm32unbrick_h7_opt $ctx DMES$b] == 0} {
				lappend findings "secure-only area in bank $b with DMES$b = 0 would survive the regression"
				lappend plan [list "set DMES$b = 1 (erase secure area $b with the regression)" \
					stm32unbrick_h7_set_options [list DMES$b 1]]
			}
		}
		lappend plan [list "RDP regression 1 -> 0 (the chip erases its flash)" stm32unbrick_h7_regression $banks]
		set erase_banks 0
		set verdict "readout protection level 1: regression to level 0 (erases the flash)"
	} elseif {$strategy in {under-reset power-cycle boot0}} {
		set erase_banks 1
		if {$strategy eq "power-cycle"} {
			lappend findings "only a power cycle with NRST held gave a connection: the firmware sets a state that\
				NRST cannot clear; on STM32H7 that is the write-once supply setting (PWR_CR3,\
				HAL_PWREx_ConfigSupply) not matching the board's wiring (seed 001)"
			set verdict "supply configuration mismatch: the firmware locks the core out after every power-on"
		} elseif {$strategy eq "boot0"} {
			set verdict "the firmware makes the chip unreachable; reached through the system bootloader (BOOT0)"
		} else {
			lappend findings "only a connection under reset worked: the firmware disables debug right after reset\
				(debug pins reconfigured, low-power mode, clock or supply change; seeds 001/002)"
			set verdict "the firmware disables debug after reset"
		}
	}
	if {[dict exists $ctx unreadable] && [llength [dict get $ctx unreadable]] > 0} {
		set erase_banks 1
		lappend findings "[llength [dict get $ctx unreadable]] flash word(s) unreadable (double ECC error:\
			a program operation was interrupted, seed 000)"
		set verdict "flash words with ECC errors (interrupted programming)"
	}
	if {$erase_banks} {
		foreach b [expr {$banks == 2 ? "1 2" : "1"}] {
			lappend plan [list "erase bank $b" stm32unbrick_h7_erase $b]
		}
	}
	dict set ctx findings $findings
	dict set ctx verdict $verdict
	dict set ctx plan $plan
}

# ---- actions (each verified by reading back) -----------------------------------------

proc stm32unbrick_h7_set_options {pairs} {
	stm32unbrick h7 options_set $pairs -timeout 15000
}

proc stm32unbrick_h7_regression {banks} {
	global stm32unbrick_h7
	stm32unbrick h7 options_set {RDP 0xAA} -timeout $stm32unbrick_h7(regression_timeout_ms)
	for {set b 1} {$b <= $banks} {incr b} {
		stm32unbrick h7 blank_check $b
	}
}

proc stm32unbrick_h7_erase {bank} {
	global stm32unbrick_h7
	stm32unbrick h7 erase $bank -timeout $stm32unbrick_h7(erase_timeout_ms)
	stm32unbrick h7 blank_check $bank
}

# The read-only ECC scan, before the plan: the halted core reads every word
# of the readable flash (milliseconds per MiB, nothing carried over the
# probe); each group it cannot read is read again by the probe, flash word by
# flash word, and the words the probe cannot read either are listed.  The
# controller flags an ECC-corrupt word only when it is read.  Returns 0 when
# the core cannot help (not halted, stopped where the probe can read): the
# backup then scans, reading the flash over the probe.
proc stm32unbrick_h7_scan {ctxvar} {
	upvar 1 $ctxvar ctx
	if {[stm32unbrick_h7_opt $ctx RDP] != 0xAA} {
		return 1 ;# nothing readable at level 1: nothing to scan
	}
	return [stm32unbrick_step ctx "scan the flash for unreadable words (ECC)" "" {stm32unbrick_h7_scan_banks ctx}]
}

# A bank the core reads through without a fault also yields its erased map (`h7 erased_map`, one
# character per KiB, 1 = erased), which the backup uses to carry only programmed KiB over the
# probe.  A bank where a read faults is scanned again block by block to name the words.
proc stm32unbrick_h7_scan_banks {ctxvar} {
	upvar 1 $ctxvar ctx
	set chip [dict get $ctx chip]
	set bank_bytes [expr {[dict get $chip flash_kib] * 1024 / [dict get $chip banks]}]
	set unreadable {}
	set maps {}
	# Two 1 MiB banks are one range (0x08000000..0x08200000): one run of the core for both.
	if {[dict get $chip banks] == 2 && $bank_bytes == 0x100000 &&
		![catch {stm32unbrick h7 erased_map 0x08000000 0x08200000} map]} {
		dict set maps 1 [string range $map 0 1023]
		dict set maps 2 [string range $map 1024 end]
	}
	for {set b 1} {$b <= [dict get $chip banks]} {incr b} {
		set base [expr {$b == 1 ? 0x08000000 : 0x08100000}]
		if {[dict exists $maps $b]} {
			continue
		}
		if {![catch {stm32unbrick h7 erased_map $base [expr {$base + $bank_bytes}]} map]} {
			dict set maps $b $map
		} elseif {![stm32unbrick_h7_scan_range $ctx $base [expr {$base + $bank_bytes}] unreadable]} {
			return 0
		}
	}
	set programmed 0
	foreach map [dict values $maps] {
		incr programmed [regexp -all {0} $map]
	}
	stm32unbrick_say unbrick "ECC scan on the core: [llength $unreadable] unreadable flash word(s)\
		in [dict get $chip flash_kib] KiB[expr {[dict size $maps] ? ", $programmed KiB programmed" : ""}]"
	dict set ctx unreadable $unreadable
	dict set ctx erased_maps $maps
	return 1
}

proc stm32unbrick_h7_scan_range {ctx start end unreadablevar} {
	upvar 1 $unreadablevar unreadable
	set word [dict get $ctx chip word_bytes]
	set at $start
	while {$at < $end} {
		if {[catch {stm32unbrick h7 readable_until $at $end} stop]} {
			stm32unbrick_say unbrick "ECC scan: the core cannot help ($stop); the probe reads the flash instead"
			return 0
		}
		if {$stop == $end} {
			break
		}
		# The core names the 64-byte block; the probe finds the flash word(s) in it.
		set found 0
		for {set w $stop} {$w < $stop + 64} {incr w $word} {
			if {[catch {stm32unbrick mem read [dict get $ctx attach core_ap] $w [expr {$word / 4}]}]} {
				lappend unreadable [format 0x%08x $w]
				incr found
			}
		}
		if {!$found} {
			stm32unbrick_say unbrick "ECC scan: the core could not read the block at [format 0x%08x $stop], the\
				probe can; the probe reads the flash instead"
			return 0
		}
		set at [expr {$stop + 64}]
	}
	return 1
}

# Save option bytes, and flash when it is readable (level 0), before anything
# changes.  Reading the flash is also how ECC-corrupt words are found: the
# controller flags them only when they are read.
proc stm32unbrick_h7_backup {ctxvar dir} {
	upvar 1 $ctxvar ctx
	set chip [dict get $ctx chip]
	stm32unbrick_backup_options $dir [dict get $ctx registers] [dict get $ctx options_before]
	if {[stm32unbrick_h7_opt $ctx RDP] != 0xAA} {
		stm32unbrick_say unbrick "flash is not readable at RDP level 1 with a debugger: only the option bytes are saved"
		return
	}
	set bank_bytes [expr {[dict get $chip flash_kib] * 1024 / [dict get $chip banks]}]
	set word [dict get $chip word_bytes]
	set unreadable {}
	for {set b 1} {$b <= [dict get $chip banks]} {incr b} {
		set base [expr {$b == 1 ? 0x08000000 : 0x08100000}]
		stm32unbrick_say unbrick "saving bank $b ([expr {$bank_bytes / 1024}] KiB) to [file join $dir bank$b.bin]"
		# Erased flash is not carried over the probe: the scan's map says where it is, or the
		# core finds it now.
		set find_programmed [list stm32unbrick_h7_next_programmed_scan $word]
		if {[dict exists $ctx erased_maps $b]} {
			set find_programmed [list stm32unbrick_h7_next_programmed_map [dict get $ctx erased_maps $b] $base]
		}
		set bad [stm32unbrick_backup_range [dict get $ctx attach core_ap] $base $bank_bytes $word \
			[file join $dir bank$b.bin] $find_programmed]
		set unreadable [concat $unreadable $bad]
	}
	if {[llength $unreadable]} {
		stm32unbrick_write_file [file join $dir unreadable.txt] "[join $unreadable \n]\n"
	}
	dict set ctx unreadable $unreadable
}

# The backup's guides to programmed flash (stm32unbrick_backup_range): ADDR END -> {FROM TO}, the
# next range from ADDR that must be read; [ADDR, FROM) is erased.  From the scan's erased map
# (KiB, 1 = erased), the whole run of programmed KiB:
proc stm32unbrick_h7_next_programmed_map {map base addr end} {
	set kib [expr {($addr - $base) / 1024}]
	set from [string first 0 $map $kib]
	if {$from < 0} {
		return [list $end $end]
	}
	set to [string first 1 $map $from]
	set to [expr {$to < 0 || $base + $to * 1024 > $end ? $end : $base + $to * 1024}]
	set from [expr {$base + $from * 1024}]
	return [list [expr {$from < $addr ? $addr : $from}] $to]
}

# ... or, without a map, from the core's blank check: the flash word holding the first
# programmed 16 bytes (a word may be half 0xFF: the probe's word-by-word fallback must start on a
# word), and the probe reads a chunk from there before asking again.
proc stm32unbrick_h7_next_programmed_scan {word addr end} {
	set from [stm32unbrick h7 erased_until $addr $end]
	set from [expr {$from & ~($word - 1)}]
	return [list $from [expr {$end - $from < 16384 ? $end : $from + 16384}]]
}

# Factory option bytes for this chip (src/flash/nor/stm32h7x_ob.c holds the
# values, facts A.4), dual-core 0x450 parts included.  Level 1 is left to
# unbrick (its regression erases the flash and wants a backup first);
# PCROP/secure areas can only go through that regression (facts A.3).
proc stm32unbrick_h7_factory_pairs {current factory} {
	set pairs {}
	dict for {name value} $factory {
		if {$name eq "RDP" || [string match PROT_AREA_* $name] || [string match SEC_AREA_* $name] ||
		    [string match DMEP* $name] || [string match DMES* $name] || $name eq "LOCKBL"} {
			continue
		}
		if {[dict get $current $name] != $value} {
			lappend pairs $name $value
		}
	}
	return $pairs
}

proc factory_options {args} {
	set dry [expr {$args eq "-dry-run"}]
	if {$args ne "" && !$dry} {
		return -code error "usage: factory_options ?-dry-run?"
	}
	set ctx [stm32unbrick_new_ctx "factory_options $args"]
	stm32unbrick_prepare
	stm32unbrick_h7_attach ctx 60
	stm32unbrick_h7_inspect ctx
	stm32unbrick_check_part ctx
	set current [dict get $ctx options_before]
	if {[dict get $current RDP] != 0xAA} {
		return -code error "factory_options: RDP is [dict get $current RDP] (level 1 or 2): run unbrick first"
	}
	set pairs [stm32unbrick_h7_factory_pairs $current [stm32unbrick h7 factory]]
	if {[llength $pairs] == 0} {
		stm32unbrick_say factory_options "option bytes already at their factory values"
		return
	}
	stm32unbrick_say factory_options "changing: $pairs"
	if {$dry} {
		return $pairs
	}
	set dir [stm32unbrick_backup_dir "" $::stm32unbrick_part]
	stm32unbrick_backup_options $dir [dict get $ctx registers] $current
	stm32unbrick_say factory_options "previous option bytes saved in $dir/option-bytes.txt"
	stm32unbrick h7 options_set $pairs -timeout 15000
	stm32unbrick_say factory_options "done, verified by reading FLASH_*_CUR back; reset the chip to apply boot settings"
	catch {poll on}
	return $pairs
}

if {[llength [info commands add_help_text]]} {
	add_help_text factory_options "STM32H7: restore the factory option bytes (dual-core parts included), after saving the current ones"
	add_usage_text factory_options "?-dry-run?"
}

# ---- family hooks for recovery.tcl ---------------------------------------------------

# Where DBGMCU_IDCODE is (facts A.1): the debug APB through AP2 (answers under NRST), the
# system view through the Cortex-M7's AP0.  DEV_IDs this family has.
lappend ::stm32unbrick_dbgmcu_probes {2 0xE00E1000} {0 0x5C001000}
array set ::stm32unbrick_dev_ids {
	0x450 {stm32h7 "STM32H74x/H75x"} 0x480 {stm32h7 "STM32H7A3/H7B3/H7B0"} 0x483 {stm32h7 "STM32H72x/H73x"}
}

proc stm32unbrick_h7_attach {ctxvar timeout_s} {
	upvar 1 $ctxvar ctx
	set strategies {normal}
	if {$::stm32unbrick_dual_core} {
		lappend strategies ap-fallback
	}
	lappend strategies under-reset power-cycle boot0
	stm32unbrick_attach_any ctx $timeout_s $strategies
}

# Level 2 hides everything; otherwise at least the option bytes can be saved.
proc stm32unbrick_h7_can_backup {ctx} {
	return [expr {[dict get $ctx options_before RDP] != 0xCC}]
}

# A fresh attach after the work: reset the chip, attach the plain way, read back.
proc stm32unbrick_h7_verify {ctxvar timeout_s} {
	upvar 1 $ctxvar ctx
	stm32unbrick_nrst_pulse
	# An AP that was gated when OpenOCD started (BCM7 = 0) was never examined.
	stm32unbrick_reexamine
	set r [stm32unbrick attach normal -timeout $timeout_s]
	dict set ctx attach_after $r
	stm32unbrick_reexamine
	stm32unbrick h7 identify [dict get $r core_ap]
	dict set ctx options_after [stm32unbrick h7 options]
	if {[dict get $ctx options_after RDP] != 0xAA} {
		error "RDP is [dict get $ctx options_after RDP] after recovery, not 0xaa"
	}
	if {[dict get $ctx chip dual_core] && [dict get $ctx options_after BCM7] != 1} {
		error "BCM7 is still 0 after recovery"
	}
}
