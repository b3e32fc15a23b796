# stm32sim: the register-level STM32H7/H5 that speaks OpenOCD's remote_bitbang.
# Sources are added by the fragments below, one per group of blocks.
bin_PROGRAMS += testing/sim/stm32sim
testing_sim_stm32sim_SOURCES =
testing_sim_stm32sim_LDADD = $(CRYPTO_LIBS) -lm

include testing/sim/transport.mk
include testing/sim/chip.mk
include testing/sim/flash.mk
include testing/sim/da.mk
include testing/sim/flash_h5.mk
