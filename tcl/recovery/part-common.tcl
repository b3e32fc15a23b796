# SPDX-License-Identifier: GPL-2.0-or-later
#
# What every recovery/<part>.cfg shares, whatever the family (h7-part.tcl, h5-part.tcl).

# Without an adapter chosen before this file (`adapter name` says "undefined" in OpenOCD 0.12),
# use an ST-LINK in dapdirect mode: unlike its HLA mode it gives OpenOCD the DAP and every
# access port, which recovery needs (every AP, DBGMCU under reset).  A chosen adapter is kept as it is.
proc stm32unbrick_choose_adapter {} {
	if {[adapter name] ne "undefined"} {
		return
	}
	echo "stm32unbrick: no adapter chosen: using ST-LINK in dapdirect mode (interface/stlink-dap.cfg, dapdirect_swd)"
	uplevel #0 {source [find interface/stlink-dap.cfg]}
	transport select dapdirect_swd
}

# Recovery holds the chip in reset while it connects (facts A.1, B.1: the debug port answers
# under NRST; STM32H5 debug authentication is entered that way), so it needs NRST wired to the
# probe.  srst_nogate: the debug port must keep working while NRST is held.  A board without NRST
# on the debug connector cannot be recovered this way.
proc stm32unbrick_reset_lines {} {
	reset_config srst_only srst_nogate
}

# OpenOCD's `init` releases both reset lines once, to be sure they are inactive, and then waits
# `adapter srst delay` and `jtag_ntrst_delay` although it never asserted either: 200 ms of every
# run with the target files' 100 ms each.  Recovery asserts NRST itself and then polls the chip with
# a bound of its own (DebugPortStart, attach_steps.c), so nothing needs that wait: both delays are
# zero during `init` and put back by post_init_commands for every later reset.  A delay the user
# set after this file and before `init` is theirs: it is kept, and applies to `init` too.
proc stm32unbrick_skip_init_delays {} {
	set delays [list [list adapter srst delay]]
	if {[using_jtag]} {
		lappend delays [list jtag_ntrst_delay]
	}
	set restore {}
	foreach getter $delays {
		regexp {([0-9]+)\s*$} [{*}$getter] -> ms
		if {$ms == 0} {
			continue
		}
		{*}$getter 0
		lappend restore [list stm32unbrick_restore_delay $getter $ms]
	}
	if {[llength $restore]} {
		lappend ::post_init_commands [join $restore "; "]
	}
}

# Puts a delay back after `init` unless something changed it from the zero set above (a user who
# sets 0 on purpose after this file gets the target file's value back: the two look the same).
proc stm32unbrick_restore_delay {getter ms} {
	regexp {([0-9]+)\s*$} [{*}$getter] -> now
	if {$now == 0} {
		{*}$getter $ms
	}
}
