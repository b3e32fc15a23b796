# STM32H5 flash, option-byte, product-state and credential-provisioning driver, its `stm32unbrick h5`
# commands, and the firmware image loader (ELF, Intel HEX, raw binary) behind `h5 program`/`verify`.
# stm32h5x_cmd.c hashes credential files with src/target/da_auth.c (listed with the `da` commands).
src_stm32unbrick_la_SOURCES += \
	src/flash/nor/stm32h5x.h \
	src/flash/nor/stm32h5x_internal.h \
	src/flash/nor/stm32h5x_ob.c \
	src/flash/nor/stm32h5x.c \
	src/flash/nor/stm32h5x_flash.c \
	src/flash/nor/stm32h5x_ps.c \
	src/flash/nor/stm32h5x_cmd.c \
	src/flash/nor/image.c \
	src/flash/nor/image.h
# SHA-256 of programmed images (OpenSSL EVP).
src_stm32unbrick_la_LIBADD += $(CRYPTO_LIBS)
