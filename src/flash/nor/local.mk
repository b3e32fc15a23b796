# STM32H7/H5 flash, option-byte and recovery drivers (part of the module).
src_stm32unbrick_la_SOURCES += \
	src/flash/nor/stm32h7x.h \
	src/flash/nor/stm32h7x_ob.c \
	src/flash/nor/stm32h7x.c \
	src/flash/nor/stm32h7x_loader.c \
	src/flash/nor/stm32h7x_loader.h \
	src/flash/nor/stm32h7x_cmd.c \
	src/cmd.h \
	src/target/poll.c src/target/poll.h
