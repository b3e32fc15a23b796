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
# Each family file adds where its DBGMCU is and its DEV_IDs (stm32unbrick_probe_dev_id).
set ::stm32unbrick_dbgmcu_probes {}
source [find recovery/h7.tcl]
source [find recovery/h5.tcl]

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
	# Any other value would leave OpenOCD running after a command-line unbrick, i.e. hang the caller.
	if {[dict exists $o -exit] && [dict get $o -exit] ni {auto yes no}} {
		return -code error "$cmd: -exit wants yes or no, not '[dict get $o -exit]'"
	}
	return $o
}

proc stm32unbrick_usage {cmd} {
	if {$cmd eq "unbrick"} {
		return [concat "unbrick ?-dry-run? ?-backup DIR? ?-report FILE? ?-timeout S? ?-exit yes|no?" \
			"?-password FILE | -cert FILE -key FILE? ?-partial? (the last three: STM32H5 debug authentication)"]
	}
	return "diagnose ?-report FILE? ?-timeout S?"
}

proc stm32unbrick_strip_prefix {text prefix} {
	return [expr {[string first $prefix $text] == 0 ? [string range $text [string length $prefix] end] : $text}]
}

# STM32H5 debug-authentication options: files must be readable, -cert and -key go together,
# and they mean nothing to an STM32H7.  Checked before anything touches the chip.
proc stm32unbrick_check_da_args {o} {
	set given {}
	foreach opt {-password -cert -key} {
		set f [dict get $o $opt]
		if {$f eq ""} {
			continue
		}
		lappend given $opt
		if {![file isfile $f] || ![file readable $f]} {
			return -code error "unbrick: $opt $f: not a readable file"
		}
		# By the module's own rule (da_auth.c), so that a bad file is refused before the chip is touched.
		if {$opt eq "-password"} {
			stm32unbrick_load
			if {[catch {stm32unbrick da password_check $f} err]} {
				return -code error "unbrick: -password $f: [stm32unbrick_strip_prefix $err "DA password file $f: "]"
			}
		}
	}
	if {[dict get $o -partial]} {
		lappend given -partial
	}
	if {[llength $given] && $::stm32unbrick_family ne "stm32h5"} {
		return -code error "unbrick: [join $given {, }]: debug authentication exists on STM32H5 only"
	}
	if {([dict get $o -cert] eq "") != ([dict get $o -key] eq "")} {
		return -code error "unbrick: -cert and -key go together (the certificate chain and its private key)"
	}
	if {[dict get $o -password] ne "" && [dict get $o -cert] ne ""} {
		return -code error "unbrick: give -password or -cert/-key, not both"
	}
	if {[dict get $o -partial] && [dict get $o -cert] eq ""} {
		return -code error "unbrick: -partial needs -cert/-key (a password only allows a full regression)"
	}
}

