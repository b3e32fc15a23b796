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
