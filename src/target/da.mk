# STM32H5 debug authentication, host side, and its `stm32unbrick da ...` commands:
# the PSA ADAC codec (adac.c), the DBGMCU mailbox transport through AP0 (adac_mailbox.c),
# credentials and responses with libcrypto (da_auth.c) and the command table ub_da_commands
# (da_cmd.c), and the wait for a regression's end (da_regression.c).  poll.c, which the transport uses, is already in the module (src/flash/nor/local.mk).
src_stm32unbrick_la_SOURCES += \
	src/target/adac.c \
	src/target/adac.h \
	src/target/adac_mailbox.c \
	src/target/adac_mailbox.h \
	src/target/da_auth.c \
	src/target/da_auth.h \
	src/target/da_cmd.c \
	src/target/da_regression.c \
	src/target/da_regression.h
src_stm32unbrick_la_LIBADD += $(CRYPTO_LIBS)
