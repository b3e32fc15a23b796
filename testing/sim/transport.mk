# see testing/sim/local.mk
# Debug transport: command line and remote_bitbang server, JTAG TAP chain,
# JTAG-DP, MEM-AP, scenario parser and the common services (clock, logs, JSON).
testing_sim_stm32sim_SOURCES += \
	testing/sim/main.c \
	testing/sim/rbb_server.c testing/sim/rbb_server.h \
	testing/sim/jtag_tap.c testing/sim/jtag_tap.h \
	testing/sim/jtag_dp.c testing/sim/jtag_dp.h \
	testing/sim/mem_ap.c testing/sim/mem_ap.h \
	testing/sim/ap.h testing/sim/bus.h \
	testing/sim/scenario.c testing/sim/scenario.h \
	testing/sim/sim_common.c testing/sim/sim_common.h
