# SPDX-License-Identifier: GPL-2.0-or-later
#
# stm32unbrick: STM32H5 diagnosis, recovery plan and actions.
#
# Facts: ../shared/facts/stm32-facts.md B (B.1 access ports: AP0 with DBGMCU answers in every
# product state, AP1 only while the state leaves debug open; B.3 product states and why a chip
# gets stuck in Provisioning; B.4 debug authentication) and the field report of seed 004.
# The DA conventions both sides follow: docs/h5-debug-authentication.md.
# Chip access goes through `stm32unbrick h5 ...` (src/flash/nor/stm32h5x*.c) and
# `stm32unbrick da ...` (src/target/da*.c).

lappend ::stm32unbrick_dbgmcu_probes {0 0xE0044000} {0 0xE00E4000}
array set ::stm32unbrick_dev_ids {
	0x474 {stm32h5 "STM32H503"} 0x478 {stm32h5 "STM32H52x/H53x"} 0x484 {stm32h5 "STM32H56x/H57x"}
}

# Product states (facts B.3): name and what a debugger can still do there.
array set stm32unbrick_h5_states {
	0xed {Open "full debug"}
	0x17 {Provisioning "user code does not run (the boot stays in the ROM); AP1 answers in hot-plug, DA works"}
	0x2e {iROT-Provisioned "non-secure debug only; DA can reopen"}
	0xc6 {TZ-Closed "non-secure debug only; DA can regress"}
	0x72 {Closed "no debug except AP0 (DBGMCU, debug authentication)"}
	0x5c {Locked "no debug, no debug authentication: final"}
	0x9a {Regression "a DA full regression is under way"}
	0xa3 {NS-Regression "a DA partial regression is under way"}
}
# REV_ID -> revision letter (facts B.1; 0x478's are not known).
set stm32unbrick_h5_revs {0x484 {0x1000 A 0x1001 Z 0x1007 X} 0x474 {0x1000 A 0x1001 Z 0x1003 Y}}
# A DA regression erases up to 2 MiB and OBK; an option change, a product-state step.
set stm32unbrick_h5(regression_timeout_ms) 120000
set stm32unbrick_h5(option_timeout_ms) 15000
set stm32unbrick_h5(erase_timeout_ms) 60000
set stm32unbrick_h5(ap1_open_ms) 100

proc stm32unbrick_stm32h5_looks_permanent {} {
	# Locked is told by the ROM itself through debug authentication (stm32unbrick_h5_inspect).
	return 0
}

proc stm32unbrick_h5_state_name {code} {
	global stm32unbrick_h5_states
	set code [string tolower $code]
	if {[info exists stm32unbrick_h5_states($code)]} {
		return [lindex $stm32unbrick_h5_states($code) 0]
	}
	return "unknown ($code)"
}

proc stm32unbrick_h5_state_reach {code} {
	global stm32unbrick_h5_states
	set code [string tolower $code]
	return [expr {[info exists stm32unbrick_h5_states($code)] ? [lindex $stm32unbrick_h5_states($code) 1] : ""}]
}

# The chip dict of `h5 identify` plus the revision letter the summary prints.
proc stm32unbrick_h5_identify {} {
	set chip [stm32unbrick h5 identify]
	# The boot ROM opens AP1 a moment after a reset (simulator: 20 ms in Provisioning, our
	# choice, testing/sim/chip_h5_cpu.c), and a reset may have just happened (power-on, the
	# board, a DA session of ours): give AP1 that moment before calling it closed.  `h5
	# identify` asks DBGMCU_SR first, so waiting costs AP0 reads only; a chip whose product
	# state keeps AP1 closed pays the bound once per identify.
	set t0 [clock milliseconds]
	while {![dict get $chip ap1] && [clock milliseconds] - $t0 < $::stm32unbrick_h5(ap1_open_ms)} {
		sleep 5
		set chip [stm32unbrick h5 identify]
	}
	set revs [dict get $::stm32unbrick_h5_revs]
	set rev [dict get $chip rev_id]
	set dev [dict get $chip dev_id]
	set letter $rev
	if {[dict exists $revs $dev]} {
		foreach {id l} [dict get $revs $dev] {
			if {$id == $rev} {
				set letter $l
			}
		}
	}
	dict set chip rev $letter
	# For the DA regression's progress lines: how long it usually takes on this part (our estimate).
	set ::stm32unbrick_h5(est_regression_ms) [dict get $chip est_regression_ms]
	return $chip
}