# Family hooks: `stm32unbrick_hook inspect ctx` calls stm32unbrick_h7_inspect or stm32unbrick_h5_inspect.
proc stm32unbrick_hook {name args} {
	set short [string range $::stm32unbrick_family 5 end]
	return [uplevel 1 [list stm32unbrick_${short}_$name {*}$args]]
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
# the firmware run, and look again without halting.  The ways firmware locks
# debug out (supply or clock configuration, debug pins as GPIO, a low-power
# mode) happen in its first milliseconds; 250 ms leaves room for start-up
# delays while keeping a healthy chip's unbrick quick (issue 6).  Set it
# before diagnose/unbrick for a firmware that takes longer (man page).
if {![info exists stm32unbrick_run_test_ms]} {
	set stm32unbrick_run_test_ms 250
}

# OpenOCD waits `adapter srst delay` after it releases NRST; wait whatever of `ms` that left.
proc stm32unbrick_settle {ms} {
	set delay 0
	regexp {([0-9]+)} [adapter srst delay] -> delay
	if {$ms > $delay} {
		sleep [expr {$ms - $delay}]
	}
}

# NRST pulsed by the probe (20 ms low), then `settle_ms` after the release.
proc stm32unbrick_nrst_pulse {{settle_ms 0}} {
	stm32unbrick srst assert
	sleep 20
	stm32unbrick srst deassert
	stm32unbrick_settle $settle_ms
}

# Returns the attach result after the firmware ran, or "" when the chip no
# longer answers (a plain attach: Stop mode keeps AP2 alive but not AP0).
proc stm32unbrick_survives_reset {} {
	# The release waits for an erase or option change in progress first: NRST would cut it short.
	set banks [expr {[info exists ::stm32unbrick_dual_bank] && !$::stm32unbrick_dual_bank ? "-single-bank" : ""}]
	if {[catch {stm32unbrick attach release -timeout 5 {*}$banks -family $::stm32unbrick_family}]} {
		return ""
	}
	# OpenOCD already waited `adapter srst delay` after releasing NRST, with the
	# firmware running: that counts.
	stm32unbrick_settle $::stm32unbrick_run_test_ms
	if {[catch {stm32unbrick attach normal -timeout 5 -family $::stm32unbrick_family} r]} {
		return ""
	}
	return $r
}

proc stm32unbrick_attach_any {ctxvar timeout_s strategies} {
	upvar 1 $ctxvar ctx
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
		if {[catch {stm32unbrick attach $s -timeout $timeout_s -family $::stm32unbrick_family} r]} {
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

# Which chip answers, before any attach strategy touches it: DBGMCU_IDCODE read with raw AP
# register accesses (so it works whichever target script created the mem_aps) at every place a
# family puts it.  Each family file adds {AP ADDRESS} pairs to ::stm32unbrick_dbgmcu_probes and
# DEV_ID -> {family name} to ::stm32unbrick_dev_ids.  "" when nothing known answers (a chip whose
# firmware killed the debug port: the attach strategies deal with that).
proc stm32unbrick_probe_dev_id {} {
	foreach probe $::stm32unbrick_dbgmcu_probes {
		lassign $probe ap addr
		set csw ""
		set rc [catch {
			set csw [stm32unbrick ap read $ap 0x00]
			set tar [stm32unbrick ap read $ap 0x04]
			# 32-bit accesses, no address increment; the protection bits are left as they were.
			stm32unbrick ap write $ap 0x00 [expr {($csw & ~0x37) | 0x02}]
			stm32unbrick ap write $ap 0x04 $addr
			set idcode [stm32unbrick ap read $ap 0x0C]
		}]
		# CSW and TAR as OpenOCD last left them: its mem_ap code may rely on what it wrote.
		if {$csw ne ""} {
			catch {stm32unbrick ap write $ap 0x00 $csw}
			catch {stm32unbrick ap write $ap 0x04 $tar}
		}
		if {$rc} {
			continue
		}
		set dev [format 0x%03x [expr {$idcode & 0xFFF}]]
		if {[info exists ::stm32unbrick_dev_ids($dev)]} {
			return $dev
		}
	}
	return ""
}

proc stm32unbrick_script_name {} {
	return "recovery/[string range $::stm32unbrick_part 5 end].cfg"
}

proc stm32unbrick_refuse_dev_id {ctxvar dev} {
	upvar 1 $ctxvar ctx
	lassign $::stm32unbrick_dev_ids($dev) family name
	dict set ctx outcome refused
	return -code error "wrong script: [stm32unbrick_script_name] is for an [string toupper $::stm32unbrick_part]\
		(DEV_ID $::stm32unbrick_dev_id), but the chip is an $name (DEV_ID $dev); nothing was written"
}

# Before attaching: a chip of another part or family is refused at once, naming both.
proc stm32unbrick_check_part_early {ctxvar} {
	upvar 1 $ctxvar ctx
	set dev [stm32unbrick_probe_dev_id]
	if {$dev ne "" && $::stm32unbrick_dev_id ne "" && $dev ne $::stm32unbrick_dev_id} {
		stm32unbrick_refuse_dev_id ctx $dev
	}
}

# The chip must be the one the script is for: nothing is written otherwise.
proc stm32unbrick_check_part {ctxvar} {
	upvar 1 $ctxvar ctx
	set chip [dict get $ctx chip]
	set dev [dict get $chip dev_id]
	if {$::stm32unbrick_dev_id ne "" && $dev ne $::stm32unbrick_dev_id} {
		if {![info exists ::stm32unbrick_dev_ids($dev)]} {
			set ::stm32unbrick_dev_ids($dev) [list unknown "unknown part"]
		}
		stm32unbrick_refuse_dev_id ctx $dev
	}
	if {[dict exists $chip dual_core] && [dict get $chip dual_core] != $::stm32unbrick_dual_core} {
		set have [expr {[dict get $chip dual_core] ? "a dual-core" : "a single-core"}]
		dict set ctx outcome refused
		return -code error "wrong script: [stm32unbrick_script_name] is for an [string toupper $::stm32unbrick_part],\
			but the chip is $have [dict get $chip family]; nothing was written"
	}
}

proc stm32unbrick_print_diagnosis {ctx} {
	set a [dict get $ctx attach]
	if {[dict get $a strategy] eq "ap0-only"} {
		stm32unbrick_say diagnose "attach: AP0 only (the product state closes the core's access port)"
	} else {
		stm32unbrick_say diagnose "attach: [dict get $a strategy] (core on AP[dict get $a core_ap])"
	}
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
	dict set o -password ""
	dict set o -cert ""
	dict set o -key ""
	dict set o -partial 0
	set ctx [stm32unbrick_new_ctx "diagnose $args"]
	dict set ctx opts $o
	set rc [catch {
		stm32unbrick_prepare
		stm32unbrick_check_part_early ctx
		stm32unbrick_hook attach ctx [dict get $o -timeout]
		stm32unbrick_hook inspect ctx
		stm32unbrick_hook plan ctx
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

proc stm32unbrick_unbrick_run {ctxvar o} {
	upvar 1 $ctxvar ctx
	set made_dir 0
	if {![dict get $o -dry-run]} {
		set made_dir [expr {[dict get $o -backup] eq "" || ![file exists [dict get $o -backup]]}]
		if {[catch {stm32unbrick_backup_dir [dict get $o -backup] $::stm32unbrick_part} dir]} {
			dict set ctx outcome refused
			return -code error $dir
		}
	} else {
		set dir [stm32unbrick_tempdir]
	}
	# Where actions put what they create (a generated DA password).
	set ::stm32unbrick_backup_dir_now $dir
	stm32unbrick_prepare
	stm32unbrick_check_part_early ctx
	stm32unbrick_hook attach ctx [dict get $o -timeout]
	stm32unbrick_hook inspect ctx
	stm32unbrick_check_part ctx
	# The plan needs the flash scanned for ECC-corrupt words.  Where the family's
	# read-only scan cannot do it, saving the flash (read by the probe) is that scan,
	# and it comes first; otherwise the backup waits until there is something to write.
	set can_backup [stm32unbrick_hook can_backup $ctx]
	set backed_up 0
	if {$can_backup && ![stm32unbrick_hook scan ctx]} {
		stm32unbrick_unbrick_backup ctx $dir
		set backed_up 1
	}
	stm32unbrick_hook plan ctx
	stm32unbrick_print_diagnosis $ctx
	if {[dict get $ctx permanent]} {
		return -code error [dict get $ctx verdict]
	}
	if {[dict exists $ctx blocked]} {
		dict set ctx outcome refused
		return -code error "[dict get $ctx blocked]; nothing was written"
	}
	set plan [stm32unbrick_plan_text ctx]
	if {[dict get $o -dry-run]} {
		file delete -force $dir
	} elseif {[llength $plan] == 0 && $made_dir && [llength [glob -nocomplain -directory $dir *]] == 0} {
		file delete $dir ;# nothing to write, so nothing was saved: no empty directory left behind
	}
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
	if {$can_backup && !$backed_up} {
		stm32unbrick_unbrick_backup ctx $dir
	}
	stm32unbrick_execute ctx
	stm32unbrick_step ctx "verify with a fresh attach" "" {stm32unbrick_hook verify ctx [dict get $o -timeout]}
	dict set ctx outcome recovered
}

# Save option bytes and readable flash before anything is written (decision 5).
proc stm32unbrick_unbrick_backup {ctxvar dir} {
	upvar 1 $ctxvar ctx
	stm32unbrick_step ctx "save option bytes and readable flash" "" {stm32unbrick_hook backup ctx $dir}
	dict set ctx backup_dir $dir
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
	if {[catch {stm32unbrick_parse_args unbrick $args {-dry-run 0 -backup "" -report "" -timeout 60 -exit auto
		-password "" -cert "" -key "" -partial 0} {-dry-run -partial}} o]} {
		# Bad arguments: refused before anything touched the chip, status 2 (docs/exit-status.md),
		# not the 1 of an OpenOCD command that failed.
		stm32unbrick_say unbrick "refused: $o"
		if {$from_cmdline} {
			stm32unbrick_load
			stm32unbrick exit_status $stm32unbrick_exit(refused)
			shutdown
			return
		}
		return -code error $o
	}
	set ctx [stm32unbrick_new_ctx "unbrick $args"]
	dict set ctx opts $o
	set rc [catch {
		stm32unbrick_check_da_args $o
		stm32unbrick_unbrick_run ctx $o
	} msg]
	if {$rc && [dict get $ctx outcome] eq "" && [string match "unbrick: *" $msg]} {
		# Bad arguments: refused before anything touched the chip.
		dict set ctx outcome refused
	}
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
	# OpenOCD prints the command name itself: the usage starts after it.
	add_usage_text diagnose [regsub {^\S+ } [stm32unbrick_usage diagnose] ""]
	add_help_text unbrick [concat "STM32H7/H5 recovery: attach by any means, save what is readable, bring the" \
		"chip back to a debuggable state and verify. Exit status from the command line: 0 recovered or" \
		"nothing to do, 2 refused (wrong script, bad arguments), 3 failed, 4 cannot be recovered"]
	add_usage_text unbrick [regsub {^\S+ } [stm32unbrick_usage unbrick] ""]
}
