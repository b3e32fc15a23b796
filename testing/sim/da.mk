# STM32H5 debug authentication, device side (see testing/sim/da_device.h): the DBGMCU
# mailbox and session (da_device.c) and the ADAC requests with their cryptography
# (da_auth.c, libcrypto: already in testing_sim_stm32sim_LDADD through $(CRYPTO_LIBS)).
testing_sim_stm32sim_SOURCES += \
	testing/sim/da_device.c \
	testing/sim/da_device.h \
	testing/sim/da_device_internal.h \
	testing/sim/da_auth.c
