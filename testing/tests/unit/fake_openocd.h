/*
 * A fake OpenOCD 0.12 inside a plain Jim interpreter, for the module's unit tests.
 *
 * It offers the commands the bridge uses, with OpenOCD's shapes and answer formats:
 *   <dap> dpreg REG ?VALUE?, <dap> apreg AP REG ?VALUE?   -> "0x%08x" on reads, "" on writes
 *   <mem_ap> read_memory ADDR 32 N                         -> list of N "0x%x" numbers
 *   <mem_ap> write_memory ADDR 32 LIST                     -> ""
 *   <mem_ap> was_examined, <mem_ap> arp_examine             -> "1"/"0", ""
 *   adapter assert|deassert srst, adapter srst delay ?MS?, sleep MS, echo TEXT, dap names, target names
 * State lives in Tcl dicts (::dp, ::ap, ::mem); memory never written reads as
 * fake_pattern(ADDR).  Every call is appended to ::calls as a list of its words,
 * so tests can count commands and see the exact words OpenOCD would receive.
 *
 * Injection, per operation name (dpreg, apreg, read_memory, write_memory, adapter):
 *   dict set ::fail OP {CODE MESSAGE SKIP}  fail with Tcl code CODE (OpenOCD uses negative
 *                                           codes) after SKIP successful calls;
 *   dict set ::answer OP TEXT               answer TEXT verbatim (malformed answers).
 */
#ifndef STM32UNBRICK_FAKE_OPENOCD_H
#define STM32UNBRICK_FAKE_OPENOCD_H

#include <jim.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char fake_openocd_script[] =
	"set ::calls {}\n"
	"set ::dp [dict create]\n"
	"set ::ap [dict create]\n"
	"set ::mem [dict create]\n"
	"set ::fail [dict create]\n"
	"set ::answer [dict create]\n"
	"set ::unexamined [dict create]\n"
	"set ::echoed {}\n"
	"set ::srst deassert\n"
	"set ::srst_delay 100\n"
	"set ::srst_delay_at_release {}\n"
	"set ::daps {}\n"
	"set ::targets {}\n"
	/* Jim quirk: expr {$x} hands back $x unchanged, so "+ 0" normalises 0x.. words to integers. */
	"proc fake_pattern {addr} { expr {($addr * 0x9e3779b1 + 0x5a5a5a5a) & 0xffffffff} }\n"
	/* Apply an injected failure or answer for OP; returns 1 with the answer in ::injected. */
	"proc fake_inject {op} {\n"
	"  if {[dict exists $::fail $op]} {\n"
	"    lassign [dict get $::fail $op] code msg skip\n"
	"    if {$skip eq {} || $skip <= 0} { return -code $code $msg }\n"
	"    dict set ::fail $op [list $code $msg [expr {$skip - 1}]]\n"
	"  }\n"
	"  if {[dict exists $::answer $op]} { set ::injected [dict get $::answer $op]; return 1 }\n"
	"  return 0\n"
	"}\n"
	"proc fake_dap {name sub args} {\n"
	"  lappend ::calls [list $name $sub {*}$args]\n"
	"  if {[fake_inject $sub]} { return $::injected }\n"
	"  switch -- $sub {\n"
	"    dpreg {\n"
	"      set reg [expr {[lindex $args 0] + 0}]\n"
	"      if {[llength $args] == 2} { dict set ::dp $reg [expr {[lindex $args 1] + 0}]; return {} }\n"
	"      if {![dict exists $::dp $reg]} { return -code -4 {} }\n"
	"      return [format 0x%08x [dict get $::dp $reg]]\n"
	"    }\n"
	"    apreg {\n"
	"      set key [list [expr {[lindex $args 0] + 0}] [expr {[lindex $args 1] + 0}]]\n"
	"      if {[llength $args] == 3} { dict set ::ap $key [expr {[lindex $args 2] + 0}]; return {} }\n"
	"      if {![dict exists $::ap $key]} { return -code -4 {} }\n"
	"      return [format 0x%08x [dict get $::ap $key]]\n"
	"    }\n"
	"  }\n"
	"  return -code -601 {}\n"
	"}\n"
	/* A target named in ::unexamined was never examined: OpenOCD 0.12 refuses its accesses
	 * (the reason goes to the log only) until `arp_examine` succeeds. */
	"proc fake_memap {name apnum sub args} {\n"
	"  lappend ::calls [list $name $sub {*}$args]\n"
	"  if {[fake_inject $sub]} { return $::injected }\n"
	"  if {$sub eq {was_examined}} { return [expr {![dict exists $::unexamined $name]}] }\n"
	"  if {$sub eq {arp_examine}} { dict unset ::unexamined $name; return {} }\n"
	"  if {[dict exists $::unexamined $name]} { return -code -4 {} }\n"
	"  lassign $args addr width arg\n"
	"  if {$width != 32} { return -code -601 {} }\n"
	"  switch -- $sub {\n"
	"    read_memory {\n"
	"      set out {}\n"
	"      for {set i 0} {$i < $arg} {incr i} {\n"
	"        set a [expr {$addr + 4 * $i}]\n"
	"        set key [list $apnum $a]\n"
	"        set v [expr {[dict exists $::mem $key] ? [dict get $::mem $key] : [fake_pattern $a]}]\n"
	"        lappend out [format 0x%x $v]\n"
	"      }\n"
	"      return $out\n"
	"    }\n"
	"    write_memory {\n"
	"      set i 0\n"
	"      foreach w $arg { dict set ::mem [list $apnum [expr {$addr + 4 * $i}]] [expr {$w + 0}]; incr i }\n"
	"      return {}\n"
	"    }\n"
	"  }\n"
	"  return -code -601 {}\n"
	"}\n"
	/* Each name is list-quoted into the body, so names with spaces or brackets work verbatim. */
	"proc fake_make_dap {name} {\n"
	"  proc $name {sub args} \"fake_dap [list $name] \\$sub {*}\\$args\"\n"
	"  lappend ::daps $name\n"
	"}\n"
	"proc fake_make_memap {name apnum} {\n"
	"  proc $name {sub args} \"fake_memap [list $name] [list $apnum] \\$sub {*}\\$args\"\n"
	"  lappend ::targets $name\n"
	"}\n"
	/* `adapter srst delay ?MS?` as OpenOCD 0.12 answers it (injection key srst_delay); every
	 * release records the delay OpenOCD would sleep after it in ::srst_delay_at_release. */
	"proc fake_srst_delay {args} {\n"
	"  lappend ::calls [list adapter srst {*}$args]\n"
	"  if {[fake_inject srst_delay]} { return $::injected }\n"
	"  if {[llength $args] == 2} { set ::srst_delay [expr {[lindex $args 1] + 0}] }\n"
	"  return \"adapter srst delay: $::srst_delay\"\n"
	"}\n"
	"proc adapter {op args} {\n"
	"  if {$op eq {srst}} { return [fake_srst_delay {*}$args] }\n"
	"  lappend ::calls [list adapter $op {*}$args]\n"
	"  if {[fake_inject adapter]} { return $::injected }\n"
	"  set ::srst $op\n"
	"  if {$op eq {deassert}} { lappend ::srst_delay_at_release $::srst_delay }\n"
	"  return {}\n"
	"}\n"
	"proc sleep {ms} { lappend ::calls [list sleep $ms]; return {} }\n"
	"proc echo {text} { lappend ::calls [list echo $text]; lappend ::echoed $text; return {} }\n"
	"proc dap {sub} { if {$sub ne {names}} { return -code -601 {} }; return $::daps }\n"
	"proc target {sub} { if {$sub ne {names}} { return -code -601 {} }; return $::targets }\n"
	/* Number of recorded calls whose first words are NAME (and SUB when given). */
	"proc fake_count {name {sub {}}} {\n"
	"  set n 0\n"
	"  foreach c $::calls {\n"
	"    if {[lindex $c 0] ne $name} continue\n"
	"    if {$sub ne {} && [lindex $c 1] ne $sub} continue\n"
	"    incr n\n"
	"  }\n"
	"  return $n\n"
	"}\n"
	"fake_make_dap x.dap\n"
	"fake_make_memap x.ap0 0\n"
	"fake_make_memap x.ap2 2\n";

