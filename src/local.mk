# The OpenOCD bridge: the one layer that runs OpenOCD commands (unit tests link it alone).
OCD_BRIDGE_SOURCES = src/target/ocd_bridge.c src/target/ocd_bridge_ctl.c \
	src/target/ocd_bridge.h src/target/ocd_bridge_internal.h

# The Jim Tcl extension module that stock OpenOCD loads with `load`.
pkglib_LTLIBRARIES += src/stm32unbrick.la
src_stm32unbrick_la_SOURCES = \
	src/module.c \
	src/cmd.h \
	src/exit_status.c \
	src/target/errors.c \
	src/target/errors.h \
	$(OCD_BRIDGE_SOURCES)
# Only Jim_stm32unbrickInit is exported (module.c marks it visible).
src_stm32unbrick_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
# -z nodelete: Jim may dlclose() the module while freeing the interpreter, before it
# calls the module's own clean-up; keeping the code mapped makes that order harmless.
src_stm32unbrick_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared -Wl,-z,nodelete
src_stm32unbrick_la_LIBADD = $(JIM_LIBS)