# TZ-Closed and iROT-Provisioned answer non-secure transactions only (facts B.3); OpenOCD's
# AHB-AP default is secure (CSW bit 30 = 0, facts B.1), so its accesses would all fault there.
proc stm32unbrick_h5_ap1_security {state} {
	set ns [expr {[string tolower $state] in {0xc6 0x2e}}]
	set dap $::stm32unbrick_chipname.dap
	$dap apsel 1
	$dap apcsw [expr {$ns ? 0x40000000 : 0}] 0x40000000
}

# AP0 always (it identifies the chip); AP1 by the plainest strategy that works.  When AP1 is
# closed, debug authentication tells whether that is the product state (nothing else to try)
# or a firmware that kills the debug port in Open (then connect under reset).
proc stm32unbrick_h5_attach {ctxvar timeout_s} {
	upvar 1 $ctxvar ctx
	unset -nocomplain ::stm32unbrick_h5(regressed) ::stm32unbrick_h5(generated_password)
	if {[catch {stm32unbrick_h5_identify} chip]} {
		return -code error "AP0 (DBGMCU) does not answer: $chip; check power, wiring and NRST"
	}
	dict set ctx chip $chip
	if {[dict get $chip ap1]} {
		stm32unbrick_h5_ap1_security [dict get $chip product_state]
	} else {
		stm32unbrick_h5_discover ctx
		set state [dict get $ctx h5 state]
		if {$state ni {0xed 0x17}} {
			stm32unbrick_say attach "AP1 is closed by the product state [stm32unbrick_h5_state_name $state]:\
				working through AP0 only"
			dict set ctx attach [dict create strategy ap0-only core_ap 0 halted 0]
			return
		}
	}
	set order {normal hot-plug under-reset power-cycle}
	# In Provisioning the boot ROM runs instead of user code and a halt request is not
	# granted; ST's own scripts connect in hot-plug there (facts B, product states).
	if {[dict exists $chip product_state] && [string tolower [dict get $chip product_state]] eq "0x17"} {
		set order {hot-plug normal under-reset power-cycle}
	}
	stm32unbrick_attach_any ctx $timeout_s $order
	dict set ctx chip [stm32unbrick_h5_identify]
}

# Debug authentication discovery: the ROM reports product state, TZEN and which credential is
# provisioned even when AP1 is closed.  It resets the chip (DA is entered under reset).
proc stm32unbrick_h5_discover {ctxvar} {
	upvar 1 $ctxvar ctx
	if {[dict exists $ctx h5 discovery]} {
		return
	}
	stm32unbrick_say inspect "asking the boot ROM through debug authentication (resets the chip)"
	set d [stm32unbrick da discover]
	dict set ctx h5 discovery $d
	dict set ctx h5 state [string tolower [dict get $d product_state]]
	dict set ctx h5 tzen [dict get $d tzen]
	dict set ctx h5 credential [dict get $d credential]
	stm32unbrick_reexamine
}

# Read-only: product state, TrustZone, options, credentials.
proc stm32unbrick_h5_inspect {ctxvar} {
	upvar 1 $ctxvar ctx
	set chip [dict get $ctx chip]
	if {![dict exists $ctx h5]} {
		dict set ctx h5 [dict create]
	}
	if {[dict get $chip ap1]} {
		dict set ctx h5 state [string tolower [dict get $chip product_state]]
		dict set ctx h5 tzen [dict get $chip tzen]
		dict set ctx options_before [stm32unbrick h5 options]
		dict set ctx registers [stm32unbrick h5 registers]
		if {![catch {stm32unbrick h5 credentials} c]} {
			dict set ctx h5 credential [dict get $c kind]
		}
	}
	if {![dict exists $ctx h5 credential] && [dict get $ctx h5 state] ne "0xed"} {
		stm32unbrick_h5_discover ctx
	}
	if {![dict exists $ctx h5 credential]} {
		dict set ctx h5 credential unknown
	}
}

# No ECC scan before the plan on the H5 (its plan does not look for unreadable
# words, and in the states it recovers the core cannot be halted to read): the
# backup, taken before the plan, reads the flash.
proc stm32unbrick_h5_scan {ctxvar} {
	return 0
}

proc stm32unbrick_h5_can_backup {ctx} {
	return [dict get $ctx chip ap1]
}

