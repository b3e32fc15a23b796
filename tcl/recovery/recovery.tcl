# SPDX-License-Identifier: GPL-2.0-or-later
#
# stm32unbrick: `diagnose` and `unbrick`, the commands people type.
#
#   openocd -f recovery/h743.cfg -c unbrick            (exits with a status)
#   openocd -f recovery/h743.cfg -c diagnose -c shutdown
#   (gdb) monitor unbrick                               (returns an error instead of exiting)
#
# A recovery/<part>.cfg sets the part globals below, sources our target file
# and then this file.  diagnose never writes to the chip.  unbrick attaches
# (escalating from a plain attach to operator-assisted ones), diagnoses,
# prints its plan, saves what is readable, executes, verifies with a fresh
# attach, and prints a summary.  Exit statuses: see stm32unbrick_exit below
# and docs/exit-status.md.

source [find stm32unbrick/module.tcl]
source [find recovery/report.tcl]
source [find recovery/h7.tcl]

# What the part script said this chip is (defaults for a bare `source`).
foreach {var default} {
	stm32unbrick_part stm32h7 stm32unbrick_dev_id "" stm32unbrick_dual_core 0
	stm32unbrick_family stm32h7 stm32unbrick_chipname stm32h7x} {
	if {![info exists ::$var]} {
		set ::$var $default
	}
}

# Exit statuses of `openocd ... -c unbrick` (1 is OpenOCD's own failure).
array set stm32unbrick_exit {
	recovered 0 nothing-to-do 0 dry-run 0 refused 2 failed 3 cannot-recover 4
}

# Options: a dict of defaults; "flag" options take no value.
proc stm32unbrick_parse_args {cmd argv spec flags} {
	set o $spec
	for {set i 0} {$i < [llength $argv]} {incr i} {
		set a [lindex $argv $i]
		if {$a in $flags} {
			dict set o $a 1
		} elseif {[dict exists $spec $a] && $i + 1 < [llength $argv]} {
			dict set o $a [lindex $argv [incr i]]
		} else {
			return -code error "$cmd: unknown or incomplete option '$a'; usage: [stm32unbrick_usage $cmd]"
		}
	}
	if {![string is integer -strict [dict get $o -timeout]] || [dict get $o -timeout] < 1 ||
	    [dict get $o -timeout] > 3600} {
		return -code error "$cmd: -timeout wants seconds (1..3600), not '[dict get $o -timeout]'"
	}
	return $o
}

proc stm32unbrick_usage {cmd} {
	if {$cmd eq "unbrick"} {
		return "unbrick ?-dry-run? ?-backup DIR? ?-report FILE? ?-timeout S? ?-exit yes|no?"
	}
	return "diagnose ?-report FILE? ?-timeout S?"
}

proc stm32unbrick_new_ctx {command} {
	stm32unbrick_load
	return [dict create command $command version [stm32unbrick version] script_part $::stm32unbrick_part \
		chip {} attach {} options_before {} options_after {} findings {} verdict "" plan {} \
		plan_text {} backup_dir "" steps {} outcome "" exit_status 0 permanent 0]
}

# OpenOCD up, its background polling off (it would fight our sequences), module loaded.
proc stm32unbrick_prepare {} {
	if {[using_hla]} {
		return -code error "an HLA adapter hides the access ports recovery needs;\
			use interface/stlink-dap.cfg (ST-LINK in dapdirect mode) or another DAP adapter"
	}
	if {[command mode] eq "config"} {
		# OpenOCD 0.12's init fails at `dap init` when the debug port is dead
		# (the very chips we are here for); the attach strategies reconnect.
		if {[catch {init} msg]} {
			stm32unbrick_say attach "OpenOCD could not initialise the debug port ($msg); trying harder"
		}
	}
	poll off
	stm32unbrick_load
	# AP1/AP3 mem_ap targets are examined on first use: do it now, quietly
	# (a single-core chip has no AP3).
	stm32unbrick_reexamine
	stm32unbrick_attach_bridge $::stm32unbrick_chipname
}

# OpenOCD's own targets saw the chip before we changed it: let them look again.
proc stm32unbrick_reexamine {} {
	foreach t [target names] {
		catch {$t arp_examine}
	}
}

# A chip that answers now may lose its debug port as soon as its firmware
# runs again (seed 002: "every freshly flashed firmware makes the target
# unreachable"; a debugger that halted it earlier hides that).  Reset it, let
# the firmware run, and look again without halting.
set stm32unbrick_run_test_ms 1000

# Returns the attach result after the firmware ran, or "" when the chip no
# longer answers (a plain attach: Stop mode keeps AP2 alive but not AP0).
proc stm32unbrick_survives_reset {} {
	if {[catch {stm32unbrick attach release -timeout 5}]} {
		return ""
	}
	sleep $::stm32unbrick_run_test_ms
	if {[catch {stm32unbrick attach normal -timeout 5} r]} {
		return ""
	}
	return $r
}

