# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared body of tcl/recovery/h5*.cfg: one call per part file,
#
#   source [find recovery/h5-part.tcl]
#   stm32unbrick_h5_part stm32h563 0x484
#   source [find recovery/recovery.tcl]
#
# sets up the adapter (when none was chosen), the part's globals, our target file and the reset
# line, so that recovery/recovery.tcl (diagnose, unbrick) finds everything in place.
#
# Globals set for the recovery scripts:
#   ::stm32unbrick_family     stm32h5
#   ::stm32unbrick_part       family name, e.g. stm32h563
#   ::stm32unbrick_dev_id     DBGMCU DEV_ID the part must report (facts B.1), e.g. 0x484
#   ::stm32unbrick_dual_core  0 (every STM32H5 has one Cortex-M33)
# and, from target/stm32h5x.cfg, ::stm32unbrick_chipname and ::stm32unbrick_memaps.

source [find recovery/part-common.tcl]

proc stm32unbrick_h5_part {part dev_id} {
	if {![regexp {^stm32h5[0-9]{2}$} $part]} {
		error "stm32unbrick_h5_part: '$part' is not an STM32H5 family name (e.g. stm32h563)"
	}
	if {$dev_id ni {0x474 0x478 0x484}} {
		error "stm32unbrick_h5_part: DEV_ID '$dev_id' is not an STM32H5 one (0x474, 0x478, 0x484; facts B.1)"
	}
	set ::stm32unbrick_family stm32h5
	set ::stm32unbrick_part $part
	set ::stm32unbrick_dev_id $dev_id
	set ::stm32unbrick_dual_core 0
	stm32unbrick_choose_adapter
	unset -nocomplain ::stm32unbrick_chipname
	uplevel #0 {source [find target/stm32h5x.cfg]}
	if {![info exists ::stm32unbrick_chipname]} {
		error [concat "stm32unbrick: target/stm32h5x.cfg did not come from stm32unbrick;" \
			"install stm32unbrick or add -s <its share/openocd/site> before -f"]
	}
	stm32unbrick_reset_lines
	stm32unbrick_skip_init_delays
}