# Option bytes, and user flash where the state lets the debugger read it.
proc stm32unbrick_h5_backup {ctxvar dir} {
	upvar 1 $ctxvar ctx
	set chip [dict get $ctx chip]
	stm32unbrick_backup_options $dir [dict get $ctx registers] [dict get $ctx options_before]
	if {[dict get $ctx h5 state] ni {0xed 0x17}} {
		stm32unbrick_say unbrick "flash is not readable in [stm32unbrick_h5_state_name [dict get $ctx h5 state]]:\
			only the option bytes are saved"
		return
	}
	# With TrustZone on, the secure alias reads every sector (facts B.2).
	set base [expr {[dict get $chip tzen] eq "0xb4" ? 0x0C000000 : 0x08000000}]
	set bytes [expr {[dict get $chip flash_kib] * 1024}]
	stm32unbrick_say unbrick "saving [dict get $chip flash_kib] KiB of flash to [file join $dir flash.bin]"
	set bad [stm32unbrick_backup_range 1 $base $bytes 16 [file join $dir flash.bin]]
	if {[llength $bad]} {
		stm32unbrick_write_file [file join $dir unreadable.txt] "[join $bad \n]\n"
	}
	dict set ctx unreadable $bad
}

# ---- plan ------------------------------------------------------------------------------

# Which credential unbrick can use: {kind file key} from -password / -cert -key, or a password
# it generates (Provisioning only, when nothing is provisioned yet).
proc stm32unbrick_h5_given_credential {ctx} {
	set o [dict get $ctx opts]
	if {[dict get $o -password] ne ""} {
		return [list password [dict get $o -password] ""]
	}
	if {[dict get $o -cert] ne ""} {
		return [list certificate [dict get $o -cert] [dict get $o -key]]
	}
	# A run interrupted after it provisioned a generated password: this run finishes with it.
	if {[dict get $ctx h5 credential] eq "password"} {
		set dir [expr {[dict exists $o -backup] ? [dict get $o -backup] : ""}]
		set saved [stm32unbrick_saved_password $dir $::stm32unbrick_part]
		if {$saved ne ""} {
			stm32unbrick_say unbrick "using the DA password an earlier run generated: $saved"
			return [list password $saved ""]
		}
	}
	return {}
}

# Provisioning (seed 004): the firmware cannot run and option bytes cannot go back, so the way
# out is the one ST documents (facts B.3): the credential kind that matches TZEN (a password
# needs TrustZone off, a certificate needs it on), provisioned now, then a DA full regression.
proc stm32unbrick_h5_plan_provisioning {ctxvar} {
	upvar 1 $ctxvar ctx
	set tz [expr {[dict get $ctx h5 tzen] eq "0xb4"}]
	set have [dict get $ctx h5 credential]
	set given [stm32unbrick_h5_given_credential $ctx]
	set plan {}
	if {$given eq ""} {
		if {$have ne "none"} {
			dict set ctx blocked "a DA $have is already provisioned (OBK cannot be rewritten in this state):\
				run unbrick with [expr {$have eq "password" ? "-password FILE" : "-cert FILE -key FILE"}]"
			return {}
		}
		set given [list password generate ""]
	}
	lassign $given kind file key
	if {$have ne "none" && $have ne $kind} {
		dict set ctx blocked "a DA $have is provisioned, but unbrick was given a $kind"
		return {}
	}
	if {$kind eq "password" && $tz} {
		lappend plan [list "set TZEN = 0xC3 (a DA password needs TrustZone off, facts B.3)" \
			stm32unbrick_h5_set_options {TZEN 0xC3}]
	} elseif {$kind eq "certificate" && !$tz} {
		lappend plan [list "set TZEN = 0xB4 (a DA certificate needs TrustZone on, facts B.3)" \
			stm32unbrick_h5_set_options {TZEN 0xB4}]
	}
	if {$have eq "none"} {
		set what [expr {$file eq "generate" ? "a new random DA password (saved in the backup directory)" : \
			"the DA $kind from $file"}]
		lappend plan [list "provision $what in OBK" stm32unbrick_h5_provision [list $kind $file]]
	}
	lappend plan [list "debug authentication with the $kind: full regression to Open (erases flash, SRAM, OBK)" \
		stm32unbrick_h5_regress [list $kind $file $key 0]]
	return $plan
}

