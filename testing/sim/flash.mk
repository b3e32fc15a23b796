# STM32H7 embedded flash and option bytes (see testing/sim/flash_h7.h).
# flash_h7.c is split by concern to stay short: registers (flash_h7_regs.c),
# program/erase state machine (flash_h7_ops.c), memory array and ECC
# (flash_h7_array.c), scenario keys and state JSON (flash_h7_state.c).
testing_sim_stm32sim_SOURCES += \
	testing/sim/flash_h7.c \
	testing/sim/flash_h7.h \
	testing/sim/flash_h7_internal.h \
	testing/sim/flash_h7_regs.c \
	testing/sim/flash_h7_ops.c \
	testing/sim/flash_h7_array.c \
	testing/sim/flash_h7_state.c \
	testing/sim/optbytes_h7.c \
	testing/sim/optbytes_h7.h \
	$(sim_flash_common_sources)

# Scenario helpers both flash blocks use (flash_h5.mk relies on this line:
# a source listed twice would be linked twice).
sim_flash_common_sources = \
	testing/sim/flash_scenario_common.c \
	testing/sim/flash_scenario_common.h
