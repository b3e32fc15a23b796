# stm32unbrick: load the extension module into stock OpenOCD and connect it to the chip.
#
#   source [find stm32unbrick/module.tcl]
#   stm32unbrick_load                      ;# once per OpenOCD run; later calls do nothing
#   stm32unbrick_attach_bridge stm32h7x    ;# after the target script created stm32h7x.dap etc.
#
# Where the module is looked for, in order:
#   1. $::env(STM32UNBRICK_MODULE), if set (a wrong path there is an error, not a fallback:
#      whoever set it wants that file);
#   2. stm32unbrick/module_path.tcl on OpenOCD's script search path. The build writes one into
#      the build tree's tcl/ directory (use `openocd -s <builddir>/tcl`), `make install` writes
#      one next to this file; it sets ::stm32unbrick_module_so to the absolute path of the .so.

proc stm32unbrick_load {} {
	if {[info exists ::stm32unbrick_loaded_from]} {
		return $::stm32unbrick_loaded_from
	}
	set so [stm32unbrick_find_module]
	if {[catch {load $so} msg]} {
		error "stm32unbrick_load: loading $so failed: $msg"
	}
	set ::stm32unbrick_loaded_from $so
	stm32unbrick_register_help
	return $so
}

# The path of stm32unbrick.so, or an error saying everywhere we looked.
proc stm32unbrick_find_module {} {
	if {[info exists ::env(STM32UNBRICK_MODULE)] && $::env(STM32UNBRICK_MODULE) ne ""} {
		set so $::env(STM32UNBRICK_MODULE)
		if {![file isfile $so]} {
			error "stm32unbrick_load: STM32UNBRICK_MODULE is set to '$so', which is not a file"
		}
		return $so
	}
	set looked [list "\$STM32UNBRICK_MODULE: not set"]

	if {[catch {find stm32unbrick/module_path.tcl} path_file]} {
		lappend looked [concat "stm32unbrick/module_path.tcl on OpenOCD's search path" \
			"(add -s <builddir>/tcl, or install): not found"]
	} else {
		unset -nocomplain ::stm32unbrick_module_so
		if {[catch {source $path_file} msg]} {
			lappend looked "$path_file: cannot be read: $msg"
		} elseif {![info exists ::stm32unbrick_module_so]} {
			lappend looked "$path_file: does not set ::stm32unbrick_module_so"
		} elseif {![file isfile $::stm32unbrick_module_so]} {
			lappend looked [concat "$path_file: names $::stm32unbrick_module_so," \
				"which does not exist (build or install first)"]
		} else {
			return $::stm32unbrick_module_so
		}
	}
	error "stm32unbrick_load: cannot find stm32unbrick.so. Looked at:\n  [join $looked "\n  "]"
}

