# SPDX-License-Identifier: GPL-2.0-or-later
#
# TEST-ONLY (see README.md in this directory): makes a stock board file that names an ST-LINK
# talk to the stm32sim simulator instead.  Sourced by interface/stlink*.cfg here.

# The test harness chooses the simulator with -f interface/stm32sim.cfg before the board file;
# started without it, choose it here.  Any other adapter means this directory is on the search
# path by mistake: refuse rather than silently drive real hardware with a board file's settings.
if {[adapter name] eq "undefined"} {
	source [find interface/stm32sim.cfg]
} elseif {[adapter name] ne "remote_bitbang"} {
	error "testing/openocd-sim is a test-only search directory for stm32sim, but adapter '[adapter name]' is in use"
}

# remote_bitbang in OpenOCD 0.12 offers JTAG only and selected it by itself; a board file's
# `transport select hla_swd` or `dapdirect_swd` would then be an error ("can't change session's
# transport").  OpenOCD keeps the real subcommands as commands named "transport select",
# "transport init" ..., so a proc named `transport` can forward to them.
if {![info exists ::stm32sim_shim_transport]} {
	set ::stm32sim_shim_transport 1
	proc transport {args} {
		if {[llength $args] == 0} {
			error "transport: a subcommand is needed (init, list, select)"
		}
		set sub [lindex $args 0]
		if {$sub eq "select" && [llength $args] == 2 && [lindex $args 1] ne "jtag"} {
			echo "stm32sim shim (test only): ignoring 'transport select [lindex $args 1]': the simulator speaks JTAG"
			return
		}
		if {[llength [info commands "transport $sub"]] == 0} {
			error "transport: unknown subcommand '$sub'"
		}
		return [uplevel 1 [list "transport $sub"] [lrange $args 1 end]]
	}
}
