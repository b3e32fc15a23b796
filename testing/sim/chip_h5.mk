# The STM32H5 chip (see testing/sim/chip_h5.h, chip_h5_internal.h): part table,
# boot per product state and AP gating (chip_h5_cpu.c), bus maps, memories,
# power/reset/operator logic, state JSON (chip_h5*.c), and the DBGMCU with the
# system debug APB behind AP0 (dbgmcu_h5.c).  The blocks it is made of have
# their own fragments: the flash (flash_h5.mk) and the DA device (da.mk); the
# Cortex-M33's debug registers are in chip.mk (cortexm_dbg.c, cortexm_v8m.c).
sim_chip_h5_sources = \
	testing/sim/chip_h5.c \
	testing/sim/chip_h5.h \
	testing/sim/chip_h5_internal.h \
	testing/sim/chip_h5_build.c \
	testing/sim/chip_h5_parts.c \
	testing/sim/chip_h5_cpu.c \
	testing/sim/chip_h5_bus.c \
	testing/sim/chip_h5_mem.c \
	testing/sim/chip_h5_state.c \
	testing/sim/dbgmcu_h5.c \
	testing/sim/dbgmcu_h5.h

testing_sim_stm32sim_SOURCES += $(sim_chip_h5_sources)
