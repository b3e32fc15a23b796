# Attach strategies (connect normally, hot-plug, under reset, through a power cycle, through BOOT0,
# or through the other core's AP) and their `stm32unbrick attach` command.
src_stm32unbrick_la_SOURCES += \
	src/target/attach.h \
	src/target/attach_internal.h \
	src/target/attach.c \
	src/target/attach_steps.c \
	src/target/attach_flash.c \
	src/target/attach_cmd.c \
	src/target/cm_code.c \
	src/target/cm_code.h \
	src/target/cm_scan_code.h \
	src/target/cortexm.c \
	src/target/cortexm.h \
	src/target/h5_dbgmcu.h