proc stm32unbrick_attach_any {ctxvar timeout_s} {
	upvar 1 $ctxvar ctx
	set strategies {normal}
	if {$::stm32unbrick_dual_core} {
		lappend strategies ap-fallback
	}
	lappend strategies under-reset power-cycle boot0
	set errors {}
	for {set i 0} {$i < [llength $strategies]} {incr i} {
		set s [lindex $strategies $i]
		if {$s eq "power-cycle" && [stm32unbrick_${::stm32unbrick_family}_looks_permanent]} {
			dict set ctx permanent 1
			dict set ctx verdict "the debug port answers but every access port refuses, even under reset:\
				readout protection level 2 (RDP 0xCC); debug is disabled for ever, the chip cannot be recovered"
			return -code error [dict get $ctx verdict]
		}
		stm32unbrick_say attach "trying $s"
		if {[catch {stm32unbrick attach $s -timeout $timeout_s} r]} {
			lappend errors "$s: $r"
			stm32unbrick_say attach "$s failed: $r"
			continue
		}
		if {$s eq "normal" && [set r [stm32unbrick_survives_reset]] eq ""} {
			set msg "the debug port answered, but no longer once the firmware ran for\
				$::stm32unbrick_run_test_ms ms after a reset"
			lappend errors "$s: $msg"
			stm32unbrick_say attach $msg
			dict set ctx run_test_failed 1
			# Past the AP fallback: a gated core would not have answered at all.
			set i [expr {[lsearch $strategies under-reset] - 1}]
			continue
		}
		stm32unbrick_say attach "$s worked: core on AP[dict get $r core_ap][expr {[dict get $r halted] ?
			[format ", halted at 0x%08x" [dict get $r pc]] : ""}]"
		dict set ctx attach $r
		stm32unbrick_reexamine
		return
	}
	return -code error "no way to attach worked:\n  [join $errors "\n  "]"
}

# The chip must be the one the script is for: nothing is written otherwise.
proc stm32unbrick_check_part {ctxvar} {
	upvar 1 $ctxvar ctx
	set chip [dict get $ctx chip]
	set want $::stm32unbrick_dev_id
	set script "recovery/[string range $::stm32unbrick_part 5 end].cfg"
	if {$want ne "" && [dict get $chip dev_id] ne $want} {
		dict set ctx outcome refused
		return -code error "wrong script: $script is for an [string toupper $::stm32unbrick_part] (DEV_ID $want),\
			but the chip is an [dict get $chip family] (DEV_ID [dict get $chip dev_id]); nothing was written"
	}
	if {[dict get $chip dual_core] != $::stm32unbrick_dual_core} {
		set have [expr {[dict get $chip dual_core] ? "a dual-core" : "a single-core"}]
		dict set ctx outcome refused
		return -code error "wrong script: $script is for an [string toupper $::stm32unbrick_part], but the chip is\
			$have [dict get $chip family]; nothing was written"
	}
}

proc stm32unbrick_print_diagnosis {ctx} {
	stm32unbrick_say diagnose "attach: [dict get $ctx attach strategy] (core on AP[dict get $ctx attach core_ap])"
	foreach f [dict get $ctx findings] {
		stm32unbrick_say diagnose $f
	}
	dict for {name value} [dict get $ctx options_before] {
		stm32unbrick_say diagnose [format "option %-18s %s" $name $value]
	}
	stm32unbrick_say diagnose "verdict: [dict get $ctx verdict]"
}

proc stm32unbrick_plan_text {ctxvar} {
	upvar 1 $ctxvar ctx
	set text {}
	foreach p [dict get $ctx plan] {
		lappend text [lindex $p 0]
	}
	dict set ctx plan_text $text
	return $text
}

# ---- diagnose ------------------------------------------------------------------------

proc diagnose {args} {
	set o [stm32unbrick_parse_args diagnose $args {-report "" -timeout 60} {}]
	set ctx [stm32unbrick_new_ctx "diagnose $args"]
	set rc [catch {
		stm32unbrick_prepare
		stm32unbrick_attach_any ctx [dict get $o -timeout]
		stm32unbrick_h7_inspect ctx
		stm32unbrick_h7_plan ctx
	} msg]
	if {$rc} {
		stm32unbrick_say diagnose [expr {[dict get $ctx permanent] ? "verdict: $msg" : "failed: $msg"}]
	} else {
		stm32unbrick_print_diagnosis $ctx
		set plan [stm32unbrick_plan_text ctx]
		if {[dict get $ctx permanent]} {
			stm32unbrick_say diagnose "nothing can be done: this state is permanent"
		} elseif {[llength $plan]} {
			stm32unbrick_say diagnose "unbrick would: [join $plan {; }]"
			stm32unbrick_say diagnose "fix: openocd -f recovery/[string range $::stm32unbrick_part 5 end].cfg -c unbrick"
		}
	}
	dict set ctx outcome [expr {$rc ? ([dict get $ctx permanent] ? "cannot-recover" : "failed") : "diagnosed"}]
	if {[dict get $o -report] ne ""} {
		stm32unbrick_report $ctx [dict get $o -report]
	}
	poll on
	if {$rc && ![dict get $ctx permanent]} {
		return -code error "diagnose: $msg"
	}
	return [dict get $ctx verdict]
}

