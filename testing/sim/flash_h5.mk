# STM32H5 embedded flash, OBK, OTP and option bytes (see testing/sim/flash_h5.h).
# Split by concern to stay short: registers (flash_h5_regs.c), memory map and
# write buffer (flash_h5_mem.c), program/erase (flash_h5_ops.c), option change
# and regressions (flash_h5_optchg.c), arrays and ECC (flash_h5_array.c),
# scenario keys (flash_h5_scenario.c, flash_h5_contents.c), state JSON
# (flash_h5_json.c); option-byte rules in optbytes_h5.c.  The scenario
# helpers it shares with the H7 flash (flash_scenario_common.c) are built
# once, from flash.mk.
testing_sim_stm32sim_SOURCES += \
	testing/sim/flash_h5.c \
	testing/sim/flash_h5.h \
	testing/sim/flash_h5_internal.h \
	testing/sim/flash_h5_array.c \
	testing/sim/flash_h5_contents.c \
	testing/sim/flash_h5_json.c \
	testing/sim/flash_h5_mem.c \
	testing/sim/flash_h5_ops.c \
	testing/sim/flash_h5_optchg.c \
	testing/sim/flash_h5_regs.c \
	testing/sim/flash_h5_scenario.c \
	testing/sim/optbytes_h5.c \
	testing/sim/optbytes_h5.h
