# Programs for people, installed in $(bindir): several boards at once, one probe each.
dist_bin_SCRIPTS = scripts/stm32unbrick-many
# The H7 flash loader and blank check sources, and the script that turns them into stm32h7x_loader.h.
EXTRA_DIST += src/flash/nor/stm32h7x_loader.S src/flash/nor/stm32h7x_blank.S src/flash/nor/stm32h7x_readable.S \
	scripts/gen-h7-loader
