# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared body of tcl/recovery/stm32h7*.cfg: one call per part file,
#
#   source [find recovery/h7-part.tcl]
#   stm32unbrick_h7_part stm32h745 0x450 {dual-core dual-bank}
#   source [find recovery/recovery.tcl]
#
# sets up the adapter (when none was chosen), the part's globals and knobs, our target file and
# the reset line, so that recovery/recovery.tcl (diagnose, unbrick) finds everything in place.
#
# Globals set for the recovery scripts:
#   ::stm32unbrick_family     stm32h7
#   ::stm32unbrick_part       family name, e.g. stm32h743
#   ::stm32unbrick_dev_id     DBGMCU DEV_ID the part must report (facts A.1), e.g. 0x450
#   ::stm32unbrick_dual_core  1 for H745/H747/H755/H757 (Cortex-M4 on AP3, facts A.6)
#   ::stm32unbrick_dual_bank  1 when the part has flash bank 2 at 0x08100000 (facts A.2)
# and, from target/stm32h7x.cfg, ::stm32unbrick_chipname and ::stm32unbrick_memaps.

source [find recovery/part-common.tcl]

# Features a part may name, and the global each one sets to 1 (unnamed ones are 0).
set ::stm32unbrick_h7_features {dual-core stm32unbrick_dual_core dual-bank stm32unbrick_dual_bank}

proc stm32unbrick_h7_part {part dev_id features} {
	if {![regexp {^stm32h7[0-9a-z]{2}$} $part]} {
		error "stm32unbrick_h7_part: '$part' is not an STM32H7 family name (e.g. stm32h743)"
	}
	if {![string is integer -strict $dev_id] || $dev_id < 0 || $dev_id > 0xfff} {
		error "stm32unbrick_h7_part: DEV_ID '$dev_id' is not a 12-bit number (facts A.1)"
	}
	foreach {feature var} $::stm32unbrick_h7_features {
		set ::$var 0
	}
	foreach feature $features {
		if {![dict exists $::stm32unbrick_h7_features $feature]} {
			error [concat "stm32unbrick_h7_part: unknown feature '$feature'" \
				"(known: [dict keys $::stm32unbrick_h7_features])"]
		}
		set ::[dict get $::stm32unbrick_h7_features $feature] 1
	}
	set ::stm32unbrick_family stm32h7
	set ::stm32unbrick_part $part
	set ::stm32unbrick_dev_id [format 0x%03x $dev_id]

	stm32unbrick_choose_adapter
	stm32unbrick_h7_source_target
	stm32unbrick_reset_lines
	stm32unbrick_skip_init_delays
}

# Our target file, at global level as board files source it.  The part's knobs apply unless the
# user set them before this file (e.g. DUAL_CORE 0 to leave a dual-core part's Cortex-M4 alone).
proc stm32unbrick_h7_source_target {} {
	if {![info exists ::DUAL_CORE]} {
		set ::DUAL_CORE $::stm32unbrick_dual_core
	}
	if {![info exists ::DUAL_BANK]} {
		set ::DUAL_BANK $::stm32unbrick_dual_bank
	}
	unset -nocomplain ::stm32unbrick_chipname
	if {$::DUAL_BANK} {
		uplevel #0 {source [find target/stm32h7x_dual_bank.cfg]}
	} else {
		uplevel #0 {source [find target/stm32h7x.cfg]}
	}
	# Only our target file tells which mem_ap targets exist; OpenOCD's own one, found when our
	# site directory is not on the search path, does not.
	if {![info exists ::stm32unbrick_chipname]} {
		error [concat "stm32unbrick: target/stm32h7x.cfg came from OpenOCD's own scripts, not from" \
			"stm32unbrick's; install stm32unbrick or add -s <its share/openocd/site> before -f"]
	}
}
