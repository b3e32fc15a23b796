# The chip as the transport sees it (testing/sim/chip.h): family dispatch
# (chip.c, chip_family.h), the operator-script parser both families use
# (op_script.c) and what the families share (chip_common.c: state-JSON
# keys and file, boot0/firmware/operator scenario keys).
sim_chip_common_sources = \
	testing/sim/chip.h \
	testing/sim/chip.c \
	testing/sim/chip_family.h \
	testing/sim/chip_common.c \
	testing/sim/chip_common.h \
	testing/sim/op_script.c \
	testing/sim/op_script.h

# The STM32H7 chip (see testing/sim/chip.h, chip_h7.h): part table, memories,
# bus maps, the cores and their clock gates, RCC/SYSCFG, reset/power/operator
# logic (chip_h7*.c), the Cortex-M7/M4 debug registers (cortexm_dbg.c,
# cortexm_ppb.c, and their Armv8-M additions for the H5's Cortex-M33,
# cortexm_v8m.c), CoreSight identification (coresight_id.c), DBGMCU and the
# debug APB (dbgmcu.c), PWR (pwr_h7.c), the cores' execution model
# (core_h7.c) and their Thumb interpreter (thumb.c, thumb_alu.c).
sim_chip_h7_sources = \
	testing/sim/chip_h7.c \
	testing/sim/chip_h7.h \
	testing/sim/chip_h7_internal.h \
	testing/sim/chip_h7_build.c \
	testing/sim/chip_h7_cpu.c \
	testing/sim/chip_h7_sysctl.c \
	testing/sim/chip_h7_parts.c \
	testing/sim/chip_h7_mem.c \
	testing/sim/chip_h7_bus.c \
	testing/sim/chip_h7_operator.c \
	testing/sim/chip_h7_state.c \
	testing/sim/core_h7.c \
	testing/sim/core_h7.h \
	testing/sim/thumb.c \
	testing/sim/thumb.h \
	testing/sim/thumb_alu.c \
	testing/sim/cortexm_dbg.c \
	testing/sim/cortexm_dbg.h \
	testing/sim/cortexm_ppb.c \
	testing/sim/cortexm_v8m.c \
	testing/sim/coresight_id.c \
	testing/sim/coresight_id.h \
	testing/sim/dbgmcu.c \
	testing/sim/dbgmcu.h \
	testing/sim/pwr_h7.c \
	testing/sim/pwr_h7.h

testing_sim_stm32sim_SOURCES += $(sim_chip_common_sources) $(sim_chip_h7_sources)

# The STM32H5 chip.
include testing/sim/chip_h5.mk