# TZ-Closed, iROT-Provisioned, Closed: only DA with what was provisioned brings debug back.
proc stm32unbrick_h5_plan_closed {ctxvar} {
	upvar 1 $ctxvar ctx
	set tz [expr {[dict get $ctx h5 tzen] eq "0xb4"}]
	set have [dict get $ctx h5 credential]
	set state [dict get $ctx h5 state]
	set still [expr {$state in {0xc6 0x2e} ? "non-secure debug still works (AP1, non-secure accesses)" :
		"only AP0 answers (DBGMCU and debug authentication)"}]
	if {$have eq "none"} {
		dict set ctx permanent 1
		dict set ctx verdict "[stm32unbrick_h5_state_name $state] without DA credentials: regression is not possible\
			(nothing was provisioned before the state was left); $still"
		return {}
	}
	set needed [expr {$tz ? "certificate" : "password"}]
	if {$have ne $needed} {
		dict set ctx permanent 1
		dict set ctx verdict "a DA $have is provisioned, but with TrustZone [expr {$tz ? "on" : "off"}] the ROM only\
			accepts a $needed (AN6008 caution): regression is not possible; $still"
		return {}
	}
	set given [stm32unbrick_h5_given_credential $ctx]
	if {$given eq "" || [lindex $given 0] ne $have} {
		dict set ctx blocked "a DA $have is provisioned: run unbrick with\
			[expr {$have eq "password" ? "-password FILE" : "-cert FILE -key FILE"}] to regress"
		return {}
	}
	lassign $given kind file key
	set partial [dict get $ctx opts -partial]
	set to [expr {$partial ? "TZ-Closed (erases the non-secure flash)" : "Open (erases flash, SRAM and OBK)"}]
	return [list [list "debug authentication with the $kind: [expr {$partial ? "partial" : "full"}] regression to $to" \
		stm32unbrick_h5_regress [list $kind $file $key $partial]]]
}

proc stm32unbrick_h5_plan {ctxvar} {
	upvar 1 $ctxvar ctx
	set chip [dict get $ctx chip]
	set state [dict get $ctx h5 state]
	set tzen [dict get $ctx h5 tzen]
	set findings {}
	lappend findings "chip: [dict get $chip family] rev [dict get $chip rev], [dict get $chip flash_kib] KiB in 2 banks"
	lappend findings "product state [stm32unbrick_h5_state_name $state] ($state): [stm32unbrick_h5_state_reach $state]"
	lappend findings "TrustZone [expr {$tzen eq "0xb4" ? "on" : "off"}] (TZEN = [expr {$tzen eq "" ? "0xc3" : $tzen}])"
	lappend findings "DA credential provisioned: [dict get $ctx h5 credential]"
	dict set ctx verdict "healthy: nothing to recover"
	set plan {}
	switch -- $state {
		0xed {
			if {[dict get $ctx attach strategy] in {under-reset power-cycle}} {
				lappend findings "only a connection under reset worked: the firmware disables debug after reset"
				dict set ctx verdict "the firmware disables debug after reset"
				lappend plan [list "erase both banks" stm32unbrick_h5_erase {}]
			}
		}
		0x17 {
			lappend findings "in Provisioning the firmware never runs and option bytes cannot go back to Open\
				(\"Expected value for Option Byte PRODUCT_STATE\"); debug authentication can (facts B.3)"
			dict set ctx verdict "stuck in Provisioning: DA full regression to Open"
			set plan [stm32unbrick_h5_plan_provisioning ctx]
		}
		0x2e - 0xc6 - 0x72 {
			dict set ctx verdict "[stm32unbrick_h5_state_name $state]: DA regression with the provisioned credential"
			set plan [stm32unbrick_h5_plan_closed ctx]
		}
		0x5c {
			dict set ctx permanent 1
			dict set ctx verdict "Locked (0x5C): the final product state; no debug and no debug authentication,\
				the chip cannot be recovered (facts B.3)"
		}
		0x9a - 0xa3 {
			dict set ctx verdict "a debug-authentication regression was interrupted: the ROM finishes it at the next reset"
			lappend plan [list "reset and let the ROM finish the regression" stm32unbrick_h5_finish_regression {}]
		}
		default {
			dict set ctx verdict "product state $state is not one the reference manual defines"
			dict set ctx blocked "unknown product state $state: nothing is attempted"
		}
	}
	# Open and Provisioning let AP1 read the flash: if it does not answer, the flash cannot be
	# saved, and nothing is erased without that backup (decision 5).
	if {[llength $plan] && ![dict get $chip ap1] && $state in {0xed 0x17}} {
		lappend findings "AP1 does not answer, although [stm32unbrick_h5_state_name $state] lets the debugger\
			read the flash"
		dict set ctx blocked "the flash cannot be saved before the erase (AP1 does not answer):\
			power-cycle the board and try again"
	}
	if {[dict exists $ctx blocked]} {
		lappend findings "unbrick needs: [dict get $ctx blocked]"
	}
	dict set ctx findings $findings
	dict set ctx plan $plan
}

