# Programs for people, installed in $(bindir): several boards at once, one probe each.
dist_bin_SCRIPTS = scripts/stm32unbrick-many
# The H7 flash loader's source and the script that turns it into stm32h7x_loader.h.
EXTRA_DIST += src/flash/nor/stm32h7x_loader.S scripts/gen-h7-loader
