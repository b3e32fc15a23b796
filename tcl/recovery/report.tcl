# SPDX-License-Identifier: GPL-2.0-or-later
#
# stm32unbrick: what recovery leaves behind for the person and for CI:
# progress lines, backups of everything readable, the JSON report and the
# summary table.  No chip logic here.

# One line of progress, always prefixed so that logs can be grepped.
proc stm32unbrick_say {what msg} {
	echo "$what: $msg"
}

# A named step: prints what it is about to do (with the expected duration when
# known), runs it, records duration and outcome in the context's step list.
proc stm32unbrick_step {ctxvar name expected_s body} {
	upvar 1 $ctxvar ctx
	set n [expr {[llength [dict get $ctx steps]] + 1}]
	set hint [expr {$expected_s ne "" ? " (expected up to ${expected_s} s)" : ""}]
	stm32unbrick_say unbrick "step $n: $name$hint"
	set t0 [clock milliseconds]
	set rc [catch {uplevel 1 $body} result]
	set ms [expr {[clock milliseconds] - $t0}]
	set outcome [expr {$rc == 0 ? "ok" : "failed"}]
	dict lappend ctx steps [dict create name $name duration_ms $ms outcome $outcome detail $result]
	stm32unbrick_say unbrick [format "step %d: %s after %.1f s%s" $n $outcome [expr {$ms / 1000.0}] \
		[expr {$rc == 0 ? "" : ": $result"}]]
	if {$rc != 0} {
		return -code error $result
	}
	return $result
}

# The backup directory: created if missing, refused when it cannot be written.
proc stm32unbrick_backup_dir {dir part} {
	if {$dir eq ""} {
		set dir "stm32unbrick-backup-$part-[clock format [clock seconds] -format %Y%m%d-%H%M%S]"
	}
	# Only DIR itself is created: a missing parent is likelier a typo or an unmounted disk than a wish.
	set parent [file dirname $dir]
	if {![file isdirectory $parent]} {
		return -code error "backup directory $dir cannot be created: its parent $parent does not exist"
	}
	if {[catch {file mkdir $dir} msg]} {
		return -code error "backup directory $dir cannot be created: $msg"
	}
	if {![file isdirectory $dir] || ![file writable $dir]} {
		return -code error "backup directory $dir is not a writable directory"
	}
	# A run after an interrupted one must not overwrite the first backup: it holds what was
	# readable before anything changed.  The new one goes to the first free run-N inside.
	if {[file exists [file join $dir option-bytes.txt]]} {
		for {set n 2} {[file exists [file join $dir run-$n]]} {incr n} {}
		set dir [file join $dir run-$n]
		if {[catch {file mkdir $dir} msg]} {
			return -code error "backup directory $dir cannot be created: $msg"
		}
	}
	return [file normalize $dir]
}

# The DA password an earlier run generated and saved (the first backup directory of
# a -backup DIR, or the newest default one in the current directory): "" if none.
proc stm32unbrick_saved_password {dir part} {
	if {$dir ne ""} {
		set candidates [concat [glob -nocomplain [file join $dir da-password.bin]] \
			[glob -nocomplain [file join $dir run-* da-password.bin]]]
	} else {
		set candidates [glob -nocomplain [file join "stm32unbrick-backup-$part-*" da-password.bin]]
	}
	set best ""
	foreach f $candidates {
		if {$best eq "" || [file mtime $f] > [file mtime $best]} {
			set best $f
		}
	}
	return $best
}

proc stm32unbrick_write_file {path text} {
	set f [open $path w]
	puts -nonewline $f $text
	close $f
}

# Option-byte registers, one "NAME 0xVALUE" per line (read back by `unbrick -restore`-like tools and people).
proc stm32unbrick_backup_options {dir regs fields} {
	set text "# option-byte registers (_CUR) read before any change\n"
	dict for {name value} $regs {
		append text "$name $value\n"
	}
	append text "# decoded fields\n"
	dict for {name value} $fields {
		append text "# $name $value\n"
	}
	stm32unbrick_write_file [file join $dir option-bytes.txt] $text
}

# Dump one memory range through the module; chunks that fault (ECC-corrupt
# flash words) are read again flash word by flash word, unreadable words are
# written as zero bytes and listed.  Returns the list of unreadable addresses.
# `next_programmed` (optional): a command prefix that, given ADDR END, answers {FROM TO}, the
# next range from ADDR that holds programmed flash (h7.tcl: from the core's ECC scan's erased
# map, or its blank check); [ADDR, FROM) is erased and written as 0xFF without being read
# through the debugger.  Any failure of it (the core cannot run, a read faulted on an ECC error)
# and the rest is read as before.
proc stm32unbrick_backup_range {ap base size word_bytes path {next_programmed ""}} {
	set end [expr {$base + $size}]
	set unreadable {}
	set out [open $path w]
	fconfigure $out -translation binary
	set addr $base
	while {$addr < $end} {
		set run [list $addr $end]
		if {$next_programmed ne "" && [catch {{*}$next_programmed $addr $end} run]} {
			set next_programmed ""
			set run [list $addr $end]
		}
		lassign $run from to
		stm32unbrick_backup_erased $out [expr {$from - $addr}]
		for {set at $from} {$at < $to} {incr at 16384} {
			set n [expr {$to - $at < 16384 ? $to - $at : 16384}]
			set unreadable [concat $unreadable [stm32unbrick_backup_chunk $ap $at $n $word_bytes $out $path.part]]
		}
		set addr $to
	}
	close $out
	return $unreadable
}