# ---- actions (each verified by the module, which reads back what it wrote) -------------

proc stm32unbrick_h5_set_options {pairs} {
	stm32unbrick h5 options_set {*}$pairs -timeout $::stm32unbrick_h5(option_timeout_ms)
}

# A generated password goes to the backup directory, readable by its owner only; it is never
# printed (it is a secret that regresses the chip).
proc stm32unbrick_h5_password_file {} {
	set path [file join $::stm32unbrick_backup_dir_now da-password.bin]
	stm32unbrick da password_new $path
	stm32unbrick_say unbrick "new DA password saved in $path (mode 0600)"
	return $path
}

proc stm32unbrick_h5_provision {arg} {
	lassign $arg kind file
	if {$file eq "generate"} {
		set file [stm32unbrick_h5_password_file]
		set ::stm32unbrick_h5(generated_password) $file
	}
	set opt [expr {$kind eq "password" ? "-password" : "-cert"}]
	stm32unbrick h5 da_provision $opt $file -timeout $::stm32unbrick_h5(option_timeout_ms)
}

proc stm32unbrick_h5_regress {arg} {
	lassign $arg kind file key partial
	if {$file eq "generate"} {
		set file $::stm32unbrick_h5(generated_password)
	}
	set cmd [list stm32unbrick da regress]
	if {$kind eq "password"} {
		lappend cmd -password $file
	} else {
		lappend cmd -cert $file -key $key
		if {$partial} {
			lappend cmd -partial
		}
	}
	if {[info exists ::stm32unbrick_h5(est_regression_ms)]} {
		lappend cmd -expect $::stm32unbrick_h5(est_regression_ms)
	}
	set r [{*}$cmd -timeout $::stm32unbrick_h5(regression_timeout_ms)]
	set ::stm32unbrick_h5(regressed) [expr {$partial ? "partial" : "full"}]
	stm32unbrick_reexamine
	return $r
}

proc stm32unbrick_h5_erase {arg} {
	stm32unbrick h5 erase -timeout $::stm32unbrick_h5(erase_timeout_ms)
	stm32unbrick h5 blank_check
}

proc stm32unbrick_h5_finish_regression {arg} {
	stm32unbrick_nrst_pulse
	set t0 [clock milliseconds]
	while {[clock milliseconds] - $t0 < $::stm32unbrick_h5(regression_timeout_ms)} {
		sleep 200
		stm32unbrick_reexamine
		if {![catch {stm32unbrick h5 identify} chip] && [dict get $chip ap1] &&
		    [dict get $chip product_state] ni {0x9a 0xa3}} {
			set ::stm32unbrick_h5(regressed) full
			return [dict get $chip product_state_name]
		}
	}
	error "the interrupted regression did not finish within\
		[expr {$::stm32unbrick_h5(regression_timeout_ms) / 1000}] s (DBGMCU/AP1 polled after a reset)"
}

# ---- verification ----------------------------------------------------------------------

proc stm32unbrick_h5_verify {ctxvar timeout_s} {
	upvar 1 $ctxvar ctx
	stm32unbrick_nrst_pulse 50
	stm32unbrick_reexamine
	set chip [stm32unbrick_h5_identify]
	if {![dict get $chip ap1]} {
		error "AP1 is still closed after recovery (product state [dict get $chip product_state_name])"
	}
	stm32unbrick_h5_ap1_security [dict get $chip product_state]
	# With only non-secure debug, a core running secure code cannot be halted: look, do not halt.
	set how [expr {[string tolower [dict get $chip product_state]] in {0xc6 0x2e} ? "hot-plug" : "normal"}]
	set r [stm32unbrick attach $how -timeout $timeout_s -family stm32h5]
	dict set ctx attach_after $r
	set chip [stm32unbrick_h5_identify]
	dict set ctx options_after [stm32unbrick h5 options]
	set regressed [expr {[info exists ::stm32unbrick_h5(regressed)] ? $::stm32unbrick_h5(regressed) : ""}]
	set want [expr {$regressed eq "partial" ? "0xc6" : "0xed"}]
	if {$regressed ne "" && [string tolower [dict get $chip product_state]] ne $want} {
		error "product state is [dict get $chip product_state_name] after the regression, not\
			[stm32unbrick_h5_state_name $want]"
	}
	if {$regressed eq "full"} {
		set b [stm32unbrick h5 blank_check]
		if {![dict get $b blank]} {
			error "flash not erased after the regression: first programmed byte at [dict get $b first_non_blank]"
		}
	}
}