/* Evaluate `script`; abort the test program with Jim's message if it fails (a broken fake). */
static inline Jim_Obj *fake_eval(Jim_Interp *interp, const char *script)
{
	if (Jim_Eval(interp, script) != JIM_OK) {
		fprintf(stderr, "fake_openocd: '%s' failed: %s\n", script, Jim_String(Jim_GetResult(interp)));
		abort();
	}
	return Jim_GetResult(interp);
}

static inline long fake_eval_long(Jim_Interp *interp, const char *script)
{
	long v = 0;

	if (Jim_GetLong(interp, fake_eval(interp, script), &v) != JIM_OK)
		abort();
	return v;
}

/* A fresh interpreter with the fake DAP x.dap and mem_ap targets x.ap0 (AP0) and x.ap2 (AP2). */
static inline Jim_Interp *fake_openocd_new(void)
{
	Jim_Interp *interp = Jim_CreateInterp();

	Jim_RegisterCoreCommands(interp);
	Jim_InitStaticExtensions(interp);
	fake_eval(interp, fake_openocd_script);
	return interp;
}

static inline long fake_calls(Jim_Interp *interp, const char *name, const char *sub)
{
	Jim_Obj *objv[3];
	long n = 0;

	objv[0] = Jim_NewStringObj(interp, "fake_count", -1);
	objv[1] = Jim_NewStringObj(interp, name, -1);
	objv[2] = Jim_NewStringObj(interp, sub ? sub : "", -1);
	if (Jim_EvalObjVector(interp, 3, objv) != JIM_OK || Jim_GetLong(interp, Jim_GetResult(interp), &n) != JIM_OK)
		abort();
	return n;
}

static inline long fake_total_calls(Jim_Interp *interp)
{
	return fake_eval_long(interp, "llength $::calls");
}

/* The words of the last recorded call, as a string (list form). */
static inline const char *fake_last_call(Jim_Interp *interp)
{
	return Jim_String(fake_eval(interp, "lindex $::calls end"));
}

#endif