# Erased flash, as the chip reads it.
proc stm32unbrick_backup_erased {out bytes} {
	for {} {$bytes > 0} {incr bytes -16384} {
		puts -nonewline $out [string repeat "\xff" [expr {$bytes < 16384 ? $bytes : 16384}]]
	}
}

# One chunk read through the probe into `out`; returns the addresses of its unreadable words.
proc stm32unbrick_backup_chunk {ap addr bytes word_bytes out tmp} {
	if {![catch {stm32unbrick mem dump $ap $addr $bytes $tmp}]} {
		stm32unbrick_backup_append $out $tmp
		return {}
	}
	# A chunk with an unreadable word (double ECC error): word by word.  OpenOCD's Jim
	# has no `binary`, so readable words go through `mem dump` and unreadable ones are
	# written as zero bytes (listed in unreadable.txt; 0x00..0x7f are plain bytes in Jim).
	set unreadable {}
	for {set w 0} {$w < $bytes} {incr w $word_bytes} {
		if {[catch {stm32unbrick mem dump $ap [expr {$addr + $w}] $word_bytes $tmp}]} {
			lappend unreadable [format 0x%08x [expr {$addr + $w}]]
			puts -nonewline $out [string repeat "\x00" $word_bytes]
			continue
		}
		stm32unbrick_backup_append $out $tmp
	}
	catch {file delete $tmp}
	return $unreadable
}

proc stm32unbrick_backup_append {out tmp} {
	set in [open $tmp r]
	fconfigure $in -translation binary
	puts -nonewline $out [read $in]
	close $in
	file delete $tmp
}

# ---- JSON report --------------------------------------------------------------------

proc stm32unbrick_json_string {s} {
	return "\"[string map {\\ \\\\ \" \\\" \n \\n \r \\r \t \\t} $s]\""
}

# A Tcl dict of scalars as a JSON object (values that look like integers stay numbers).
proc stm32unbrick_json_dict {d} {
	set parts {}
	dict for {k v} $d {
		if {[string is integer -strict $v] && ![string match 0x* $v]} {
			lappend parts "[stm32unbrick_json_string $k]: $v"
		} else {
			lappend parts "[stm32unbrick_json_string $k]: [stm32unbrick_json_string $v]"
		}
	}
	return "\{[join $parts {, }]\}"
}

proc stm32unbrick_json_list {items} {
	set parts {}
	foreach i $items {
		lappend parts [stm32unbrick_json_string $i]
	}
	return "\[[join $parts {, }]\]"
}

# The report's schema is documented in docs/report-schema.md; keep them together.
proc stm32unbrick_report {ctx path} {
	set steps {}
	foreach s [dict get $ctx steps] {
		lappend steps [stm32unbrick_json_dict $s]
	}
	set j "\{\n"
	append j "  \"schema\": 1,\n"
	append j "  \"tool\": \"stm32unbrick\",\n"
	append j "  \"version\": [stm32unbrick_json_string [dict get $ctx version]],\n"
	append j "  \"command\": [stm32unbrick_json_string [dict get $ctx command]],\n"
	append j "  \"script_part\": [stm32unbrick_json_string [dict get $ctx script_part]],\n"
	append j "  \"chip\": [stm32unbrick_json_dict [dict get $ctx chip]],\n"
	append j "  \"attach\": [stm32unbrick_json_dict [dict get $ctx attach]],\n"
	append j "  \"option_bytes_before\": [stm32unbrick_json_dict [dict get $ctx options_before]],\n"
	append j "  \"option_bytes_after\": [stm32unbrick_json_dict [dict get $ctx options_after]],\n"
	append j "  \"findings\": [stm32unbrick_json_list [dict get $ctx findings]],\n"
	append j "  \"verdict\": [stm32unbrick_json_string [dict get $ctx verdict]],\n"
	append j "  \"plan\": [stm32unbrick_json_list [dict get $ctx plan_text]],\n"
	append j "  \"backup_dir\": [stm32unbrick_json_string [dict get $ctx backup_dir]],\n"
	append j "  \"steps\": \[[join $steps {, }]\],\n"
	append j "  \"outcome\": [stm32unbrick_json_string [dict get $ctx outcome]],\n"
	append j "  \"exit_status\": [dict get $ctx exit_status]\n"
	append j "\}\n"
	stm32unbrick_write_file $path $j
}

# The short table printed at the end.
proc stm32unbrick_summary {ctx} {
	set chip [dict get $ctx chip]
	set part [expr {[dict exists $chip family] ? "[dict get $chip family] rev [dict get $chip rev]" : "unknown"}]
	set attach [expr {[dict exists [dict get $ctx attach] strategy] ? [dict get [dict get $ctx attach] strategy] : "none"}]
	set lines {}
	lappend lines [string repeat - 64]
	lappend lines [format "%-14s %s" chip $part]
	lappend lines [format "%-14s %s" attach $attach]
	lappend lines [format "%-14s %s" verdict [dict get $ctx verdict]]
	foreach s [dict get $ctx steps] {
		lappend lines [format "%-14s %-36s %6.1f s %s" step [dict get $s name] \
			[expr {[dict get $s duration_ms] / 1000.0}] [dict get $s outcome]]
	}
	if {[dict get $ctx backup_dir] ne ""} {
		lappend lines [format "%-14s %s" backup [dict get $ctx backup_dir]]
	}
	lappend lines [format "%-14s %s (exit status %d)" outcome [dict get $ctx outcome] [dict get $ctx exit_status]]
	lappend lines [string repeat - 64]
	foreach l $lines {
		echo $l
	}
}