# Help for `help stm32unbrick`; outside OpenOCD (plain jimsh) there is nothing to register with.
proc stm32unbrick_register_help {} {
	if {[llength [info commands add_help_text]] == 0} {
		return
	}
	add_usage_text stm32unbrick "subcommand ?args ...?"
	add_help_text stm32unbrick [concat "STM32H7/H5 recovery: raw DP/AP/memory access" \
		"through OpenOCD's own DAP and mem_ap targets"]
	foreach {sub usage help} {
		version         {}                   "print the module version"
		bridge          "?-dap NAME ?-memap {AP TARGET ...}??"
		                                     "set the DAP and each AP's mem_ap target; no arguments: show them"
		{dp read}       "REG"                "read a DP register (0x00..0xfc), result 0x%08x"
		{dp write}      "REG VALUE"          "write a DP register"
		{ap read}       "AP REG"             "read a register of access port AP"
		{ap write}      "AP REG VALUE"       "write a register of access port AP"
		{mem read}      "AP ADDR ?COUNT?"    "read COUNT 32-bit words through AP's mem_ap target"
		{mem write}     "AP ADDR WORDLIST"   "write a list of 32-bit words through AP's mem_ap target"
		{mem dump}      "AP ADDR BYTES FILE" "save memory to a binary file, 16 KiB per OpenOCD command"
		{srst assert}   {}                   "drive the reset line (SRST) low"
		{srst deassert} {}                   "release the reset line (SRST)"
		stats           {}                   "number of OpenOCD commands the module evaluated"
		attach          "STRATEGY ?-timeout S? ?-halt-timeout MS? ?-nohalt? ?-single-bank? ?-family stm32h7|stm32h5?"
		                                     "connect by STRATEGY (an unknown one lists them), return a dict"
		exit_status     "?N?"                "status the OpenOCD process exits with after shutdown (unbrick's)"
		{h7 identify}   "?SYS_AP?"           "STM32H7: read DEV_ID, revision, flash size, banks, cores; a dict"
		{h7 options}    {}                   "STM32H7: every option-byte field (FLASH_*_CUR), a dict"
		{h7 registers}  {}                   "STM32H7: the raw option-byte registers, a dict"
		{h7 factory}    {}                   "STM32H7: this chip's factory option-byte values, a dict"
		{h7 options_set} "{FIELD VALUE ...} ?-timeout MS? ?-irreversible?"
		                                     "STM32H7: program option bytes (RDP 0xCC needs -irreversible), verified"
		{h7 erase}      "BANK ?-timeout MS?" "STM32H7: erase a flash bank"
		{h7 blank_check} "BANK"              "STM32H7: read a bank back, error at the first word not erased"
		{h7 erased_until} "START END"        "STM32H7: the halted core reads a range: first address not erased, or END"
		{h7 readable_until} "START END"      "STM32H7: the halted core reads a range: first 64-byte block it cannot read (ECC), or END"
		{h7 erased_map} "START END"          "STM32H7: the halted core reads whole 32 KiB windows: one character per KiB, 1 erased, 0 programmed"
		{h7 program}    "FILE ADDR ?-direct?" "STM32H7: program flash words from a binary file, then verify"
		{h7 verify}     "FILE ADDR"          "STM32H7: compare flash with a binary file"
		{h7 status}     {}                   "STM32H7: FLASH_SR1/SR2"
		{h7 timeout_scale} "PCT"             "STM32H7: stretch every bounded wait (slow probes)"
		{h5 identify}   {}                   "STM32H5: DEV_ID, revision, flash, product state, TZEN, whether AP1 answers; a dict"
		{h5 options}    {}                   "STM32H5: every option-byte field (FLASH_*_CUR), a dict"
		{h5 registers}  {}                   "STM32H5: the FLASH registers (non-secure block), a dict"
		{h5 options_set} "FIELD VALUE ?FIELD VALUE ...? ?-irreversible? ?-timeout MS?"
		                                     "STM32H5: program option bytes (not PRODUCT_STATE), verified by reading back"
		{h5 product_state} "?NAME|CODE ?-password FILE? ?-cert FILE? ?-irreversible? ?-timeout MS??"
		                                     "STM32H5: show, or step forward; refuses what would leave the chip unrecoverable"
		{h5 credentials} {}                  "STM32H5: which DA credential is provisioned (never its hash)"
		{h5 da_provision} "-password FILE | -cert FILE ?-permissions N? ?-irreversible? ?-timeout MS?"
		                                     "STM32H5: provision a DA password or root-key hash (Provisioning/Open), verified"
		{h5 erase}      "?-bank 1|2? ?-sector BANK N? ?-timeout MS?"
		                                     "STM32H5: erase a sector, a bank or (default) both banks"
		{h5 blank_check} {}                  "STM32H5: read the user flash back, report the first byte not erased"
		{h5 program}    "FILE ?-offset ADDR? ?-timeout MS?"
		                                     "STM32H5: program an ELF, HEX or binary image (erasing what it touches), verified"
		{h5 verify}     "FILE ?-offset ADDR?" "STM32H5: compare flash with an ELF, HEX or binary image"
		{h5 timeout_scale} "?PCT?"          "STM32H5: stretch every bounded wait (slow probes)"
		{da discover}   "?-timeout MS?"      "STM32H5 debug authentication: what the boot ROM reports (state, TZEN, credential)"
		{da password_new} "FILE"             "STM32H5 debug authentication: a new random password in a new file (mode 0600)"
		{da password_check} "FILE"           "STM32H5 debug authentication: the length of the password in FILE (4..16 bytes), chip untouched"
		{da regress}    "-password FILE | -cert FILE -key FILE ?-partial? ?-timeout MS? ?-expect MS?"
		                                     "STM32H5 debug authentication: full (or partial) regression; erases the flash"
	} {
		add_help_text "stm32unbrick $sub" $help
		if {$usage ne ""} {
			add_usage_text "stm32unbrick $sub" $usage
		}
	}
}

# Point the module at the DAP and mem_ap targets our target scripts create for `chipname`:
# $chipname.dap, and $chipname.ap0 .. $chipname.ap3 for those that exist.
proc stm32unbrick_attach_bridge {chipname} {
	stm32unbrick_load
	set dap $chipname.dap
	if {[lsearch -exact [dap names] $dap] < 0} {
		error "stm32unbrick_attach_bridge: no DAP named '$dap' (DAPs: [dap names])"
	}
	set targets [target names]
	set memap {}
	foreach ap {0 1 2 3} {
		if {[lsearch -exact $targets $chipname.ap$ap] >= 0} {
			lappend memap $ap $chipname.ap$ap
		}
	}
	return [stm32unbrick bridge -dap $dap -memap $memap]
}

if {[llength [info commands add_help_text]]} {
	stm32unbrick_register_help
	add_help_text stm32unbrick_load "load the stm32unbrick module into OpenOCD (once; later calls do nothing)"
	add_help_text stm32unbrick_attach_bridge "point the module at the DAP and mem_ap targets of a target script"
	add_usage_text stm32unbrick_attach_bridge "chipname"
}