# ---- unbrick -------------------------------------------------------------------------

proc stm32unbrick_execute {ctxvar} {
	upvar 1 $ctxvar ctx
	foreach p [dict get $ctx plan] {
		lassign $p title proc arg
		stm32unbrick_step ctx $title "" [list $proc $arg]
	}
}

# A fresh attach after the work: reset the chip, attach the plain way, read back.
proc stm32unbrick_verify {ctxvar timeout_s} {
	upvar 1 $ctxvar ctx
	stm32unbrick_step ctx "verify with a fresh attach" "" {
		stm32unbrick srst assert
		sleep 20
		stm32unbrick srst deassert
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
}

proc stm32unbrick_unbrick_run {ctxvar o} {
	upvar 1 $ctxvar ctx
	if {![dict get $o -dry-run]} {
		if {[catch {stm32unbrick_backup_dir [dict get $o -backup] $::stm32unbrick_part} dir]} {
			dict set ctx outcome refused
			return -code error $dir
		}
	} else {
		set dir [stm32unbrick_tempdir]
	}
	stm32unbrick_prepare
	stm32unbrick_attach_any ctx [dict get $o -timeout]
	stm32unbrick_h7_inspect ctx
	stm32unbrick_check_part ctx
	if {[dict get $ctx options_before RDP] != 0xCC} {
		# Saving is also the flash scan that finds ECC-corrupt words.
		stm32unbrick_step ctx "save option bytes and readable flash" "" {stm32unbrick_h7_backup ctx $dir}
	}
	if {[dict get $o -dry-run]} {
		file delete -force $dir
	} else {
		dict set ctx backup_dir $dir
	}
	stm32unbrick_h7_plan ctx
	stm32unbrick_print_diagnosis $ctx
	if {[dict get $ctx permanent]} {
		return -code error [dict get $ctx verdict]
	}
	set plan [stm32unbrick_plan_text ctx]
	if {[llength $plan] == 0} {
		stm32unbrick_say unbrick "the chip is healthy: nothing to do, nothing changed"
		dict set ctx options_after [dict get $ctx options_before]
		dict set ctx outcome nothing-to-do
		return
	}
	stm32unbrick_say unbrick "plan:\n  [join $plan "\n  "]"
	if {[dict get $o -dry-run]} {
		stm32unbrick_say unbrick "-dry-run: nothing written"
		dict set ctx options_after [dict get $ctx options_before]
		dict set ctx outcome dry-run
		return
	}
	stm32unbrick_execute ctx
	stm32unbrick_verify ctx [dict get $o -timeout]
	dict set ctx outcome recovered
}

proc stm32unbrick_tempdir {} {
	set base [expr {[info exists ::env(TMPDIR)] ? $::env(TMPDIR) : "/tmp"}]
	set dir [file join $base "stm32unbrick-scan-[clock milliseconds]"]
	file mkdir $dir
	return $dir
}

proc unbrick {args} {
	global stm32unbrick_exit
	set from_cmdline [expr {[command mode] eq "config"}]
	set o [stm32unbrick_parse_args unbrick $args {-dry-run 0 -backup "" -report "" -timeout 60 -exit auto} {-dry-run}]
	set ctx [stm32unbrick_new_ctx "unbrick $args"]
	set rc [catch {stm32unbrick_unbrick_run ctx $o} msg]
	if {$rc} {
		if {[dict get $ctx permanent]} {
			dict set ctx outcome cannot-recover
		} elseif {[dict get $ctx outcome] ne "refused"} {
			dict set ctx outcome failed
		}
		stm32unbrick_say unbrick "[dict get $ctx outcome]: $msg"
	}
	dict set ctx exit_status $stm32unbrick_exit([dict get $ctx outcome])
	stm32unbrick_summary $ctx
	if {[dict get $o -report] ne ""} {
		stm32unbrick_report $ctx [dict get $o -report]
	}
	catch {poll on}
	set exit [dict get $o -exit]
	if {$exit eq "yes" || ($exit eq "auto" && $from_cmdline)} {
		stm32unbrick exit_status [dict get $ctx exit_status]
		shutdown
		return
	}
	if {[dict get $ctx exit_status] != 0} {
		return -code error "unbrick: [dict get $ctx outcome]: $msg"
	}
	return [dict get $ctx outcome]
}

if {[llength [info commands add_help_text]]} {
	add_help_text diagnose "STM32H7/H5 recovery: read-only diagnosis of a chip that does not accept a debugger"
	add_usage_text diagnose [stm32unbrick_usage diagnose]
	add_help_text unbrick [concat "STM32H7/H5 recovery: attach by any means, save what is readable, bring the" \
		"chip back to a debuggable state and verify. Exit status from the command line: 0 recovered or" \
		"nothing to do, 2 refused (wrong script, bad arguments), 3 failed, 4 cannot be recovered"]
	add_usage_text unbrick [stm32unbrick_usage unbrick]
}
